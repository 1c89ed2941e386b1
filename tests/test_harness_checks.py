"""The harness runs a generated project's check once per identical input in a session, and again
for any input that differs: one byte, an executable bit, the environment, or the venv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import template_harness as harness

# A stand-in for ruff in a venv's bin: it counts its runs outside the tree and fails on a FAIL file.
FAKE_TOOL = """#!/bin/sh
echo run >> "$RUNS_FILE"
if [ -e FAIL ]; then echo "FAIL found" ; exit 1; fi
echo "all clean"
"""


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    root = tmp_path / "venv"
    (root / "bin").mkdir(parents=True)
    tool = root / "bin" / "ruff"
    tool.write_text(FAKE_TOOL, encoding="utf-8")
    tool.chmod(0o755)
    return root


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    counter = tmp_path / "runs"
    counter.touch()
    monkeypatch.setenv("RUNS_FILE", str(counter))
    monkeypatch.setenv(harness.CHECK_RESULTS_ENV, str(tmp_path / "results"))
    return counter


def _project(root: Path) -> Path:
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "__init__.py").write_text('"""A package."""\n', encoding="utf-8")
    (root / "README.md").write_text("# Svc\n", encoding="utf-8")
    return root


def _count(runs: Path) -> int:
    return len(runs.read_text(encoding="utf-8").splitlines())


def test_an_identical_tree_elsewhere_reuses_the_outcome(
    venv: Path, runs: Path, tmp_path: Path
) -> None:
    first = _project(tmp_path / "a")
    assert harness.run_check(venv, first, "ruff").returncode == 0
    second = shutil.copytree(first, tmp_path / "b")
    (second / ".mypy_cache").mkdir()  # what a tool writes is not input
    (second / ".mypy_cache" / "x.json").write_text("{}", encoding="utf-8")
    again = harness.run_check(venv, second, "ruff")
    assert _count(runs) == 1
    assert again.returncode == 0
    assert again.stdout == "all clean\n"
    assert str(first) in again.stderr  # the reused outcome names the tree it came from


def test_a_failure_is_kept_like_a_success(venv: Path, runs: Path, tmp_path: Path) -> None:
    failing = _project(tmp_path / "a")
    (failing / "FAIL").touch()
    assert harness.run_check(venv, failing, "ruff").returncode == 1
    again = harness.run_check(venv, shutil.copytree(failing, tmp_path / "b"), "ruff")
    assert (again.returncode, again.stdout, _count(runs)) == (1, "FAIL found\n", 1)


@pytest.mark.parametrize("change", ["byte", "executable", "new file", "environment", "venv"])
def test_any_difference_in_the_input_runs_the_check_again(
    change: str, venv: Path, runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _project(tmp_path / "a")
    harness.run_check(venv, first, "ruff")
    second = shutil.copytree(first, tmp_path / "b")
    tool_venv = venv
    if change == "byte":
        (second / "README.md").write_text("# Svd\n", encoding="utf-8")
    elif change == "executable":
        (second / "README.md").chmod(0o755)
    elif change == "new file":
        (second / "FAIL").touch()
    elif change == "environment":
        monkeypatch.setenv("DEMO_SVC_LOG_LEVEL", "debug")
    else:
        tool_venv = shutil.copytree(venv, tmp_path / "other-venv")
    result = harness.run_check(tool_venv, second, "ruff")
    assert _count(runs) == 2
    assert result.returncode == (1 if change == "new file" else 0)


def test_without_a_results_folder_every_check_runs(
    venv: Path, runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(harness.CHECK_RESULTS_ENV)
    project = _project(tmp_path / "a")
    harness.run_check(venv, project, "ruff")
    harness.run_check(venv, project, "ruff")
    assert _count(runs) == 2


def test_what_the_tools_write_and_where_the_template_lives_are_not_input(
    venv: Path, runs: Path, tmp_path: Path
) -> None:
    first = _project(tmp_path / "a")
    answers = "_commit: v0.7.0\n_src_path: {}\npackage_name: pkg\n"
    (first / harness.ANSWERS_FILE).write_text(answers.format("/cache/gw0"), encoding="utf-8")
    harness.run_check(venv, first, "ruff")
    second = shutil.copytree(first, tmp_path / "b")
    (second / harness.ANSWERS_FILE).write_text(answers.format("/cache/gw1"), encoding="utf-8")
    for output in (".coverage", ".coverage.host.1.2", "coverage.xml", ".hypothesis/examples/ab"):
        (second / output).parent.mkdir(parents=True, exist_ok=True)
        (second / output).write_bytes(b"written by a tool")
    harness.run_check(venv, second, "ruff")
    assert _count(runs) == 1
    # Any other line of the answers file is input.
    (second / harness.ANSWERS_FILE).write_text(
        answers.format("/cache/gw1").replace("v0.7.0", "v0.6.0"), encoding="utf-8"
    )
    harness.run_check(venv, second, "ruff")
    assert _count(runs) == 2


def test_no_check_of_a_generated_project_reads_where_its_template_lives() -> None:
    """What lets `tree_digest` ignore `_src_path`: no generated code, test or tool setting reads
    the answers file (only docs for people mention it)."""
    readers = [
        path.relative_to(harness.REPO).as_posix()
        for path in (harness.REPO / "template").rglob("*")
        if path.is_file()
        and path.name.endswith((".py.jinja", ".py", ".toml.jinja", ".cfg.jinja", ".ini.jinja"))
        and any(
            word in path.read_text(encoding="utf-8") for word in ("_src_path", "copier-answers")
        )
    ]
    assert readers == []
