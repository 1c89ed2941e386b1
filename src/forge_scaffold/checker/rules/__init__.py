"""The catalog: every rule of `forge-scaffold check`, in code order."""

from __future__ import annotations

from forge_scaffold.checker.rule import ProjectRule, Rule
from forge_scaffold.checker.rules.blocking import FS103, FS106
from forge_scaffold.checker.rules.cleanup import FS204, FS205, FS206
from forge_scaffold.checker.rules.concurrency import FS101, FS102, FS104, FS105
from forge_scaffold.checker.rules.deques import FS201
from forge_scaffold.checker.rules.factories import FS302
from forge_scaffold.checker.rules.health import FS304
from forge_scaffold.checker.rules.memory import FS202, FS203
from forge_scaffold.checker.rules.project_facts import FS901, FS902
from forge_scaffold.checker.rules.services import FS301, FS303
from forge_scaffold.checker.rules.syntax import FS000
from forge_scaffold.checker.rules.testing import FS401, FS402

__all__ = ["CATALOG", "CODES", "ProjectRule", "Rule", "rule_for"]

CATALOG: tuple[type[Rule], ...] = (
    FS000,
    FS101, FS102, FS103, FS104, FS105, FS106,
    FS201, FS202, FS203, FS204, FS205, FS206,
    FS301, FS302, FS303, FS304,
    FS401, FS402,
    FS901, FS902,
)  # fmt: skip
CODES: tuple[str, ...] = tuple(rule.code for rule in CATALOG)
_BY_CODE = dict(zip(CODES, CATALOG, strict=True))


def rule_for(code: str) -> type[Rule]:
    return _BY_CODE[code]
