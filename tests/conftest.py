"""Fixtures shared by the CLI and template tests: an isolated template cache, renders, one venv."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import template_harness as harness
from typer.testing import CliRunner


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the user's real template cache out of every test."""
    cache = tmp_path_factory.mktemp("forge-cache")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FORGE_SCAFFOLD_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="session", autouse=True)
def _shared_check_results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder of check outcomes for every worker of this session (harness.run_check), under
    the session's own temporary root, so nothing is reused from an earlier run."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is a folder of the session's root, which the workers share.
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "check-results"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(harness.CHECK_RESULTS_ENV, str(folder))
        yield folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def template_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's template as a plain folder (what `copier copy <dir>` users render)."""
    return harness.template_snapshot(tmp_path_factory.mktemp("template-src"))


class Renders(dict[str, Path]):
    """Mode combinations rendered on first use and kept for the session, keyed by combo id."""

    def __init__(self, root: Path, src: Path, names: dict[str, str] | None = None) -> None:
        super().__init__()
        self._root, self._src, self._names = root, src, names or {}

    def __missing__(self, combo: str) -> Path:
        name = self._names.get(combo, "Demo Svc")
        project = harness.render(self._root / combo, combo.split("+"), name=name, src=self._src)
        self[combo] = project
        return project


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, template_src: Path) -> Renders:
    """Mode combinations of the project "Demo Svc" (package demo_svc), keyed by combo id."""
    return Renders(tmp_path_factory.mktemp("matrix"), template_src)


@pytest.fixture(scope="session")
def named_renders(tmp_path_factory: pytest.TempPathFactory, template_src: Path) -> Renders:
    """Each combination under its own project name (harness.MATRIX_NAMES), keyed by combo id."""
    return Renders(tmp_path_factory.mktemp("named"), template_src, harness.MATRIX_NAMES)


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
def venv313(all_modes_project: Path) -> Path:
    """The shared venv on CPython 3.13 (built into .tools/ by scripts/python313.sh if missing)."""
    return harness.shared_venv(all_modes_project, harness.python313())
