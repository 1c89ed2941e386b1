"""`suggest`: modes recommended for small codebases, with the evidence that led to each."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forge_scaffold.checker import Evidence, suggest_modes
from forge_scaffold.cli import app
from forge_scaffold.errors import ProjectError

Tree = Callable[[Mapping[str, str | bytes]], Path]

ASYNC_SERVICE = {
    "src/svc/worker.py": """
        import anyio

        async def run():
            async with anyio.create_task_group() as tg:
                tg.start_soon(anyio.sleep, 1)
        """,
}
MEMORY_CODE = {
    "src/lib/cache.py": """
        from collections import deque
        from functools import lru_cache

        recent = deque(maxlen=10)

        @lru_cache(maxsize=64)
        def load(key): ...
        """,
}
TESTED_CODE = {
    "tests/test_api.py": """
        import pytest

        @pytest.fixture
        def client(): ...
        """,
}
ARCHITECTED_CODE = {
    "src/app/ports.py": """
        from typing import Protocol
        from fastapi import Depends, FastAPI

        class Store(Protocol):
            def get(self, key: str) -> str: ...

        class OrderService:
            @classmethod
            def create(cls): ...
        """,
}


def _evidence(
    result_modes: list[tuple[str, list[Evidence]]], mode: str
) -> list[tuple[str, int, str]]:
    [evidence] = [items for name, items in result_modes if name == mode]
    return [(Path(item.path).name, item.line, item.signal) for item in evidence]


def test_plain_code_gets_only_python(write_tree: Tree) -> None:
    result = suggest_modes(write_tree({"src/app.py": "def add(a, b):\n    return a + b\n"}))
    assert result.recommended == ["python"]
    assert result.files == 1


def test_each_kind_of_code_gets_its_mode_with_file_and_line(write_tree: Tree) -> None:
    root = write_tree(ASYNC_SERVICE | MEMORY_CODE | TESTED_CODE | ARCHITECTED_CODE)
    result = suggest_modes(root)
    assert result.recommended == ["python", "async", "memory", "testing", "architecture"]
    modes = [(item.mode, item.evidence) for item in result.modes]
    assert _evidence(modes, "async") == [
        ("worker.py", 1, "imports anyio (structured concurrency)"),
        ("worker.py", 3, "async def run"),
        ("worker.py", 4, "task group (concurrent operations)"),
    ]
    assert _evidence(modes, "memory") == [
        ("cache.py", 4, "deque buffer"),
        ("cache.py", 6, "@lru_cache (caching)"),
    ]
    assert _evidence(modes, "testing") == [
        ("test_api.py", 1, "imports pytest"),
        ("test_api.py", 1, "test module"),
        ("test_api.py", 3, "pytest fixture"),
    ]
    assert _evidence(modes, "architecture") == [
        ("ports.py", 2, "imports FastAPI (web framework)"),
        ("ports.py", 4, "Protocol (interface for dependency injection): Store"),
        ("ports.py", 7, "service class: OrderService"),
        ("ports.py", 9, "factory classmethod OrderService.create()"),
    ]


def test_words_in_comments_and_strings_are_not_evidence(write_tree: Tree) -> None:
    notes = '# async await deque cache pytest fixture Protocol\nTEXT = "import asyncio"\n'
    root = write_tree({"src/notes.py": notes})
    assert suggest_modes(root).recommended == ["python"]


def test_a_file_that_does_not_parse_is_skipped_not_fatal(write_tree: Tree) -> None:
    result = suggest_modes(write_tree(ASYNC_SERVICE | {"src/bad.py": "def (:\n"}))
    assert result.recommended == ["python", "async"]
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [("bad.py", "does not parse")]


def test_a_missing_path_is_bad_usage(tmp_path: Path) -> None:
    with pytest.raises(ProjectError):
        suggest_modes(tmp_path / "nowhere")


def test_human_output_shows_five_lines_of_evidence_per_mode_then_a_count(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree(
        {"src/many.py": "".join(f"async def f{index}(): ...\n" for index in range(8))}
    )
    result = runner.invoke(app, ["suggest", str(root)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Recommended modes: python, async (1 file read)"
    start = lines.index(
        "async: 8 signals (Async Code: Concurrent operations, event loops → /expert async)"
    )
    evidence = lines[start + 1 : start + 7]
    assert evidence[:5] == [
        f"  {root / 'src' / 'many.py'}:{n}: async def f{n - 1}" for n in range(1, 6)
    ]
    assert evidence[5] == "  and 3 more"
    assert "No evidence for: memory, testing, architecture" in lines


def test_json_output_carries_every_piece_of_evidence(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree(
        {"src/many.py": "".join(f"async def f{index}(): ...\n" for index in range(8))}
    )
    result = runner.invoke(app, ["suggest", str(root), "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["recommended"] == ["python", "async"]
    [async_mode] = [item for item in payload["modes"] if item["mode"] == "async"]
    assert len(async_mode["evidence"]) == 8
    assert set(async_mode["evidence"][0]) == {"path", "line", "signal"}


def test_a_generated_project_is_told_which_modes_to_add(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree(MEMORY_CODE | {".copier-answers.yml": "expert_modes: [python]\n"})
    result = runner.invoke(app, ["suggest", str(root)])
    assert result.stdout.splitlines()[-1] == f"Next: forge-scaffold update {root} --add-mode memory"


def test_a_generated_projects_own_template_code_is_not_evidence(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "svc"
    made = runner.invoke(app, ["new", str(root), "--defaults", "--name", "Svc", "--no-git"])
    assert made.exit_code == 0, made.output

    fresh = json.loads(runner.invoke(app, ["suggest", str(root), "--json"]).stdout)
    # The core's anyio entry point, bounded buffer and tests are the template's, not the owners'.
    assert fresh["recommended"] == ["python"]
    assert fresh["template_signals"] > 100
    monkeypatch.chdir(root)  # PATH left out: the current folder, files found as relative paths
    here = json.loads(runner.invoke(app, ["suggest", "--json"]).stdout)
    assert (here["recommended"], here["template_signals"]) == (
        ["python"],
        fresh["template_signals"],
    )

    worker = textwrap.dedent(ASYNC_SERVICE["src/svc/worker.py"]).removeprefix("\n")
    (root / "src" / "svc" / "worker.py").write_text(worker, encoding="utf-8")
    service = root / "src" / "svc" / "service.py"
    lines = service.read_text(encoding="utf-8").splitlines()
    service.write_text("\n".join([*lines[:3], "import tracemalloc", *lines[3:]]) + "\n")
    edited = json.loads(runner.invoke(app, ["suggest", str(root), "--json"]).stdout)
    assert edited["recommended"] == ["python", "async", "memory"]
    evidence = {
        (Path(e["path"]).name, e["line"], e["signal"])
        for mode in edited["modes"]
        for e in mode["evidence"]
    }
    assert evidence == {
        ("worker.py", 1, "imports anyio (structured concurrency)"),
        ("worker.py", 3, "async def run"),
        ("worker.py", 4, "task group (concurrent operations)"),
        ("service.py", 4, "imports tracemalloc (memory profiling)"),
    }


def test_thread_based_code_is_not_async_evidence(write_tree: Tree) -> None:
    threads = """
        import threading
        import concurrent.futures
        import multiprocessing
        def run(jobs):
            with concurrent.futures.ThreadPoolExecutor() as pool:
                return list(pool.map(len, jobs))
        """
    result = suggest_modes(write_tree({"src/work.py": threads}))
    assert result.recommended == ["python"]
    [async_mode] = [item for item in result.modes if item.mode == "async"]
    assert async_mode.evidence == []


def test_one_weak_signal_is_not_enough_and_independent_ones_add_up(write_tree: Tree) -> None:
    weak = suggest_modes(write_tree({"src/a.py": "import weakref\n"}))
    [memory] = [item for item in weak.modes if item.mode == "memory"]
    assert (memory.score, memory.recommended) == (1, False)
    many = "import weakref\nimport cachetools\nfrom functools import cache\n@cache\ndef f(): ...\n"
    strong = suggest_modes(write_tree({"src/a.py": many}))
    [memory] = [item for item in strong.modes if item.mode == "memory"]
    assert (memory.score, memory.recommended) == (3, True)


def test_the_same_kind_of_signal_counts_once(write_tree: Tree) -> None:
    caches = "".join(f"import weakref as w{n}\n" for n in range(5))
    [memory] = [i for i in suggest_modes(write_tree({"a.py": caches})).modes if i.mode == "memory"]
    assert (len(memory.evidence), memory.score) == (5, 1)


def test_abcmeta_interfaces_count_for_architecture(write_tree: Tree) -> None:
    source = """
        from abc import ABCMeta, abstractmethod
        class Repository(metaclass=ABCMeta):
            @abstractmethod
            def get(self, key): ...
        class Transport(metaclass=ABCMeta): ...
        """
    result = suggest_modes(write_tree({"src/ports.py": source}))
    [architecture] = [item for item in result.modes if item.mode == "architecture"]
    assert [e.signal for e in architecture.evidence] == [
        "abstract base class (interface): Repository",
        "abstract base class (interface): Transport",
    ]
    assert architecture.score == 2  # one kind of signal: not yet a recommendation


def test_json_shows_each_modes_score_threshold_and_weighed_kinds(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree(ASYNC_SERVICE)
    payload = json.loads(runner.invoke(app, ["suggest", str(root), "--json"]).stdout)
    [async_mode] = [item for item in payload["modes"] if item["mode"] == "async"]
    assert (async_mode["score"], async_mode["threshold"]) == (8, 3)
    assert async_mode["signals"] == [
        {"kind": "async def", "weight": 3},
        {"kind": "imports anyio (structured concurrency)", "weight": 2},
        {"kind": "task group (concurrent operations)", "weight": 3},
    ]
    human = runner.invoke(app, ["suggest", str(root)]).stdout
    assert "  score 8 (needs 3): async def +3, imports anyio" in human
