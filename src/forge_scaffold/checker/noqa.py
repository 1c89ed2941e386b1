"""`# noqa` comments, bare (all codes) or with codes (`# noqa: FS101, FS202`), read like ruff."""

from __future__ import annotations

import re

__all__ = ["suppresses"]

_NOQA = re.compile(
    rb"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+|\s+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)


def suppresses(line: bytes, code: str) -> bool:
    """Does this source line carry a `# noqa` that covers `code`?"""
    if b"noqa" not in line.lower():
        return False
    match = _NOQA.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    return code.encode() in re.split(rb"[\s,]+", codes.upper())
