"""Projects at real releases: the installed version through `forge-scaffold new`, and every earlier
release exactly as the wheel's history bundle holds it, rendered from the same template cache.

Only the CLI and plain Copier are used (no forge_scaffold internals), so these helpers hold however
the update code is organised.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from packaging.version import Version
from typer.testing import CliRunner
from update.fixtures import commit_all, git, tree

from forge_scaffold import __version__
from forge_scaffold.cli import app

NAME = "Demo Svc"
ANSWERS = ".copier-answers.yml"
BUNDLE = Path(str(files("forge_scaffold") / "_history" / "template.bundle"))
MODE_SETS = {
    "python": [],
    "architecture": ["architecture"],
    "all": ["async", "memory", "testing", "architecture"],
}


def earlier_releases() -> list[str]:
    """Release tags in the wheel's history bundle older than the installed version."""
    heads = subprocess.run(
        ["git", "bundle", "list-heads", str(BUNDLE)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    tags = [line.split()[1].removeprefix("refs/tags/") for line in heads]
    return sorted((t for t in tags if Version(t) < Version(__version__)), key=Version)


def answers(project: Path) -> dict[str, Any]:
    loaded = yaml.safe_load((project / ANSWERS).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def new_project(runner: CliRunner, dest: Path, modes: list[str]) -> Path:
    """`forge-scaffold new` at the installed version, exactly as a user runs it."""
    args = ["new", str(dest), "--name", NAME, "--defaults", "--json"]
    for mode in modes:
        args += ["--mode", mode]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)  # the report is JSON
    return dest


def old_project(fresh: Path, release: str, dest: Path) -> Path:
    """The same answers as `fresh`, rendered at `release` from its template cache and committed
    (what `forge-scaffold new` of that release made)."""
    import copier  # noqa: PLC0415 - slow import

    recorded = answers(fresh)
    data = {key: value for key, value in recorded.items() if not key.startswith("_")}
    copier.run_copy(
        recorded["_src_path"], str(dest), vcs_ref=release, data=data, defaults=True, quiet=True
    )
    assert answers(dest)["_commit"] == release
    git(dest, "init", "-q", "-b", "main")
    commit_all(dest, f"Generate {NAME} at {release}")
    return dest


def conflicted(root: Path) -> list[str]:
    """Files holding an inline conflict block, or a rejected hunk."""
    return sorted(
        path
        for path, data in tree(root).items()
        if path.endswith(".rej") or any(line.startswith(b"<<<<<<< ") for line in data.splitlines())
    )


def take_theirs(path: Path) -> None:
    """Resolve every conflict block of a file in favour of the template (the part after =======)."""
    kept: list[str] = []
    side: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            side = "ours"
        elif side is not None and line.startswith(("||||||| ", "=======")):
            side = "theirs" if line.startswith("=======") else "base"
        elif side is not None and line.startswith(">>>>>>> "):
            side = None
        elif side in (None, "theirs"):
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")


_REGENERATE = re.compile(r"""os\.environ\.get\(["'](UPDATE_[A-Z0-9_]+)["']\) == ["']1["']""")


def regenerate_derived_files(venv: Path, project: Path) -> list[str]:
    """Run each of the project's own tests that rewrites a derived file when its `UPDATE_*=1`
    variable is set (a settings document, say), as a team does after changing what it derives
    from; return the variables used."""
    used = []
    for test in sorted((project / "tests").glob("test_*.py")):
        for variable in sorted(set(_REGENERATE.findall(test.read_text(encoding="utf-8")))):
            env = {
                **os.environ,
                variable: "1",
                "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
                "PYTHONPATH": str(project / "src"),
            }
            args = [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            subprocess.run(
                [*args, str(test)], cwd=project, env=env, capture_output=True, check=False
            )
            used.append(variable)
    return used
