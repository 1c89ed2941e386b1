"""What an update will do, decided before anything runs: the target version, the modes, the rules.

The rules: the work tree must be clean (Copier's update needs it, and the user reviews the result
with `git diff`); the target is a version this installation knows; going back is refused; the same
version with the same modes and the same template source is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forge_scaffold._git import git
from forge_scaffold.catalog import Catalog
from forge_scaffold.errors import ProjectError, UsageError
from forge_scaffold.update.answers import GeneratedProject
from forge_scaffold.update.cache import TemplateRelease
from forge_scaffold.update.history import Version, parse_version
from forge_scaffold.vocabulary import CORE_MODE

__all__ = [
    "Plan",
    "choose_modes",
    "choose_target",
    "dirty_paths",
    "git_dir",
    "plan_update",
    "require_clean",
    "require_known",
]

_SHOWN_DIRTY = 5


@dataclass(frozen=True, slots=True)
class Plan:
    """An allowed update: from the project's version and modes to `target` and `modes`."""

    project: GeneratedProject
    release: TemplateRelease
    target: str
    modes: list[str]

    @property
    def no_op(self) -> bool:
        """Nothing to do: same version, same modes, and `_src_path` already points at the cache."""
        project = self.project
        return (
            self.target == project.commit
            and self.modes == project.modes
            and project.src_path == str(self.release.repo)
        )


def choose_modes(
    active: list[str], add: list[str], remove: list[str], catalog: Catalog
) -> tuple[list[str], list[str]]:
    """The modes after the switch (catalog order), and those asked to be removed but not active."""
    for name in [*add, *remove]:
        catalog.mode(name)
    if CORE_MODE in remove:
        raise UsageError(f"--remove-mode {CORE_MODE}: the core standards are always on")
    both = sorted(set(add) & set(remove))
    if both:
        raise UsageError(f"mode {both[0]!r} is both added and removed: choose one")
    inactive = sorted(set(remove) - set(active))
    chosen = (set(active) | set(add)) - set(remove)
    return [name for name in catalog.names if name in chosen], inactive


def choose_target(requested: str | None, installed: str, known: list[str]) -> str:
    """`--to` as a known tag (with or without the `v`), else the installed version."""
    if requested is None:
        return installed
    tag = requested if requested.startswith("v") else f"v{requested}"
    if tag not in known:
        raise UsageError(
            f"--to {requested}: no such template version; known versions: {', '.join(known)}"
        )
    return tag


def dirty_paths(root: Path) -> list[str]:
    """Changed, staged or untracked paths (Copier's update needs none); ProjectError if not git."""
    if git(root, "rev-parse", "--is-inside-work-tree", check=False) != "true":
        raise ProjectError(
            f"{root} is not a git repository: run `git init && git add -A && git commit -m "
            "'Generated project'` first, so the update can show you what it changed"
        )
    if not git(root, "rev-parse", "--verify", "-q", "HEAD", check=False):
        raise ProjectError(f"{root} has no commit yet: commit the project first")
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    # Two status letters, then the path (git() strips the first line's leading blank).
    return [line[2:].strip() for line in status.splitlines() if line.strip()]


def git_dir(root: Path) -> Path:
    """The project's git directory (where the update keeps its lock and journal)."""
    dirty_paths(root)  # the same one-line errors for a folder that is no repository yet
    return Path(git(root, "rev-parse", "--absolute-git-dir"))


def require_known(project: GeneratedProject, release: TemplateRelease, known: list[str]) -> None:
    """Refuse a project made from a template version the cache does not hold."""
    if project.commit in known or git(
        release.repo, "rev-parse", "--verify", "-q", f"{project.commit}^{{commit}}", check=False
    ):
        return
    current = parse_version(project.commit)
    newest = max(known, key=Version) if known else release.tag
    if current is not None and current > Version(newest):
        advice = f"install a forge-scaffold whose template includes {project.commit} and run again"
    else:
        advice = (
            "install the forge-scaffold release that made it, or re-create the project with "
            "`forge-scaffold new`"
        )
    raise UsageError(
        f"{project.root} was made from template {project.commit}, which this installation does "
        f"not know (it knows {', '.join(known) or release.tag}): {advice}; nothing changed"
    )


def require_clean(root: Path, shown_as: Path) -> None:
    """Refuse a work tree with uncommitted changes, naming the first few."""
    dirty = dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:_SHOWN_DIRTY]) + (", ..." if len(dirty) > _SHOWN_DIRTY else "")
        raise UsageError(
            f"{shown_as} has uncommitted changes ({len(dirty)}: {shown}): commit or stash them "
            "(untracked files too), then run update again; nothing changed"
        )


def plan_update(
    project: GeneratedProject,
    modes: list[str],
    release: TemplateRelease,
    known: list[str],
    requested: str | None,
    shown_as: Path,
) -> Plan:
    """Check the target version (known, not older than the project's) and return the plan."""
    target = choose_target(requested, release.tag, known)
    current = parse_version(project.commit)
    if current is not None and Version(target) < current:
        raise UsageError(
            f"{shown_as} is at template {project.commit}; going back to {target} is not supported"
        )
    return Plan(project, release, target, modes)
