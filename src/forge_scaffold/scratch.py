"""One folder for every scratch file of a run, forge-scaffold's and Copier's, swept when orphaned.

Each run works in `<temp>/forge-scaffold-<uid>/<pid>-<random>/` and points `tempfile` there, so
Copier's clones and old/new copies land in it too. A run killed with SIGKILL cannot clean up; the
next run removes every folder whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["alive", "scratch_root", "scratch_space", "sweep"]

_OWNED = re.compile(r"^(?P<pid>\d+)-")


def alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def scratch_root() -> Path:
    """`<temp>/forge-scaffold-<uid>`: `$TMPDIR` (else the system's temp folder), per user."""
    base = Path(os.environ.get("TMPDIR") or tempfile.gettempdir())
    return base / f"forge-scaffold-{os.getuid()}"


def sweep(root: Path) -> list[Path]:
    """Remove the scratch folders under `root` whose owning process is gone; return them."""
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _OWNED.match(entry.name)
        if match and not alive(int(match["pid"])) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def scratch_space() -> Iterator[Path]:
    """This run's scratch folder, `tempfile`'s default while it lasts; removed at the end."""
    root = scratch_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep(root)
    mine = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
    previous = tempfile.tempdir
    tempfile.tempdir = str(mine)
    try:
        yield mine
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(mine, ignore_errors=True)
