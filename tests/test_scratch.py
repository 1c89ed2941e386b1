"""Scratch folders: one per run under one root, `tempfile`'s default while it lasts, and swept
by the next run once its process is gone."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from forge_scaffold import scratch


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_run_works_in_its_own_folder_and_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    root = scratch.scratch_root()
    assert root == tmp_path / f"forge-scaffold-{os.getuid()}"
    before = tempfile.tempdir
    with scratch.scratch_space() as mine:
        assert mine.parent == root
        assert mine.name.startswith(f"{os.getpid()}-")
        assert Path(tempfile.mkdtemp()).parent == mine  # Copier's scratch lands here too
    assert tempfile.tempdir == before
    assert not mine.exists()


def test_folders_of_processes_that_are_gone_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    root = scratch.scratch_root()
    stale = root / f"{_dead_pid()}-killed"
    alive = root / f"{os.getppid()}-running"
    other = root / "not-ours"
    for folder in (stale, alive, other):
        (folder / "clone").mkdir(parents=True)
    with scratch.scratch_space():
        assert not stale.exists()
    assert alive.is_dir()
    assert other.is_dir()
    assert scratch.alive(os.getpid())
    assert not scratch.alive(_dead_pid())
