"""The catalog: every rule documents itself completely, quotes the standard as docs/standards.md
does, and docs/rules.md is exactly what the catalog renders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from forge_scaffold import checker
from forge_scaffold.catalog import load_catalog
from forge_scaffold.checker import CATALOG, CODES, MODES, ProjectRule, Rule
from forge_scaffold.checker.docs import main as docs_main
from forge_scaffold.checker.docs import render_rules

REPO = Path(__file__).resolve().parents[2]
STANDARDS = REPO / "docs" / "standards.md"
TEMPLATE = REPO / "template"
CHECKED_BY = re.compile(r"^- Checked by: (.+)$", re.MULTILINE)
TEMPLATE_PART = re.compile(r"^- Built into the template: (.+?)(?=^\S|\Z)", re.MULTILINE | re.DOTALL)
MODULE = re.compile(r"`([a-z_]+\.py)`")


def _plain(text: str) -> str:
    """Markdown emphasis, quote marks and line breaks removed, so a quote can be looked up."""
    unquoted = re.sub(r"^> ?", "", text, flags=re.MULTILINE)
    return " ".join(unquoted.replace("**", "").split())


def _standards() -> list[str]:
    """The `###` sections of docs/standards.md: one standard each."""
    return STANDARDS.read_text(encoding="utf-8").split("\n### ")[1:]


def test_codes_are_unique_sorted_and_match_class_names() -> None:
    assert list(CODES) == sorted(set(CODES))
    assert all(re.fullmatch(r"FS\d{3}", code) for code in CODES)
    assert [rule.__name__ for rule in CATALOG] == list(CODES)


@pytest.mark.parametrize("rule", CATALOG, ids=CODES)
def test_every_rule_documents_itself(rule: type[Rule]) -> None:
    assert rule.title
    assert rule.fix
    assert len(rule.rationale()) > 100
    assert rule.error_in
    assert rule.error_in <= set(MODES)
    assert all(re.fullmatch(r"[A-Z]+\d+", code) for code in rule.ruff)
    if issubclass(rule, ProjectRule):
        assert rule.missing


@pytest.mark.parametrize("rule", CATALOG, ids=CODES)
def test_every_standard_is_quoted_where_the_standards_reference_names_the_rule(
    rule: type[Rule],
) -> None:
    sections = [
        section
        for section in _standards()
        if rule.code in CHECKED_BY.findall(section)[0].replace(",", " ").split()
    ]
    assert sections, f"docs/standards.md names no standard checked by {rule.code}"
    assert any(
        all(_plain(fragment) in _plain(section) for fragment in rule.standard.split(" … "))
        for section in sections
    )


def test_every_standard_names_its_source_its_rules_and_existing_template_modules() -> None:
    sections = _standards()
    assert len(sections) >= 10
    template_files = {re.sub(r"\{%.*?%\}", "", path.name) for path in TEMPLATE.rglob("*.jinja")}
    for section in sections:
        assert "— coding-expert-persona.md" in section
        [codes] = CHECKED_BY.findall(section)
        assert set(codes.replace(",", " ").split()) <= set(CODES)
        [built] = TEMPLATE_PART.findall(section)
        for module in MODULE.findall(built):
            assert f"{module}.jinja" in template_files, module


def test_modes_are_the_templates_modes() -> None:
    assert set(MODES) == set(load_catalog().names)


def test_docs_rules_md_is_what_the_catalog_renders() -> None:
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == render_rules()


def test_the_docs_command_writes_and_checks_the_file(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert docs_main(["--check", str(target)]) == 1
    assert docs_main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_rules()
    assert docs_main(["--check", str(target)]) == 0


def test_the_rendered_docs_name_every_rule_and_its_severity() -> None:
    text = render_rules()
    for rule in CATALOG:
        assert f"## {rule.code}\n\n**{rule.title}**" in text
        assert f"> {rule.standard}" in text
    assert "an error when `memory` is active, a warning elsewhere" in text


def test_dunder_all_is_honest() -> None:
    assert sorted(checker.__all__) == sorted(set(checker.__all__))
    for name in checker.__all__:
        assert hasattr(checker, name), name
    source = Path(checker.__file__).read_text(encoding="utf-8")
    imported = {
        alias.asname or alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }
    assert imported == set(checker.__all__)
