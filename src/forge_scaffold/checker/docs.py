"""Render docs/rules.md from the rule classes, so the documentation cannot drift from the code.

python -m forge_scaffold.checker.docs            # rewrite docs/rules.md
python -m forge_scaffold.checker.docs --check    # exit 1 when docs/rules.md is stale
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from forge_scaffold.checker.files import MAX_BYTES
from forge_scaffold.checker.rule import EVERY_PROJECT, MODES, ProjectRule, Rule
from forge_scaffold.checker.rules import CATALOG
from forge_scaffold.checker.suggest import THRESHOLD, WEIGHTS, kind_of, signal_table

__all__ = ["DEFAULT_PATH", "main", "render_rules"]

DEFAULT_PATH = Path("docs/rules.md")

_INTRO = f"""\
# Rules of `forge-scaffold check`

<!-- Generated from the rule classes by `python -m forge_scaffold.checker.docs`; do not edit. -->

`forge-scaffold check [PATH]...` parses every Python file once with `ast` and reports where the
code departs from the organisation's standards ([standards.md](standards.md)), one finding per
line, `path:line:col: CODE message`, like ruff. It exits 0 when nothing is found, 1 when something
is, and 2 on bad usage (a path that does not exist, an unknown code in `--select` / `--ignore`).

- **Severity.** Each rule names the expert modes whose standard it enforces: it is an *error* in a
  project where one of those modes is active and a *warning* elsewhere. A project's modes are the
  `expert_modes` of its `.copier-answers.yml` (the nearest folder up from the file that holds an
  answers file or a `pyproject.toml`); without one, only `python` is active. Both severities are
  findings (exit 1); the summary line and `--json` tell them apart.
- **Silencing.** `# noqa: FS101` (or `# noqa: FS101, FS202`, or a bare `# noqa`) on the reported
  line. `--select` / `--ignore` take comma-separated codes or prefixes (`FS1`, `FS20`).
  `--add-noqa` writes `# noqa: CODE` on the line of every finding of today, so a legacy codebase
  can adopt the checker and hold the line (findings at pyproject.toml cannot be marked).
- **Configuration.** The nearest pyproject.toml up from the first path that has a
  `[tool.forge-scaffold]` table sets `select`, `ignore` (lists of codes or prefixes),
  `per-file-ignores` (a table of glob = codes) and `extend-exclude` (globs of files and folders
  not to enter). As in ruff, `--select` replaces the table's selection and `--ignore` removes more.
- **Output.** `--output-format text` (default), `json` (as `--json`), `github` (workflow
  annotations) or `sarif` (SARIF 2.1.0, for code scanning); `--statistics` prints the count per
  rule instead.
- **Project rules** (FS9xx) judge a whole project, and run only for a path given on the command
  line that is a project root (a folder holding `pyproject.toml`). They report at its
  `pyproject.toml`.
- **Files that cannot be checked.** A file Python cannot parse is a finding (FS000). A file the
  checker cannot read (permissions, broken symbolic link, symbolic link loop, not a regular file,
  larger than {MAX_BYTES // 2**20} MB) is a warning on stderr and is skipped. Folders named
  `build` and `dist` are not entered, and are reported as skipped the same way; folders named
  `.git`, `.venv`, `venv`, `node_modules`, `__pycache__`, `.tox`, `.nox`, `.eggs`, `.mypy_cache`,
  `.ruff_cache`, `.pytest_cache` and `.cache` (tools' and other projects' files) are not entered,
  silently.
"""


def _modes(rule: type[Rule]) -> str:
    if rule.error_in & EVERY_PROJECT:
        return "every project"
    return ", ".join(f"`{mode}`" for mode in MODES if mode in rule.error_in)


def _ruff(rule: type[Rule]) -> str:
    return ", ".join(f"`{code}`" for code in rule.ruff) if rule.ruff else "none"


def render_rules() -> str:
    """The whole of docs/rules.md."""
    parts = [_INTRO, "| code | title | error in | overlapping ruff rules |", "|---|---|---|---|"]
    parts += [
        f"| [{rule.code}](#{rule.code.lower()}) | {rule.title} | {_modes(rule)} | {_ruff(rule)} |"
        for rule in CATALOG
    ]
    for rule in CATALOG:
        severity = (
            "an error in every project"
            if rule.error_in & EVERY_PROJECT
            else f"an error when {_modes(rule)} is active, a warning elsewhere"
        )
        parts += [
            "",
            f"## {rule.code}",
            "",
            f"**{rule.title}**" + (" (project rule)" if issubclass(rule, ProjectRule) else ""),
            "",
            f"> {rule.standard}",
            "",
            rule.rationale(),
            "",
            f"**Fix:** {rule.fix}",
            "",
            f"**Severity:** {severity}. **Overlapping ruff rules:** {_ruff(rule)}.",
        ]
    parts += _suggest_section()
    return "\n".join(parts) + "\n"


def _suggest_section() -> list[str]:
    parts = [
        "",
        "## How `suggest` weighs evidence",
        "",
        "`forge-scaffold suggest PATH` reads the same syntax trees and lists, per mode, what",
        "points at it. Each kind of signal has a weight (1 weak, 2 medium, 3 strong); a mode's",
        "score is the sum of the weights of the distinct kinds seen (ten `async def` count once),",
        f"and a mode is recommended when its score reaches {THRESHOLD}: one strong signal, or",
        "several independent weaker ones. Thread- and process-based code (`threading`,",
        "`multiprocessing`, `concurrent.futures`) is not async evidence. `--json` shows each",
        "mode's score, the threshold and the weighed kinds.",
        "",
        "| mode | signal | weight |",
        "|---|---|---|",
    ]
    parts += [
        f"| {mode} | {what} | {WEIGHTS.get(kind_of(what), 1)} |" for mode, what in signal_table()
    ]
    return parts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forge_scaffold.checker.docs", description=__doc__.splitlines()[0]
    )
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render_rules()
    path: Path = args.path
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            sys.stderr.write(f"{path} is stale: run python -m forge_scaffold.checker.docs\n")
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
