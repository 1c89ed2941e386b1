"""Errors the CLI turns into one line on stderr and an exit code.

ForgeError                      base: a message for the user and an exit code
├── UsageError                  bad usage or bad input (exit 2): unknown mode, bad --data, bad name
│   └── DestinationError        DEST is not empty, not writable, or not a directory
├── ProjectError                PATH is not something the command can work on (exit 2)
├── Interrupted                 the user pressed Ctrl-C; nothing was written (exit 130)
└── FindingsError               the operation ran and found problems (exit 1): check findings,
                                update conflicts
"""

from __future__ import annotations

__all__ = [
    "DestinationError",
    "FindingsError",
    "ForgeError",
    "Interrupted",
    "ProjectError",
    "UsageError",
]


class ForgeError(Exception):
    """An expected failure: printed as one line, never as a traceback (unless FORGE_DEBUG=1)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ForgeError):
    """The command was given something it cannot use."""


class DestinationError(UsageError):
    """The destination directory cannot receive a new project."""


class ProjectError(ForgeError):
    """The path given is not a project the command can work on."""


class Interrupted(ForgeError):
    """The user interrupted a prompt or a render; everything written so far was removed."""

    exit_code = 130


class FindingsError(ForgeError):
    """The command ran to the end and found problems to report."""

    exit_code = 1
