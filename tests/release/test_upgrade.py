"""Every earlier release upgrades to the installed version on a project a team has edited.

For each release in the wheel's history bundle older than the installed version, and for the
python-only, architecture-only and all-modes projects: generate at that release, make the edits
teams make (team_edits.py places them by diffing the two renders), commit, then update one copy
with `forge-scaffold update` and another with plain `copier update` against the same template
cache. Both must give the same files; the one edit on a line the template also changes must be
the only conflict, listed and counted (exit 1); resolved in the template's favour, the project
must be exactly the fresh render plus the team's edits and pass its own ruff, ruff format,
mypy --strict and pytest.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest
import template_harness as harness
from typer.testing import CliRunner
from update import fixtures as fx

from forge_scaffold import __version__
from forge_scaffold.cli import app
from release import projects as rp
from release import team_edits

pytestmark = pytest.mark.slow

INSTALLED = f"v{__version__}"


def _differences(got: dict[str, bytes], want: dict[str, bytes]) -> str:
    lines = [f"only in the update: {p}" for p in sorted(got.keys() - want.keys())]
    lines += [f"missing after the update: {p}" for p in sorted(want.keys() - got.keys())]
    for path in sorted(got.keys() & want.keys()):
        if got[path] != want[path]:
            diff = difflib.unified_diff(
                want[path].decode(errors="replace").splitlines(),
                got[path].decode(errors="replace").splitlines(),
                f"expected/{path}",
                f"updated/{path}",
                lineterm="",
            )
            lines += list(diff)[:40]
    return "\n".join(lines)


def _copier_update(project: Path) -> None:
    """Plain `copier update`, as a team without forge-scaffold runs it, on the same cache."""
    import copier  # noqa: PLC0415 - slow import

    copier.run_update(
        str(project),
        vcs_ref=INSTALLED,
        defaults=True,
        overwrite=True,
        conflict="inline",
        unsafe=False,
        quiet=True,
    )


@pytest.mark.parametrize("modes", list(rp.MODE_SETS))
@pytest.mark.parametrize("release", rp.earlier_releases())
def test_an_edited_project_upgrades_keeping_every_edit(
    release: str, modes: str, tmp_path: Path, runner: CliRunner, shared_venv: Path
) -> None:
    fresh = rp.new_project(runner, tmp_path / "fresh", rp.MODE_SETS[modes])
    package = rp.answers(fresh)["package_name"]
    old = rp.old_project(fresh, release, tmp_path / "old")
    plan = team_edits.plan(old, fresh, package)
    plan.apply(old)
    fx.commit_all(old, "Team edits")
    expected = fx.copy_project(fresh, tmp_path / "expected")
    plan.apply(expected, collide=False)

    # forge-scaffold update on one copy ...
    forge = fx.copy_project(old, tmp_path / "forge")
    result = runner.invoke(app, ["update", str(forge), "--json"])
    report = json.loads(result.stdout)
    collision = plan.collision
    want_conflicts = [] if collision is None else [collision.path]
    assert result.exit_code == (1 if collision else 0), result.stderr
    assert report["from_version"] == release
    assert report["to_version"] == INSTALLED
    assert report["conflicts"] == want_conflicts
    assert rp.conflicted(forge) == want_conflicts
    assert "Traceback" not in result.stderr
    if collision is not None:
        assert re.search(r"\b1 conflicts? remains?\b", result.stderr), result.stderr
        assert collision.path in result.stderr
        text = (forge / collision.path).read_text(encoding="utf-8")
        assert collision.lines[0] in text.splitlines(), "the team's side of the conflict is lost"
        assert text.count("<<<<<<< ") == 1

    # ... plain copier update on another: the same files, the same single conflict.
    plain = fx.copy_project(old, tmp_path / "plain")
    _copier_update(plain)
    assert rp.conflicted(plain) == want_conflicts
    assert fx.tree(plain) == fx.tree(forge), _differences(fx.tree(plain), fx.tree(forge))

    # Resolved for the template, the project is the fresh render plus every team edit.
    for path in want_conflicts:
        rp.take_theirs(forge / path)
    assert not (forge / plan.deleted).exists(), "a file the team deleted came back"
    for path, text in plan.new_files.items():
        assert (forge / path).read_text(encoding="utf-8") == text
    for edit in plan.edits:
        lines = (forge / edit.path).read_text(encoding="utf-8").splitlines()
        assert all(line in lines for line in edit.lines), f"{edit.what} lost in {edit.path}"
    got, want = fx.tree(forge), fx.tree(expected)
    assert got == want, _differences(got, want)

    # A changed default reaches what is derived from the settings (0.2.0: docs/settings.md).
    rp.regenerate_derived_files(shared_venv, forge)
    for name in harness.PROJECT_CHECKS:
        checked = harness.run_check(shared_venv, forge, name)
        output = checked.stdout[-6000:] + checked.stderr[-3000:]
        assert checked.returncode == 0, f"{name} failed on the upgraded project:\n{output}"
