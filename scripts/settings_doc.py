"""Regenerate template/docs/settings.md.jinja after a template change adds or changes a setting.

    uv run python scripts/settings_doc.py

Renders the core and each mode that adds settings, lets every render write its own reference
(its tests/test_settings_doc.py, `UPDATE_SETTINGS_DOC=1`), and joins the rows into one Jinja file:
the core's rows, then each mode's extra rows inside `{%- if use_<mode> %}`. A generated project's
test fails when its docs/settings.md is stale, so every combination checks the result.
"""

from __future__ import annotations

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


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="settings-doc-") as tmp:
        core = reference(Path(tmp), ("python",))
        lines = list(core)
        for mode in MODES_WITH_SETTINGS:
            extra = [line for line in reference(Path(tmp), ("python", mode)) if line not in core]
            if extra:
                lines += [f"{{%- if use_{mode} %}}", *extra, "{%- endif %}"]
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    main()
