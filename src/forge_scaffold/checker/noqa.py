"""`# noqa` comments, bare (all codes) or with codes (`# noqa: FS101, FS202`), read like ruff; and
`--add-noqa`, which writes them on the lines of today's findings so a codebase can adopt the checker
and hold the line from then on."""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from forge_scaffold.checker.findings import Finding

__all__ = ["add_noqa", "suppresses"]

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


def _unmarkable_lines(data: bytes) -> set[int] | None:
    """Lines a comment cannot end: inside a multi-line string, or continued by a backslash.
    None when the file does not tokenize (nothing can be marked safely)."""
    lines: set[int] = set()
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.start[0] < token.end[0]:
                lines.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return None
    for number, line in enumerate(data.splitlines(), 1):
        if line.rstrip().endswith(b"\\"):
            lines.add(number)
    return lines


def _marked(line: bytes, codes: set[str]) -> bytes:
    """The line with `codes` added to its `# noqa: ...` comment, or with a new one."""
    body = line.rstrip(b"\r\n")
    ending = line[len(body) :]
    match = _NOQA.search(body)
    if match is not None and match.group("codes") is not None:
        present = re.split(rb"[\s,]+", match.group("codes").upper())
        merged = sorted({code.decode() for code in present if code} | codes)
        start, end = match.span("codes")
        return body[:start] + ", ".join(merged).encode() + body[end:] + ending
    comment = f"# noqa: {', '.join(sorted(codes))}".encode()
    return body.rstrip() + b"  " + comment + ending


def add_noqa(findings: Iterable[Finding]) -> tuple[int, int, list[Finding]]:
    """Mark each finding's line with `# noqa: CODE`. Returns the comments added (one per code per
    line), the files changed, and the findings that could not be marked (not in a Python file,
    or on a line a comment cannot end)."""
    by_file: dict[str, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        by_file[finding.path][finding.line].append(finding)
    added = changed = 0
    unmarked: list[Finding] = []
    for path, by_line in sorted(by_file.items()):
        file = Path(path)
        data = file.read_bytes() if file.suffix in (".py", ".pyi", "") else None
        blocked = None if data is None else _unmarkable_lines(data)
        if data is None or blocked is None:
            unmarked += [finding for group in by_line.values() for finding in group]
            continue
        lines = data.splitlines(keepends=True)
        edited = 0
        for number, group in sorted(by_line.items()):
            if number in blocked or number > len(lines):
                unmarked += group
                continue
            codes = {finding.code for finding in group}
            lines[number - 1] = _marked(lines[number - 1], codes)
            edited += len(codes)
        if edited:
            file.write_bytes(b"".join(lines))
            added += edited
            changed += 1
    return added, changed, unmarked
