"""SIGINT and SIGTERM end a command like any failure: cleanup runs, then one line and 130 / 143."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from forge_scaffold.errors import Interrupted, Terminated

__all__ = ["as_interrupted", "install", "signals_deferred", "stopped_means"]

_SIGINT_EXIT, _SIGTERM_EXIT = 130, 143
_STOPPING = (signal.SIGINT, signal.SIGTERM)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def install() -> None:
    """Make SIGTERM raise `Terminated`, as SIGINT raises KeyboardInterrupt."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def as_interrupted(exc: BaseException, outcome: str) -> Interrupted | None:
    """The one-line error for a signal that stopped the work (None: `exc` is no signal)."""
    if isinstance(exc, Interrupted):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return Interrupted(f"interrupted: {outcome}", _SIGINT_EXIT)
    if isinstance(exc, Terminated):
        return Interrupted(f"terminated: {outcome}", _SIGTERM_EXIT)
    return None


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ignore SIGINT and SIGTERM while cleanup or a rollback runs (a second Ctrl-C must not
    leave it half-done); the run ends right after with the first signal's exit code."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _STOPPING}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def stopped_means(outcome: Callable[[], str]) -> Iterator[None]:
    """Inside the block, SIGINT or SIGTERM ends the command with one line: `interrupted:` or
    `terminated:` and `outcome()` (what the user finds on disk then), exit 130 or 143."""
    try:
        yield
    except KeyboardInterrupt as exc:
        raise Interrupted(f"interrupted: {outcome()}", _SIGINT_EXIT) from exc
    except Terminated as exc:
        raise Interrupted(f"terminated: {outcome()}", _SIGTERM_EXIT) from exc
