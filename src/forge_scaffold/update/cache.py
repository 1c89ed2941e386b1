"""The local template cache: a git repository holding each installed template version as a tag.

Copier records `_commit` (and can update a project later) only when it copies from git, and
forge-scaffold must work offline from the wheel. So every installed version commits its bundled
template into one repository in the user's cache directory, tagged `v<version>`, and `new` and
`update` run Copier against that repository. The wheel also carries the template's release history
(`_history/template.bundle`, built by `scripts/release_history.py` with the same commit scheme),
which is fetched into the cache first, so projects made by older versions can update too.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forge_scaffold._git import IDENTITY, git
from forge_scaffold.errors import CacheError, GitError
from forge_scaffold.update.cache_health import matches_history, readable

__all__ = [
    "HISTORY_BUNDLE",
    "RENAMES_FILE",
    "TemplateRelease",
    "cache_dir",
    "commit_release",
    "ensure_release",
    "import_history",
    "tag_digest",
    "template_digest",
]

HISTORY_BUNDLE = Path(__file__).resolve().parents[1] / "_history" / "template.bundle"
# The template's rename map (see migrations.py): beside copier.yml, committed with each release,
# never rendered into projects.
RENAMES_FILE = "template_renames.yml"
_HISTORY_MARKER = "forge-history"
_DIGEST_PREFIX = "template-digest: "


@dataclass(frozen=True, slots=True)
class TemplateRelease:
    """A template version Copier can copy from: a git repository and a tag in it."""

    repo: Path
    tag: str


def cache_dir() -> Path:
    """`$FORGE_SCAFFOLD_CACHE`, else the platform's user cache directory."""
    override = os.environ.get("FORGE_SCAFFOLD_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path  # noqa: PLC0415 - only needed here

    return user_cache_path("forge-scaffold", appauthor=False)


def template_digest(root: Path) -> str:
    """A digest of copier.yml, the rename map (when present) and every file under template/."""
    digest = hashlib.sha256()
    renames = [root / RENAMES_FILE] if (root / RENAMES_FILE).is_file() else []
    files = [root / "copier.yml", *renames, *sorted((root / "template").rglob("*"))]
    for path in files:
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def tag_digest(repo: Path, tag: str) -> str | None:
    """The template digest recorded in a release tag's commit message (None: not a release)."""
    message = git(repo, "log", "-1", "--format=%B", tag, "--", check=False)
    for line in message.splitlines():
        if line.startswith(_DIGEST_PREFIX):
            return line.removeprefix(_DIGEST_PREFIX)
    return None


def _commit_template(repo: Path, source: Path, tag: str, digest: str) -> None:
    for entry in repo.iterdir():
        if entry.name not in {".git", ".lock"}:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copy2(source / "copier.yml", repo / "copier.yml")
    if (source / RENAMES_FILE).is_file():
        shutil.copy2(source / RENAMES_FILE, repo / RENAMES_FILE)
    shutil.copytree(
        source / "template",
        repo / "template",
        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"),
    )
    git(repo, "add", "-A")
    message = f"template {tag}\n\n{_DIGEST_PREFIX}{digest}"
    git(repo, "commit", "-q", "--no-verify", "--allow-empty", "-m", message, env=IDENTITY)
    git(repo, "tag", "-f", tag)


def commit_release(repo: Path, source: Path, tag: str) -> str:
    """Commit `source`'s copier.yml + template/ on the current branch, tag it; return the commit.

    The release script builds the wheel's history bundle with this very function, so a release
    commit has the same id in the bundle and in a cache that committed the same template itself.
    """
    _commit_template(repo, source, tag, template_digest(source))
    return git(repo, "rev-parse", f"{tag}^{{commit}}")


def _bundle_id(bundle: Path) -> str:
    return hashlib.sha256(bundle.read_bytes()).hexdigest()


def _history_imported(repo: Path, bundle: Path) -> bool:
    marker = repo / ".git" / _HISTORY_MARKER
    if not bundle.is_file():
        return True
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == _bundle_id(bundle)


def import_history(repo: Path, bundle: Path) -> list[str]:
    """Fetch the bundle's release tags that the cache lacks; return the tags fetched.

    A tag the cache already has is left alone: it is either the same release commit, or (in an
    editable install) the working tree's newer content for the installed version.
    """
    if not bundle.is_file():
        return []
    heads = git(repo, "bundle", "list-heads", str(bundle))
    offered = [ref.split()[1].removeprefix("refs/tags/") for ref in heads.splitlines()]
    present = set(git(repo, "tag", "--list").splitlines())
    missing = [tag for tag in offered if tag.startswith("v") and tag not in present]
    if missing:
        refspecs = [f"refs/tags/{tag}:refs/tags/{tag}" for tag in missing]
        git(repo, "fetch", "-q", "--no-tags", str(bundle), *refspecs)
    (repo / ".git" / _HISTORY_MARKER).write_text(_bundle_id(bundle) + "\n", encoding="utf-8")
    return missing


def _rebuild(base: Path, source: Path, tag: str, digest: str, bundle: Path) -> None:
    """Build the cache in a folder beside it, then rename it into place (under the cache lock)."""
    repo = base / "template"
    for stale in [*base.glob("template.new-*"), *base.glob("template.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed run; the lock is ours
    building = base / f"template.new-{os.getpid()}"
    try:
        building.mkdir(parents=True)
        git(building, "init", "-q", "-b", "main")
        import_history(building, bundle)
        if tag_digest(building, tag) != digest:
            _commit_template(building, source, tag, digest)
        if repo.exists():
            old = base / f"template.old-{os.getpid()}"
            repo.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        building.rename(repo)
    except (OSError, GitError) as exc:
        shutil.rmtree(building, ignore_errors=True)
        reason = exc.message if isinstance(exc, GitError) else str(exc)
        raise CacheError(
            f"cannot build the template cache at {repo} ({reason}): delete {base} and run again"
        ) from exc


def ensure_release(
    source: Path,
    version: str,
    root: Path | None = None,
    bundle: Path = HISTORY_BUNDLE,
    *,
    rebuild: bool = False,
) -> TemplateRelease:
    """Make sure the cache holds the release history and this version as tag `v<version>`.

    The history bundle's tags are fetched first (once per bundle). A tag whose content differs
    from the bundled template (an editable install whose template changed) is moved to a new
    commit with the current content. A cache git cannot read, whose release commits are not the
    bundle's, or (with `rebuild`) one found damaged, is built anew from the wheel.
    """
    base = root or cache_dir()
    repo = base / "template"
    tag = f"v{version}"
    digest = template_digest(source)
    if (
        not rebuild
        and (repo / ".git").is_dir()
        and _history_imported(repo, bundle)
        and tag_digest(repo, tag) == digest
    ):
        return TemplateRelease(repo, tag)
    with _locked(base):
        if rebuild or not readable(repo) or not matches_history(repo, bundle, tag):
            _rebuild(base, source, tag, digest, bundle)
            return TemplateRelease(repo, tag)
        if not _history_imported(repo, bundle):
            import_history(repo, bundle)
        if tag_digest(repo, tag) != digest:
            _commit_template(repo, source, tag, digest)
    return TemplateRelease(repo, tag)
