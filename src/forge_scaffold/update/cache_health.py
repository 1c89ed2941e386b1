"""Whether the template cache can be trusted: git reads it, and its releases are the wheel's.

A cache is rebuilt from the wheel when git cannot read it (a first run killed while creating it,
before the cache was built aside and renamed into place) or when a release tag points at another
commit than the wheel's history has for it. A damaged object store (a pack with zeroed bytes)
shows only when Copier reads the object, so a Copier or git failure is checked with `git fsck`,
which tells a damaged cache from a problem of the destination.
"""

from __future__ import annotations

from pathlib import Path

from forge_scaffold._git import git
from forge_scaffold.errors import CacheError, GitError

__all__ = ["CacheDamaged", "checked", "damage", "matches_history", "readable"]


class CacheDamaged(CacheError):
    """git found the cache's objects damaged; the message names the folder to delete."""

    def __init__(self, repo: Path, problem: str) -> None:
        super().__init__(
            f"the template cache at {repo} is damaged ({problem}): delete {repo} and run again"
        )
        self.repo = repo
        self.problem = problem

    @property
    def rebuilt_note(self) -> str:
        """What to tell the user once the cache was rebuilt from the wheel."""
        return (
            f"the template cache at {self.repo} was damaged ({self.problem}); "
            "rebuilt it from this installation's copy"
        )


def checked(exc: BaseException, repo: Path) -> BaseException:
    """A Copier or git failure while reading `repo`: CacheDamaged if git finds the cache
    damaged, else `exc` itself (a bad answer is never the cache's fault)."""
    if not isinstance(exc, Exception) or isinstance(exc, ValueError):
        return exc
    problem = damage(repo)
    return CacheDamaged(repo, problem) if problem else exc


def readable(repo: Path) -> bool:
    """git opens the repository and lists its tags."""
    if not (repo / ".git").is_dir():
        return False
    try:
        git(repo, "for-each-ref", "refs/tags")
    except GitError:
        return False
    return True


def _tags(listing: str) -> dict[str, str]:
    pairs = (line.split() for line in listing.splitlines() if line.strip())
    return {ref.removeprefix("refs/tags/"): commit for commit, ref in pairs}


def matches_history(repo: Path, bundle: Path, installed_tag: str) -> bool:
    """Every release tag the cache shares with the wheel's bundle is the bundle's commit.

    The installed version's tag may differ (an editable install commits its own template)."""
    if not bundle.is_file():
        return True
    offered = _tags(git(repo, "bundle", "list-heads", str(bundle)))
    held = _tags(git(repo, "for-each-ref", "--format=%(objectname) %(refname)", "refs/tags"))
    return all(
        held[tag] == commit
        for tag, commit in offered.items()
        if tag in held and tag != installed_tag
    )


def damage(repo: Path) -> str | None:
    """git's first complaint about the cache's objects, or None when `git fsck` finds none."""
    if not repo.is_dir():
        return f"{repo} is missing"
    try:
        git(repo, "fsck", "--no-dangling", "--no-progress")
    except GitError as exc:
        lines = [line for line in exc.message.splitlines() if line.strip()]
        return lines[-1].strip() if lines else exc.message
    return None
