"""The standards document's own code samples, extracted at test time, are flagged for each defect
DEFECTS.md lists that a parser can see, and for nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forge_scaffold.checker import check_paths, check_source

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"
FENCED_PYTHON = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _sample(marker: str) -> str:
    """The one ```python block of the standards document that contains `marker`."""
    text = (SEED / "coding-expert-persona.md").read_text(encoding="utf-8")
    [block] = [block for block in FENCED_PYTHON.findall(text) if marker in block]
    return str(block)


def _lines(block: str, text: str) -> list[int]:
    """1-based numbers of the lines of `block` that contain `text`."""
    return [number for number, line in enumerate(block.splitlines(), 1) if text in line]


def _found(block: str) -> list[tuple[int, str]]:
    return sorted((line, code) for line, _col, code, _msg, _fix in check_source(block).findings)


def test_the_samples_are_all_found() -> None:
    text = (SEED / "coding-expert-persona.md").read_text(encoding="utf-8")
    assert len(FENCED_PYTHON.findall(text)) == 9


def test_setup_project_paths_and_process_data() -> None:
    block = _sample("def setup_project_paths")
    assert _found(block) == sorted(
        [(line, "FS303") for line in _lines(block, "sys.path.insert")]  # sys.path mutated
        + [(line, "FS204") for line in _lines(block, "raise MemoryError")]  # for a limit
    )


def test_async_resource_pool() -> None:
    block = _sample("class AsyncResourcePool")
    # asyncio.Queue(maxsize=pool_size) is bounded: FS202 must stay quiet, FS105 names anyio's.
    assert _found(block) == sorted(
        [(line, "FS105") for line in _lines(block, "asyncio.Queue(maxsize=pool_size)")]
        + [(line, "FS105") for line in _lines(block, "asyncio.Lock()")]
        + [(line, "FS105") for line in _lines(block, "await asyncio.sleep(0.01)")]
        + [(line, "FS102") for line in _lines(block, "asyncio.get_event_loop()")]
    )


def test_memory_safe_buffer() -> None:
    block = _sample("class MemorySafeBuffer")
    # deque(maxlen=max_items) is bounded: FS201 must stay quiet.
    assert _found(block) == sorted(
        [(line, "FS102") for line in _lines(block, "asyncio.get_event_loop().time()")]
        + [(line, "FS206") for line in _lines(block, "list(self._buffer)[:limit]")]
        + [(line, "FS205") for line in _lines(block, "def __del__")]
    )


def test_testing_samples() -> None:
    block = _sample("def memory_tracked_session")
    assert _found(block) == sorted(
        [(line, "FS402") for line in _lines(block, "current[0]")]  # current is an int
        + [(line, "FS402") for line in _lines(block, "peak[0]")]
        + [(line, "FS401") for line in _lines(block, "@pytest.mark.asyncio")]
        + [(line, "FS105") for line in _lines(block, "asyncio.Lock()")]
        + [(line, "FS105") for line in _lines(block, "await asyncio.sleep(")]
        + [(line, "FS101") for line in _lines(block, "asyncio.gather(")]
        + [(line, "FS106") for line in _lines(block, "TestClient(app)")]  # sync client, async test
    )
    assert len(_lines(block, "@pytest.mark.asyncio")) == 3


def test_processing_service() -> None:
    block = _sample("class ProcessingService")
    # Its __init__ only stores what create() built: FS302 must stay quiet.
    assert _found(block) == sorted(
        [(line, "FS102") for line in _lines(block, "asyncio.get_event_loop()")]
        + [(line, "FS304") for line in _lines(block, '"status": "healthy"')]
    )
    assert len(_lines(block, "asyncio.get_event_loop()")) == 4


def test_the_unbounded_deque_the_document_itself_warns_about() -> None:
    block = _sample("# Unbounded!")
    assert _found(block) == [(line, "FS201") for line in _lines(block, "deque()  # Unbounded!")]


@pytest.mark.parametrize(
    "marker", ["def evaluate_coding_excellence", "def recognize_expertise_pattern"]
)
def test_samples_without_a_parser_visible_defect_are_clean(marker: str) -> None:
    assert _found(_sample(marker)) == []


def test_the_testing_sample_counts_as_a_memory_profiling_test(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_memory.py").write_text(_sample("def memory_tracked_session"))
    codes = {finding.code for finding in check_paths([tmp_path]).findings}
    assert "FS902" not in codes
    assert "FS901" in codes
