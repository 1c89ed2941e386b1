"""The installed version against the real release history: `status` offers it to projects of every
earlier release, `update` refuses to go back, and appending the next release to the shipped bundle
keeps every released entry's commit."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import template_harness as harness
from typer.testing import CliRunner
from update import fixtures as fx

from forge_scaffold import __version__
from forge_scaffold.cli import app
from release import projects as rp

INSTALLED = f"v{__version__}"
OLDEST = rp.earlier_releases()[0]


@pytest.fixture(scope="module")
def release_script() -> ModuleType:
    path = harness.REPO / "scripts" / "release_history.py"
    spec = importlib.util.spec_from_file_location("release_history_for_release", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("release", rp.earlier_releases())
def test_status_of_an_earlier_release_offers_the_installed_version(
    release: str, runner: CliRunner, tmp_path: Path
) -> None:
    fresh = rp.new_project(runner, tmp_path / "fresh", [])
    project = rp.old_project(fresh, release, tmp_path / "old")

    result = runner.invoke(app, ["status", str(project), "--json"])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["template_version"] == release
    assert report["installed_version"] == INSTALLED
    assert report["latest_version"] == INSTALLED
    assert report["update_available"] is True

    text = runner.invoke(app, ["status", str(project)])
    assert text.exit_code == 1, text.stderr
    assert f"newer: {INSTALLED}" in text.stdout


def test_update_to_an_earlier_release_is_refused_as_a_downgrade(
    runner: CliRunner, tmp_path: Path
) -> None:
    project = rp.new_project(runner, tmp_path / "svc", ["architecture"])
    before = fx.tree(project)
    for extra in ([], ["--json"]):
        result = runner.invoke(
            app, ["update", str(project), "--to", OLDEST.removeprefix("v"), *extra]
        )
        assert result.exit_code == 2, (result.stdout, result.stderr)
        message = result.stderr.strip()
        assert len(message.splitlines()) == 1, message
        assert INSTALLED in message
        assert OLDEST in message
        assert "Traceback" not in result.stderr
    assert fx.tree(project) == before
    assert fx.git(project, "status", "--porcelain") == ""


def test_appending_the_next_release_keeps_every_released_commit(
    release_script: ModuleType, tmp_path: Path
) -> None:
    """What the integrator's `scripts/release_history.py` run does to the shipped bundle, on a copy:
    the installed template appended as the next release, every earlier entry's id unchanged."""
    bundle = Path(shutil.copy2(rp.BUNDLE, tmp_path / "template.bundle"))
    shipped = release_script.bundled(bundle)
    source = harness.template_snapshot(tmp_path / "forge")
    shutil.copy2(harness.REPO / "template_renames.yml", source / "template_renames.yml")
    subprocess.run(["git", "init", "-q", "-b", "main", str(source)], check=True)
    fx.commit_all(source, "The template of the next release")
    numbers = __version__.split(".dev")[0]
    tag = f"v{numbers}"
    if tag in shipped:  # the installed version is released: the next one is a patch after it
        major, minor, patch = (int(n) for n in numbers.split("."))
        tag = f"v{major}.{minor}.{patch + 1}"

    repo, commits = release_script.build(
        bundle, source, tag.removeprefix("v"), "HEAD", tmp_path / "work"
    )
    release_script.write_bundle(repo, list(commits), bundle)

    after = release_script.bundled(bundle)
    assert list(after) == [*shipped, tag]
    assert {t: after[t] for t in shipped} == shipped
    newest = list(shipped)[-1]
    assert fx.git(repo, "rev-parse", f"{tag}^").strip() == shipped[newest]
