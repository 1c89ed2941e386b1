"""Fixtures shared by the CLI and template tests: an isolated template cache, renders, one venv."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import template_harness as harness
import update_fixtures as fx
from template_harness import COMBINATIONS, combo_id
from typer.testing import CliRunner

from forge_scaffold import history as history_module


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the user's real template cache out of every test."""
    cache = tmp_path_factory.mktemp("forge-cache")
    previous = os.environ.get("FORGE_SCAFFOLD_CACHE")
    os.environ["FORGE_SCAFFOLD_CACHE"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("FORGE_SCAFFOLD_CACHE", None)
    else:
        os.environ["FORGE_SCAFFOLD_CACHE"] = previous


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def template_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's template as a plain folder (what `copier copy <dir>` users render)."""
    return harness.template_snapshot(tmp_path_factory.mktemp("template-src"))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, template_src: Path) -> dict[str, Path]:
    """All 16 mode combinations rendered once per session, keyed by combo id."""
    root = tmp_path_factory.mktemp("matrix")
    return {
        combo_id(modes): harness.render(root / combo_id(modes), modes, src=template_src)
        for modes in COMBINATIONS
    }


@pytest.fixture(scope="session")
def all_modes_project(tmp_path_factory: pytest.TempPathFactory, template_src: Path) -> Path:
    """One project with every mode, for tests that run it rather than inspect it."""
    return harness.render(
        tmp_path_factory.mktemp("all-modes") / "svc", harness.ALL_MODES, src=template_src
    )


@pytest.fixture(scope="session")
def shared_venv(all_modes_project: Path) -> Path:
    """One virtual environment with the union of every mode's dependencies."""
    return harness.shared_venv(all_modes_project)


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> fx.History:
    """Template versions v0.1.0 -> v0.2.0 -> v0.3.0, built from the working tree once."""
    return fx.build_history(tmp_path_factory.mktemp("history"))


@pytest.fixture
def installed_is_newest(monkeypatch: pytest.MonkeyPatch, history: fx.History) -> None:
    """The CLI sees the test history as its cache, with v0.3.0 as the installed version."""
    monkeypatch.setattr(history_module, "installed_release", lambda: history.release("v0.3.0"))
