"""copier.yml holds the validators plain `copier copy` users get; keep their word lists current."""

from __future__ import annotations

import keyword
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    return loaded


def test_keyword_list_matches_the_running_python() -> None:
    assert set(_config()["python_keywords"]["default"]) == set(keyword.kwlist)


def test_stdlib_list_covers_the_running_python() -> None:
    public = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public <= set(_config()["stdlib_modules"]["default"])


def test_every_question_has_help_text() -> None:
    for key, spec in _config().items():
        if key.startswith("_") or spec.get("when") is False:
            continue
        assert spec.get("help"), f"question {key} has no help"


def test_every_mode_flag_is_computed_from_expert_modes() -> None:
    config = _config()
    modes = list(config["expert_modes"]["choices"].values())
    for mode in modes[1:]:
        flag = config[f"use_{mode}"]
        assert flag["when"] is False
        assert f"'{mode}' in expert_modes" in flag["default"]
