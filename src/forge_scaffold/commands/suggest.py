"""`forge-scaffold suggest`: which expert modes an existing codebase calls for, and the evidence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forge_scaffold import console
from forge_scaffold.vocabulary import CORE_MODE

if TYPE_CHECKING:
    from forge_scaffold.checker import ModeSuggestion, Suggestions

__all__ = ["suggest"]

SHOWN = 5  # evidence lines per mode in the human output; --json carries all of them


def suggest(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="The codebase to read (default: the current folder).",
            show_default=False,
        ),
    ] = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Recommend expert modes for an existing codebase, each with what in the code led to it."""
    from forge_scaffold.checker import suggest_modes  # noqa: PLC0415 - keep --help fast

    result = suggest_modes(path, _template_owned(path))
    for skipped in result.skipped:
        console.warn(f"{skipped.path}: skipped: {skipped.reason}")
    if as_json:
        console.emit_json(result.to_dict())
        return
    console.out("\n".join(_human(result, path)))


def _template_owned(path: Path) -> dict[str, frozenset[int]] | None:
    """In a generated project, the lines still as the template wrote them; else None."""
    from forge_scaffold.update.answers import ANSWERS_FILE  # noqa: PLC0415

    if not (path / ANSWERS_FILE).is_file():
        return None
    from forge_scaffold.errors import ProjectError  # noqa: PLC0415
    from forge_scaffold.update.answers import load_project  # noqa: PLC0415
    from forge_scaffold.update.drift import base_render, template_lines  # noqa: PLC0415
    from forge_scaffold.update.history import installed_release  # noqa: PLC0415

    try:
        project = load_project(path)
        with base_render(project, installed_release().repo) as base:
            return template_lines(project.root, base)
    except ProjectError as exc:
        console.warn(f"the template's own code counts as evidence too: {exc.message}")
        return None


def _kinds(item: ModeSuggestion) -> str:
    return ", ".join(f"{kind} +{weight}" for kind, weight in sorted(item.kinds.items()))


def _human(result: Suggestions, path: Path) -> list[str]:
    from forge_scaffold.checker.suggest import THRESHOLD  # noqa: PLC0415 - keep --help fast

    files = f"{result.files} file{'s' if result.files != 1 else ''} read"
    if result.template_signals:
        files += f"; {result.template_signals} signals in unchanged template code not counted"
    lines = [f"Recommended modes: {', '.join(result.recommended)} ({files})"]
    for item in result.modes:
        if not item.recommended:
            continue
        lines.append("")
        if item.mode == CORE_MODE:
            lines.append(f"{CORE_MODE}: always on")
            continue
        count = len(item.evidence)
        lines.append(f"{item.mode}: {count} signal{'s' if count != 1 else ''} ({item.trigger})")
        lines.extend(f"  {e.path}:{e.line}: {e.signal}" for e in item.evidence[:SHOWN])
        if count > SHOWN:
            lines.append(f"  and {count - SHOWN} more")
        lines.append(f"  score {item.score} (needs {THRESHOLD}): {_kinds(item)}")
    weak = [item for item in result.modes if not item.recommended and item.evidence]
    if weak:
        lines += [
            "",
            "Too little evidence for: "
            + ", ".join(
                f"{item.mode} (score {item.score} of {THRESHOLD}: {_kinds(item)})" for item in weak
            ),
        ]
    quiet = [item.mode for item in result.modes if not item.recommended and not item.evidence]
    if quiet:
        lines += ["", f"No evidence for: {', '.join(quiet)}"]
    extra = [mode for mode in result.recommended if mode != CORE_MODE]
    if result.active is not None:
        missing = [mode for mode in extra if mode not in result.active]
        if missing:
            flags = " ".join(f"--add-mode {mode}" for mode in missing)
            lines += ["", f"Next: forge-scaffold update {path} {flags}"]
    elif extra:
        flags = " ".join(f"--mode {mode}" for mode in extra)
        lines += ["", f"Next: forge-scaffold new DEST {flags} (a new service with these modes)"]
    return lines
