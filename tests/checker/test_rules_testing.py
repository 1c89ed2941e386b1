"""FS4xx: each rule flags its violating samples, at the right lines, and passes compliant code."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forge_scaffold.checker import CODES

Codes = list[tuple[int, str]]

VIOLATIONS = [
    pytest.param(
        "FS401",
        """
        import pytest
        import pytest_asyncio
        pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
        @pytest.mark.asyncio
        async def test_one(): ...
        @pytest.mark.asyncio(loop_scope="module")
        class TestTwo: ...
        """,
        [2, 3, 4, 6],
        id="pytest-asyncio",
    ),
    pytest.param(
        "FS402",
        """
        import tracemalloc
        def measure():
            baseline = tracemalloc.get_traced_memory()
            current, peak = tracemalloc.get_traced_memory()
            growth = current[0] - baseline[0]
            return peak[0]
        """,
        [5, 6],
        id="indexing-traced-ints",
    ),
]

COMPLIANT = [
    pytest.param(
        "FS401",
        """
        import pytest
        pytestmark = pytest.mark.anyio
        @pytest.mark.anyio
        async def test_one(): ...
        """,
        id="anyio-marker",
    ),
    pytest.param(
        "FS402",
        """
        import tracemalloc
        def measure(rows):
            baseline = tracemalloc.get_traced_memory()
            current, peak = tracemalloc.get_traced_memory()
            return current - baseline[0], peak, rows[0]
        def other(current):
            return current[0]
        """,
        id="ints-compared",
    ),
]


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


def test_every_fs4_rule_has_violating_and_compliant_samples() -> None:
    family = {code for code in CODES if code.startswith("FS4")}
    assert {case.values[0] for case in VIOLATIONS} == family
    assert {case.values[0] for case in COMPLIANT} == family
