"""The CLI as a real process, for tests that signal it at a chosen moment or run two at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

POLL = 0.005  # seconds between looks for the moment to signal
PATIENCE = 120.0  # seconds a moment may take to come on a busy 2-core machine


@dataclass(frozen=True, slots=True)
class Ended:
    code: int
    stdout: str
    stderr: str


def environment(cache: Path, temp: Path) -> dict[str, str]:
    temp.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "FORGE_SCAFFOLD_CACHE": str(cache), "TMPDIR": str(temp)}


def start(args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "forge_scaffold", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a signal reaches this process only, as `kill PID` would
    )


def finish(process: subprocess.Popen[str]) -> Ended:
    stdout, stderr = process.communicate(timeout=PATIENCE)
    return Ended(process.returncode, stdout, stderr)


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Ended:
    return finish(start(args, env, cwd))


def signal_when(
    process: subprocess.Popen[str], moment: Callable[[], bool], signum: signal.Signals
) -> bool:
    """Send `signum` as soon as `moment()` holds; False if the process ended first."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if moment():
            process.send_signal(signum)
            return True
        if process.poll() is not None:
            return False
        time.sleep(POLL)
    process.kill()
    raise AssertionError("the moment to signal never came")


def exists_glob(folder: Path, pattern: str) -> Callable[[], bool]:
    return lambda: folder.is_dir() and any(folder.glob(pattern))
