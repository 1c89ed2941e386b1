"""What `new` checks before it renders: the --data pairs against the template's questions, the
answers it gives Copier (name, modes), and a destination that can receive a project."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forge_scaffold.catalog import Catalog
from forge_scaffold.errors import DestinationError, UsageError

__all__ = ["NewAnswers", "assemble_answers", "check_destination", "parse_data"]


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
