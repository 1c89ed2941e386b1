"""The release acceptance path: from the built wheel, installed in a fresh venv and run offline, a
project of every earlier release that a team has edited updates with no lost line, one counted
conflict, and its own checks pass once that conflict is resolved."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import template_harness as harness
from release import projects as rp
from release import team_edits
from update import fixtures as fx

from forge_scaffold import __version__

pytestmark = pytest.mark.slow

UV = shutil.which("uv") or "uv"
RENDER_AT = """
import json, sys

import copier

copier.run_copy(sys.argv[1], sys.argv[2], vcs_ref=sys.argv[3], data=json.loads(sys.argv[4]),
                defaults=True, quiet=True)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the built wheel and its dependencies; its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(root), str(harness.REPO)], check=True)
    (wheel,) = root.glob("forge_scaffold-*.whl")
    subprocess.run([UV, "venv", "-q", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    subprocess.run([UV, "pip", "install", "-q", "--python", str(python), str(wheel)], check=True)
    return root / "venv" / "bin"


def _run(args: list[str], env: dict[str, str], codes: tuple[int, ...] = (0,)) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert result.returncode in codes, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.mark.parametrize("release", rp.earlier_releases())
def test_the_installed_wheel_upgrades_an_edited_project_offline(
    release: str, installed: Path, shared_venv: Path, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT", "FORGE_"))
    }
    # No network: every proxy points at a closed port; a cache of its own.
    env |= {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    env["FORGE_SCAFFOLD_CACHE"] = str(tmp_path / "cache")
    forge = str(installed / "forge-scaffold")
    fresh = tmp_path / "fresh"
    new = [forge, "new", str(fresh), "--defaults", "--name", rp.NAME]
    _run(new + [arg for mode in rp.MODE_SETS["architecture"] for arg in ("--mode", mode)], env)
    recorded = rp.answers(fresh)
    assert recorded["_commit"] == f"v{__version__}"
    data = {key: value for key, value in recorded.items() if not key.startswith("_")}
    project = tmp_path / "svc"
    render = [str(installed / "python"), "-c", RENDER_AT, recorded["_src_path"], str(project)]
    _run([*render, release, json.dumps(data)], env)
    fx.git(project, "init", "-q", "-b", "main")
    fx.commit_all(project, f"Generate at {release}")
    plan = team_edits.plan(project, fresh, recorded["package_name"])
    plan.apply(project)
    fx.commit_all(project, "Team edits")
    expected = fx.copy_project(fresh, tmp_path / "expected")
    plan.apply(expected, collide=False)

    conflicts = [] if plan.collision is None else [plan.collision.path]
    report = json.loads(_run([forge, "update", str(project), "--json"], env, (0, 1)))
    assert report["to_version"] == f"v{__version__}"
    assert report["conflicts"] == conflicts
    assert rp.conflicted(project) == conflicts
    for path in conflicts:
        rp.take_theirs(project / path)
    assert fx.tree(project) == fx.tree(expected)
    # A changed default reaches what is derived from the settings (0.2.0: docs/settings.md).
    rp.regenerate_derived_files(shared_venv, project)
    for name in harness.PROJECT_CHECKS:
        checked = harness.run_check(shared_venv, project, name)
        output = checked.stdout[-6000:] + checked.stderr[-3000:]
        assert checked.returncode == 0, f"{name} failed on the upgraded project:\n{output}"
