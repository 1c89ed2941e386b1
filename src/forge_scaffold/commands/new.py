"""`forge-scaffold new`: generate a service from the bundled template, offline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forge_scaffold import __version__, console

if TYPE_CHECKING:
    from forge_scaffold.create import Rendered
    from forge_scaffold.update.cache import TemplateRelease

__all__ = ["new"]


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
    from forge_scaffold.new_request import assemble_answers, check_destination  # noqa: PLC0415

    catalog = load_catalog()
    interactive = not (defaults or as_json) and sys.stdin.isatty() and sys.stdout.isatty()
    request = assemble_answers(
        catalog, destination, modes=mode or [], name=name, data=data or [], interactive=interactive
    )
    check_destination(destination)

    from forge_scaffold.create import create_project, preview_project  # noqa: PLC0415
    from forge_scaffold.scratch import scratch_space  # noqa: PLC0415
    from forge_scaffold.signals import stopped_means  # noqa: PLC0415
    from forge_scaffold.update.cache_health import CacheDamaged  # noqa: PLC0415
    from forge_scaffold.update.history import installed_release  # noqa: PLC0415

    use_git = not (dry_run or no_git)

    def make(release: TemplateRelease) -> Rendered:
        if dry_run:
            return preview_project(
                release, destination, request, defaults=not interactive, questions=catalog.questions
            )
        return create_project(
            release,
            destination,
            request,
            defaults=not interactive,
            questions=catalog.questions,
            commit_as=__version__ if use_git else None,
        )

    with scratch_space(), stopped_means(lambda: f"nothing was written to {destination}"):
        release = installed_release()
        if not as_json:
            console.progress(f"Generating {destination} from template {release.tag} ...")
        try:
            rendered = make(release)
        except CacheDamaged as exc:
            console.warn(exc.rebuilt_note)
            rendered = make(installed_release(rebuild=True))
    chosen = list(rendered.answers.get("expert_modes", request.modes))
    files = (
        catalog.files_for(chosen, str(rendered.answers["package_name"]))
        if dry_run
        else list(rendered.files)
    )
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
