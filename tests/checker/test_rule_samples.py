"""Every line-level rule is reported at its violating samples' lines and never on compliant code.

The samples live in one data module per rule family (samples_*.py); these three tests run them all.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from checker import samples_concurrency, samples_memory, samples_services, samples_testing
from checker.conftest import Codes
from forge_scaffold.checker import CODES

FAMILIES: dict[str, ModuleType] = {
    "FS1": samples_concurrency,
    "FS2": samples_memory,
    "FS3": samples_services,
    "FS4": samples_testing,
}
VIOLATIONS = [case for module in FAMILIES.values() for case in module.VIOLATIONS]
COMPLIANT = [case for module in FAMILIES.values() for case in module.COMPLIANT]


@pytest.mark.parametrize(("code", "source", "lines"), VIOLATIONS)
def test_violation_is_reported_at_its_lines(
    codes_in: Callable[..., Codes], code: str, source: str, lines: list[int]
) -> None:
    assert [line for line, found in codes_in(source, select=code) if found == code] == lines


@pytest.mark.parametrize(("code", "source"), COMPLIANT)
def test_compliant_code_is_not_reported(
    codes_in: Callable[..., Codes], code: str, source: str
) -> None:
    assert codes_in(source, select=code) == []


@pytest.mark.parametrize(("prefix", "module"), FAMILIES.items(), ids=list(FAMILIES))
def test_every_rule_of_a_family_has_violating_and_compliant_samples(
    prefix: str, module: ModuleType
) -> None:
    family = {code for code in CODES if code.startswith(prefix)}
    assert {case.values[0] for case in module.VIOLATIONS} == family
    assert {case.values[0] for case in module.COMPLIANT} == family
