"""The release history: the bundle script is reproducible and appends; the cache imports it;
every version in the shipped bundle updates to the installed one into a project whose tests pass."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
import template_harness as harness
from typer.testing import CliRunner

from forge_scaffold import __version__
from forge_scaffold.cli import app
from forge_scaffold.update.cache import (
    HISTORY_BUNDLE,
    RENAMES_FILE,
    commit_release,
    ensure_release,
    import_history,
    tag_digest,
    template_digest,
)
from forge_scaffold.update.history import Version, known_versions
from update import fixtures as fx

SCRIPT = harness.REPO / "scripts" / "release_history.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release_history", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


# Released entries of the shipped bundle and their commit ids: frozen forever. A release adds its
# line here in the commit that appends it to the bundle.
RELEASED = {
    "v0.1.0": "c3ff9134c0e7aac27301a9effb32f5f45579bcb5",
    "v0.2.0": "47ebc804390aa8b58892d2b2e8b78a28e4fe3766",
    "v0.3.0": "4902f5b2398b90620b076bad1437f12a8e899fb0",
    "v0.3.1": "12e40c4d1c47202fdc3a2e6478dfb47d23b295d4",
    "v0.4.0": "ed83840c6ee4ae542ab9986ae58bb39907781a25",
    "v0.4.1": "dfe1d1b9ef151ebd6b55b6d2df57da43cc58b990",
    "v0.5.0": "7302cf8417e6fcb76939267e932d3d2c29eddfa8",
    "v0.6.0": "e5404fb645374ab7348f624aa33cab6dcc7ca4ec",
    "v0.7.0": "678c52599d754fcfd686b1899f3245b360898644",
    "v0.7.1": "fd5dc6fa394eb8d159418eb4996d520736cf4101",
    "v0.7.2": "5d08bc3e4642acd21fea724aa6cf4a542a3c527e",
}


@pytest.fixture
def forge_repo(tmp_path: Path) -> Path:
    """A stand-in for this repository at its 0.1.0 release (untagged: the bundle is the history)."""
    repo = harness.template_snapshot(tmp_path / "forge")
    (repo / RENAMES_FILE).write_text("renames: {}\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    fx.commit_all(repo, "Release 0.1.0")
    return repo


def _work_towards_next(repo: Path) -> None:
    extra = repo / "template" / "NOTES.md.jinja"
    extra.write_text("Notes for {{ project_name }}\n", encoding="utf-8")
    fx.commit_all(repo, "Work towards 0.2.0")


def test_a_release_appends_to_the_committed_bundle_reproducibly(
    script: ModuleType, forge_repo: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    repo, first = script.build(bundle, forge_repo, "0.1.0", "HEAD", tmp_path / "a")
    script.write_bundle(repo, list(first), bundle)
    _work_towards_next(forge_repo)
    # A development version adds nothing: only releases have entries.
    _, dev = script.build(bundle, forge_repo, "0.2.0.dev0", "HEAD", tmp_path / "d")
    assert dev == first
    repo, second = script.build(bundle, forge_repo, "0.2.0", "HEAD", tmp_path / "b")
    _, again = script.build(bundle, forge_repo, "0.2.0", "HEAD", tmp_path / "c")
    assert list(first) == ["v0.1.0"]
    assert list(second) == ["v0.1.0", "v0.2.0"]
    assert second["v0.1.0"] == first["v0.1.0"]  # appending keeps the released commit
    assert again == second  # same content, same ids
    assert _git(repo, "rev-parse", "v0.2.0^") == second["v0.1.0"]
    assert tag_digest(repo, "v0.2.0") == template_digest(forge_repo)
    # The bundle's first commit is the very commit a cache makes for the same template.
    cache = tmp_path / "cache"
    cache.mkdir()
    _git(cache, "init", "-q", "-b", "main")
    checkout = tmp_path / "v0.1.0"
    script._extract(forge_repo, "HEAD~1", checkout)
    assert commit_release(cache, checkout, "v0.1.0") == first["v0.1.0"]


def test_a_released_entry_is_never_rewritten_and_history_only_grows(
    script: ModuleType, forge_repo: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    repo, commits = script.build(bundle, forge_repo, "0.2.0", "HEAD", tmp_path / "a")
    script.write_bundle(repo, list(commits), bundle)
    _work_towards_next(forge_repo)
    with pytest.raises(script.ReleaseError, match=r"v0\.2\.0 is released"):
        script.build(bundle, forge_repo, "0.2.0", "HEAD", tmp_path / "b")
    with pytest.raises(script.ReleaseError, match=r"older than the newest release v0\.2\.0"):
        script.build(bundle, forge_repo, "0.1.5", "HEAD", tmp_path / "c")


def test_the_cache_imports_the_bundle_before_tagging_the_installed_version(
    script: ModuleType, forge_repo: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "template.bundle"
    repo, commits = script.build(bundle, forge_repo, "0.1.0", "HEAD", tmp_path / "a")
    script.write_bundle(repo, list(commits), bundle)
    _work_towards_next(forge_repo)
    repo, commits = script.build(bundle, forge_repo, "0.2.0", "HEAD", tmp_path / "b")
    script.write_bundle(repo, list(commits), bundle)
    installed = tmp_path / "v0.2.0"
    script._extract(forge_repo, "HEAD", installed)

    release = ensure_release(installed, "0.2.0", root=tmp_path / "cache", bundle=bundle)
    assert known_versions(release.repo) == ["v0.1.0", "v0.2.0"]
    # The installed version matched the bundle: no new commit, the same ids as the release.
    assert _git(release.repo, "rev-parse", "v0.1.0") == commits["v0.1.0"]
    assert _git(release.repo, "rev-parse", "v0.2.0") == commits["v0.2.0"]
    assert _git(release.repo, "rev-list", "--all", "--count") == "2"


def test_the_shipped_bundle_keeps_every_released_entry_unchanged(script: ModuleType) -> None:
    shipped = script.bundled(HISTORY_BUNDLE)
    for tag, commit in RELEASED.items():
        assert shipped.get(tag) == commit, f"the released entry {tag} was rewritten or dropped"
    assert set(shipped) == set(RELEASED), "a bundle entry is missing from RELEASED (or vice versa)"


def test_the_shipped_bundle_holds_the_installed_release_and_nothing_newer() -> None:
    tags = _bundle_tags()
    installed = Version(__version__)
    if installed.is_release:
        assert tags[-1] == f"v{__version__}"
    else:  # a development version: every entry is an earlier release
        assert Version(tags[-1]) < installed


def test_a_released_installed_version_is_this_template_in_the_bundle(tmp_path: Path) -> None:
    """A released wheel must carry its own template in its history: a stale bundle would make a
    project generated by this version un-updatable by the next one on another machine. A
    development version is committed into the cache from the installed template instead."""
    repo = tmp_path / "history"
    repo.mkdir()
    _git(repo, "init", "-q")
    import_history(repo, HISTORY_BUNDLE)
    tag = f"v{__version__}"
    if Version(__version__).is_release:
        assert tag_digest(repo, tag) == template_digest(harness.REPO), (
            f"the bundle's {tag} is not this template: run scripts/release_history.py"
        )
    else:
        assert tag_digest(repo, tag) is None


def _bundle_tags() -> list[str]:
    heads = _git(harness.REPO, "bundle", "list-heads", str(HISTORY_BUNDLE)).splitlines()
    return sorted((line.split()[1].removeprefix("refs/tags/") for line in heads), key=Version)


@pytest.mark.slow
@pytest.mark.parametrize("tag", _bundle_tags())
def test_every_released_version_updates_to_a_project_whose_tests_pass(
    tag: str, tmp_path: Path, runner: CliRunner
) -> None:
    # Each released version, exactly as the bundle holds it, in a history of its own.
    history = tmp_path / "history"
    subprocess.run(["git", "clone", "-q", str(HISTORY_BUNDLE), str(history)], check=True)
    project = fx.generate(fx.History(history), tag, tmp_path / "svc", ["async", "memory"])

    result = runner.invoke(app, ["update", str(project), "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"_commit: v{__version__}" in (project / ".copier-answers.yml").read_text("utf-8")
    # The updated project's own dependencies (the update may add some the old release lacked).
    venv = harness.shared_venv(project)
    checked = harness.run_check(venv, project, "pytest")
    assert checked.returncode == 0, checked.stdout[-5000:] + checked.stderr[-2000:]


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("v0.1.0", "v0.2.0.dev0"),
        ("v0.2.0.dev0", "v0.2.0.dev1"),
        ("v0.2.0.dev1", "v0.2.0"),
        ("v0.2.0", "v0.2.0-3-gabc1234"),
        ("v0.2.0-3-gabc1234", "v0.2.1.dev0"),
        ("v0.9.0", "v0.10.0"),
    ],
)
def test_versions_order_development_before_release_before_later_commits(
    older: str, newer: str
) -> None:
    assert Version(older) < Version(newer)
    assert Version("v0.2.0").is_release
    assert not Version("v0.2.0.dev0").is_release
    assert not Version("v0.2.0-3-gabc1234").is_release
    assert Version("v0.2.0.dev0-2-gabc").tag == "v0.2.0.dev0"
