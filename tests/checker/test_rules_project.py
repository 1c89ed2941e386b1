"""FS9xx: project facts are judged at a project root, and only there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from forge_scaffold.checker import Severity, check_paths

Tree = Callable[[Mapping[str, str | bytes]], Path]

REGISTERING_SERVICE = {
    "pyproject.toml": "[project]\nname = 'svc'\n",
    "src/svc/registry.py": "import consul\n",
    "tests/test_leaks.py": "import tracemalloc\n\ndef test_no_growth():\n    tracemalloc.start()\n",
}


def _project_codes(root: Path, *paths: Path) -> list[tuple[str, str]]:
    report = check_paths(list(paths) or [root])
    return [(finding.path, finding.code) for finding in report.findings]


def test_a_project_without_registration_or_leak_test_gets_both_findings(write_tree: Tree) -> None:
    root = write_tree({"pyproject.toml": "", "src/svc/app.py": "VALUE = 1\n"})
    marker = str(root / "pyproject.toml")
    assert _project_codes(root) == [(marker, "FS901"), (marker, "FS902")]


def test_a_project_that_registers_and_profiles_memory_passes(write_tree: Tree) -> None:
    root = write_tree(REGISTERING_SERVICE)
    assert _project_codes(root) == []


def test_consul_imported_only_by_a_test_is_not_registration(write_tree: Tree) -> None:
    root = write_tree(
        {**REGISTERING_SERVICE, "src/svc/registry.py": "", "tests/test_r.py": "import consul\n"}
    )
    assert [code for _, code in _project_codes(root)] == ["FS901"]


def test_tracemalloc_outside_a_test_is_not_a_memory_test(write_tree: Tree) -> None:
    root = write_tree(
        {
            **REGISTERING_SERVICE,
            "tests/test_leaks.py": "",
            "src/svc/probe.py": "import tracemalloc\n",
        }
    )
    assert [code for _, code in _project_codes(root)] == ["FS902"]


def test_a_pytest_module_outside_tests_counts_as_a_memory_test(write_tree: Tree) -> None:
    root = write_tree(
        {
            **REGISTERING_SERVICE,
            "tests/test_leaks.py": "",
            "checks/leaks.py": "import pytest\nimport tracemalloc\n",
        }
    )
    assert _project_codes(root) == []


def test_project_rules_do_not_run_below_the_root_or_on_single_files(write_tree: Tree) -> None:
    root = write_tree({"pyproject.toml": "", "src/svc/app.py": "VALUE = 1\n"})
    assert _project_codes(root, root / "src") == []
    assert _project_codes(root, root / "src" / "svc" / "app.py") == []


def test_project_rules_need_a_pyproject_toml(write_tree: Tree) -> None:
    root = write_tree({"src/app.py": "VALUE = 1\n"})
    assert _project_codes(root) == []


def test_memory_test_finding_is_an_error_only_in_testing_or_memory_mode(write_tree: Tree) -> None:
    root = write_tree({**REGISTERING_SERVICE, "tests/test_leaks.py": ""})
    (finding,) = check_paths([root]).findings
    assert (finding.code, finding.severity) == ("FS902", Severity.WARNING)
    (root / ".copier-answers.yml").write_text("expert_modes:\n- python\n- testing\n")
    (finding,) = check_paths([root]).findings
    assert (finding.code, finding.severity) == ("FS902", Severity.ERROR)


LIBRARY = "[project]\nname = 'lib'\nclassifiers = ['Intended Audience :: Developers']\n"


@pytest.mark.parametrize(
    "classifier", ["Intended Audience :: Developers", "Topic :: Software Development :: Libraries"]
)
def test_a_library_is_not_asked_to_register_with_consul(write_tree: Tree, classifier: str) -> None:
    pyproject = f"[project]\nname = 'lib'\nclassifiers = ['{classifier}']\n"
    root = write_tree({"pyproject.toml": pyproject, "src/lib/core.py": "VALUE = 1\n"})
    assert [code for _, code in _project_codes(root)] == ["FS902"]


@pytest.mark.parametrize(
    "files",
    [
        {
            "pyproject.toml": "[tool.poetry]\nname = 'lib'\n"
            "classifiers = ['Framework :: AsyncIO', 'Intended Audience :: Developers']\n"
        },
        {
            "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
            "setup.cfg": "[metadata]\nname = lib\nclassifiers =\n"
            "    Framework :: AsyncIO\n    Intended Audience :: Developers\n",
        },
    ],
    ids=["poetry", "setup.cfg"],
)
def test_a_library_is_known_by_its_poetry_or_setup_cfg_classifiers(
    write_tree: Tree, files: dict[str, str]
) -> None:
    root = write_tree({**files, "src/lib/core.py": "VALUE = 1\n"})
    assert [code for _, code in _project_codes(root)] == ["FS902"]


def test_a_generated_project_registers_whatever_its_classifiers(write_tree: Tree) -> None:
    root = write_tree(
        {"pyproject.toml": LIBRARY, ".copier-answers.yml": "expert_modes: []\n", "a.py": ""}
    )
    assert [code for _, code in _project_codes(root)] == ["FS901", "FS902"]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\ntestpaths = ['t']\nasyncio_mode = 'auto'\n",
            3,
        ),
        ("pytest.ini", "[pytest]\nasyncio_mode = auto\n", 2),
        ("setup.cfg", "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode=auto\n", 5),
    ],
)
def test_pytest_asyncio_auto_mode_is_reported_where_it_is_set(
    write_tree: Tree, name: str, text: str, line: int
) -> None:
    root = write_tree({**REGISTERING_SERVICE, name: text})
    if name != "pyproject.toml":
        (root / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    report = check_paths([root])
    assert [(Path(f.path).name, f.line, f.code) for f in report.findings] == [(name, line, "FS401")]
    assert "asyncio_mode = auto" in report.findings[0].message


def test_strict_mode_and_the_anyio_plugin_are_not_reported(write_tree: Tree) -> None:
    root = write_tree(
        {
            **REGISTERING_SERVICE,
            "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'strict'\n",
            "pytest.ini": "[pytest]\nanyio_mode = auto\n",
        }
    )
    assert _project_codes(root) == []
