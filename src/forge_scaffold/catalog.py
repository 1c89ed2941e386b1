"""The modes and the files each one owns, read from the template's own file names.

A template file belongs to a mode when its name carries that mode's one-word flag
(`{% if use_memory %}guard.py{% endif %}.jinja`). Those names are what make Copier emit or skip the
file, so reading them here means `modes`, `new --dry-run` and the tests can never disagree with
what the template really produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from forge_scaffold.errors import ForgeError, UsageError
from forge_scaffold.resources import template_root
from forge_scaffold.update.answers import ANSWERS_FILE
from forge_scaffold.vocabulary import CORE_MODE

__all__ = ["CORE_MODE", "Catalog", "ModeInfo", "load_catalog"]

PACKAGE_PLACEHOLDER = "<package>"
_CONDITION = re.compile(
    r"^\{%-?\s*if\s+use_(?P<mode>[a-z]+)\s*-?%\}(?P<name>[^{}]*)\{%-?\s*endif\s*-?%\}(?P<rest>.*)$"
)
_VARIABLE = re.compile(r"\{\{\s*(?P<name>[a-z_.]+)\s*\}\}")
_SUFFIX = ".jinja"


@dataclass(frozen=True, slots=True)
class ModeInfo:
    """One expert mode: its name, what it adds, and the project files it owns."""

    name: str
    summary: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the CLI knows about the template without importing Copier."""

    modes: tuple[ModeInfo, ...]
    questions: tuple[str, ...]
    excluded: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(mode.name for mode in self.modes)

    def mode(self, name: str) -> ModeInfo:
        for mode in self.modes:
            if mode.name == name:
                return mode
        raise UsageError(f"unknown mode {name!r}: choose from {', '.join(self.names)}")

    def normalise(self, requested: list[str]) -> list[str]:
        """Validate mode names; python is always on; order follows the catalog."""
        for name in requested:
            if not name.strip():
                raise UsageError(f"empty mode name: choose from {', '.join(self.names)}")
            self.mode(name)
        chosen = {CORE_MODE, *requested}
        return [name for name in self.names if name in chosen]

    def files_for(self, modes: list[str], package: str = PACKAGE_PLACEHOLDER) -> list[str]:
        """The exact set of project files a render with these modes produces."""
        chosen = set(self.normalise(modes))
        files = (f for mode in self.modes if mode.name in chosen for f in mode.files)
        return sorted(f.replace(PACKAGE_PLACEHOLDER, package) for f in files)


def _rendered_part(part: str, path: PurePosixPath) -> tuple[str, str | None]:
    """One path part as Copier names it, and the mode whose flag guards it (None: core)."""
    mode = None
    match = _CONDITION.match(part)
    if match:
        mode, part = match["mode"], match["name"] + match["rest"]
    if "{%" in part:
        raise ForgeError(f"template path {path} uses a condition other than one `use_<mode>` flag")

    def substitute(found: re.Match[str]) -> str:
        name = found["name"]
        if name == "package_name":
            return PACKAGE_PLACEHOLDER
        if name == "_copier_conf.answers_file":
            return ANSWERS_FILE
        raise ForgeError(
            f"template path {path} uses {{{{ {name} }}}}: only package_name is allowed"
        )

    return _VARIABLE.sub(substitute, part), mode


def _scan(
    template: Path, excluded: tuple[str, ...], mode_names: tuple[str, ...]
) -> dict[str, list[str]]:
    owned: dict[str, list[str]] = {name: [] for name in mode_names}
    for file in sorted(template.rglob("*")):
        if file.is_dir():
            continue
        relative = PurePosixPath(file.relative_to(template).as_posix())
        if relative.parts[0] in excluded or "__pycache__" in relative.parts:
            continue
        parts: list[str] = []
        owners: set[str] = set()
        for raw in relative.parts:
            name, mode = _rendered_part(raw, relative)
            parts.append(name)
            if mode is not None:
                owners.add(mode)
        if len(owners) > 1:
            raise ForgeError(f"template path {relative} is guarded by more than one mode flag")
        owner = owners.pop() if owners else CORE_MODE
        if owner not in owned:
            raise ForgeError(f"template path {relative} uses use_{owner}, which is not a mode")
        rendered = "/".join(parts)
        owned[owner].append(rendered.removesuffix(_SUFFIX))
    return owned


@cache
def load_catalog(root: Path | None = None) -> Catalog:
    """Read copier.yml (modes, questions) and the template tree (which files each mode owns)."""
    base = root or template_root()
    config: dict[str, Any] = yaml.safe_load((base / "copier.yml").read_text(encoding="utf-8"))
    choices: dict[str, str] = config["expert_modes"]["choices"]
    summaries = {value: label.split(":", 1)[1].strip() for label, value in choices.items()}
    mode_names = tuple(summaries)
    questions = tuple(
        key
        for key, spec in config.items()
        if not key.startswith("_") and not (isinstance(spec, dict) and spec.get("when") is False)
    )
    excluded = tuple(p for p in config.get("_exclude", []) if "*" not in p and "/" not in p)
    owned = _scan(base / config.get("_subdirectory", "template"), excluded, mode_names)
    modes = tuple(ModeInfo(name, summaries[name], tuple(owned[name])) for name in mode_names)
    return Catalog(modes=modes, questions=questions, excluded=excluded)
