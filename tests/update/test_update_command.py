"""`forge-scaffold update` across a template history built in the test (see update_fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forge_scaffold.cli import app
from update import fixtures as fx

USER_FAR = "Step 13: check item 13, and write it down (user edit)."
USER_NEAR = "Step 3: check item 3 before lunch (user edit)."
USER_SETUP = "Setup line 2, on our own runners (user edit)."
USER_CONFLICT = "Step 25: check item 25 on Fridays (user edit)."


pytestmark = pytest.mark.usefixtures("installed_is_newest")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, history: fx.History) -> Path:
    """A v0.1.0 project with committed user edits of every kind."""
    project = fx.generate(history, "v0.1.0", tmp_path_factory.mktemp("edited") / "svc", [])
    _edit(project / "ops/runbook.md", "Step 13: check item 13.", USER_FAR)
    _edit(project / "ops/runbook.md", "Step 3: check item 3.", USER_NEAR)
    _edit(project / "ops/setup.md", "Setup line 2.", USER_SETUP)
    (project / "ops/faq.md").unlink()
    (project / "notes").mkdir()
    (project / "notes/decisions.txt").write_text("ours, not the template's\n", encoding="utf-8")
    fx.commit_all(project, "User edits")
    return project


@pytest.fixture
def project(edited: Path, tmp_path: Path) -> Path:
    return fx.copy_project(edited, tmp_path / "svc")


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    crash = result.exception is not None and not isinstance(result.exception, SystemExit)
    shown = repr(result.exception) if crash else ""
    return result.exit_code, result.stdout, result.stderr + shown


def test_update_keeps_user_edits_and_brings_the_template_changes(
    runner: CliRunner, project: Path
) -> None:
    before = fx.tree(project)
    code, out, err = _run(runner, "update", str(project), "--json")
    assert code == 0, (out, err)
    report = json.loads(out)
    runbook = (project / "ops/runbook.md").read_text(encoding="utf-8").splitlines()
    # The user's lines, verbatim, next to and far from the template's changes ...
    assert USER_FAR in runbook
    assert USER_NEAR in runbook
    # ... and the template's: a line added near the top, a line changed far below, a new file.
    assert runbook[1] == fx.INSERTED
    assert fx.FAR_CHANGE[1] in runbook
    assert (project / fx.NEW_FILE).read_text(encoding="utf-8").endswith("then log it.\n")
    # The moved file carries the user's edit and the template's change; the old path is gone.
    moved = (project / "ops/install/setup.md").read_text(encoding="utf-8")
    assert USER_SETUP in moved
    assert fx.SETUP_CHANGE[1] in moved
    assert not (project / "ops/setup.md").exists()
    assert report["moved"] == [
        {"from": "ops/setup.md", "to": "ops/install/setup.md", "conflict": False}
    ]
    # A template file the user deleted stays deleted although the template changed it.
    assert not (project / "ops/faq.md").exists()
    # The user's own file is untouched.
    assert (project / "notes/decisions.txt").read_bytes() == before["notes/decisions.txt"]
    assert report["conflicts"] == []
    assert report["from_version"] == "v0.1.0"
    assert report["to_version"] == "v0.3.0"
    assert "ops/runbook.md" in report["merged"]
    assert fx.NEW_FILE in report["added"]
    assert "ops/setup.md" in report["removed"]
    # Nothing is committed: the changes wait for review.
    assert fx.git(project, "log", "--format=%s").splitlines()[0] == "User edits"
    assert "_commit: v0.3.0" in (project / ".copier-answers.yml").read_text(encoding="utf-8")


def test_text_report_names_the_next_commands(runner: CliRunner, project: Path) -> None:
    code, out, err = _run(runner, "update", str(project), "--to", "0.2.0")
    assert code == 0, (out, err)
    assert "from v0.1.0 to v0.2.0" in out
    assert "ops/setup.md -> ops/install/setup.md" in out
    assert "git diff" in out
    assert "git commit" in out
    assert "_commit: v0.2.0" in (project / ".copier-answers.yml").read_text(encoding="utf-8")


def test_a_line_both_sides_changed_is_a_counted_conflict_with_exit_1(
    runner: CliRunner, project: Path
) -> None:
    _edit(project / "ops/runbook.md", "Step 25: check item 25.", USER_CONFLICT)
    fx.commit_all(project, "Edit the line the template changes too")
    code, out, err = _run(runner, "update", str(project), "--json")
    assert code == 1, (out, err)
    assert json.loads(out)["conflicts"] == ["ops/runbook.md"]
    text = (project / "ops/runbook.md").read_text(encoding="utf-8")
    assert "<<<<<<< " in text
    assert USER_CONFLICT in text
    assert fx.FAR_CHANGE[1] in text
    assert "1 conflicts remain (ops/runbook.md)" in err
    assert "Traceback" not in err


def test_dry_run_lists_the_changes_and_writes_nothing(runner: CliRunner, project: Path) -> None:
    before = fx.tree(project)
    code, out, err = _run(runner, "update", str(project), "--dry-run", "--json")
    assert code == 0, (out, err)
    report = json.loads(out)
    assert report["dry_run"] is True
    assert fx.NEW_FILE in report["added"]
    assert "ops/runbook.md" in report["merged"]
    assert fx.tree(project) == before
    assert fx.git(project, "status", "--porcelain") == ""


@pytest.mark.parametrize("dirt", ["modified", "untracked"])
def test_a_dirty_work_tree_is_refused_and_left_as_it_was(
    runner: CliRunner, project: Path, dirt: str
) -> None:
    if dirt == "modified":
        _edit(project / "ops/runbook.md", "Step 1:", "Step one:")
    else:
        (project / "scratch.txt").write_text("wip\n", encoding="utf-8")
    before = fx.tree(project)
    status = fx.git(project, "status", "--porcelain")
    code, out, err = _run(runner, "update", str(project))
    assert code == 2, (out, err)
    assert "uncommitted changes" in err
    assert "commit or stash" in err
    assert fx.tree(project) == before
    assert fx.git(project, "status", "--porcelain") == status


def test_a_folder_without_answers_is_not_a_generated_project(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, _, err = _run(runner, "update", str(tmp_path))
    assert code == 2
    assert "not a generated project" in err


def test_unknown_version_lists_the_known_ones(runner: CliRunner, project: Path) -> None:
    code, _, err = _run(runner, "update", str(project), "--to", "9.9.9")
    assert code == 2
    assert "v0.1.0, v0.2.0, v0.3.0" in err


def test_removing_python_is_refused(runner: CliRunner, project: Path) -> None:
    code, _, err = _run(runner, "update", str(project), "--remove-mode", "python")
    assert code == 2
    assert "always on" in err


def test_unknown_mode_is_refused(runner: CliRunner, project: Path) -> None:
    code, _, err = _run(runner, "update", str(project), "--add-mode", "turbo")
    assert code == 2
    assert "unknown mode 'turbo'" in err


def test_an_up_to_date_project_needs_nothing(
    runner: CliRunner, history: fx.History, tmp_path: Path
) -> None:
    project = fx.generate(history, "v0.3.0", tmp_path / "svc", [])
    code, out, _ = _run(runner, "update", str(project))
    assert code == 0
    assert out.startswith("Up to date")
    assert fx.git(project, "status", "--porcelain") == ""


def test_going_back_to_an_older_version_is_refused(
    runner: CliRunner, history: fx.History, tmp_path: Path
) -> None:
    project = fx.generate(history, "v0.3.0", tmp_path / "svc", [])
    code, _, err = _run(runner, "update", str(project), "--to", "v0.1.0")
    assert code == 2
    assert "not supported" in err


def test_a_teammates_project_updates_although_its_src_path_is_not_on_this_machine(
    runner: CliRunner, project: Path, history: fx.History
) -> None:
    answers = project / ".copier-answers.yml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(
        text.replace(f"_src_path: {history.repo}", "_src_path: /home/alice/.cache/x/template"),
        encoding="utf-8",
    )
    fx.commit_all(project, "Alice's machine")
    code, out, err = _run(runner, "update", str(project), "--to", "v0.2.0")
    assert code == 0, (out, err)
    assert f"_src_path: {history.repo}" in answers.read_text(encoding="utf-8")
    assert USER_FAR in (project / "ops/runbook.md").read_text(encoding="utf-8")
