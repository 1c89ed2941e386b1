"""The one reader (and writer) of `.copier-answers.yml`: a generated project's recorded answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_scaffold.errors import ProjectError
from forge_scaffold.vocabulary import CORE_MODE

__all__ = ["ANSWERS_FILE", "GeneratedProject", "load_project", "read_answers", "record_src_path"]

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
        return [str(mode) for mode in self.answers.get("expert_modes", [CORE_MODE])]

    @property
    def package(self) -> str:
        return str(self.answers.get("package_name", ""))


def read_answers(path: Path) -> dict[str, Any]:
    """The answers file's mapping ({} when it holds something else); ProjectError if unreadable."""
    import yaml  # noqa: PLC0415 - keep --help fast

    try:
        recorded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {path}: {exc}") from exc
    return {str(k): v for k, v in recorded.items()} if isinstance(recorded, dict) else {}


def load_project(path: Path) -> GeneratedProject:
    """Read the answers file; anything else than a generated project is a ProjectError."""
    root = path.resolve()
    if not root.is_dir():
        raise ProjectError(f"{path} is not a directory: give the path of a generated project")
    answers_path = root / ANSWERS_FILE
    if not answers_path.is_file():
        raise ProjectError(
            f"{path} is not a generated project (no {ANSWERS_FILE}): "
            "run this inside a project made by `forge-scaffold new` or `copier copy`"
        )
    recorded = read_answers(answers_path)
    if not recorded.get("_commit"):
        raise ProjectError(
            f"{answers_path} records no template version (_commit): the project was copied from "
            "a plain folder; re-create it with `forge-scaffold new` to make it updatable"
        )
    answers = {k: v for k, v in recorded.items() if not k.startswith("_")}
    return GeneratedProject(
        root, str(recorded["_commit"]), str(recorded.get("_src_path", "")), answers
    )


def record_src_path(root: Path, repo: Path) -> None:
    """Point the project's `_src_path` at `repo`, leaving every other line as it is."""
    import yaml  # noqa: PLC0415 - keep --help fast

    answers = root / ANSWERS_FILE
    line = yaml.safe_dump({"_src_path": str(repo)}, default_flow_style=False).strip()
    lines = answers.read_text(encoding="utf-8").splitlines()
    lines = [line if old.startswith("_src_path:") else old for old in lines]
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
