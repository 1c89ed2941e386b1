"""One sample per defect of the standards document's code samples (its DEFECTS list), written in
our own code: each is reported by the rule that catches it, at the defect's lines, and by no other.

Defects no parser can see are listed in NOT_PARSER_VISIBLE with the reason, so the list stays whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checker.conftest import Codes
from forge_scaffold.checker import check_paths

DEFECTS = [
    pytest.param(
        """
        def add_plugin_folder(folder: str) -> None:
            if folder not in sys.path:  # `sys` never imported, as in the document
                sys.path.insert(0, folder)
        """,
        [(3, "FS303")],
        id="setup_project_paths-sys.path-mutated",
    ),
    pytest.param(
        """
        def load_rows(rows: list[dict[str, int]], cap: int) -> list[dict[str, int]]:
            if len(rows) > cap:
                raise MemoryError(f"{len(rows)} rows over {cap}")
            return rows
        """,
        [(3, "FS204")],
        id="process_data-MemoryError-for-a-limit",
    ),
    pytest.param(
        """
        import asyncio

        class ConnectionPool:
            def __init__(self, size: int) -> None:
                self._free = asyncio.Queue(maxsize=size)
                self._guard = asyncio.Lock()

            async def _open(self) -> dict[str, float]:
                return {"opened": asyncio.get_event_loop().time()}
        """,
        [(5, "FS105"), (6, "FS105"), (9, "FS102")],
        id="AsyncResourcePool-asyncio-primitives-and-get_event_loop",
    ),
    pytest.param(
        """
        import asyncio
        import logging
        from collections import deque

        log = logging.getLogger(__name__)

        class EventWindow:
            def __init__(self, size: int) -> None:
                self._events: deque[bytes] = deque(maxlen=size)
                self._since = asyncio.get_event_loop().time()

            def newest(self, count: int) -> list[bytes]:
                return list(self._events)[:count]

            def __del__(self) -> None:
                self._events.clear()
                log.info("window released")
        """,
        [(10, "FS102"), (13, "FS206"), (15, "FS205")],
        id="MemorySafeBuffer-loop-clock-whole-copy-__del__",
    ),
    pytest.param(
        """
        import tracemalloc

        import pytest

        @pytest.fixture
        async def traced():
            tracemalloc.start()
            before, _ = tracemalloc.get_traced_memory()
            yield
            after, _ = tracemalloc.get_traced_memory()
            assert after[0] - before[0] < 1_000_000

        @pytest.mark.asyncio
        async def test_ingest(traced):
            pass
        """,
        [(11, "FS402"), (11, "FS402"), (13, "FS401")],
        id="memory_tracked_session-int-indexed-and-no-anyio-plugin",
    ),
    pytest.param(
        """
        import pytest
        from fastapi.testclient import TestClient

        from orders.api import build_app

        @pytest.mark.anyio
        async def test_override_is_isolated():
            client = TestClient(build_app())
            assert client.get("/health").status_code == 200
        """,
        [(8, "FS106"), (9, "FS106")],
        id="test_dependency_injection_isolation-sync-client-in-async-test",
    ),
    pytest.param(
        """
        import asyncio

        class BillingService:
            def __init__(self) -> None:
                self._started = asyncio.get_event_loop().time()

            async def get_health(self) -> dict[str, object]:
                return {"status": "ok", "uptime": asyncio.get_event_loop().time() - self._started}
        """,
        [(5, "FS102"), (8, "FS102"), (8, "FS304")],
        id="ProcessingService-loop-clock-uptime-and-hard-coded-health",
    ),
    pytest.param(
        """
        import asyncio

        async def refresh_all(sources):
            jobs = [asyncio.create_task(source.refresh()) for source in sources]
            return await asyncio.gather(*jobs)
        """,
        [(4, "FS101"), (5, "FS101")],
        id="samples-overall-asyncio-task-api",
    ),
    pytest.param(
        """
        from collections import deque

        recent = deque()
        """,
        [(3, "FS201")],
        id="automatic-recognition-unbounded-deque",
    ),
]

NOT_PARSER_VISIBLE = {
    "AsyncResourcePool: acquire waits forever; no close(); partial init leaks": (
        "behaviour over time, judged by the template's own tests (tests/test_pool.py)"
    ),
    "MemorySafeBuffer: maxlen evicts silently so the byte counter drifts": "accounting logic",
    "test_dependency_injection_isolation: imports a placeholder module": "an ImportError",
    "ProcessingService: counts a request before validating it": "order of domain statements",
    "validate_expert_output: judges code by searching strings": "the checker itself is the fix",
}


@pytest.mark.parametrize(("source", "expected"), DEFECTS)
def test_each_defect_is_reported_by_the_rule_that_catches_it(
    codes_in: Callable[..., Codes], source: str, expected: Codes
) -> None:
    assert sorted(codes_in(source)) == sorted(expected)


def test_every_defect_is_accounted_for() -> None:
    assert len(DEFECTS) + len(NOT_PARSER_VISIBLE) == 14


def test_a_leak_test_counts_as_memory_profiling(
    write_tree: Callable[[dict[str, str]], Path],
) -> None:
    root = write_tree(
        {
            "pyproject.toml": "",
            "tests/test_memory.py": """
                import tracemalloc

                def test_steady():
                    tracemalloc.start()
                    first = tracemalloc.take_snapshot()
                    second = tracemalloc.take_snapshot()
                    assert sum(s.size_diff for s in second.compare_to(first, "filename")) < 10_000
                """,
        }
    )
    codes = {finding.code for finding in check_paths([root]).findings}
    assert "FS902" not in codes
    assert "FS901" in codes
