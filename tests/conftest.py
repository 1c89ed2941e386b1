"""Fixtures shared by the CLI and template tests: an isolated template cache, renders, one venv."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import template_harness as harness
from template_harness import COMBINATIONS, combo_id
from typer.testing import CliRunner


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
