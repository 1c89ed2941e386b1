"""The expert modes by name, defined once: the core mode and every mode the template offers."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["CORE_MODE", "MODE_NAMES", "ModeName"]

ModeName = Literal["python", "async", "memory", "testing", "architecture"]
# In the order copier.yml offers them (a test keeps the two equal); `python` is always on.
MODE_NAMES: Final[tuple[ModeName, ...]] = ("python", "async", "memory", "testing", "architecture")
CORE_MODE: Final[ModeName] = "python"
