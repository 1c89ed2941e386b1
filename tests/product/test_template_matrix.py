"""Every one of the 16 mode combinations renders exactly its catalog files and passes the checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import template_harness as harness
from template_harness import COMBINATIONS, MATRIX_NAMES, combo_id
from typer.testing import CliRunner

from forge_scaffold.catalog import load_catalog
from forge_scaffold.cli import app

IDS = [combo_id(modes) for modes in COMBINATIONS]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_there_are_sixteen_combinations() -> None:
    assert len(set(IDS)) == 16


def _package(project: Path) -> str:
    (package,) = (p.name for p in (project / "src").iterdir())
    return package


def test_the_matrix_names_sort_around_every_first_party_and_kit_module() -> None:
    packages = {re.sub("[^a-z0-9]+", "_", name.lower()) for name in MATRIX_NAMES.values()}
    assert {len(p) for p in packages} >= {2, 30}
    testing = {
        re.sub("[^a-z0-9]+", "_", name.lower())
        for combo, name in MATRIX_NAMES.items()
        if "testing" in combo
    }
    # The test kit was `kit`: its old name, names either side of it, and the extremes.
    assert {"kit", "kit_tools", "a_svc", "zeta_svc"} <= testing
    assert any(p < "kit" for p in testing) and any(p > "kit_tools" for p in testing)
    assert len(set(MATRIX_NAMES.values())) == 16


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_rendered_files_equal_the_catalog(
    named_renders: dict[str, Path], modes: tuple[str, ...]
) -> None:
    project = named_renders[combo_id(modes)]
    assert _files(project) == load_catalog().files_for(list(modes), _package(project))


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_no_template_syntax_leaks_into_the_project(
    named_renders: dict[str, Path], modes: tuple[str, ...]
) -> None:
    project = named_renders[combo_id(modes)]
    for path in project.rglob("*"):
        assert "{{" not in path.name and "{%" not in path.name, path
        assert not path.name.endswith((".jinja", ".pyc")), path
        assert path.name != "__pycache__", path


@pytest.mark.slow
@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_lint_types_and_test_collection_pass_whatever_the_package_name(
    named_renders: dict[str, Path], shared_venv: Path, modes: tuple[str, ...]
) -> None:
    project = named_renders[combo_id(modes)]
    package = _package(project)
    for check in ("ruff", "ruff-format", "mypy", "collect"):
        result = harness.run_check(shared_venv, project, check)
        output = f"{result.stdout[-4000:]}{result.stderr[-2000:]}"
        assert result.returncode == 0, f"{check} failed for package {package}:\n{output}"
    assert re.search(r"\b[1-9]\d* tests? collected", result.stdout), result.stdout[-500:]


SUITES = [("python",), *(("python", mode) for mode in harness.ALL_MODES[1:]), harness.ALL_MODES]


@pytest.mark.slow
@pytest.mark.parametrize("modes", SUITES, ids=[combo_id(m) for m in SUITES])
def test_generated_project_own_suite_passes(
    named_renders: dict[str, Path], shared_venv: Path, modes: tuple[str, ...]
) -> None:
    project = named_renders[combo_id(modes)]
    result = harness.run_check(shared_venv, project, "pytest")
    assert result.returncode == 0, f"pytest failed:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
    assert " passed" in result.stdout
    if os.environ.get("CI"):  # in CI every server is installed: nothing may be skipped
        assert " skipped" not in result.stdout.splitlines()[-1], result.stdout[-3000:]


@pytest.mark.parametrize("modes", COMBINATIONS, ids=IDS)
def test_workflow_and_hook_configuration_are_valid(
    named_renders: dict[str, Path], modes: tuple[str, ...]
) -> None:
    """The CI workflow against SchemaStore's GitHub workflow schema (vendored in check-jsonschema,
    so offline), and the hook file by pre-commit's own validator."""
    project = named_renders[combo_id(modes)]
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
    named_renders: dict[str, Path], modes: tuple[str, ...], runner: CliRunner
) -> None:
    result = runner.invoke(app, ["check", str(named_renders[combo_id(modes)])])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == ""
