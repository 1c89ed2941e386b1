"""`forge-scaffold update`: bring a generated project to a newer template version, or switch modes.

The update runs in a scratch clone first (see update/sync.py); the project is changed only once the
outcome is known and allowed, and never committed: the user reviews the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forge_scaffold import console
from forge_scaffold.errors import FindingsError, UsageError

if TYPE_CHECKING:
    from forge_scaffold.update.session import Session
    from forge_scaffold.update.sync import Outcome

__all__ = ["update"]


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
    from forge_scaffold.scratch import scratch_space  # noqa: PLC0415 - keep --help fast
    from forge_scaffold.signals import stopped_means  # noqa: PLC0415
    from forge_scaffold.update.session import update_session  # noqa: PLC0415

    current: list[Session] = []

    def stopped() -> str:
        if current and current[0].written:
            return f"the update was written to {path}; review it with `git diff`"
        return f"nothing changed in {path}"

    with (
        scratch_space(),
        stopped_means(stopped),
        update_session(path, add_mode or [], remove_mode or [], to, console.warn) as session,
    ):
        current.append(session)
        for warning in session.warnings:
            console.warn(warning)
        plan = session.plan
        summary: dict[str, Any] = {
            "path": str(plan.project.root),
            "from_version": plan.project.commit,
            "to_version": plan.target,
            "modes_before": plan.project.modes,
            "modes_after": plan.modes,
            "dry_run": dry_run,
        }
        if plan.no_op:
            _report(summary, None, as_json=as_json)
            return
        if not as_json:
            console.progress(f"Updating {path} from {plan.project.commit} to {plan.target} ...")
        outcome = session.run(
            dry_run=dry_run, confirm=lambda found: _confirm_removals(found, yes, as_json)
        )
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
