"""`forge-scaffold new`: generate a service from the bundled template, offline."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forge_scaffold import __version__, console
from forge_scaffold.errors import DestinationError, UsageError

if TYPE_CHECKING:
    from forge_scaffold.catalog import Catalog

__all__ = ["new"]


def parse_data(pairs: list[str], catalog: Catalog) -> dict[str, str]:
    """`KEY=VALUE` pairs for the template's questions; anything else is bad usage."""
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(
                f"--data {pair!r} is not KEY=VALUE: write e.g. --data author_name='Team'"
            )
        if key == "expert_modes":
            raise UsageError(
                "choose modes with --mode (e.g. --mode async --mode memory), not --data"
            )
        if key not in catalog.questions:
            known = ", ".join(q for q in catalog.questions if q != "expert_modes")
            raise UsageError(f"--data key {key!r} is not a template question: use one of {known}")
        answers[key] = value
    return answers


def check_destination(destination: Path) -> None:
    """Refuse anything but a missing or empty directory that can be created or written."""
    if destination.exists() and not destination.is_dir():
        raise DestinationError(f"{destination} exists and is not a directory: choose a new path")
    if destination.is_dir():
        try:
            entries = sum(1 for _ in destination.iterdir())
        except OSError as exc:
            raise DestinationError(f"cannot read {destination}: {exc.strerror}") from exc
        if entries:
            raise DestinationError(
                f"{destination} is not empty ({entries} entries): choose a new or empty directory"
            )
    anchor = destination if destination.exists() else destination.parent
    while not anchor.exists():
        anchor = anchor.parent
    if not anchor.is_dir():
        raise DestinationError(f"cannot create {destination}: {anchor} is not a directory")
    if not os.access(anchor, os.W_OK | os.X_OK):
        raise DestinationError(f"cannot create {destination}: {anchor} is not writable")


def new(
    destination: Annotated[
        Path, typer.Argument(help="Directory to create (must be new or empty).")
    ],
    mode: Annotated[
        list[str] | None,
        typer.Option("--mode", "-m", help="Expert mode to add (repeat). python is always on."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Project name (default: the directory's name).")
    ] = None,
    data: Annotated[
        list[str] | None, typer.Option("--data", "-d", help="Answer KEY=VALUE (repeat).")
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Ask nothing; use defaults for unanswered questions.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; list what would be written.")
    ] = False,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not make the project a git repository.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Generate a new service that follows the standards of the chosen expert modes."""
    from forge_scaffold.catalog import load_catalog  # noqa: PLC0415 - keep --help fast

    catalog = load_catalog()
    modes = catalog.normalise(mode or [])
    answers: dict[str, Any] = dict(parse_data(data or [], catalog))
    interactive = not (defaults or as_json) and sys.stdin.isatty() and sys.stdout.isatty()
    fallback_name = destination.resolve().name
    user_defaults: dict[str, Any] = {}
    if name is not None:
        answers["project_name"] = name
    elif "project_name" not in answers:
        (user_defaults if interactive else answers)["project_name"] = fallback_name
    if mode or not interactive:
        answers["expert_modes"] = modes
    check_destination(destination)

    from forge_scaffold.cache import ensure_release  # noqa: PLC0415 - keep --help fast
    from forge_scaffold.generator import initialise_git, render_project  # noqa: PLC0415
    from forge_scaffold.resources import template_root  # noqa: PLC0415

    release = ensure_release(template_root(), __version__)
    if not as_json:
        console.progress(f"Generating {destination} from template {release.tag} ...")
    try:
        rendered = render_project(
            release,
            destination,
            answers,
            user_defaults=user_defaults,
            defaults=not interactive,
            pretend=dry_run,
            questions=catalog.questions,
        )
    except OSError as exc:
        raise DestinationError(f"cannot write {destination}: {exc.strerror or exc}") from exc
    chosen = list(rendered.answers.get("expert_modes", modes))
    files = (
        catalog.files_for(chosen, str(rendered.answers["package_name"]))
        if dry_run
        else list(rendered.files)
    )
    use_git = not (dry_run or no_git)
    if use_git:
        try:
            initialise_git(
                destination,
                f"Generate {rendered.answers['project_name']} with forge-scaffold {__version__}",
                (str(rendered.answers["author_name"]), str(rendered.answers["author_email"])),
            )
        except Exception:
            import shutil  # noqa: PLC0415

            shutil.rmtree(destination, ignore_errors=True)
            raise
    _report(
        destination, rendered.answers, chosen, files, dry_run=dry_run, git=use_git, as_json=as_json
    )


def _report(
    destination: Path,
    answers: dict[str, Any],
    modes: list[str],
    files: list[str],
    *,
    dry_run: bool,
    git: bool,
    as_json: bool,
) -> None:
    if as_json:
        console.emit_json(
            {
                "destination": str(destination.resolve()),
                "dry_run": dry_run,
                "git": git,
                "modes": modes,
                "answers": answers,
                "files": files,
                "template_version": __version__,
            }
        )
        return
    if dry_run:
        console.out(f"Would create {destination} ({', '.join(modes)}) with {len(files)} files:")
        for file in files:
            console.out(f"  {file}")
        return
    console.out(f"Created {destination}: {len(files)} files, modes {', '.join(modes)}")
    console.out("Next:")
    console.out(f"  cd {destination}")
    console.out("  uv sync")
    console.out("  uv run pytest")
    console.out(f"  uv run python -m {answers['package_name']}")
