"""The plan of an update: mode switches, target version, downgrade and no-op rules, clean tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from forge_scaffold.catalog import load_catalog
from forge_scaffold.errors import ProjectError, UsageError
from forge_scaffold.update.answers import GeneratedProject
from forge_scaffold.update.cache import TemplateRelease
from forge_scaffold.update.plan import (
    choose_modes,
    choose_target,
    dirty_paths,
    plan_update,
    require_clean,
)

KNOWN = ["v0.1.0", "v0.2.0", "v0.3.0"]
CACHE = Path("/cache/template")


def _project(commit: str = "v0.2.0", src: str = str(CACHE)) -> GeneratedProject:
    return GeneratedProject(Path("/p"), commit, src, {"expert_modes": ["python", "async"]})


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)


def test_modes_switch_in_catalog_order_and_report_inactive_removals() -> None:
    catalog = load_catalog()
    modes, inactive = choose_modes(["python", "async"], ["testing", "memory"], [], catalog)
    assert modes == ["python", "async", "memory", "testing"]
    assert inactive == []
    modes, inactive = choose_modes(["python", "async"], [], ["async", "memory"], catalog)
    assert (modes, inactive) == (["python"], ["memory"])


@pytest.mark.parametrize(
    ("add", "remove", "message"),
    [
        ([], ["python"], "always on"),
        (["memory"], ["memory"], "both added and removed"),
        (["nope"], [], "unknown mode"),
    ],
)
def test_a_bad_mode_switch_is_refused(add: list[str], remove: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        choose_modes(["python"], add, remove, load_catalog())


def test_the_target_is_the_installed_version_or_a_known_one() -> None:
    assert choose_target(None, "v0.3.0", KNOWN) == "v0.3.0"
    assert choose_target("0.2.0", "v0.3.0", KNOWN) == "v0.2.0"
    assert choose_target("v0.1.0", "v0.3.0", KNOWN) == "v0.1.0"
    with pytest.raises(UsageError, match=r"known versions: v0\.1\.0, v0\.2\.0, v0\.3\.0"):
        choose_target("0.9.0", "v0.3.0", KNOWN)


def test_going_back_is_refused_and_the_same_version_and_modes_is_a_no_op() -> None:
    release = TemplateRelease(CACHE, "v0.3.0")
    project = _project()
    with pytest.raises(UsageError, match=r"going back to v0\.1\.0"):
        plan_update(project, project.modes, release, KNOWN, "v0.1.0", Path("p"))
    assert plan_update(project, project.modes, release, KNOWN, "v0.2.0", Path("p")).no_op
    assert not plan_update(project, ["python"], release, KNOWN, "v0.2.0", Path("p")).no_op
    assert not plan_update(project, project.modes, release, KNOWN, None, Path("p")).no_op
    moved = _project(src="/elsewhere")
    assert not plan_update(moved, moved.modes, release, KNOWN, "v0.2.0", Path("p")).no_op


def test_dirty_paths_list_changed_and_untracked_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not a git repository"):
        dirty_paths(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    with pytest.raises(ProjectError, match="no commit yet"):
        dirty_paths(tmp_path)
    (tmp_path / "a.txt").write_text("a\n", encoding="utf-8")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "a")
    assert dirty_paths(tmp_path) == []
    require_clean(tmp_path, tmp_path)
    (tmp_path / "a.txt").write_text("b\n", encoding="utf-8")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "b.txt").write_text("b\n", encoding="utf-8")
    assert sorted(dirty_paths(tmp_path)) == ["a.txt", "new/b.txt"]
    with pytest.raises(UsageError, match=r"uncommitted changes \(2: "):
        require_clean(tmp_path, tmp_path)
