"""Fixtures of the update tests: a three-release template history and the CLI pointed at it."""

from __future__ import annotations

import pytest

from forge_scaffold.update import history as history_module
from update import fixtures as fx


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> fx.History:
    """Template versions v0.1.0 -> v0.2.0 -> v0.3.0, built from the working tree once."""
    return fx.build_history(tmp_path_factory.mktemp("history"))


@pytest.fixture
def installed_is_newest(monkeypatch: pytest.MonkeyPatch, history: fx.History) -> None:
    """The CLI sees the test history as its cache, with v0.3.0 as the installed version."""
    monkeypatch.setattr(history_module, "installed_release", lambda: history.release("v0.3.0"))
