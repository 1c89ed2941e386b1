"""Errors the CLI turns into one line on stderr and an exit code.

ForgeError                      base: a message for the user and an exit code
├── UsageError                  bad usage or bad input (exit 2): unknown mode, bad --data, bad name
│   └── DestinationError        DEST is not empty, not writable, or not a directory
├── ProjectError                PATH is not something the command can work on (exit 2)
├── GitError                    a git command failed; the message names the command, the folder
│   │                           and git's own words (exit 2)
│   └── CacheError              the template cache is unusable; the message names its path and
│                               what to delete (exit 2)
├── Interrupted                 Ctrl-C (exit 130) or SIGTERM (exit 143); nothing half-done is left
└── FindingsError               the operation ran and found problems (exit 1): check findings,
                                update conflicts
"""

from __future__ import annotations

__all__ = [
    "CacheError",
    "DestinationError",
    "FindingsError",
    "ForgeError",
    "GitError",
    "Interrupted",
    "ProjectError",
    "Terminated",
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


class GitError(ForgeError):
    """A git command failed (raised by `forge_scaffold._git` only)."""


class CacheError(GitError):
    """The template cache cannot be read or rebuilt; the message says which folder to delete."""


class Interrupted(ForgeError):
    """A signal stopped the command; everything written so far was removed or restored."""

    exit_code = 130

    def __init__(self, message: str, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Terminated(BaseException):
    """SIGTERM arrived: raised by the CLI's handler so cleanup runs as for Ctrl-C (exit 143)."""


class FindingsError(ForgeError):
    """The command ran to the end and found problems to report."""

    exit_code = 1
