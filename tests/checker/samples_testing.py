"""FS4xx samples: code each rule must flag (with the lines) and compliant code it must pass."""

from __future__ import annotations

import pytest

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
