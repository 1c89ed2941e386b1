"""Create a new project: the destination checks, and a staging folder made complete
(files, git repository, first commit) before one rename turns it into the destination.

A staging folder is named after the destination and the process that owns it, so a later run can
remove the ones whose process was killed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_scaffold import scratch, signals
from forge_scaffold._git import git
from forge_scaffold.errors import DestinationError, ForgeError
from forge_scaffold.new_request import NewAnswers
from forge_scaffold.update.cache import TemplateRelease

__all__ = [
    "Rendered",
    "create_project",
    "initialise_git",
    "preview_project",
    "sweep_staging",
]

_STAGING = ".{name}.forge-new-{pid}-"
_STAGING_PATTERN = re.compile(r"^\..+\.forge-new-(?P<pid>\d+)-[^/]+$")


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a render produced (or, with pretend, would produce)."""

    destination: Path
    answers: dict[str, Any]
    files: tuple[str, ...]


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


def sweep_staging(parent: Path) -> list[Path]:
    """Remove staging folders in `parent` whose process is gone; return them."""
    removed = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _STAGING_PATTERN.match(entry.name)
        if match and entry.is_dir() and not scratch.alive(int(match["pid"])):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


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


def _failure(exc: BaseException, destination: Path) -> BaseException:
    """What a failure inside the staging folder becomes once it is removed."""
    from forge_scaffold.generator import copier_failure  # noqa: PLC0415 - imports copier

    interrupted = signals.as_interrupted(exc, f"nothing was written to {destination}")
    if interrupted is not None:
        return interrupted
    if isinstance(exc, ForgeError):
        return exc
    mapped = copier_failure(exc)
    if mapped is not None:
        return mapped
    if isinstance(exc, OSError):
        return DestinationError(f"cannot write {destination}: {exc.strerror or exc}")
    return exc


def preview_project(
    release: TemplateRelease,
    destination: Path,
    request: NewAnswers,
    *,
    defaults: bool,
    questions: tuple[str, ...],
) -> Rendered:
    """What `new --dry-run` would write: Copier's pretend mode, nothing on disk."""
    from forge_scaffold.generator import copy_template  # noqa: PLC0415 - imports copier

    try:
        answers = copy_template(
            release,
            destination,
            request.answers,
            defaults=defaults,
            user_defaults=request.user_defaults,
            pretend=True,
            questions=questions,
        )
    except BaseException as exc:
        failure = _failure(exc, destination)
        if failure is exc:
            raise
        raise failure from exc
    return Rendered(destination, answers, ())


def create_project(
    release: TemplateRelease,
    destination: Path,
    request: NewAnswers,
    *,
    defaults: bool,
    questions: tuple[str, ...],
    commit_as: str | None,
) -> Rendered:
    """Render into a staging folder beside `destination`, commit it there, then rename it.

    Either the whole project (git repository and first commit included, unless `commit_as` is
    None) appears at `destination` or nothing does: any failure or signal removes the staging
    folder and the parent folders it created. `commit_as` is forge-scaffold's version, named in
    the first commit's message.
    """
    from forge_scaffold.generator import copy_template  # noqa: PLC0415 - imports copier

    sweep_staging(destination.parent)
    created_parents = _missing_parents(destination)
    prefix = _STAGING.format(name=destination.name, pid=os.getpid())
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=destination.parent))
    except OSError as exc:
        for parent in created_parents:
            shutil.rmtree(parent, ignore_errors=True)
        raise _failure(exc, destination) from exc
    try:
        answers = copy_template(
            release,
            staging,
            request.answers,
            defaults=defaults,
            user_defaults=request.user_defaults,
            questions=questions,
        )
        if commit_as is not None:
            initialise_git(
                staging,
                f"Generate {answers['project_name']} with forge-scaffold {commit_as}",
                (str(answers["author_name"]), str(answers["author_email"])),
            )
        staging.chmod(0o777 & ~_umask())  # mkdtemp made it private; the project is not
        staging.rename(destination)  # replaces an empty destination in one step
    except BaseException as exc:
        with signals.signals_deferred():
            shutil.rmtree(staging, ignore_errors=True)
            for parent in created_parents:
                shutil.rmtree(parent, ignore_errors=True)
        failure = _failure(exc, destination)
        if failure is exc:
            raise
        raise failure from exc
    return Rendered(destination, answers, _walk(destination))
