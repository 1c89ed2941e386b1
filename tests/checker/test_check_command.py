"""`forge-scaffold check` through the CLI: output format, JSON shape, exit codes, pre-commit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from forge_scaffold.cli import app

Tree = Callable[[Mapping[str, str | bytes]], Path]
REPO = Path(__file__).resolve().parents[2]
VIOLATING = "import asyncio\n\nasync def main():\n    await asyncio.gather(a(), b())\n"
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>FS\d{3}) (?P<message>.+)$")


def test_clean_code_exits_0_and_prints_nothing(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree({"app.py": "import anyio\n"})
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""


def test_findings_exit_1_one_ruff_style_line_each(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree({"app.py": VIOLATING})
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    [match] = [LINE.match(line) for line in lines]
    assert match is not None
    assert match.group("path", "line", "col", "code") == (str(root / "app.py"), "4", "11", "FS101")
    assert summary == "Found 1 finding (1 error, 0 warnings; 1 file checked)."


def test_several_paths_are_checked_as_pre_commit_passes_them(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree({"a.py": VIOLATING, "b.py": VIOLATING, "c.py": VIOLATING})
    result = runner.invoke(app, ["check", str(root / "a.py"), str(root / "c.py")])
    assert result.exit_code == 1
    assert [Path(line.split(":")[0]).name for line in result.stdout.splitlines()[:-1]] == [
        "a.py",
        "c.py",
    ]


def test_json_is_one_document_with_findings_and_summary(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree({"app.py": VIOLATING + "from collections import deque\nq = deque()\n"})
    result = runner.invoke(app, ["check", str(root), "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"findings", "skipped", "notices", "summary"}
    assert [(f["code"], f["line"], f["severity"]) for f in payload["findings"]] == [
        ("FS101", 4, "error"),
        ("FS201", 6, "warning"),
    ]
    assert set(payload["findings"][0]) == {
        "path",
        "line",
        "col",
        "code",
        "message",
        "fix",
        "severity",
    }
    assert payload["findings"][0]["fix"].startswith(
        "Start the work in `async with anyio.create_task_group()"
    )
    assert payload["summary"] == {
        "files": 1, "lines": 6, "findings": 2, "errors": 1, "warnings": 1, "skipped": 0
    }  # fmt: skip


def test_json_of_clean_code_exits_0(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree({"app.py": "x = 1\n"})
    result = runner.invoke(app, ["check", "--json", str(root)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_select_and_ignore_filter_codes(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree({"app.py": VIOLATING + "import collections\nq = collections.deque()\n"})
    selected = runner.invoke(app, ["check", str(root), "--select", "FS2"])
    assert [line.split()[1] for line in selected.stdout.splitlines()[:-1]] == ["FS201"]
    ignored = runner.invoke(app, ["check", str(root), "--ignore", "FS101,FS201"])
    assert ignored.exit_code == 0


def test_an_unknown_code_exits_2_with_one_line(runner: CliRunner, write_tree: Tree) -> None:
    root = write_tree({"app.py": VIOLATING})
    result = runner.invoke(app, ["check", str(root), "--select", "FS777"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "unknown rule code 'FS777'" in result.stderr


def test_a_missing_path_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert (
        result.stderr == f"forge-scaffold: error: {tmp_path / 'nowhere'}: no such file or folder\n"
    )


def test_skipped_files_are_warnings_on_stderr_not_findings(
    runner: CliRunner, write_tree: Tree
) -> None:
    root = write_tree({"ok.py": "x = 1\n"})
    (root / "gone.py").symlink_to(root / "missing.py")
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"forge-scaffold: warning: {root / 'gone.py'}: skipped: broken symbolic link\n"
    )
    assert result.stdout == ""


def test_the_default_path_is_the_current_folder(
    runner: CliRunner, write_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_tree({"app.py": VIOLATING}))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("app.py:4:11: FS101 ")


def test_the_pre_commit_hook_runs_check_on_python_files() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "forge-scaffold-check"
    assert hook["entry"] == "forge-scaffold check"
    assert (hook["language"], hook["types"]) == ("python", ["python"])
