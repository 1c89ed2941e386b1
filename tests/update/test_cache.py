"""The template cache: built aside and renamed in, rebuilt when git cannot read it or its release
commits are not the wheel's, and checked with `git fsck` when Copier fails on it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from forge_scaffold.resources import template_root
from forge_scaffold.update.cache import HISTORY_BUNDLE, ensure_release
from forge_scaffold.update.cache_health import CacheDamaged, checked, damage, matches_history

INSTALLED = "0.2.0.dev0"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def _bundle_tags() -> list[str]:
    heads = _git(template_root(), "bundle", "list-heads", str(HISTORY_BUNDLE)).splitlines()
    return [line.split()[1].removeprefix("refs/tags/") for line in heads]


def _bundle_commit(tag: str) -> str:
    heads = _git(template_root(), "bundle", "list-heads", str(HISTORY_BUNDLE)).splitlines()
    return next(line.split()[0] for line in heads if line.endswith(f"refs/tags/{tag}"))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    ensure_release(template_root(), INSTALLED, root=tmp_path / "cache")
    return tmp_path / "cache"


def test_a_release_tag_moved_away_from_the_wheels_history_is_rebuilt(cache: Path) -> None:
    repo = cache / "template"
    _git(repo, "tag", "-f", "v0.1.0", f"v{INSTALLED}")
    (repo / ".git" / "forge-history").unlink()  # as when another wheel is installed
    assert not matches_history(repo, HISTORY_BUNDLE, f"v{INSTALLED}")
    ensure_release(template_root(), INSTALLED, root=cache)
    assert _git(repo, "rev-parse", "v0.1.0") == _bundle_commit("v0.1.0")


def test_a_cache_left_half_made_by_a_killed_run_is_rebuilt(cache: Path) -> None:
    repo = cache / "template"
    shutil.rmtree(repo)
    (repo / ".git").mkdir(parents=True)  # what `git init` leaves when killed early
    (cache / "template.new-99999999" / ".git").mkdir(parents=True)
    release = ensure_release(template_root(), INSTALLED, root=cache)
    assert _git(release.repo, "rev-parse", "v0.1.0") == _bundle_commit("v0.1.0")
    tags = _git(release.repo, "tag", "--list").splitlines()
    assert sorted(tags) == sorted([*_bundle_tags(), f"v{INSTALLED}"])  # history + installed
    assert sorted(p.name for p in cache.iterdir()) == [".lock", "template"]


def test_git_fsck_tells_a_damaged_cache_from_a_sound_one(cache: Path) -> None:
    repo = cache / "template"
    assert damage(repo) is None
    failure = RuntimeError("git checkout failed")
    assert checked(failure, repo) is failure  # not the cache's fault
    for pack in (repo / ".git" / "objects" / "pack").glob("*.pack"):
        data = bytearray(pack.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 512] = bytes(512)
        pack.chmod(0o644)
        pack.write_bytes(bytes(data))
    assert damage(repo)
    found = checked(failure, repo)
    assert isinstance(found, CacheDamaged)
    assert str(repo) in found.message
    assert checked(ValueError("bad answer"), repo).__class__ is ValueError
    ensure_release(template_root(), INSTALLED, root=cache, rebuild=True)
    assert damage(repo) is None
