"""Regenerate template/docs/settings.md.jinja after a template change adds or changes a setting.

    uv run python scripts/settings_doc.py

Renders the core and each mode that adds settings, lets every render write its own reference
(its tests/test_settings_doc.py, `UPDATE_SETTINGS_DOC=1`), and joins the rows into one Jinja file
with `{%- if use_<mode> %}` / `{%- if not use_<mode> %}` around the rows one mode adds or drops.
A generated project's test fails when its docs/settings.md is stale, so every combination checks
the result.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import template_harness as harness  # noqa: E402 - the harness lives beside the tests

TARGET = REPO / "template" / "docs" / "settings.md.jinja"
MODES_WITH_SETTINGS = ("async", "memory", "architecture")
NAME = "Demo Svc"
PLACEHOLDERS = {"DEMO_SVC_": "{{ env_prefix }}", "demo-svc": "{{ project_slug }}",
                "demo_svc": "{{ package_name }}"}  # fmt: skip


def reference(root: Path, modes: tuple[str, ...]) -> list[str]:
    """The lines of docs/settings.md that a project with `modes` writes for itself."""
    project = harness.render(root / harness.combo_id(modes), modes, name=NAME)
    venv = harness.shared_venv(project)
    os.environ["UPDATE_SETTINGS_DOC"] = "1"
    test = [*harness.CHECKS["pytest"], "tests/test_settings_doc.py"]
    result = harness.run_in(venv, project, test)
    if result.returncode != 0:
        raise SystemExit(f"{modes}: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    text = (project / "docs" / "settings.md").read_text(encoding="utf-8")
    for concrete, placeholder in PLACEHOLDERS.items():
        text = text.replace(concrete, placeholder)
    return text.splitlines()


def merge(core: list[str], by_mode: dict[str, list[str]]) -> list[str]:
    """One Jinja text from the core's lines and each mode's: a mode may drop core rows
    (`if not use_<mode>`), add rows among them, or add rows after them; rows added after the core
    follow in mode order, as the Settings class declares its modes' sections."""
    inline: list[tuple[str, str | None]] = []
    removed: dict[int, set[str]] = {}
    added: dict[int, list[tuple[str, str]]] = {}
    trailing: list[tuple[str, str]] = []
    for mode, lines in by_mode.items():
        matcher = difflib.SequenceMatcher(a=core, b=lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in {"delete", "replace"}:
                for index in range(i1, i2):
                    removed.setdefault(index, set()).add(mode)
            if tag in {"insert", "replace"}:
                rows = [(line, f"use_{mode}") for line in lines[j1:j2]]
                (trailing if i2 == len(core) else added.setdefault(i2, [])).extend(rows)
    for index, line in enumerate(core):
        inline.extend(added.get(index, []))
        modes = sorted(removed.get(index, ()))
        inline.append((line, " and ".join(f"not use_{m}" for m in modes) or None))
    text: list[str] = []
    condition: str | None = None
    for line, wanted in [*inline, *trailing]:
        if wanted != condition:
            if condition is not None:
                text.append("{%- endif %}")
            if wanted is not None:
                text.append(f"{{%- if {wanted} %}}")
            condition = wanted
        text.append(line)
    if condition is not None:
        text.append("{%- endif %}")
    return text


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="settings-doc-") as tmp:
        core = reference(Path(tmp), ("python",))
        by_mode = {mode: reference(Path(tmp), ("python", mode)) for mode in MODES_WITH_SETTINGS}
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text("\n".join(merge(core, by_mode)) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    main()
