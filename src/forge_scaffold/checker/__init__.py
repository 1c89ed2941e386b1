"""The standards checker: rules over syntax trees (`check`) and mode recommendations (`suggest`)."""

from __future__ import annotations

from forge_scaffold.checker.engine import FileResult, check_paths, check_source, select_codes
from forge_scaffold.checker.findings import Finding, Report, Severity, Skipped
from forge_scaffold.checker.rule import MODES, Mode, ProjectRule, Rule
from forge_scaffold.checker.rules import CATALOG, CODES, rule_for
from forge_scaffold.checker.suggest import Evidence, ModeSuggestion, Suggestions, suggest_modes

__all__ = [
    "CATALOG",
    "CODES",
    "MODES",
    "Evidence",
    "FileResult",
    "Finding",
    "Mode",
    "ModeSuggestion",
    "ProjectRule",
    "Report",
    "Rule",
    "Severity",
    "Skipped",
    "Suggestions",
    "check_paths",
    "check_source",
    "rule_for",
    "select_codes",
    "suggest_modes",
]
