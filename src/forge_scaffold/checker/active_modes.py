"""The active expert modes of the project a file belongs to, read from its `.copier-answers.yml`."""

from __future__ import annotations

from pathlib import Path, PurePath

from forge_scaffold.checker.rule import MODES
from forge_scaffold.errors import ProjectError
from forge_scaffold.update.answers import ANSWERS_FILE, read_answers
from forge_scaffold.vocabulary import CORE_MODE

__all__ = ["ANSWERS_FILE", "DEFAULT_MODES", "ProjectModes"]

DEFAULT_MODES: frozenset[str] = frozenset({CORE_MODE})
_PROJECT_MARKERS = (ANSWERS_FILE, "pyproject.toml")


class ProjectModes:
    """Finds each file's project (the nearest folder holding an answers file or pyproject.toml)
    and its modes (`expert_modes` of the answers file, else just `python`); cached per folder."""

    def __init__(self) -> None:
        self._by_folder: dict[PurePath, frozenset[str]] = {}
        self.warnings: list[str] = []

    def for_file(self, path: str) -> frozenset[str]:
        folder = PurePath(path).parent
        modes = self._by_folder.get(folder)
        if modes is None:
            modes = self._by_folder[folder] = self.for_folder(folder)
        return modes

    def for_folder(self, folder: PurePath | str) -> frozenset[str]:
        current = Path(folder).absolute()
        walked: list[PurePath] = []
        modes = DEFAULT_MODES
        while True:
            known = self._by_folder.get(current)
            if known is not None:
                modes = known
                break
            walked.append(current)
            if any((current / marker).is_file() for marker in _PROJECT_MARKERS):
                modes = self._read(current / ANSWERS_FILE)
                break
            if current.parent == current:
                break
            current = current.parent
        for seen in walked:
            self._by_folder[seen] = modes
        return modes

    def _read(self, answers: Path) -> frozenset[str]:
        if not answers.is_file():
            return DEFAULT_MODES
        try:
            data = read_answers(answers)
        except ProjectError as exc:
            cause = exc.__cause__ or exc
            self.warnings.append(
                f"{answers}: unreadable ({cause.__class__.__name__}); assuming mode {CORE_MODE}"
            )
            return DEFAULT_MODES
        chosen = data.get("expert_modes")
        if chosen is None:
            return DEFAULT_MODES
        if not isinstance(chosen, list) or not all(isinstance(mode, str) for mode in chosen):
            self.warnings.append(
                f"{answers}: expert_modes is not a list of names; assuming {CORE_MODE}"
            )
            return DEFAULT_MODES
        unknown = sorted(set(chosen) - set(MODES))
        if unknown:
            self.warnings.append(f"{answers}: unknown expert_modes ignored: {', '.join(unknown)}")
        return DEFAULT_MODES | (set(chosen) & set(MODES))
