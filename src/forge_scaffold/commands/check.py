"""`forge-scaffold check`: report code that departs from the standards, like a linter would."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forge_scaffold import console

__all__ = ["check"]


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Files and folders to check (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    select: Annotated[
        str | None,
        typer.Option(
            metavar="CODES", help="Only these codes or prefixes, comma-separated (FS1,FS201)."
        ),
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option(metavar="CODES", help="Skip these codes or prefixes, comma-separated."),
    ] = None,
) -> None:
    """Check Python code against the standards; exit 1 when something is found.

    Rules are listed in docs/rules.md. A folder holding pyproject.toml is a project root, where
    project-level rules (FS9xx) also run. Silence one line with `# noqa: FSxxx`.
    """
    from forge_scaffold.checker import check_paths  # noqa: PLC0415 - keep --help fast

    report = check_paths(paths or [Path()], select=select, ignore=ignore)
    for notice in report.notices:
        console.warn(notice)
    for skipped in report.skipped:
        console.warn(f"{skipped.path}: skipped: {skipped.reason}")
    if as_json:
        console.emit_json(report.to_dict())
    elif report.findings:  # silence is success, as pre-commit hooks and CI logs expect
        console.out("\n".join(finding.format() for finding in report.findings))
        console.out(
            _summary(report.files, len(report.findings), report.error_count, len(report.skipped))
        )
    if report.findings:
        raise typer.Exit(1)


def _summary(files: int, findings: int, errors: int, skipped: int) -> str:
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if skipped:
        checked += f", {skipped} skipped"
    warnings = findings - errors
    return (
        f"Found {findings} finding{'s' if findings != 1 else ''} "
        f"({errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}; {checked})."
    )
