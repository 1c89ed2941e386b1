"""Carry a user's edits along when the template renames or moves a file between releases.

Copier's `_migrations` run arbitrary commands, so they need `--trust`; and `copier update`
deletes a file the new version no longer produces even when the user edited it. So the template
declares its moves in `template_renames.yml` (beside copier.yml, committed with every release),
and after Copier's update forge-scaffold three-way merges the user's copy of the old path
(ours), the old version's render of it (base) and the new version's file at the new path (theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_scaffold._git import git, merge_file
from forge_scaffold.update.cache import RENAMES_FILE
from forge_scaffold.update.history import Version, parse_version

__all__ = ["Move", "carry_edits", "renames_between"]

# The labels Copier itself writes around an update conflict, so every marker reads the same.
_LABELS = ("before updating", "last update", "after updating")


@dataclass(frozen=True, slots=True)
class Move:
    """A template file that moved: where the user's copy was, where it is now, and how it went."""

    old: str
    new: str
    conflicted: bool


def _load(repo: Path, tag: str) -> dict[str, Any]:
    import yaml  # noqa: PLC0415 - keep --help fast

    text = git(repo, "show", f"{tag}:{RENAMES_FILE}", check=False)
    table = yaml.safe_load(text) if text else None
    renames = table.get("renames") if isinstance(table, dict) else None
    return renames if isinstance(renames, dict) else {}


def _project_path(template_path: str, package: str) -> str:
    return template_path.replace("{{ package_name }}", package).replace("{{package_name}}", package)


def renames_between(repo: Path, current: str, target: str, package: str) -> dict[str, str]:
    """Old path -> new path for every move after `current` up to `target`, chains composed."""
    low, high = Version(current), Version(target)
    steps = sorted(
        (version, moves)
        for key, moves in _load(repo, target).items()
        if (version := parse_version(str(key))) and low < version <= high
    )
    mapping: dict[str, str] = {}
    for _, moves in steps:
        for raw_old, raw_new in dict(moves).items():
            old, new = _project_path(str(raw_old), package), _project_path(str(raw_new), package)
            chained = [start for start, now in mapping.items() if now == old]
            for start in chained:
                mapping[start] = new
            if not chained:
                mapping[old] = new
    return {old: new for old, new in mapping.items() if old != new}


def carry_edits(
    renames: dict[str, str], user: Path, base: Path, updated: Path, head: set[str]
) -> list[Move]:
    """Apply each move to the updated tree: the user's edits (or deletion) follow the file.

    `user` is the project as committed (its files `head`), `base` the old version's render,
    `updated` the project after Copier's update (which deleted the old path and wrote the new one).
    """
    moves: list[Move] = []
    for old, new in renames.items():
        if not (base / old).is_file() or new in head:
            continue  # not a file the template made here, or the user already owns the new path
        target = updated / new
        if old not in head:
            # The user deleted the file: it stays deleted under its new name.
            if target.is_file():
                target.unlink()
            continue
        ours = user / old
        if ours.read_bytes() == (base / old).read_bytes() or not target.is_file():
            continue  # unedited: Copier's delete-and-create is already right
        merged, conflicted = merge_file(ours, base / old, target, _LABELS)
        target.write_bytes(merged)
        (updated / old).unlink(missing_ok=True)
        moves.append(Move(old, new, conflicted))
    return moves
