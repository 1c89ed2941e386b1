"""A project generated from the template: its recorded answers and the state of its git tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_scaffold.cache import git
from forge_scaffold.errors import ProjectError

__all__ = ["ANSWERS_FILE", "GeneratedProject", "dirty_paths", "load_project"]

ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True, slots=True)
class GeneratedProject:
    """What `.copier-answers.yml` records: the template commit, its source, and the answers."""

    root: Path
    commit: str
    src_path: str
    answers: dict[str, Any]

    @property
    def modes(self) -> list[str]:
        return [str(mode) for mode in self.answers.get("expert_modes", ["python"])]

    @property
    def package(self) -> str:
        return str(self.answers.get("package_name", ""))


def load_project(path: Path) -> GeneratedProject:
    """Read the answers file; anything else than a generated project is a ProjectError."""
    import yaml  # noqa: PLC0415 - keep --help fast

    root = path.resolve()
    if not root.is_dir():
        raise ProjectError(f"{path} is not a directory: give the path of a generated project")
    answers_path = root / ANSWERS_FILE
    if not answers_path.is_file():
        raise ProjectError(
            f"{path} is not a generated project (no {ANSWERS_FILE}): "
            "run this inside a project made by `forge-scaffold new` or `copier copy`"
        )
    try:
        recorded = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {answers_path}: {exc}") from exc
    if not isinstance(recorded, dict) or not recorded.get("_commit"):
        raise ProjectError(
            f"{answers_path} records no template version (_commit): the project was copied from "
            "a plain folder; re-create it with `forge-scaffold new` to make it updatable"
        )
    answers = {str(k): v for k, v in recorded.items() if not str(k).startswith("_")}
    return GeneratedProject(
        root, str(recorded["_commit"]), str(recorded.get("_src_path", "")), answers
    )


def dirty_paths(root: Path) -> list[str]:
    """Changed, staged or untracked paths (Copier's update needs none); ProjectError if not git."""
    if git(root, "rev-parse", "--is-inside-work-tree", check=False) != "true":
        raise ProjectError(
            f"{root} is not a git repository: run `git init && git add -A && git commit -m "
            "'Generated project'` first, so the update can show you what it changed"
        )
    if not git(root, "rev-parse", "--verify", "-q", "HEAD", check=False):
        raise ProjectError(f"{root} has no commit yet: commit the project first")
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    # Two status letters, then the path (git() strips the first line's leading blank).
    return [line[2:].strip() for line in status.splitlines() if line.strip()]
