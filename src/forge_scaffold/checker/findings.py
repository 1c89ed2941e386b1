"""What a check run produces: findings, skipped files, and the report that holds them."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Finding", "Report", "Severity", "Skipped"]


class Severity(enum.StrEnum):
    """A rule is an error in the modes whose standard it enforces, a warning elsewhere."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One place where the code departs from a standard, and what to do about it."""

    path: str
    line: int
    col: int
    code: str
    message: str
    fix: str
    severity: Severity

    def format(self) -> str:
        """The ruff-style line: `path:line:col: CODE message`."""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass(frozen=True, slots=True, order=True)
class Skipped:
    """A file the checker could not read (and so did not check), with the reason."""

    path: str
    reason: str


@dataclass(slots=True)
class Report:
    """The outcome of one run over a set of paths."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. an answers file that does not parse
    files: int = 0
    lines: int = 0

    @property
    def error_count(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warning_count(self) -> int:
        return len(self.findings) - self.error_count

    def to_dict(self) -> dict[str, Any]:
        """The `--json` document."""
        return {
            "findings": [asdict(finding) for finding in self.findings],
            "skipped": [asdict(skipped) for skipped in self.skipped],
            "notices": list(self.notices),
            "summary": {
                "files": self.files,
                "lines": self.lines,
                "findings": len(self.findings),
                "errors": self.error_count,
                "warnings": self.warning_count,
                "skipped": len(self.skipped),
            },
        }
