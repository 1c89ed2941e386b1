"""The local template cache: a git repository holding each installed template version as a tag.

Copier records `_commit` (and can update a project later) only when it copies from git, and
forge-scaffold must work offline from the wheel. So every installed version commits its bundled
template into one repository in the user's cache directory, tagged `v<version>`, and `new` and
`update` run Copier against that repository.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forge_scaffold.errors import ForgeError

__all__ = ["TemplateRelease", "cache_dir", "ensure_release", "template_digest"]

_DIGEST_PREFIX = "template-digest: "
_IDENTITY = {
    "GIT_AUTHOR_NAME": "forge-scaffold",
    "GIT_AUTHOR_EMAIL": "forge-scaffold@localhost",
    "GIT_COMMITTER_NAME": "forge-scaffold",
    "GIT_COMMITTER_EMAIL": "forge-scaffold@localhost",
    # Reproducible commits: the same template content gives the same commit id everywhere.
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+0000",
}


@dataclass(frozen=True, slots=True)
class TemplateRelease:
    """A template version Copier can copy from: a git repository and a tag in it."""

    repo: Path
    tag: str


def cache_dir() -> Path:
    """`$FORGE_SCAFFOLD_CACHE`, else the platform's user cache directory."""
    override = os.environ.get("FORGE_SCAFFOLD_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path  # noqa: PLC0415 - only needed here

    return user_cache_path("forge-scaffold", appauthor=False)


def template_digest(root: Path) -> str:
    """A digest of copier.yml and every file under template/ (names and bytes)."""
    digest = hashlib.sha256()
    files = [root / "copier.yml", *sorted((root / "template").rglob("*"))]
    for path in files:
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run git in `repo` (with extra environment variables); return stdout."""
    env = {**os.environ, **(env or {}), "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False
        )
    except FileNotFoundError as exc:
        raise ForgeError("git is not installed: install git, which Copier needs") from exc
    if check and result.returncode != 0:
        raise ForgeError(f"git {' '.join(args)} failed in {repo}: {result.stderr.strip()}")
    return result.stdout.strip()


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tag_digest(repo: Path, tag: str) -> str | None:
    message = git(repo, "log", "-1", "--format=%B", tag, "--", check=False)
    for line in message.splitlines():
        if line.startswith(_DIGEST_PREFIX):
            return line.removeprefix(_DIGEST_PREFIX)
    return None


def _commit_template(repo: Path, source: Path, tag: str, digest: str) -> None:
    for entry in repo.iterdir():
        if entry.name not in {".git", ".lock"}:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copy2(source / "copier.yml", repo / "copier.yml")
    shutil.copytree(
        source / "template",
        repo / "template",
        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"),
    )
    git(repo, "add", "-A")
    message = f"template {tag}\n\n{_DIGEST_PREFIX}{digest}"
    git(repo, "commit", "-q", "--no-verify", "--allow-empty", "-m", message, env=_IDENTITY)
    git(repo, "tag", "-f", tag)


def ensure_release(source: Path, version: str, root: Path | None = None) -> TemplateRelease:
    """Make sure the cache holds this template version as tag `v<version>`; return where it is.

    A tag whose content differs from the bundled template (an editable install whose template
    changed) is moved to a new commit with the current content.
    """
    base = root or cache_dir()
    repo = base / "template"
    tag = f"v{version}"
    digest = template_digest(source)
    if (repo / ".git").is_dir() and _tag_digest(repo, tag) == digest:
        return TemplateRelease(repo, tag)
    with _locked(base):
        if not (repo / ".git").is_dir():
            repo.mkdir(parents=True, exist_ok=True)
            git(repo, "init", "-q", "-b", "main")
        if _tag_digest(repo, tag) != digest:
            _commit_template(repo, source, tag, digest)
    return TemplateRelease(repo, tag)
