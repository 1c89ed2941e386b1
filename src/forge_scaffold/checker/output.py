"""A check report in the formats linters speak: text, JSON, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from forge_scaffold import __version__
from forge_scaffold.checker.findings import Finding, Report, Severity
from forge_scaffold.checker.rules import CATALOG, rule_for

__all__ = ["github", "sarif", "statistics", "summary", "text"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary(report: Report) -> str:
    """`Found 2 findings (1 error, 1 warning; 3 files checked).`"""
    files, errors, skipped = report.files, report.error_count, len(report.skipped)
    findings, warnings = len(report.findings), report.warning_count
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if skipped:
        checked += f", {skipped} skipped"
    return (
        f"Found {findings} finding{'s' if findings != 1 else ''} "
        f"({errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}; {checked})."
    )


def text(report: Report) -> list[str]:
    """One ruff-style line per finding and the summary; nothing at all when clean."""
    if not report.findings:
        return []
    return [finding.format() for finding in report.findings] + [summary(report)]


def statistics(report: Report) -> list[dict[str, Any]]:
    """How many findings each rule gave, most first (ruff's `--statistics`)."""
    counts = Counter(finding.code for finding in report.findings)
    return [
        {"code": code, "count": count, "title": rule_for(code).title}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _escape(value: str, *, property_value: bool = False) -> str:
    """GitHub workflow command escaping (data, or a property value that also escapes `:` `,`)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(report: Report) -> list[str]:
    """One workflow command per finding: an annotation on the pull request's diff."""
    return [
        f"::{'error' if finding.severity is Severity.ERROR else 'warning'} "
        f"title={_escape(f'forge-scaffold ({finding.code})', property_value=True)},"
        f"file={_escape(finding.path, property_value=True)},"
        f"line={finding.line},col={finding.col}::"
        f"{_escape(f'{finding.code} {finding.message}')}"
        for finding in report.findings
    ]


def _uri(path: str) -> str:
    """A file's URI relative to the current folder when inside it (as code scanning wants)."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": "error" if finding.severity is Severity.ERROR else "warning",
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.col},
                }
            }
        ],
        "properties": {"fix": finding.fix},
    }


def sarif(report: Report) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: every rule of the catalog, and a result per finding."""
    rules = [
        {
            "id": rule.code,
            "name": rule.__name__,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.rationale()},
            "help": {"text": rule.fix},
            "properties": {"standard": rule.standard},
        }
        for rule in CATALOG
    ]
    index = {rule.code: position for position, rule in enumerate(CATALOG)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "forge-scaffold",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(finding, index) for finding in report.findings],
            }
        ],
    }
