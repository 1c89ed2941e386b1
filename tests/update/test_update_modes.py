"""`update --add-mode/--remove-mode`: a mode's files and tests come and go together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forge_scaffold.catalog import load_catalog
from forge_scaffold.cli import app
from update import fixtures as fx

pytestmark = pytest.mark.usefixtures("installed_is_newest")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, history: fx.History) -> Path:
    """A fresh python-only project at the newest version: the reference for a round trip."""
    return fx.generate(history, "v0.3.0", tmp_path_factory.mktemp("plain") / "svc", [])


def _memory_files() -> set[str]:
    catalog = load_catalog()
    return set(catalog.files_for(["memory"], "demo_svc")) - set(catalog.files_for([], "demo_svc"))


def test_adding_then_removing_a_mode_gives_back_the_fresh_project(
    runner: CliRunner, plain: Path, tmp_path: Path
) -> None:
    project = fx.copy_project(plain, tmp_path / "svc")
    result = runner.invoke(app, ["update", str(project), "--add-mode", "memory", "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["modes_after"] == ["python", "memory"]
    added = set(report["added"])
    assert _memory_files() <= added
    # A mode's modules arrive with their tests.
    assert any(f.startswith("src/") for f in added) and any(f.startswith("tests/") for f in added)
    fx.commit_all(project, "Add memory mode")

    result = runner.invoke(app, ["update", str(project), "--remove-mode", "memory", "--json"])
    assert result.exit_code == 0, result.stderr
    assert set(json.loads(result.stdout)["removed"]) == added
    assert fx.tree(project) == fx.tree(plain)


def test_removing_a_mode_whose_files_you_edited_needs_yes(
    runner: CliRunner, history: fx.History, tmp_path: Path
) -> None:
    project = fx.generate(history, "v0.3.0", tmp_path / "svc", ["memory"])
    guard = project / "src/demo_svc/guard.py"
    guard.write_text(guard.read_text(encoding="utf-8") + "# tuned for our hosts\n", "utf-8")
    fx.commit_all(project, "Tune the guard")
    before = fx.tree(project)

    refused = runner.invoke(app, ["update", str(project), "--remove-mode", "memory"])
    assert refused.exit_code == 2, refused.stdout
    assert "src/demo_svc/guard.py" in refused.stderr
    assert "--yes" in refused.stderr
    assert fx.tree(project) == before
    assert fx.git(project, "status", "--porcelain") == ""

    done = runner.invoke(app, ["update", str(project), "--remove-mode", "memory", "--yes"])
    assert done.exit_code == 0, done.stderr
    assert not guard.exists()
    assert not (project / "tests/test_guard.py").exists()
