"""Update a generated project in a scratch clone; `transaction.py` then writes the result.

Running Copier in a clone makes `--dry-run` and the real run one code path, lets forge-scaffold
inspect the outcome (files the update would delete although the user edited them) before the
user's tree is touched, and lets it point `_src_path` at this machine's template cache when the
recorded one is missing (Copier renders the old version from `_src_path`).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from forge_scaffold._git import IDENTITY, git, git_bytes
from forge_scaffold.update.answers import GeneratedProject, record_src_path
from forge_scaffold.update.drift import base_render, compare
from forge_scaffold.update.renames import Move, carry_edits, renames_between

__all__ = ["CONFLICT_MARKER", "Outcome", "prepare"]

CONFLICT_MARKER = b"<<<<<<< "


@dataclass(slots=True)
class Outcome:
    """What the update changed (or would change) in the project, by kind."""

    merged: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    edited_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.merged or self.added or self.removed)


def _point_at_cache(clone: Path, repo: Path) -> None:
    """Record this machine's cache as `_src_path`, committed in the clone (Copier needs clean)."""
    record_src_path(clone, repo)
    git(clone, "commit", "-q", "--no-verify", "-am", "Use the local template cache", env=IDENTITY)


def _has_conflict(path: Path) -> bool:
    if path.suffix == ".rej":
        return True
    try:
        with path.open("rb") as handle:
            return any(line.startswith(CONFLICT_MARKER) for line in handle)
    except OSError:
        return False


def _changes(clone: Path) -> list[tuple[str, str]]:
    git(clone, "add", "-A", "-f")
    listing = git_bytes(clone, "diff", "--cached", "--name-status", "--no-renames", "-z").decode()
    fields = [f for f in listing.split("\0") if f]
    return list(zip(fields[0::2], fields[1::2], strict=True))


def prepare(
    project: GeneratedProject, repo: Path, tag: str, modes: list[str], work: Path
) -> tuple[Outcome, Path]:
    """Run the update in a clone under `work`; return what changed and the clone."""
    from forge_scaffold.generator import update_project  # noqa: PLC0415 - imports copier

    clone = work / "project"
    work.mkdir(parents=True, exist_ok=True)
    git(work, "clone", "-q", "--no-hardlinks", str(project.root), str(clone))
    if project.src_path != str(repo):
        _point_at_cache(clone, repo)
    head = set(git(clone, "ls-files").splitlines())
    update_project(clone, repo, tag, {"expert_modes": modes} if modes != project.modes else {})
    outcome = Outcome()
    renames = renames_between(repo, project.commit, tag, project.package)
    with ExitStack() as stack:
        base: Path | None = None

        def old_render() -> Path:
            nonlocal base
            if base is None:
                base = stack.enter_context(base_render(project, repo))
            return base

        if renames:
            outcome.moved = carry_edits(renames, project.root, old_render(), clone, head)
        moved_from = {move.old for move in outcome.moved}
        for status, path in _changes(clone):
            kind = {"M": outcome.merged, "A": outcome.added, "D": outcome.removed}.get(status)
            if kind is not None:
                kind.append(path)
            if status in {"M", "A"} and _has_conflict(clone / path):
                outcome.conflicts.append(path)
        dropped = [path for path in outcome.removed if path not in moved_from]
        if dropped:
            reference = old_render()
            edited = set(compare(project.root, reference).modified)
            outcome.edited_removed = [
                path for path in dropped if path in edited or not (reference / path).is_file()
            ]
    return outcome, clone
