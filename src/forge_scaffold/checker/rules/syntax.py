"""FS000: a file Python cannot parse is a finding, because none of its standards can be checked."""

from __future__ import annotations

from forge_scaffold.checker.rule import Rule

__all__ = ["FS000"]


class FS000(Rule):
    """A file that does not parse cannot run and cannot be checked against any other rule. This
    covers syntax errors, bytes that are not valid in the file's encoding (UTF-8 unless a coding
    declaration says otherwise) and NUL bytes. Files the checker cannot read at all (permissions,
    symbolic link loops, over the 5 MB size cap) are not findings: they are reported as warnings
    on stderr and skipped.
    """

    title = "file does not parse"
    standard = "Mission: Transform prototype code into production-ready systems"
    fix = (
        "Fix the syntax (or the encoding) at the reported position; `python -m py_compile FILE` "
        "shows the same error."
    )
