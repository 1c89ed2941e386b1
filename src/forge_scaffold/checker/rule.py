"""What a rule states about itself: the standard, why it matters, the fix, where it is an error."""

from __future__ import annotations

import ast
import inspect
from typing import ClassVar

from forge_scaffold.checker.findings import Severity
from forge_scaffold.checker.walker import Context, Listener
from forge_scaffold.vocabulary import CORE_MODE, MODE_NAMES
from forge_scaffold.vocabulary import ModeName as Mode

__all__ = ["EVERY_PROJECT", "MODES", "Mode", "ProjectRule", "Rule"]

MODES: tuple[Mode, ...] = MODE_NAMES
# The core mode is on in every project, so a rule that is an error there is an error everywhere.
EVERY_PROJECT: frozenset[Mode] = frozenset({CORE_MODE})


class Rule(Listener):
    """A standard the checker enforces. Subclasses are named by their code; the docstring says why.

    One instance checks the files of one run (`begin` resets per-file state); it reports through
    `report`, and the engine decides the severity from the active modes of the file's project.
    """

    code: ClassVar[str]
    title: ClassVar[str]
    standard: ClassVar[str]  # quoted from the standards document
    fix: ClassVar[str]
    ruff: ClassVar[tuple[str, ...]] = ()  # ruff rules that overlap, where one exists
    error_in: ClassVar[frozenset[Mode]] = EVERY_PROJECT

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith("FS"):
            cls.code = cls.__name__

    @classmethod
    def rationale(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def severity(cls, modes: frozenset[str]) -> Severity:
        return Severity.ERROR if cls.error_in & modes else Severity.WARNING

    def report(self, ctx: Context, node: ast.AST, message: str, fix: str | None = None) -> None:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        ctx.raw.append((line, col, self.code, message, fix or self.fix))


class ProjectRule(Rule):
    """A fact about a whole project, judged only at a project root (a folder with pyproject.toml).

    Each file is asked whether it shows the fact (`observe`); when no file of the project does,
    the rule reports `missing` at the project's pyproject.toml.
    """

    missing: ClassVar[str]

    @classmethod
    def observe(cls, ctx: Context, is_test: bool) -> bool:
        raise NotImplementedError
