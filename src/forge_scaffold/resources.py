"""Where the bundled Copier template lives: inside the wheel, or at a source checkout's root."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from forge_scaffold.errors import ForgeError

__all__ = ["template_root"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def template_root() -> Path:
    """The folder holding `copier.yml` and `template/` (the wheel copy wins over a checkout)."""
    for candidate in (_PACKAGE_DIR / "_template", _PACKAGE_DIR.parents[1]):
        if (candidate / "copier.yml").is_file() and (candidate / "template").is_dir():
            return candidate
    raise ForgeError(
        f"the bundled template is missing under {_PACKAGE_DIR}: reinstall forge-scaffold"
    )
