"""Every one of the 16 mode combinations renders exactly its catalog files and passes the checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import template_harness as harness
from template_harness import COMBINATIONS, combo_id
from typer.testing import CliRunner

from forge_scaffold.catalog import load_catalog
from forge_scaffold.cli import app

IDS = [combo_id(modes) for modes in COMBINATIONS]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_there_are_sixteen_combinations() -> None:
    assert len(set(IDS)) == 16


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_rendered_files_equal_the_catalog(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    project = rendered[combo_id(modes)]
    assert _files(project) == load_catalog().files_for(list(modes), "demo_svc")


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_no_template_syntax_leaks_into_the_project(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    project = rendered[combo_id(modes)]
    for path in project.rglob("*"):
        assert "{{" not in path.name and "{%" not in path.name, path
        assert not path.name.endswith((".jinja", ".pyc")), path
        assert path.name != "__pycache__", path


@pytest.mark.slow
@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_lint_and_strict_types_pass(
    rendered: dict[str, Path], shared_venv: Path, modes: tuple[str, ...]
) -> None:
    project = rendered[combo_id(modes)]
    for check in ("ruff", "ruff-format", "mypy"):
        result = harness.run_in(shared_venv, project, harness.CHECKS[check])
        assert result.returncode == 0, (
            f"{check} failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
        )


SUITES = [("python",), *(("python", mode) for mode in harness.ALL_MODES[1:]), harness.ALL_MODES]


@pytest.mark.slow
@pytest.mark.parametrize("modes", SUITES, ids=[combo_id(m) for m in SUITES])
def test_generated_project_own_suite_passes(
    rendered: dict[str, Path], shared_venv: Path, modes: tuple[str, ...]
) -> None:
    project = rendered[combo_id(modes)]
    result = harness.run_in(shared_venv, project, harness.CHECKS["pytest"])
    assert result.returncode == 0, f"pytest failed:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
    assert " passed" in result.stdout
    if os.environ.get("CI"):  # in CI every server is installed: nothing may be skipped
        assert " skipped" not in result.stdout.splitlines()[-1], result.stdout[-3000:]


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_workflow_and_hook_configuration_are_valid(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    """The CI workflow against SchemaStore's GitHub workflow schema (vendored in check-jsonschema,
    so offline), and the hook file by pre-commit's own validator."""
    project = rendered[combo_id(modes)]
    checks = {
        "workflow": [
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(project / ".github" / "workflows" / "ci.yml"),
        ],
        "pre-commit": ["pre_commit", "validate-config", str(project / ".pre-commit-config.yaml")],
    }
    for name, args in checks.items():
        result = subprocess.run(
            [sys.executable, "-m", *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_the_standards_checker_finds_nothing_in_a_generated_project(
    rendered: dict[str, Path], modes: tuple[str, ...], runner: CliRunner
) -> None:
    result = runner.invoke(app, ["check", str(rendered[combo_id(modes)])])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["Ab", "Abcdefghij Abcdefghij Abcdefgh"], ids=["2-chars", "30-chars"]
)
def test_shortest_and_longest_package_names_pass_lint_and_types(
    tmp_path: Path, template_src: Path, shared_venv: Path, name: str
) -> None:
    project = harness.render(tmp_path / "svc", harness.ALL_MODES, name=name, src=template_src)
    package = next((project / "src").iterdir()).name
    assert len(package) in {2, 30}
    for check in ("ruff", "ruff-format", "mypy"):
        result = harness.run_in(shared_venv, project, harness.CHECKS[check])
        output = f"{result.stdout[-4000:]}{result.stderr[-2000:]}"
        assert result.returncode == 0, f"{check} failed for package {package}:\n{output}"
