"""Any package name copier.yml accepts renders a project that stays lint-clean."""

from __future__ import annotations

import keyword
from pathlib import Path

import pytest
import template_harness as harness
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The modes whose files import the most first-party and test-kit modules.
MODES = ("python", "testing", "architecture")


def _refused() -> set[str]:
    config = yaml.safe_load((harness.REPO / "copier.yml").read_text(encoding="utf-8"))
    lists = ("python_keywords", "stdlib_modules", "reserved_names")
    return {name for key in lists for name in config[key]["default"]} | {"match", "case", "type"}


REFUSED = _refused()


def _accepted(name: str) -> bool:
    own_module = name == "conftest" or name.startswith(("test_", "bench_"))
    return not (own_module or keyword.iskeyword(name) or name in REFUSED)


package_names = st.from_regex(r"[a-z][a-z0-9_]{0,29}", fullmatch=True).filter(_accepted)


@pytest.mark.slow
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(package=package_names)
def test_any_accepted_package_name_renders_lint_clean(
    tmp_path_factory: pytest.TempPathFactory, template_src: Path, shared_venv: Path, package: str
) -> None:
    dest = tmp_path_factory.mktemp("name") / "svc"
    project = harness.render(dest, MODES, data={"package_name": package}, src=template_src)
    assert (project / "src" / package / "service.py").is_file()
    for check in ("ruff", "ruff-format"):
        result = harness.run_check(shared_venv, project, check)
        output = f"{result.stdout[-3000:]}{result.stderr[-1000:]}"
        assert result.returncode == 0, f"{check} failed for package {package}:\n{output}"
