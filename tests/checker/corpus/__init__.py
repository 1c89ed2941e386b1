"""The real-code regression corpus: pinned releases of libraries nobody here wrote, fetched once
from PyPI into a git-ignored cache, and the verdicts the team gave the findings `check` reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CACHE", "JUDGED", "PACKAGES", "Package", "fetch"]

REPO = Path(__file__).resolve().parents[3]
CACHE = REPO / ".cache" / "corpus"  # .cache/ is git-ignored
JUDGED = Path(__file__).with_name("judged.json")
PIP = "pip==25.3"  # run through `uv tool run`: the test environment itself has no pip


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    version: str
    sdist: bool = False  # the sdist carries pyproject.toml and the tests (project rules need them)

    @property
    def folder(self) -> Path:
        return CACHE / f"{self.name}-{self.version}"


PACKAGES = (
    Package("anyio", "4.16.0"),
    Package("httpx", "0.28.1"),
    Package("starlette", "1.10.0"),
    Package("aiokafka", "0.14.0"),
    Package("arq", "0.28.0", sdist=True),
    Package("redis", "8.1.0"),
    Package("uvicorn", "0.54.0"),
    Package("kombu", "5.7.0"),
)


def _download(package: Package, into: Path) -> Path:
    kind = ["--no-binary", ":all:"] if package.sdist else ["--only-binary", ":all:"]
    uv = shutil.which("uv")
    assert uv is not None, "uv runs the test suite, so it is on PATH"
    subprocess.run(
        [uv, "tool", "run", "--quiet", "--from", PIP, "pip", "download", "--quiet",
         "--no-deps", *kind, "--dest", str(into), f"{package.name}=={package.version}"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    [archive] = into.iterdir()
    return archive


def fetch(package: Package) -> Path:
    """The unpacked release (its import package, or the sdist's tree), downloaded when missing."""
    if package.folder.is_dir():
        return package.folder
    staging = CACHE / f".{package.name}-{package.version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "download").mkdir(parents=True)
    archive = _download(package, staging / "download")
    tree = staging / "tree"
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            wheel.extractall(tree)
    else:
        with tarfile.open(archive) as sdist:
            sdist.extractall(tree, filter="data")
        [tree] = tree.iterdir()  # the sdist's one top folder, `name-version`
    tree.rename(package.folder)
    shutil.rmtree(staging)
    return package.folder


def load_judged() -> list[dict[str, object]]:
    return list(json.loads(JUDGED.read_text(encoding="utf-8")))
