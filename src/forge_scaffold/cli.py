"""Assemble the `forge-scaffold` command line; each command lives in its own module."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from forge_scaffold import __version__, console, signals
from forge_scaffold.commands import check, modes, new, status, suggest, update
from forge_scaffold.errors import ForgeError, Terminated

__all__ = ["app", "main"]

# Typer >= 0.26 vendors Click; take its exception classes from Typer's own hierarchy so this works
# with either the vendored copy or the click package.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)
_UsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)
_NoArgsIsHelp: type[Exception] = getattr(
    sys.modules[_UsageError.__module__], "NoArgsIsHelpError", _UsageError
)


class _Group(TyperGroup):
    """Map every expected failure to one line on stderr and the contract's exit code."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        debug = os.environ.get("FORGE_DEBUG") == "1"
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NoArgsIsHelp as exc:
            sys.stderr.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
            code = 2
        except _ClickException as exc:
            if debug:
                raise
            hint = ""
            context = getattr(exc, "ctx", None)
            if isinstance(exc, _UsageError) and context is not None:
                hint = f" (see '{context.command_path} --help')"
            console.error(exc.format_message() + hint)  # type: ignore[attr-defined]
            code = exc.exit_code  # type: ignore[attr-defined]
        except typer.Abort:
            console.error("aborted")
            code = 130
        except Terminated:
            console.error("terminated")
            code = 143
        except ForgeError as exc:
            if debug:
                raise
            console.error(exc.message)
            code = exc.exit_code
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Group,
    name="forge-scaffold",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Generate production-grade Python services that follow the organisation's standards.",
)


def _version(value: bool) -> None:
    if value:
        console.out(f"forge-scaffold {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Generate production-grade Python services that follow the organisation's standards."""


app.command("new")(new.new)
app.command("modes")(modes.modes)
app.command("check")(check.check)
app.command("suggest")(suggest.suggest)
app.command("status")(status.status)
app.command("update")(update.update)


def main() -> None:
    """Console-script entry point."""
    signals.install()
    app()
