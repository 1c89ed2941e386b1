"""`forge-scaffold check`: report code that departs from the standards, like a linter would."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forge_scaffold import console
from forge_scaffold.errors import UsageError

if TYPE_CHECKING:
    from forge_scaffold.checker import Report

__all__ = ["check"]

FORMATS = ("text", "json", "github", "sarif")


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Files and folders to check (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document (--output-format json).")
    ] = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--output-format",
            metavar="FORMAT",
            help="text, json, github (workflow annotations) or sarif (code scanning).",
            show_default=False,
        ),
    ] = None,
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
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule gave.")
    ] = False,
    add_noqa: Annotated[
        bool,
        typer.Option(
            "--add-noqa", help="Write `# noqa: CODE` on every finding's line (adopt, then hold)."
        ),
    ] = False,
) -> None:
    """Check Python code against the standards; exit 1 when something is found.

    Rules are listed in docs/rules.md. A folder holding pyproject.toml is a project root, where
    project-level rules (FS9xx) also run. Silence one line with `# noqa: FSxxx`. Settings come
    from `[tool.forge-scaffold]` in the nearest pyproject.toml up from the first PATH (select,
    ignore, per-file-ignores, extend-exclude); options given here win.
    """
    from forge_scaffold.checker import check_paths  # noqa: PLC0415 - keep --help fast

    chosen = _format(output_format, as_json=as_json)
    report = check_paths(paths or [Path()], select=select, ignore=ignore)
    for notice in report.notices:
        console.warn(notice)
    for skipped in report.skipped:
        console.warn(f"{skipped.path}: skipped: {skipped.reason}")
    if add_noqa:
        _add_noqa(report)
        return
    _print(report, chosen, statistics=statistics)
    if report.findings:
        raise typer.Exit(1)


def _format(output_format: str | None, *, as_json: bool) -> str:
    if output_format is None:
        return "json" if as_json else "text"
    chosen = output_format.strip().lower()
    if chosen not in FORMATS:
        raise UsageError(
            f"--output-format: unknown format {output_format!r}: choose {', '.join(FORMATS)}"
        )
    if as_json and chosen != "json":
        raise UsageError(f"--json and --output-format {chosen} contradict each other")
    return chosen


def _print(report: Report, chosen: str, *, statistics: bool) -> None:
    from forge_scaffold.checker import output  # noqa: PLC0415

    if statistics:
        counts = output.statistics(report)
        if chosen == "json":
            console.emit_json(counts)
        elif counts:
            width = len(str(counts[0]["count"]))
            console.out(
                "\n".join(f"{c['count']:>{width}}\t{c['code']}\t{c['title']}" for c in counts)
            )
        return
    if chosen == "json":
        console.emit_json(report.to_dict())
    elif chosen == "sarif":
        console.emit_json(output.sarif(report))
    elif chosen == "github":
        if report.findings:
            console.out("\n".join(output.github(report)))
    elif report.findings:  # silence is success, as pre-commit hooks and CI logs expect
        console.out("\n".join(output.text(report)))


def _add_noqa(report: Report) -> None:
    from forge_scaffold.checker.noqa import add_noqa  # noqa: PLC0415

    added, files, unmarked = add_noqa(report.findings)
    for finding in unmarked:
        console.warn(
            f"{finding.path}:{finding.line}: {finding.code} not marked: no `# noqa` fits there "
            "(use ignore or per-file-ignores in [tool.forge-scaffold])"
        )
    console.out(
        f"Added {added} noqa directive{'s' if added != 1 else ''} "
        f"to {files} file{'s' if files != 1 else ''}."
    )
    if unmarked:
        raise typer.Exit(1)
