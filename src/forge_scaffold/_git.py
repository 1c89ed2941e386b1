"""The one place forge-scaffold runs git: every failure becomes a GitError naming the command.

Copier runs git itself; forge-scaffold's own calls (the template cache, project state, the first
commit of a new project, the scratch clone of an update, three-way merges) all come through here.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from forge_scaffold.errors import GitError

__all__ = ["IDENTITY", "git", "git_bytes", "merge_file"]

# The identity and date of forge-scaffold's own commits (cache releases, scratch clones): the same
# template content gives the same commit id on every machine.
IDENTITY = {
    "GIT_AUTHOR_NAME": "forge-scaffold",
    "GIT_AUTHOR_EMAIL": "forge-scaffold@localhost",
    "GIT_COMMITTER_NAME": "forge-scaffold",
    "GIT_COMMITTER_EMAIL": "forge-scaffold@localhost",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+0000",
}


def _run(args: list[str], env: dict[str, str] | None) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **(env or {}), "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", *args], capture_output=True, env=environment, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed: install git, which Copier needs") from exc


def git_bytes(
    repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> bytes:
    """Run git in `repo`; return its raw stdout (for `-z` listings and file contents)."""
    result = _run(["-C", str(repo), *args], env)
    if check and result.returncode != 0:
        stderr = result.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args)} failed in {repo}: {stderr}")
    return result.stdout


def git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run git in `repo` (with extra environment variables); return stdout, stripped."""
    return git_bytes(repo, *args, check=check, env=env).decode(errors="replace").strip()


def merge_file(
    ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str]
) -> tuple[bytes, bool]:
    """`git merge-file -p`: the merged bytes, and whether conflict markers were written."""
    flags = [arg for label in labels for arg in ("-L", label)]
    result = _run(["merge-file", "-p", *flags, str(ours), str(base), str(theirs)], None)
    if result.returncode < 0 or result.returncode > 127:
        stderr = result.stderr.decode(errors="replace").strip()
        raise GitError(f"git merge-file failed on {theirs}: {stderr}")
    return result.stdout, result.returncode > 0
