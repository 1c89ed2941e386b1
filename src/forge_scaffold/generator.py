"""The one module that drives Copier: render a project into a staging folder, then move it in place.

Copier is slow to import (0.3-0.45 s), so it is imported only inside these functions, and only
commands that render a template import this module.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_scaffold.cache import TemplateRelease, git
from forge_scaffold.errors import ForgeError, Interrupted, UsageError

__all__ = ["Rendered", "initialise_git", "render_project", "render_release", "update_project"]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a render produced (or, with pretend, would produce)."""

    destination: Path
    answers: dict[str, Any]
    files: tuple[str, ...]


def _copier_error(exc: Exception) -> ForgeError:
    """Copier reports a bad answer as ValueError and a bad state as UserMessageError."""
    return UsageError(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _walk(root: Path) -> tuple[str, ...]:
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if relative.parts[0] == ".git" or path.is_dir():
            continue
        found.append(relative.as_posix())
    return tuple(sorted(found))


def _missing_parents(path: Path) -> list[Path]:
    missing = []
    for parent in path.parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing


def render_project(
    release: TemplateRelease,
    destination: Path,
    data: dict[str, Any],
    *,
    defaults: bool,
    user_defaults: dict[str, Any] | None = None,
    pretend: bool = False,
    questions: tuple[str, ...] = (),
) -> Rendered:
    """Render into a staging folder beside `destination`, then rename it into place.

    Either the whole project appears at `destination` or nothing does: a failure (bad answer,
    interrupted prompt, full disk) removes the staging folder and any parent folders it created.
    """
    from copier import run_copy  # noqa: PLC0415 - slow import, only when rendering
    from copier.errors import CopierError  # noqa: PLC0415

    def copy(target: Path) -> dict[str, Any]:
        worker = run_copy(
            str(release.repo),
            target,
            vcs_ref=release.tag,
            data=data,
            user_defaults=user_defaults or {},
            defaults=defaults,
            pretend=pretend,
            quiet=True,
            overwrite=True,
        )
        answers = worker.answers.combined
        return {key: answers[key] for key in questions if key in answers}

    if pretend:
        try:
            return Rendered(destination, copy(destination), ())
        except (ValueError, CopierError) as exc:
            raise _copier_error(exc) from exc

    created_parents = _missing_parents(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        answers = copy(staging)
        staging.chmod(0o777 & ~_umask())  # mkdtemp made it private; the project is not
        if destination.is_dir():
            destination.rmdir()  # empty: checked by the caller before rendering
        staging.rename(destination)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in created_parents:
            shutil.rmtree(parent, ignore_errors=True)
        if isinstance(exc, KeyboardInterrupt):  # Copier's answers interrupt is one too
            raise Interrupted(f"interrupted: nothing was written to {destination}") from exc
        if isinstance(exc, ValueError | CopierError):
            raise _copier_error(exc) from exc
        raise
    return Rendered(destination, answers, _walk(destination))


def initialise_git(project: Path, message: str, author: tuple[str, str]) -> None:
    """Make the project a git repository with one commit, so `copier update` works later.

    The user's own git identity signs the commit; the answers' author stands in when git has none.
    """
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    identity: list[str] = []
    if not git(project, "config", "--get", "user.email", check=False):
        identity = ["-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}"]
    git(project, *identity, "commit", "-q", "--no-verify", "-m", message)


def render_release(release: TemplateRelease, destination: Path, answers: dict[str, Any]) -> None:
    """Render one template version with recorded answers into a scratch folder (no prompts).

    `status` and `update` compare a project with this render to find the user's own edits.
    """
    from copier import run_copy  # noqa: PLC0415 - slow import, only when rendering
    from copier.errors import CopierError  # noqa: PLC0415

    try:
        run_copy(
            str(release.repo),
            destination,
            vcs_ref=release.tag,
            data=answers,
            defaults=True,
            overwrite=True,
            quiet=True,
        )
    except (ValueError, CopierError) as exc:
        raise _copier_error(exc) from exc


def update_project(project: Path, tag: str, data: dict[str, Any]) -> None:
    """`copier update` of a clean git project to `tag`, changing the answers in `data`.

    Safe settings only: no `--trust` (templates cannot run code), conflicts inline.
    """
    from copier import run_update  # noqa: PLC0415 - slow import, only when updating
    from copier.errors import CopierError  # noqa: PLC0415

    try:
        run_update(
            project,
            data=data,
            overwrite=True,
            defaults=True,
            unsafe=False,
            vcs_ref=tag,
            conflict="inline",
            quiet=True,
        )
    except (ValueError, CopierError) as exc:
        raise _copier_error(exc) from exc
