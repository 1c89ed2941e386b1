"""`forge-scaffold new` through Typer's CliRunner: the contract's outputs and every bad input."""

from __future__ import annotations

import ast
import json
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from forge_scaffold import __version__
from forge_scaffold.catalog import load_catalog
from forge_scaffold.cli import app


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _assert_one_line_error(result: object, exit_code: int = 2) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == exit_code, (result.stdout, stderr)  # type: ignore[attr-defined]
    lines = [line for line in stderr.splitlines() if line.startswith("forge-scaffold: error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_new_generates_a_committed_project_and_prints_next_steps(
    runner: CliRunner, tmp_path: Path
) -> None:
    dest = tmp_path / "svc"
    result = runner.invoke(app, ["new", str(dest), "--name", "Demo Svc", "--mode", "memory"])
    assert result.exit_code == 0, result.stderr
    assert "uv run pytest" in result.stdout
    assert "cd " in result.stdout
    assert (dest / "src" / "demo_svc" / "settings.py").is_file()
    log = subprocess.run(
        ["git", "-C", str(dest), "log", "--format=%s"], capture_output=True, text=True, check=True
    )
    assert log.stdout.splitlines() == [f"Generate Demo Svc with forge-scaffold {__version__}"]
    status = subprocess.run(
        ["git", "-C", str(dest), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


def test_new_without_a_terminal_uses_defaults_and_the_directory_name(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "billing-gateway"), "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["answers"]["project_name"] == "billing-gateway"
    assert payload["answers"]["package_name"] == "billing_gateway"
    assert payload["modes"] == ["python"]


def test_json_lists_exactly_the_files_written(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    result = runner.invoke(app, ["new", str(dest), "--mode", "async", "--json", "--no-git"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["destination"] == str(dest.resolve())
    assert payload["modes"] == ["python", "async"]
    assert sorted(payload["files"]) == sorted(_tree(dest))
    assert sorted(payload["files"]) == load_catalog().files_for(["async"], "svc")
    assert not (dest / ".git").exists()


def test_dry_run_writes_nothing_and_lists_what_a_real_run_writes(
    runner: CliRunner, tmp_path: Path
) -> None:
    args = ["--mode", "architecture", "--mode", "testing", "--name", "Dry Run", "--json"]
    dry = runner.invoke(app, ["new", str(tmp_path / "dry"), *args, "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert not (tmp_path / "dry").exists()
    real = runner.invoke(app, ["new", str(tmp_path / "real"), *args])
    assert real.exit_code == 0, real.stderr
    assert json.loads(dry.stdout)["files"] == json.loads(real.stdout)["files"]
    assert json.loads(dry.stdout)["files"] == sorted(_tree(tmp_path / "real"))


def test_dry_run_text_lists_every_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "d"), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    for file in load_catalog().files_for([], "d"):
        assert f"  {file}" in result.stdout
    assert not (tmp_path / "d").exists()


def test_an_existing_empty_directory_is_accepted(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    result = runner.invoke(app, ["new", str(dest), "--no-git"])
    assert result.exit_code == 0, result.stderr
    assert (dest / "pyproject.toml").is_file()


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("class", "keyword"),
        ("json", "standard-library"),
        ("123abc", "lowercase identifier"),
        ("", "empty"),
        ("   ", "empty"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("!!!", "slug"),
        ("Line\nBreak", "lines"),
        ("tests", "reserved"),
        ("conftest", "own test or benchmark modules"),
        ("Test Kit", "own test or benchmark modules"),
        ("Bench Core", "own test or benchmark modules"),
    ],
)
def test_bad_names_are_refused_with_one_line_and_nothing_written(
    runner: CliRunner, tmp_path: Path, name: str, fragment: str
) -> None:
    dest = tmp_path / "out"
    result = runner.invoke(app, ["new", str(dest), "--name", name])
    assert fragment in _assert_one_line_error(result)
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--mode", "bogus"], "unknown mode 'bogus'"),
        (["--mode", ""], "empty mode"),
        (["--data", "colour=blue"], "not a template question"),
        (["--data", "author_name"], "not KEY=VALUE"),
        (["--data", "=x"], "not KEY=VALUE"),
        (["--data", "expert_modes=[python]"], "--mode"),
        (["--data", "author_email=nobody"], "e-mail"),
        (["--data", "python_version=2.7"], "python_version"),
        (["--data", "package_name=Bad-Name"], "lowercase identifier"),
        (["--data", "package_name=" + "a" * 31], "at most 30"),
        (["--data", "description=two\nlines"], "lines"),
        (["--no-such-option"], "No such option"),
    ],
)
def test_bad_usage_exits_2_with_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str], fragment: str
) -> None:
    dest = tmp_path / "out"
    result = runner.invoke(app, ["new", str(dest), *args])
    assert fragment in _assert_one_line_error(result)
    assert not dest.exists()


def test_a_non_empty_destination_is_refused_and_left_exactly_as_it_was(
    runner: CliRunner, tmp_path: Path
) -> None:
    dest = tmp_path / "busy"
    (dest / "sub").mkdir(parents=True)
    (dest / "notes.txt").write_text("mine\n", encoding="utf-8")
    (dest / "sub" / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    before = _tree(dest)
    result = runner.invoke(app, ["new", str(dest)])
    assert "not empty" in _assert_one_line_error(result)
    assert _tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


def test_a_file_as_destination_or_parent_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for dest in (blocker, blocker / "svc"):
        result = runner.invoke(app, ["new", str(dest)])
        assert "not a directory" in _assert_one_line_error(result)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_unwritable_destination_is_refused(runner: CliRunner) -> None:
    # /proc refuses new directories even to root, unlike a chmod 555 folder.
    result = runner.invoke(app, ["new", "/proc/forge-scaffold-test/svc"])
    assert "cannot" in _assert_one_line_error(result)
    assert not Path("/proc/forge-scaffold-test").exists()


def test_tricky_text_answers_render_literally_in_toml_yaml_and_python(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = 'Say "hi" \\ {{ x }} {% raw %} ünï\'s <&>'
    dest = tmp_path / "tricky"
    result = runner.invoke(
        app,
        [
            "new",
            str(dest),
            "--name",
            "Tricky",
            "--data",
            f"description={text}",
            "--data",
            f"author_name={text}",
            "--no-git",
        ],
    )
    assert result.exit_code == 0, result.stderr
    meta = tomllib.loads((dest / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["description"] == text
    assert meta["project"]["authors"][0]["name"] == text
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["description"] == text
    module = ast.parse((dest / "src" / "tricky" / "__init__.py").read_text(encoding="utf-8"))
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in module.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert values["DESCRIPTION"] == text
    for path in dest.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"))
    for path in [*dest.rglob("*.yml"), *dest.rglob("*.yaml")]:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in dest.rglob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_version_and_help(runner: CliRunner) -> None:
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0
    assert version.stdout.strip() == f"forge-scaffold {__version__}"
    help_text = runner.invoke(app, ["--help"])
    assert help_text.exit_code == 0
    for command in ("new", "modes", "check", "suggest"):
        assert command in help_text.stdout


def test_an_interrupted_render_exits_130_and_leaves_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier  # noqa: PLC0415 - patched only for this test

    def interrupted(src: str, dst: Path, **_: object) -> None:
        (Path(dst) / "half-written.txt").write_text("x", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted)
    result = runner.invoke(app, ["new", str(tmp_path / "parent" / "svc")])
    assert "interrupted" in _assert_one_line_error(result, exit_code=130)
    assert list(tmp_path.iterdir()) == []
