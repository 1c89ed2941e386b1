"""The engine: noqa, --select/--ignore, severities from the project's modes, parallel runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from forge_scaffold.checker import CODES, Severity, check_paths, check_source, select_codes
from forge_scaffold.checker.parallel import MIN_PARALLEL_FILES
from forge_scaffold.errors import UsageError

Codes = list[tuple[int, str]]
Tree = Callable[[Mapping[str, str | bytes]], Path]

GATHER = "import asyncio, time\nasync def main():\n    await asyncio.gather(a(), b())"


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("", True),
        ("  # noqa", False),
        ("  # noqa: FS101", False),
        ("  # NOQA:FS101", False),
        ("  # noqa: FS102, FS101", False),
        ("  # noqa: FS102 FS101", False),
        ("  # noqa: FS102", True),
        ("  # noqa: E501", True),
    ],
)
def test_noqa_silences_the_codes_it_names(
    codes_in: Callable[..., Codes], comment: str, reported: bool
) -> None:
    assert ((3, "FS101") in codes_in(GATHER + comment)) is reported


def test_noqa_applies_to_its_own_line_only(codes_in: Callable[..., Codes]) -> None:
    source = "import time\nasync def f():\n    time.sleep(1)  # noqa: FS103\n    time.sleep(2)\n"
    assert codes_in(source) == [(4, "FS103")]


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (None, None, set(CODES)),
        ("FS101", None, {"FS101"}),
        ("fs10", None, {code for code in CODES if code.startswith("FS10")}),
        ("FS1, FS201", "FS105,FS106", {"FS101", "FS102", "FS103", "FS104", "FS201"}),
        (None, "FS", set()),
        ("", "", set(CODES)),
    ],
)
def test_select_and_ignore_take_codes_and_prefixes(
    select: str | None, ignore: str | None, expected: set[str]
) -> None:
    assert select_codes(select, ignore) == expected


@pytest.mark.parametrize(
    ("select", "ignore"), [("FS999", None), (None, "E501"), ("FS1,nope", None)]
)
def test_an_unknown_code_is_bad_usage(select: str | None, ignore: str | None) -> None:
    with pytest.raises(UsageError, match="unknown rule code"):
        select_codes(select, ignore)


def test_select_limits_what_is_reported(codes_in: Callable[..., Codes]) -> None:
    source = "import asyncio\nq = asyncio.Queue()\n"
    assert codes_in(source) == [(2, "FS105"), (2, "FS202")]
    assert codes_in(source, select="FS2") == [(2, "FS202")]


def test_severity_follows_the_modes_of_the_files_project(write_tree: Tree) -> None:
    source = "from collections import deque\nbuffer = deque()\n"
    root = write_tree(
        {
            "plain/pyproject.toml": "",
            "plain/app.py": source,
            "memory/.copier-answers.yml": "expert_modes: [python, memory]\n",
            "memory/pkg/app.py": source,
        }
    )
    report = check_paths([root / "plain" / "app.py", root / "memory" / "pkg" / "app.py"])
    assert [(Path(f.path).parts[-2], f.code, f.severity) for f in report.findings] == [
        ("pkg", "FS201", Severity.ERROR),
        ("plain", "FS201", Severity.WARNING),
    ]


def test_a_broken_answers_file_is_a_notice_and_means_python(write_tree: Tree) -> None:
    root = write_tree(
        {
            ".copier-answers.yml": "expert_modes: [memory\n",
            "app.py": "import collections\nd = collections.deque()\n",
        }
    )
    report = check_paths([root / "app.py"])
    assert [f.severity for f in report.findings] == [Severity.WARNING]
    assert len(report.notices) == 1
    assert ".copier-answers.yml" in report.notices[0]


def test_a_parallel_run_finds_exactly_what_a_sequential_run_finds(write_tree: Tree) -> None:
    files = {
        f"pkg/module_{n:03}.py": f"import time\nasync def f{n}():\n    time.sleep({n})\n"
        for n in range(MIN_PARALLEL_FILES + 10)
    }
    files["pkg/broken.py"] = "def (:\n"
    root = write_tree(files)
    sequential = check_paths([root], workers=1)
    parallel = check_paths([root], workers=2)
    assert parallel.findings == sequential.findings
    assert len(parallel.findings) == MIN_PARALLEL_FILES + 11
    assert (parallel.files, parallel.lines) == (sequential.files, sequential.lines)


def test_get_event_loop_is_only_called_deprecated_outside_async_def() -> None:
    source = (
        "import asyncio\n"
        "def stamp():\n    return asyncio.get_event_loop().time()\n"
        "async def run():\n    return asyncio.get_event_loop()\n"
    )
    messages = [message for *_, message, _fix in check_source(source).findings]
    assert messages == [
        "`asyncio.get_event_loop()` is deprecated and ties the code to asyncio",
        "`asyncio.get_event_loop()` ties the code to asyncio's loop object",
    ]
