"""Which files a run checks, and reading them: skipped folders, link loops, size cap, unreadables.

A path given on the command line is checked whatever its suffix (pre-commit passes scripts too);
inside a folder only `*.py` files are. A file that cannot be read is not a finding: it becomes a
`Skipped` entry (shown as a warning on stderr) and the run goes on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from forge_scaffold.checker.findings import Skipped
from forge_scaffold.errors import ProjectError

__all__ = [
    "MAX_BYTES",
    "SKIP_DIRS",
    "Discovery",
    "Root",
    "Unreadable",
    "discover",
    "is_test_path",
    "read_source",
]

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
        ".tox", ".nox", ".eggs", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".cache",
    }
)  # fmt: skip
# Of those, the folders that may hold a project's own source (a `build` package, say): skipping
# one is reported like any other skip. The rest hold tools' and other projects' files only.
REPORTED_SKIPS = frozenset({"build", "dist"})
MAX_BYTES = 5 * 1024 * 1024
PROJECT_MARKER = "pyproject.toml"
_TEST_FOLDERS = frozenset({"tests", "test"})


class Unreadable(Exception):
    """The file cannot be checked; the message says why (a signal, so not named ...Error)."""


@dataclass(frozen=True, slots=True)
class Root:
    """A project root given as a path: project-level rules judge the files found under it."""

    path: str
    files: tuple[int, ...]  # indices into Discovery.files


@dataclass(slots=True)
class Discovery:
    """The files to check (each once, in a stable order), what was skipped, the project roots."""

    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    roots: list[Root] = field(default_factory=list)


def _why_not_a_file(path: str) -> str:
    try:
        Path(path).stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "broken symbolic link"
        return (exc.strerror or str(exc)).lower()
    return "not a regular file"


Excluded = Callable[[str], bool]


def _never(_path: str) -> bool:
    return False


def _enters(entry: os.DirEntry[str], skipped: list[Skipped], excluded: Excluded) -> bool:
    """Whether to look inside a subfolder; a skipped folder that may hold source is reported."""
    if entry.name in REPORTED_SKIPS:
        skipped.append(Skipped(entry.path, f"folder named {entry.name!r} not entered"))
        return False
    return entry.name not in SKIP_DIRS and not excluded(entry.path)


def _scan(top: str, skipped: list[Skipped], excluded: Excluded = _never) -> Iterator[str]:
    """The `*.py` files under a folder, in name order, following links but never twice."""
    visited: set[tuple[int, int]] = set()
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            info = Path(folder).stat()
        except OSError:
            skipped.append(Skipped(folder, _why_not_a_file(folder)))
            continue
        if (info.st_dev, info.st_ino) in visited:
            skipped.append(Skipped(folder, "symbolic link loop (folder already checked)"))
            continue
        visited.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            skipped.append(
                Skipped(folder, f"cannot list folder: {(exc.strerror or str(exc)).lower()}")
            )
            continue
        subfolders: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if _enters(entry, skipped, excluded):
                    subfolders.append(entry.path)
                continue
            if not entry.name.endswith(".py") or excluded(entry.path):
                continue
            try:
                is_file = entry.is_file()
            except OSError:
                is_file = False
            if is_file:
                yield entry.path
            else:
                skipped.append(Skipped(entry.path, _why_not_a_file(entry.path)))
        pending.extend(reversed(subfolders))


def discover(paths: Iterable[Path], excluded: Excluded = _never) -> Discovery:
    """Expand the command line's paths into files; a path that does not exist is bad usage.

    `excluded` leaves out files and folders found inside a folder (a path given by name is
    always checked, as pre-commit expects).
    """
    found = Discovery()
    index: dict[str, int] = {}

    def add(path: str) -> int:
        path = os.path.normpath(path)
        if path not in index:
            index[path] = len(found.files)
            found.files.append(path)
        return index[path]

    for given in paths:
        path = os.fspath(given)
        if not os.path.lexists(path):
            raise ProjectError(f"{path}: no such file or folder")
        if given.is_dir():
            members = tuple(add(file) for file in _scan(path, found.skipped, excluded))
            if (given / PROJECT_MARKER).is_file():
                found.roots.append(Root(os.path.normpath(path), members))
        elif given.is_file():
            add(path)
        else:
            found.skipped.append(Skipped(path, _why_not_a_file(path)))
    return found


def is_test_path(path: str) -> bool:
    """A test module by pytest's naming, or anything inside a `tests` / `test` folder."""
    *folders, name = PurePath(path).parts
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return not _TEST_FOLDERS.isdisjoint(folders)


def read_source(path: str) -> bytes:
    """The file's bytes; raises `Unreadable` for what cannot or should not be read."""
    try:
        # O_NONBLOCK: a FIFO named like a module must not hang the run.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOENT):
            raise Unreadable(_why_not_a_file(path)) from None
        raise Unreadable((exc.strerror or str(exc)).lower()) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // 2**20} MB ({info.st_size} bytes)")
        chunks = []
        while chunk := os.read(fd, max(info.st_size, 65536) + 1):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable((exc.strerror or str(exc)).lower()) from None
    finally:
        os.close(fd)
