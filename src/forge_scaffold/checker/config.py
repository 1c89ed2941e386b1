"""`[tool.forge-scaffold]` in pyproject.toml, found up from the checked path as ruff finds its own.

Keys: `select`, `ignore` (codes or prefixes), `per-file-ignores` (glob -> codes) and
`extend-exclude` (globs of files and folders not to check). Command-line options win.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from forge_scaffold.errors import UsageError

__all__ = ["SECTION", "Config", "find_config"]

SECTION = "forge-scaffold"
_KEYS = frozenset({"select", "ignore", "per-file-ignores", "extend-exclude"})


@dataclass(frozen=True, slots=True)
class Config:
    """A project's settings for `check`; globs are relative to the folder of `source`."""

    source: Path | None = None
    select: str | None = None
    ignore: str | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extend_exclude: tuple[str, ...] = ()
    _root: str = field(default="", repr=False)

    def relative(self, path: str) -> str | None:
        """`path` relative to the configuration's folder (POSIX), or None when outside it."""
        if not self._root:
            return None
        relative = os.path.relpath(Path(path).absolute(), self._root)
        return None if relative.startswith("..") else PurePath(relative).as_posix()

    def excluded(self, path: str) -> bool:
        """Is this file or folder matched by `extend-exclude`?"""
        relative = self.relative(path) if self.extend_exclude else None
        return relative is not None and any(_match(relative, glob) for glob in self.extend_exclude)

    def ignored_here(self, path: str) -> tuple[str, ...]:
        """The codes and prefixes `per-file-ignores` turns off for this file."""
        relative = self.relative(path) if self.per_file_ignores else None
        if relative is None:
            return ()
        return tuple(
            code
            for glob, codes in self.per_file_ignores
            if _match(relative, glob)
            for code in codes
        )


def _match(relative: str, glob: str) -> bool:
    """A glob with a slash matches the relative path; one without matches any path part."""
    glob = glob.strip("/").removeprefix("./")
    if "/" in glob:
        return fnmatch.fnmatchcase(relative, glob) or fnmatch.fnmatchcase(relative, glob + "/*")
    return any(fnmatch.fnmatchcase(part, glob) for part in relative.split("/"))


def _codes(value: object, where: str) -> str:
    """`"FS1,FS201"` or `["FS1", "FS201"]` as one comma-separated string."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ",".join(value)
    raise UsageError(f"{where}: expected a list of rule codes")


def _parse(path: Path, table: dict[str, object]) -> Config:
    where = f"{path}: [tool.{SECTION}]"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise UsageError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    exclude = table.get("extend-exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(item, str) for item in exclude):
        raise UsageError(f"{where}: extend-exclude must be a list of globs")
    return Config(
        source=path,
        select=_codes(table["select"], f"{where} select") if "select" in table else None,
        ignore=_codes(table["ignore"], f"{where} ignore") if "ignore" in table else None,
        per_file_ignores=tuple(
            (
                glob,
                tuple(
                    code.strip().upper()
                    for code in _codes(codes, f"{where} per-file-ignores").split(",")
                    if code.strip()
                ),
            )
            for glob, codes in per_file.items()
        ),
        extend_exclude=tuple(exclude),
        _root=str(path.parent.absolute()),
    )


def find_config(paths: Sequence[Path]) -> Config:
    """The settings of the nearest pyproject.toml with a `[tool.forge-scaffold]` table, looking
    up from the first path given (or the current folder); no table anywhere gives the defaults."""
    start = Path(paths[0]) if paths else Path()
    folder = (start if start.is_dir() else start.parent).absolute()
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{pyproject}: cannot read: {exc}") from None
        table = data.get("tool", {}).get(SECTION)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UsageError(f"{pyproject}: [tool.{SECTION}] must be a table")
        return _parse(pyproject, table)
    return Config()
