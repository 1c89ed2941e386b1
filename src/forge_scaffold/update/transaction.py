"""Write an update's result so that an interruption leaves the project as it was or as the update
leaves it, never a mix; and a per-project lock so two updates never interleave.

Before the first write, the new files and a backup of every file to be replaced or removed go into
`<git dir>/forge-scaffold-update/`, and a journal naming them is renamed into place. Each file is
then written under a temporary name and renamed over the old one, the answers file last. Once all
are written the journal is deleted. A failure or signal undoes what was written; a run killed
outright leaves the journal, and the next update undoes it first (then updates as if anew).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forge_scaffold import signals
from forge_scaffold.errors import ForgeError
from forge_scaffold.update.answers import ANSWERS_FILE

__all__ = ["LOCK_FILE", "WORK_DIR", "Journal", "project_lock"]

LOCK_FILE = "forge-scaffold-update.lock"
WORK_DIR = "forge-scaffold-update"
_JOURNAL = "journal.json"
_TEMP_SUFFIX = ".forge-tmp"
# Fault injection for the interruption tests, as git's GIT_TEST_* variables: a pause after each
# file written, so a test can signal the process while the journal is open. Unset: no pause.
TEST_WRITE_PAUSE = "FORGE_SCAFFOLD_TEST_WRITE_PAUSE_S"


@contextmanager
def project_lock(git_dir: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the project's update lock; call `waiting` once if another update holds it."""
    with (git_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _copy(source: Path, target: Path) -> None:
    """Put a copy of `source` at `target` in one rename (a symlink stays a symlink)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}{_TEMP_SUFFIX}")
    temporary.unlink(missing_ok=True)
    shutil.copy2(source, temporary, follow_symlinks=False)
    temporary.replace(target)


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _same(one: Path, other: Path) -> bool:
    """The same symlink target or the same bytes (a restore that is not needed)."""
    if one.is_symlink() or other.is_symlink():
        return one.is_symlink() and other.is_symlink() and one.readlink() == other.readlink()
    return one.is_file() and other.is_file() and one.read_bytes() == other.read_bytes()


def _prune(path: Path, root: Path) -> None:
    """Remove the empty folders above a removed file, up to the project root."""
    for parent in path.parents:
        if parent == root or not parent.is_dir() or any(parent.iterdir()):
            break
        parent.rmdir()


@dataclass(frozen=True, slots=True)
class Journal:
    """The update's scratch area in the project's git directory."""

    root: Path
    git_dir: Path

    @property
    def folder(self) -> Path:
        return self.git_dir / WORK_DIR

    def pending(self) -> bool:
        """Whether an earlier update was stopped while writing."""
        return (self.folder / _JOURNAL).is_file()

    def recover(self) -> int:
        """Undo an update stopped while writing; return the files restored (0: none pending)."""
        if not self.pending():
            shutil.rmtree(self.folder, ignore_errors=True)  # stopped before its first write
            return 0
        entry = json.loads((self.folder / _JOURNAL).read_text(encoding="utf-8"))
        paths: list[str] = [*entry["writes"], *entry["removes"]]
        self._undo(paths, set(entry["existed"]))
        return len(paths)

    def apply(self, clone: Path, writes: list[str], removes: list[str]) -> None:
        """Write `writes` from `clone` and delete `removes`, all or nothing."""
        if not writes and not removes:
            return
        writes = sorted(writes, key=lambda path: path == ANSWERS_FILE)  # the answers file last
        done: list[str] = []
        existed: set[str] = set()
        try:
            existed = self._stage(clone, writes, removes)
            pause = float(os.environ.get(TEST_WRITE_PAUSE) or 0)
            for path in [*removes, *writes]:
                target = self.root / path
                done.append(path)
                if path in writes:
                    _copy(self.folder / "new" / path, target)
                else:
                    target.unlink(missing_ok=True)
                    _prune(target, self.root)
                if pause:
                    time.sleep(pause)
        except BaseException as exc:
            with signals.signals_deferred():
                self._undo(done, existed)
            stopped = signals.as_interrupted(
                exc, f"the update was undone; {self.root} is as it was"
            )
            if stopped is not None:
                raise stopped from exc
            if isinstance(exc, OSError):
                reason = exc.strerror or str(exc)
                failed = self.root / done[-1] if done else self.folder
                raise ForgeError(
                    f"cannot write {failed}: {reason}; the update was undone and "
                    f"{self.root} is as it was"
                ) from exc
            raise
        (self.folder / _JOURNAL).unlink()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stage(self, clone: Path, writes: list[str], removes: list[str]) -> set[str]:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        existed = set()
        for path in writes:
            _copy(clone / path, self.folder / "new" / path)
        for path in [*writes, *removes]:
            if _exists(self.root / path):
                _copy(self.root / path, self.folder / "old" / path)
                existed.add(path)
        entry = {"writes": writes, "removes": removes, "existed": sorted(existed)}
        staged = self.folder / f"{_JOURNAL}{_TEMP_SUFFIX}"
        with staged.open("w", encoding="utf-8") as handle:
            json.dump(entry, handle)
            handle.flush()
            os.fsync(handle.fileno())
        staged.replace(self.folder / _JOURNAL)
        return existed

    def _undo(self, paths: list[str], existed: set[str]) -> None:
        """Put back every path as it was (idempotent: a second run after a kill does the same)."""
        for path in paths:
            target = self.root / path
            if target.parent.is_dir():  # a temporary copy a kill left beside its target
                for stray in target.parent.glob(f".{target.name}.*{_TEMP_SUFFIX}"):
                    stray.unlink(missing_ok=True)
            if path in existed:
                if not _same(self.folder / "old" / path, target):
                    _copy(self.folder / "old" / path, target)
            elif _exists(target):
                target.unlink()
                _prune(target, self.root)
        (self.folder / _JOURNAL).unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)
