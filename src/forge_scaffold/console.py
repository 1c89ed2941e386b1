"""Every byte the CLI prints goes through here: results on stdout, progress and errors on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["emit_json", "error", "out", "progress", "warn"]

PROG = "forge-scaffold"


def out(text: str = "") -> None:
    """Print a result line on stdout."""
    sys.stdout.write(text + "\n")


def emit_json(payload: Any) -> None:
    """Print one JSON document on stdout (machine-readable output of --json)."""
    sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def progress(text: str) -> None:
    """Tell a person what is happening; stderr, so stdout stays parseable."""
    sys.stderr.write(f"{text}\n")


def warn(text: str) -> None:
    sys.stderr.write(f"{PROG}: warning: {text}\n")


def error(text: str) -> None:
    """One line naming the problem and what to do next."""
    first_line = " ".join(text.split())
    sys.stderr.write(f"{PROG}: error: {first_line}\n")
