"""Every `python_version` answer gives a project that passes its checks for that target.

3.11 is the matrix's own target. 3.12 and 3.13 are rendered with PEP 695 type parameters, linted
and type-checked for their target, and their suites run under CPython 3.13 (built from Debian's
source package by scripts/python313.sh; 3.12's source is in no Debian suite any more).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import template_harness as harness

VERSIONS = ["3.12", "3.13"]


def test_the_interpreter_is_cpython_3_13(venv313: Path) -> None:
    result = subprocess.run(
        [str(venv313 / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "(3, 13)"


@pytest.mark.parametrize("version", ["3.11", *VERSIONS])
def test_generic_code_uses_the_syntax_of_its_target(
    tmp_path: Path, template_src: Path, version: str
) -> None:
    project = harness.render(
        tmp_path / "svc", harness.ALL_MODES, data={"python_version": version}, src=template_src
    )
    package = project / "src" / "demo_svc"
    buffer = (package / "buffer.py").read_text(encoding="utf-8")
    slot = (package / "model_slot.py").read_text(encoding="utf-8")
    client = (package / "client.py").read_text(encoding="utf-8")
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    # ruff takes its target from requires-python; mypy has its own python_version.
    assert f'requires-python = ">={version}"' in pyproject
    assert f'python_version = "{version}"' in pyproject
    if version == "3.11":
        assert "class BoundedBuffer(Generic[T]):" in buffer
        assert 'T = TypeVar("T")' in slot
    else:
        assert "class BoundedBuffer[T]:" in buffer
        assert "type Loader[T] = " in slot
        assert "TypeVar" not in buffer + slot
    # Generator's third argument defaults to None from 3.13 on (UP043).
    assert ("httpx.Response, None]" in client) is (version != "3.13")


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_a_newer_target_passes_lint_types_and_its_suite_under_3_13(
    tmp_path: Path, template_src: Path, venv313: Path, version: str
) -> None:
    project = harness.render(
        tmp_path / "svc", harness.ALL_MODES, data={"python_version": version}, src=template_src
    )
    for check in harness.PROJECT_CHECKS:
        result = harness.run_check(venv313, project, check)
        output = f"{result.stdout[-5000:]}{result.stderr[-2000:]}"
        assert result.returncode == 0, f"{check} failed for python_version={version}:\n{output}"
    assert " passed" in result.stdout
