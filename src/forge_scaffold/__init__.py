"""forge-scaffold: generate production-grade Python services that follow the standards."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("forge-scaffold")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
