"""Fixtures for the checker tests: check a snippet, or write a small tree of files to check."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from forge_scaffold.checker import check_source, select_codes

Codes = list[tuple[int, str]]


@pytest.fixture
def codes_in() -> Callable[..., Codes]:
    """`codes_in(source, select="FS101")` -> [(line, code), ...] for a dedented snippet.

    Line 1 is the line after the opening triple quote.
    """

    def run(source: str, select: str | None = None) -> Codes:
        text = textwrap.dedent(source).removeprefix("\n")  # line 1 is the first line of code
        result = check_source(text, codes=select_codes(select))
        return [(line, code) for line, _col, code, _message, _fix in result.findings]

    return run


@pytest.fixture
def write_tree(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Write `{relative path: text or bytes}` under tmp_path; return tmp_path.

    Text is dedented, and starts at the line after an opening triple quote.
    """

    def write(files: Mapping[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).removeprefix("\n"), encoding="utf-8")
        return tmp_path

    return write
