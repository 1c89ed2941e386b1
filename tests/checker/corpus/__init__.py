"""The real-code regression corpus: pinned releases of libraries nobody here wrote, fetched once
from PyPI into a git-ignored cache, and the verdicts the team gave the findings `check` reports."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CACHE",
    "JUDGED",
    "PACKAGES",
    "REPO",
    "Package",
    "fetch",
    "fetch_all",
    "load_judged",
    "load_totals",
]

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
    Package("celery", "5.7.0"),  # held out: judged before any rule change was made for it
)


def _download(packages: list[Package], into: Path) -> None:
    """One pip run for releases of one kind (wheels, or sdists): each run costs seconds."""
    kind = ["--no-binary", ":all:"] if packages[0].sdist else ["--only-binary", ":all:"]
    uv = shutil.which("uv")
    assert uv is not None, "uv runs the test suite, so it is on PATH"
    subprocess.run(
        [uv, "tool", "run", "--quiet", "--from", PIP, "pip", "download", "--quiet",
         "--no-deps", *kind, "--dest", str(into),
         *(f"{package.name}=={package.version}" for package in packages)],
        check=True,
        capture_output=True,
    )  # fmt: skip


def fetch_all(packages: tuple[Package, ...] = PACKAGES) -> None:
    """Download and unpack every release not in the cache yet. Test workers running side by side
    take turns (a lock file), so each release is fetched once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = [package for package in packages if not package.folder.is_dir()]
        for sdist in (False, True):
            group = [package for package in missing if package.sdist is sdist]
            if group:
                _fetch(group)


def fetch(package: Package) -> Path:
    """The unpacked release (its import package, or the sdist's tree)."""
    if not package.folder.is_dir():
        fetch_all((package,))
    return package.folder


def _fetch(packages: list[Package]) -> None:
    staging = CACHE / ".download"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    _download(packages, staging)
    for package in packages:
        prefix = f"{package.name}-{package.version}"
        [archive] = [path for path in staging.iterdir() if path.name.lower().startswith(prefix)]
        tree = CACHE / f".{prefix}.partial"
        shutil.rmtree(tree, ignore_errors=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(tree)
            tree.rename(package.folder)
        else:
            with tarfile.open(archive) as sdist:
                sdist.extractall(tree, filter="data")
            [top] = tree.iterdir()  # the sdist's one top folder, `name-version`
            top.rename(package.folder)
            shutil.rmtree(tree)
    shutil.rmtree(staging)


def load_judged() -> list[dict[str, object]]:
    """Every judged finding: package, path, line, code, reported, verdict, note."""
    return list(json.loads(JUDGED.read_text(encoding="utf-8"))["judged"])


def load_totals() -> dict[str, dict[str, int]]:
    """How many findings each rule gives on each library today."""
    return dict(json.loads(JUDGED.read_text(encoding="utf-8"))["totals"])
