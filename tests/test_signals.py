"""Signals end a command like a failure: the right exit code, one line, cleanup not cut short."""

from __future__ import annotations

import os
import signal

import pytest

from forge_scaffold import signals
from forge_scaffold.errors import Interrupted, Terminated


def test_each_signal_becomes_its_exit_code_and_a_line_saying_what_is_on_disk() -> None:
    with (
        pytest.raises(Interrupted, match=r"^interrupted: nothing was written") as sigint,
        signals.stopped_means(lambda: "nothing was written"),
    ):
        raise KeyboardInterrupt
    assert sigint.value.exit_code == 130
    with (
        pytest.raises(Interrupted, match=r"^terminated: nothing was written") as sigterm,
        signals.stopped_means(lambda: "nothing was written"),
    ):
        raise Terminated
    assert sigterm.value.exit_code == 143
    assert signals.as_interrupted(ValueError("x"), "n/a") is None


def test_sigterm_raises_terminated_once_installed() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signals.install()
        with pytest.raises(Terminated):
            os.kill(os.getpid(), signal.SIGTERM)
            signal.sigtimedwait([], 0)  # give the handler its chance to run
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_cleanup_is_not_cut_short_by_a_second_signal() -> None:
    finished = []
    with signals.signals_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
