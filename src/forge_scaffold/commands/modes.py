"""`forge-scaffold modes`: the expert modes and the files each adds, read from the template."""

from __future__ import annotations

from typing import Annotated

import typer

from forge_scaffold import console
from forge_scaffold.vocabulary import CORE_MODE

__all__ = ["modes"]


def modes(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the expert modes and the files each one adds to a generated project."""
    from forge_scaffold.catalog import load_catalog  # noqa: PLC0415 - keep --help fast

    catalog = load_catalog()
    if as_json:
        console.emit_json(
            [
                {
                    "name": mode.name,
                    "summary": mode.summary,
                    "always_on": mode.name == CORE_MODE,
                    "files": list(mode.files),
                }
                for mode in catalog.modes
            ]
        )
        return
    width = max(len(name) for name in catalog.names)
    for mode in catalog.modes:
        note = " (always on)" if mode.name == CORE_MODE else ""
        console.out(f"{mode.name:<{width}}  {mode.summary}{note}")
        for file in mode.files:
            console.out(f"{'':<{width}}    {file}")
        console.out()
    console.out(f"Pick modes with: forge-scaffold new DEST --mode {catalog.names[-1]} --mode ...")
