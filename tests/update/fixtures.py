"""A template release history built inside the tests: v0.1.0, v0.2.0 and v0.3.0 of a temp repo.

v0.1.0 is the working tree's template plus three files under `ops/` that the tests control.
v0.2.0 changes them the way real releases do: a line added near the top of a file and a line
changed far below it, a new file, a changed file, and a file moved to another folder (declared in
template_renames.yml). v0.3.0 changes one more line. Projects are generated with the CLI's own
render path, so `_src_path` and `_commit` are exactly what `forge-scaffold new` records.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import template_harness as harness

from forge_scaffold.catalog import load_catalog
from forge_scaffold.create import create_project
from forge_scaffold.new_request import NewAnswers
from forge_scaffold.update.cache import RENAMES_FILE, TemplateRelease, commit_release

VERSIONS = ("v0.1.0", "v0.2.0", "v0.3.0")
RUNBOOK = [
    "# Runbook for {{ project_name }}",
    "",
    *(f"Step {i}: check item {i}." for i in range(1, 31)),
]
SETUP = ["# Setting up {{ project_name }}", "", *(f"Setup line {i}." for i in range(1, 11))]
FAQ = ["# FAQ", "", "Q: Where are the logs?", "A: On stdout, as JSON."]
INSERTED = "Read the on-call policy before any step."
FAR_CHANGE = ("Step 25: check item 25.", "Step 25: check item 25 twice, then sign.")
SETUP_CHANGE = ("Setup line 9.", "Setup line 9, with uv.")
NEW_FILE = "ops/escalation.md"


@dataclass(frozen=True, slots=True)
class History:
    repo: Path

    def release(self, tag: str) -> TemplateRelease:
        return TemplateRelease(self.repo, tag)


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _replace(lines: list[str], old: str, new: str) -> list[str]:
    assert old in lines, old
    return [new if line == old else line for line in lines]


def build_history(root: Path) -> History:
    """Commit the three versions into a cache-style repository (cache.commit_release)."""
    source = harness.template_snapshot(root / "source")
    ops = source / "template" / "ops"
    _write(ops / "runbook.md.jinja", RUNBOOK)
    _write(ops / "setup.md.jinja", SETUP)
    _write(ops / "faq.md.jinja", FAQ)
    (source / RENAMES_FILE).write_text("renames: {}\n", encoding="utf-8")
    repo = root / "history"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    commit_release(repo, source, VERSIONS[0])

    runbook = [RUNBOOK[0], INSERTED, *RUNBOOK[1:]]
    _write(ops / "runbook.md.jinja", _replace(runbook, *FAR_CHANGE))
    (ops / "setup.md.jinja").unlink()
    _write(ops / "install" / "setup.md.jinja", _replace(SETUP, *SETUP_CHANGE))
    _write(ops / "faq.md.jinja", [*FAQ, "Q: Where are the metrics?", "A: /health."])
    _write(ops / "escalation.md.jinja", ["# Escalation", "", "Page the owning team."])
    (source / RENAMES_FILE).write_text(
        'renames:\n  "0.2.0":\n    ops/setup.md: ops/install/setup.md\n', encoding="utf-8"
    )
    commit_release(repo, source, VERSIONS[1])

    _write(ops / "escalation.md.jinja", ["# Escalation", "", "Page the owning team, then log it."])
    commit_release(repo, source, VERSIONS[2])
    return History(repo)


def generate(history: History, tag: str, dest: Path, modes: list[str]) -> Path:
    """Render `tag` with the CLI's render path and commit it, as `forge-scaffold new` does."""
    catalog = load_catalog()
    answers = {"project_name": "Demo Svc", "expert_modes": catalog.normalise(modes)}
    create_project(
        history.release(tag),
        dest,
        NewAnswers(answers, {}, answers["expert_modes"]),
        defaults=True,
        questions=catalog.questions,
        commit_as="tests",
    )
    return dest


GIT_IDENTITY = ("-c", "user.name=Team", "-c", "user.email=team@example.com")


def commit_all(project: Path, message: str) -> None:
    """Stage everything and commit it as the team, without running any hook the project has."""
    git(project, "add", "-A")
    git(project, *GIT_IDENTITY, "commit", "-q", "--no-verify", "-m", message)


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=True
    ).stdout


def copy_project(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root but .git, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
