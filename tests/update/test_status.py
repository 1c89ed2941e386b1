"""`forge-scaffold status`: version, modes, answers, edited template files, and its exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forge_scaffold.cli import app
from update import fixtures as fx

pytestmark = pytest.mark.usefixtures("installed_is_newest")


def test_an_old_project_reports_its_version_modes_edits_and_exits_1(
    runner: CliRunner, history: fx.History, tmp_path: Path
) -> None:
    project = fx.generate(history, "v0.1.0", tmp_path / "svc", ["async"])
    runbook = project / "ops/runbook.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "Our step.\n", encoding="utf-8")
    (project / "ops/faq.md").unlink()
    (project / "mine.txt").write_text("not the template's\n", encoding="utf-8")
    fx.commit_all(project, "User edits")

    result = runner.invoke(app, ["status", str(project), "--json"])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["template_version"] == "v0.1.0"
    assert report["latest_version"] == "v0.3.0"
    assert report["update_available"] is True
    assert report["modes"] == ["python", "async"]
    assert report["answers"]["project_name"] == "Demo Svc"
    assert report["modified"] == ["ops/runbook.md"]
    assert report["deleted"] == ["ops/faq.md"]

    text = runner.invoke(app, ["status", str(project)])
    assert text.exit_code == 1
    assert "newer: v0.3.0" in text.stdout
    assert "M ops/runbook.md" in text.stdout
    assert "D ops/faq.md" in text.stdout


def test_an_up_to_date_project_exits_0_with_no_edits(
    runner: CliRunner, history: fx.History, tmp_path: Path
) -> None:
    project = fx.generate(history, "v0.3.0", tmp_path / "svc", [])
    result = runner.invoke(app, ["status", str(project)])
    assert result.exit_code == 0, result.stderr
    assert "(up to date)" in result.stdout
    assert "edits      none" in result.stdout


def test_outside_a_generated_project_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a generated project" in result.stderr
    assert "Traceback" not in result.stderr
