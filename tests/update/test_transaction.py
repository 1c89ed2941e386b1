"""The journalled write of an update: all or nothing, a failed write undone, a kill recovered."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from forge_scaffold.errors import ForgeError
from forge_scaffold.update import transaction
from forge_scaffold.update.transaction import WORK_DIR, Journal, project_lock
from update import fixtures as fx

BEFORE = {"a.txt": b"old a\n", "sub/b.txt": b"old b\n", "gone/c.txt": b"c\n", "keep.txt": b"k\n"}


def _project(tmp_path: Path) -> tuple[Path, Path, Journal]:
    root, clone = tmp_path / "project", tmp_path / "clone"
    for relative, data in BEFORE.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (clone / "sub").mkdir(parents=True)
    (clone / "new").mkdir()
    (clone / "a.txt").write_bytes(b"new a\n")
    (clone / "sub" / "b.txt").write_bytes(b"new b\n")
    (clone / "new" / "d.txt").write_bytes(b"d\n")
    (clone / ".copier-answers.yml").write_bytes(b"_commit: v2\n")
    return root, clone, Journal(root, root / ".git")


WRITES = ["a.txt", ".copier-answers.yml", "sub/b.txt", "new/d.txt"]
AFTER = {
    "a.txt": b"new a\n",
    "sub/b.txt": b"new b\n",
    "new/d.txt": b"d\n",
    "keep.txt": b"k\n",
    ".copier-answers.yml": b"_commit: v2\n",
}


def test_apply_writes_everything_and_leaves_no_journal(tmp_path: Path) -> None:
    root, clone, journal = _project(tmp_path)
    journal.apply(clone, WRITES, ["gone/c.txt"])
    assert fx.tree(root) == AFTER
    assert not (root / "gone").exists()
    assert not (root / ".git" / WORK_DIR).exists()


def test_a_failed_write_is_undone_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, clone, journal = _project(tmp_path)
    real = transaction._copy

    def failing(source: Path, target: Path) -> None:
        if target == root / "sub" / "b.txt" and "new" in source.parts:
            raise PermissionError(1, "Operation not permitted")
        real(source, target)

    monkeypatch.setattr(transaction, "_copy", failing)
    with pytest.raises(ForgeError, match=r"cannot write .*sub/b\.txt: Operation not permitted"):
        journal.apply(clone, WRITES, ["gone/c.txt"])
    assert fx.tree(root) == BEFORE
    assert not (root / "new").exists()
    assert not (root / ".git" / WORK_DIR).exists()


def test_an_interrupt_while_writing_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, clone, journal = _project(tmp_path)
    real = transaction._copy

    def interrupted(source: Path, target: Path) -> None:
        if target == root / "new" / "d.txt":
            raise KeyboardInterrupt
        real(source, target)

    monkeypatch.setattr(transaction, "_copy", interrupted)
    with pytest.raises(ForgeError, match="interrupted: the update was undone") as caught:
        journal.apply(clone, WRITES, ["gone/c.txt"])
    assert caught.value.exit_code == 130
    assert fx.tree(root) == BEFORE


def test_a_journal_left_by_a_kill_is_undone_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, clone, journal = _project(tmp_path)
    real = transaction._copy
    written: list[Path] = []

    class Killed(BaseException):
        pass

    def killed(source: Path, target: Path) -> None:
        in_project = root / ".git" not in target.parents
        if in_project and len(written) == 2:
            raise Killed  # stands for SIGKILL: no cleanup runs
        real(source, target)
        if in_project:
            written.append(target)

    monkeypatch.setattr(transaction, "_copy", killed)
    monkeypatch.setattr(Journal, "_undo", lambda *_: None)
    with pytest.raises(Killed):
        journal.apply(clone, WRITES, ["gone/c.txt"])
    monkeypatch.undo()
    assert fx.tree(root) != BEFORE  # a mix on disk until the next run
    assert journal.pending()
    entry = json.loads((root / ".git" / WORK_DIR / "journal.json").read_text(encoding="utf-8"))
    assert entry["writes"][-1] == ".copier-answers.yml"  # the answers file goes last
    (root / f".a.txt.{os.getpid()}.forge-tmp").write_bytes(b"half")  # a copy cut short
    assert Journal(root, root / ".git").recover() == 5
    assert fx.tree(root) == BEFORE
    assert not journal.pending()


def test_the_lock_makes_a_second_holder_wait(tmp_path: Path) -> None:
    waited: list[bool] = []
    with project_lock(tmp_path, lambda: waited.append(True)):
        holder = subprocess.run(
            [
                "python",
                "-c",
                "import fcntl,sys; f=open(sys.argv[1],'a');"
                "sys.exit(0 if fcntl.flock(f, fcntl.LOCK_EX|fcntl.LOCK_NB) else 1)",
                str(tmp_path / transaction.LOCK_FILE),
            ],
            check=False,
            capture_output=True,
        )
        assert holder.returncode != 0  # BlockingIOError: the lock is held
    assert waited == []
