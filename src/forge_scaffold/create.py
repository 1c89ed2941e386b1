"""Create a new project: the answers, the destination checks, and a staging folder made complete
(files, git repository, first commit) before one rename turns it into the destination.

A staging folder is named after the destination and the process that owns it, so a later run can
remove the ones whose process was killed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forge_scaffold import scratch, signals
from forge_scaffold._git import git
from forge_scaffold.catalog import Catalog
from forge_scaffold.errors import DestinationError, ForgeError, UsageError
from forge_scaffold.update.cache import TemplateRelease

__all__ = [
    "NewAnswers",
    "Rendered",
    "assemble_answers",
    "check_destination",
    "create_project",
    "initialise_git",
    "parse_data",
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


@dataclass(slots=True)
class NewAnswers:
    """Answers for Copier: given ones, defaults a prompt offers, and the chosen modes."""

    answers: dict[str, Any] = field(default_factory=dict)
    user_defaults: dict[str, Any] = field(default_factory=dict)
    modes: list[str] = field(default_factory=list)


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


def assemble_answers(
    catalog: Catalog,
    destination: Path,
    *,
    modes: list[str],
    name: str | None,
    data: list[str],
    interactive: bool,
) -> NewAnswers:
    """The answers `new` gives Copier: --data, --name (else the folder's name), and --mode.

    With a terminal, the folder's name is only the prompt's default and the mode question is
    asked unless --mode was given; without one, both are answered.
    """
    chosen = catalog.normalise(modes)
    result = NewAnswers(dict(parse_data(data, catalog)), {}, chosen)
    if name is not None:
        result.answers["project_name"] = name
    elif "project_name" not in result.answers:
        target = result.user_defaults if interactive else result.answers
        target["project_name"] = destination.resolve().name
    if modes or not interactive:
        result.answers["expert_modes"] = chosen
    return result


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
