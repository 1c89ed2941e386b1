"""`update --remove-mode` at a terminal: edited files are listed and the user is asked first.

CliRunner has no terminal, so these tests run the installed command on a pseudo-terminal and
answer its question the way a person would.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forge_scaffold.cli import app
from update import fixtures as fx

COMMAND = Path(sys.executable).parent / "forge-scaffold"
QUESTION = b"Delete them anyway?"
TIMEOUT_S = 120.0  # an update renders twice; a noisy machine can be slow


def in_terminal(args: list[str], cwd: Path, answer: bytes) -> tuple[int, str]:
    """Run `args` with a pseudo-terminal as stdin/stdout/stderr; type `answer` at the question."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=follower, stdout=follower, stderr=follower, close_fds=True
    )
    os.close(follower)
    output, asked = b"", False
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the command exited and closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if not asked and QUESTION in output:
                os.write(leader, answer + b"\n")
                asked = True
        returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    assert asked, f"the command never asked:\n{output.decode(errors='replace')}"
    return returncode, output.decode(errors="replace")


@pytest.fixture
def edited_memory_project(runner: CliRunner, tmp_path: Path) -> Path:
    """A memory-mode project whose owners tuned the memory guard, committed."""
    project = tmp_path / "svc"
    made = runner.invoke(app, ["new", str(project), "--defaults", "--mode", "memory"])
    assert made.exit_code == 0, made.output
    guard = next(project.glob("src/*/guard.py"))
    guard.write_text(guard.read_text(encoding="utf-8") + "# tuned for our hosts\n", "utf-8")
    fx.commit_all(project, "Tune the guard")
    return project


def test_answering_no_lists_the_edits_and_changes_nothing(edited_memory_project: Path) -> None:
    project = edited_memory_project
    before = fx.tree(project)
    code, output = in_terminal(
        [str(COMMAND), "update", "--remove-mode", "memory"], project, answer=b"n"
    )
    assert code == 2, output
    guard = next(project.glob("src/*/guard.py")).relative_to(project).as_posix()
    assert f"  {guard}" in output  # the edited file is listed before the question
    assert "nothing changed" in output
    assert "Traceback" not in output
    assert fx.tree(project) == before
    assert fx.git(project, "status", "--porcelain") == ""


def test_answering_yes_removes_the_mode(edited_memory_project: Path) -> None:
    project = edited_memory_project
    code, output = in_terminal(
        [str(COMMAND), "update", "--remove-mode", "memory"], project, answer=b"y"
    )
    assert code == 0, output
    assert not list(project.glob("src/*/guard.py"))
    assert not (project / "tests" / "test_guard.py").exists()
