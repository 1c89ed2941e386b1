"""`forge-scaffold update`: bring a generated project to a newer template version, or switch modes.

The update runs in a scratch clone first (see sync.py); the project is changed only once the
outcome is known and allowed, and never committed: the user reviews the diff.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forge_scaffold import console
from forge_scaffold.errors import FindingsError, UsageError

if TYPE_CHECKING:
    from forge_scaffold.project import GeneratedProject
    from forge_scaffold.sync import Outcome

__all__ = ["update"]


def _target(requested: str | None, installed: str, known: list[str]) -> str:
    if requested is None:
        return installed
    tag = requested if requested.startswith("v") else f"v{requested}"
    if tag not in known:
        raise UsageError(
            f"--to {requested}: no such template version; known versions: {', '.join(known)}"
        )
    return tag


def _modes(project: GeneratedProject, add: list[str], remove: list[str]) -> list[str]:
    from forge_scaffold.catalog import CORE_MODE, load_catalog  # noqa: PLC0415

    catalog = load_catalog()
    for name in [*add, *remove]:
        catalog.mode(name)
    if CORE_MODE in remove:
        raise UsageError(f"--remove-mode {CORE_MODE}: the core standards are always on")
    both = sorted(set(add) & set(remove))
    if both:
        raise UsageError(f"mode {both[0]!r} is both added and removed: choose one")
    inactive = sorted(set(remove) - set(project.modes))
    if inactive:
        console.warn(f"mode {', '.join(inactive)} is not active; nothing to remove")
    chosen = (set(project.modes) | set(add)) - set(remove)
    return [name for name in catalog.names if name in chosen]


def _confirm_removals(outcome: Outcome, yes: bool, as_json: bool) -> None:
    if not outcome.edited_removed or yes:
        return
    files = ", ".join(outcome.edited_removed)
    if sys.stdin.isatty() and not as_json:
        console.progress("The update deletes these files, which you edited:")
        for file in outcome.edited_removed:
            console.progress(f"  {file}")
        if typer.confirm("Delete them anyway?", default=False, err=True):
            return
        raise UsageError("nothing changed: keep your edits elsewhere, then run update again")
    raise UsageError(
        f"the update deletes {len(outcome.edited_removed)} files you edited ({files}): "
        "pass --yes to delete them, or copy your edits elsewhere first; nothing changed"
    )


def update(
    path: Annotated[Path, typer.Argument(help="The generated project (default: here).")] = Path(),
    add_mode: Annotated[
        list[str] | None, typer.Option("--add-mode", help="Switch an expert mode on (repeat).")
    ] = None,
    remove_mode: Annotated[
        list[str] | None,
        typer.Option("--remove-mode", help="Switch an expert mode off (repeat); not python."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Template version to update to (default: the installed one)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Delete files you edited if the update drops them.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Update a generated project to a newer template version, or switch its expert modes.

    Your edits are merged; a line both you and the template changed becomes a conflict
    (exit code 1). Nothing is committed: review with `git diff`, then commit.
    """
    from forge_scaffold.history import (  # noqa: PLC0415 - keep --help fast
        Version,
        installed_release,
        known_versions,
        parse_version,
    )
    from forge_scaffold.project import dirty_paths, load_project  # noqa: PLC0415

    project = load_project(path)
    modes = _modes(project, add_mode or [], remove_mode or [])
    dirty = dirty_paths(project.root)
    if dirty:
        shown = ", ".join(dirty[:5]) + (", ..." if len(dirty) > 5 else "")
        raise UsageError(
            f"{path} has uncommitted changes ({len(dirty)}: {shown}): commit or stash them "
            "(untracked files too), then run update again; nothing changed"
        )
    release = installed_release()
    tag = _target(to, release.tag, known_versions(release.repo))
    current = parse_version(project.commit)
    if current is not None and Version(tag) < current:
        raise UsageError(
            f"{path} is at template {project.commit}; going back to {tag} is not supported"
        )
    summary: dict[str, Any] = {
        "path": str(project.root),
        "from_version": project.commit,
        "to_version": tag,
        "modes_before": project.modes,
        "modes_after": modes,
        "dry_run": dry_run,
    }
    if tag == project.commit and modes == project.modes and project.src_path == str(release.repo):
        _report(summary, None, as_json=as_json)
        return
    from forge_scaffold.sync import apply, prepare  # noqa: PLC0415 - imports copier lazily

    if not as_json:
        console.progress(f"Updating {path} from {project.commit} to {tag} ...")
    with tempfile.TemporaryDirectory(prefix="forge-update-") as work:
        outcome, clone = prepare(project, release.repo, tag, modes, Path(work))
        if not dry_run:
            _confirm_removals(outcome, yes, as_json)
            apply(outcome, clone, project.root)
    _report(summary, outcome, as_json=as_json)
    if outcome.conflicts and not dry_run:
        raise FindingsError(
            f"{len(outcome.conflicts)} conflicts remain ({', '.join(outcome.conflicts)}): "
            "edit each '<<<<<<< ' block to keep the right lines, then commit"
        )


def _report(summary: dict[str, Any], outcome: Outcome | None, *, as_json: bool) -> None:
    if outcome is None:
        kinds: dict[str, list[str]] = {k: [] for k in ("merged", "added", "removed", "conflicts")}
        moved: list[dict[str, Any]] = []
        edited_removed: list[str] = []
    else:
        kinds = {
            "merged": outcome.merged,
            "added": outcome.added,
            "removed": outcome.removed,
            "conflicts": outcome.conflicts,
        }
        moved = [{"from": m.old, "to": m.new, "conflict": m.conflicted} for m in outcome.moved]
        edited_removed = outcome.edited_removed
    if as_json:
        console.emit_json(
            {
                **summary,
                **kinds,
                "moved": moved,
                "edited_removed": edited_removed,
                "up_to_date": outcome is None or not outcome.changed,
            }
        )
        return
    _print(summary, kinds, moved, edited_removed, up_to_date=outcome is None or not outcome.changed)


def _print(
    summary: dict[str, Any],
    kinds: dict[str, list[str]],
    moved: list[dict[str, Any]],
    edited_removed: list[str],
    *,
    up_to_date: bool,
) -> None:
    modes = ", ".join(summary["modes_after"])
    if up_to_date:
        console.out(f"Up to date: {summary['path']} is at {summary['to_version']} ({modes}).")
        return
    verb = "Would update" if summary["dry_run"] else "Updated"
    console.out(
        f"{verb} {summary['path']} from {summary['from_version']} to {summary['to_version']}"
        f" (modes {modes}):"
    )
    for kind, files in kinds.items():
        console.out(f"  {kind:<10}{len(files)}")
        for file in files:
            console.out(f"    {file}")
    for move in moved:
        console.out(f"  moved     {move['from']} -> {move['to']} (your edits moved with it)")
    for file in edited_removed:
        console.out(f"  note      {file} is removed although you edited it")
    if summary["dry_run"]:
        console.out("Nothing was written (--dry-run).")
        return
    console.out("Nothing is committed. Review and commit:")
    console.out("  git status && git diff")
    if kinds["conflicts"]:
        console.out("  # resolve every '<<<<<<< ' block in the conflicting files")
    console.out(f"  git add -A && git commit -m 'Update template to {summary['to_version']}'")
