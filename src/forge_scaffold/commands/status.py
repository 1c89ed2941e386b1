"""`forge-scaffold status`: a generated project's template version, modes, answers and edits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from forge_scaffold import console

__all__ = ["status"]


def status(
    path: Annotated[Path, typer.Argument(help="The generated project (default: here).")] = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Show a project's template version, modes and edited template files.

    Exit code 0: up to date; 1: a newer template version is available (run `forge-scaffold
    update`); 2: PATH is not a generated project, or one made from a template version this
    installation does not know.
    """
    from forge_scaffold.scratch import scratch_space  # noqa: PLC0415 - keep --help fast
    from forge_scaffold.update.report import project_report  # noqa: PLC0415

    with scratch_space():
        report = project_report(path, console.warn)
    if as_json:
        console.emit_json(report)
    else:
        _print(report)
    if report["update_available"]:
        raise typer.Exit(1)


def _print(report: dict[str, Any]) -> None:
    console.out(f"project    {report['path']}")
    version = f"template   {report['template_version']}"
    if report["update_available"]:
        version += f" (newer: {report['latest_version']}; run `forge-scaffold update`)"
    else:
        version += " (up to date)"
    console.out(version)
    console.out(f"modes      {', '.join(report['modes'])}")
    for key, value in report["answers"].items():
        if key != "expert_modes":
            console.out(f"answer     {key} = {value}")
    if report["modified"] is None:
        return
    edits = [("M", p) for p in report["modified"]] + [("D", p) for p in report["deleted"]]
    if not edits:
        console.out("edits      none: every template file is as the template made it")
        return
    console.out(
        f"edits      {len(edits)} template files differ from the template (M edited, D deleted):"
    )
    for kind, file in sorted(edits, key=lambda edit: edit[1]):
        console.out(f"  {kind} {file}")
