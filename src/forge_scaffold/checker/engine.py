"""Run the catalog over paths: parse each file once, walk it once, then judge the projects.

Per file (in worker processes for big trees): read, `ast.parse`, one walk feeding every selected
rule, drop what `# noqa` covers, convert columns. In the parent: severities from each file's
project modes, then the project-level rules at each project root given as a path.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from forge_scaffold.checker.active_modes import ProjectModes
from forge_scaffold.checker.config import Config, find_config
from forge_scaffold.checker.files import Unreadable, discover, is_test_path, read_source
from forge_scaffold.checker.findings import Finding, Report, Skipped
from forge_scaffold.checker.noqa import suppresses
from forge_scaffold.checker.parallel import map_chunks, paused_gc
from forge_scaffold.checker.projectfiles import read_project_files
from forge_scaffold.checker.rules import CATALOG, CODES, ProjectRule, rule_for
from forge_scaffold.checker.rules.project_facts import FS901
from forge_scaffold.checker.rules.syntax import FS000
from forge_scaffold.checker.rules.testing import FS401
from forge_scaffold.checker.walker import Context, Walker
from forge_scaffold.errors import UsageError

__all__ = ["FileResult", "check_paths", "check_source", "select_codes"]

Located = tuple[int, int, str, str, str]  # line, column (1-based, characters), code, message, fix


def _expand(option: str, value: str | None) -> set[str]:
    """The codes that comma-separated codes or prefixes name; one that names none is bad usage."""
    chosen: set[str] = set()
    for token in (value or "").split(","):
        prefix = token.strip().upper()
        if not prefix:
            continue
        matches = {code for code in CODES if code.startswith(prefix)}
        if not matches:
            raise UsageError(
                f"{option}: unknown rule code {token.strip()!r}: "
                f"codes are {CODES[0]}..{CODES[-1]} (see 'forge-scaffold check --help')"
            )
        chosen |= matches
    return chosen


def select_codes(
    select: str | None = None,
    ignore: str | None = None,
    *,
    labels: tuple[str, str] = ("--select", "--ignore"),
) -> frozenset[str]:
    """The codes a run reports: `select` (default: all) minus `ignore`; both take comma-separated
    codes or prefixes (`FS1`, `FS20`). Anything that matches no code is bad usage; `labels` name
    where each came from in that message."""
    selected = _expand(labels[0], select) if select and select.strip() else set(CODES)
    return frozenset(selected - _expand(labels[1], ignore))


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file gave: located findings, the project facts it shows, or why it was skipped."""

    path: str
    findings: tuple[Located, ...] = ()
    facts: frozenset[str] = frozenset()
    lines: int = 0
    skipped: str | None = None


class _FileChecker:
    """The selected rules, instantiated once, with their dispatch tables built once."""

    def __init__(self, codes: frozenset[str]) -> None:
        self.syntax = FS000.code in codes
        self.project_rules = [
            rule for rule in CATALOG if issubclass(rule, ProjectRule) and rule.code in codes
        ]
        self.walker = Walker(
            [
                rule()
                for rule in CATALOG
                if rule.code in codes and rule is not FS000 and not issubclass(rule, ProjectRule)
            ]
        )

    def check(self, path: str) -> FileResult:
        try:
            data = read_source(path)
        except Unreadable as exc:
            return FileResult(path, skipped=str(exc))
        return self.check_source(data, path)

    def check_source(self, data: bytes, path: str) -> FileResult:
        lines = data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)
        try:
            tree = ast.parse(data, filename=path)
        except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes (Python 3.11)
            if not self.syntax:
                return FileResult(path, lines=lines)
            line, col, message = _syntax_error(exc)
            found = [(line, col, FS000.code, message, FS000.fix)]
            return FileResult(path, _located(data, found, byte_columns=False), lines=lines)
        except (RecursionError, MemoryError):
            return FileResult(path, skipped="too deeply nested to parse")
        ctx = Context()
        try:
            self.walker.walk(tree, ctx)
        except RecursionError:  # only a message helper recurses; the walk itself does not
            return FileResult(path, skipped="too deeply nested to check")
        is_test = is_test_path(path)
        facts = frozenset(rule.code for rule in self.project_rules if rule.observe(ctx, is_test))
        if not ctx.raw:
            return FileResult(path, facts=facts, lines=lines)
        return FileResult(path, _located(data, ctx.raw, byte_columns=True), facts, lines)


def _syntax_error(exc: SyntaxError | ValueError) -> tuple[int, int, str]:
    """Line, 1-based character column and message of what the parser rejected."""
    if isinstance(exc, SyntaxError):
        return exc.lineno or 1, exc.offset or 1, f"file does not parse: {exc.msg}"
    return 1, 1, f"file does not parse: {exc}"


def _located(data: bytes, found: list[Located], *, byte_columns: bool) -> tuple[Located, ...]:
    """Drop what `# noqa` covers; turn the parser's byte offsets into 1-based character columns."""
    # bytes.splitlines breaks on \n, \r\n and \r only: the same line ends as the parser's.
    lines = data.splitlines()
    located: list[Located] = []
    for line, offset, code, message, fix in found:
        text = lines[line - 1] if line <= len(lines) else b""
        if suppresses(text, code):
            continue
        col = len(text[:offset].decode("utf-8", "replace")) + 1 if byte_columns else offset
        located.append((line, col, code, message, fix))
    return tuple(sorted(located))  # rules that judge at the end of a file report late


def _check_chunk(paths: Sequence[str], codes: frozenset[str]) -> list[FileResult]:
    """Worker entry point (module level, so it pickles)."""
    checker = _FileChecker(codes)
    with paused_gc():
        return [checker.check(path) for path in paths]


def check_source(
    source: str | bytes, path: str = "<source>", codes: Iterable[str] = CODES
) -> FileResult:
    """Check one module's text (no project rules, no severities): for tests and editors."""
    data = source.encode() if isinstance(source, str) else source
    return _FileChecker(frozenset(codes)).check_source(data, path)


def check_paths(
    paths: Sequence[Path],
    *,
    select: str | None = None,
    ignore: str | None = None,
    workers: int | None = None,
    config: Config | None = None,
) -> Report:
    """Check files and folders; project-level rules run for each folder that is a project root.

    `config` defaults to the `[tool.forge-scaffold]` table found up from the first path; `select`
    given here replaces the table's selection, `ignore` removes codes from it.
    """
    config = find_config(paths) if config is None else config
    codes = _codes(config, select, ignore)
    found = discover(paths, config.excluded if config.extend_exclude else _never)
    results = map_chunks(partial(_check_chunk, codes=codes), found.files, workers=workers)
    projects = ProjectModes()
    report = Report(skipped=list(found.skipped))
    for result in results:
        if result.skipped is not None:
            report.skipped.append(Skipped(result.path, result.skipped))
            continue
        report.files += 1
        report.lines += result.lines
        if not result.findings:
            continue
        modes = projects.for_file(result.path)
        for line, col, code, message, fix in result.findings:
            severity = rule_for(code).severity(modes)
            report.findings.append(Finding(result.path, line, col, code, message, fix, severity))
    for root in found.roots:
        report.findings += _project_findings(root.path, root.files, results, codes, projects)
    if config.per_file_ignores:
        report.findings = [f for f in report.findings if not _ignored_here(f, config)]
    report.findings.sort()
    report.skipped.sort()
    report.notices = projects.warnings
    return report


def _codes(config: Config, select: str | None, ignore: str | None) -> frozenset[str]:
    """Layered like ruff: the table's select and ignore, then the command line's; a `--select`
    starts afresh (the table's ignore no longer applies), an `--ignore` removes more."""
    table = f"{config.source}: [tool.forge-scaffold]"
    for glob, prefixes in config.per_file_ignores:
        _expand(f"{table} per-file-ignores {glob!r}", ",".join(prefixes))
    configured = select_codes(
        config.select, config.ignore, labels=(f"{table} select", f"{table} ignore")
    )
    if select is not None:
        return select_codes(select, ignore)
    return configured - _expand("--ignore", ignore)


def _never(_path: str) -> bool:
    return False


def _ignored_here(finding: Finding, config: Config) -> bool:
    prefixes = config.ignored_here(finding.path)
    return bool(prefixes) and finding.code.startswith(prefixes)


def _project_findings(
    path: str,
    members: Sequence[int],
    results: Sequence[FileResult],
    codes: frozenset[str],
    projects: ProjectModes,
) -> list[Finding]:
    """The project rules' findings for one project root, and its configuration's."""
    facts = frozenset[str]().union(*(results[index].facts for index in members))
    modes = projects.for_folder(path)
    files = read_project_files(path)
    marker = str(Path(path) / "pyproject.toml")
    findings = []
    for rule in CATALOG:
        if not (issubclass(rule, ProjectRule) and rule.code in codes) or rule.code in facts:
            continue
        if rule is FS901 and files.library:
            continue  # a library is imported by services; it does not register itself
        findings.append(
            Finding(marker, 1, 1, rule.code, rule.missing, rule.fix, rule.severity(modes))
        )
    if FS401.code in codes and files.asyncio_auto is not None:
        where, line = files.asyncio_auto
        findings.append(
            Finding(
                where,
                line,
                1,
                FS401.code,
                "`asyncio_mode = auto` runs every async test on pytest-asyncio, not anyio's plugin",
                FS401.fix,
                FS401.severity(modes),
            )
        )
    return findings
