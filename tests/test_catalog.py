"""The mode catalog is read from the template's file names; these tests keep that honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from forge_scaffold.catalog import CORE_MODE, load_catalog
from forge_scaffold.errors import ForgeError, UsageError


def test_catalog_lists_the_five_modes_in_contract_order() -> None:
    assert load_catalog().names == ("python", "async", "memory", "testing", "architecture")


def test_every_mode_owns_files_and_no_file_is_owned_twice() -> None:
    catalog = load_catalog()
    seen: dict[str, str] = {}
    for mode in catalog.modes:
        assert mode.files, f"mode {mode.name} adds no files"
        for file in mode.files:
            assert file not in seen, f"{file} owned by {seen.get(file)} and {mode.name}"
            seen[file] = mode.name


def test_python_is_always_on_and_order_follows_the_catalog() -> None:
    assert load_catalog().normalise(["architecture", "async"]) == [
        "python",
        "async",
        "architecture",
    ]
    assert load_catalog().normalise([]) == [CORE_MODE]


@pytest.mark.parametrize("bad", ["bogus", "", "  ", "Memory"])
def test_unknown_or_empty_mode_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="mode"):
        load_catalog().normalise([bad])


def test_files_for_substitutes_the_package_name() -> None:
    files = load_catalog().files_for(["memory"], "billing")
    assert "src/billing/settings.py" in files
    assert not any("<package>" in f for f in files)


def _fake_template(root: Path, name: str) -> Path:
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text(
        "expert_modes:\n  choices:\n    'python: core': python\n    'memory: m': memory\n",
        encoding="utf-8",
    )
    (root / "template" / name).write_text("x", encoding="utf-8")
    return root


def test_a_file_guarded_by_an_unknown_flag_is_refused(tmp_path: Path) -> None:
    root = _fake_template(tmp_path, "{% if use_turbo %}x.py{% endif %}.jinja")
    with pytest.raises(ForgeError, match="use_turbo"):
        load_catalog.__wrapped__(root)


def test_a_file_with_a_free_form_condition_is_refused(tmp_path: Path) -> None:
    root = _fake_template(tmp_path, "{% if 'memory' in expert_modes %}x.py{% endif %}.jinja")
    with pytest.raises(ForgeError, match="condition"):
        load_catalog.__wrapped__(root)


def test_a_flagged_file_is_owned_by_its_mode(tmp_path: Path) -> None:
    root = _fake_template(tmp_path, "{% if use_memory %}guard.py{% endif %}.jinja")
    catalog = load_catalog.__wrapped__(root)
    assert catalog.mode("memory").files == ("guard.py",)
    assert catalog.mode("python").files == ()
