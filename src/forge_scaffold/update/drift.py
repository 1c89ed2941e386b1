"""Which template-owned files a user changed: the project against a fresh render of its version."""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forge_scaffold._git import git
from forge_scaffold.errors import ProjectError
from forge_scaffold.update.answers import ANSWERS_FILE, GeneratedProject
from forge_scaffold.update.cache import TemplateRelease

__all__ = ["Drift", "base_render", "compare", "template_files", "template_lines"]


@dataclass(frozen=True, slots=True)
class Drift:
    """Template-owned files the user edited, and those the user deleted."""

    modified: tuple[str, ...]
    deleted: tuple[str, ...]


def template_files(base: Path) -> list[str]:
    """Files of a render, relative and sorted (the answers file is Copier's, not the user's)."""
    return sorted(
        path.relative_to(base).as_posix()
        for path in base.rglob("*")
        if (path.is_file() or path.is_symlink())
        and ".git" not in path.relative_to(base).parts
        and path.relative_to(base).as_posix() != ANSWERS_FILE
    )


def compare(project_root: Path, base: Path) -> Drift:
    """Compare every file of the base render with the project's copy, byte for byte."""
    modified: list[str] = []
    deleted: list[str] = []
    for relative in template_files(base):
        mine = project_root / relative
        if not mine.is_file():
            deleted.append(relative)
        elif mine.read_bytes() != (base / relative).read_bytes():
            modified.append(relative)
    return Drift(tuple(modified), tuple(deleted))


def template_lines(
    project_root: Path, base: Path, suffix: str = ".py"
) -> dict[str, frozenset[int]]:
    """Per template-owned file (its path relative to the project, as `template_files` gives it),
    the project's line numbers (from 1) that are still the template's own: every line of an
    untouched file, the unchanged lines of an edited one. Lines the user added or changed are
    absent."""
    owned: dict[str, frozenset[int]] = {}
    for relative in template_files(base):
        mine = project_root / relative
        if not relative.endswith(suffix) or not mine.is_file():
            continue
        theirs = (base / relative).read_bytes().splitlines()
        ours = mine.read_bytes().splitlines()
        matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
        owned[relative] = frozenset(
            line + 1
            for tag, _, _, start, end in matcher.get_opcodes()
            if tag == "equal"
            for line in range(start, end)
        )
    return owned


@contextmanager
def base_render(project: GeneratedProject, repo: Path) -> Iterator[Path]:
    """Render the project's recorded template version with its recorded answers, in a temp dir."""
    if not git(repo, "rev-parse", "--verify", "-q", f"{project.commit}^{{commit}}", check=False):
        raise ProjectError(
            f"{project.root} was generated from template {project.commit}, which this "
            "installation does not know: install a forge-scaffold release that includes it"
        )
    from forge_scaffold.generator import render_release  # noqa: PLC0415 - imports copier

    with tempfile.TemporaryDirectory(prefix="forge-base-") as scratch:
        destination = Path(scratch) / "base"
        render_release(TemplateRelease(repo, project.commit), destination, project.answers)
        yield destination
