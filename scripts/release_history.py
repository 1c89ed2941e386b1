"""Append a release to the wheel's template history, `src/forge_scaffold/_history/template.bundle`.

The committed bundle is the record of what is released: a version is released once its entry is in
the bundle on `main`, and a released entry is never rewritten. Git tags of this repository play no
part (they do not travel with the repository's commits). To release version X.Y.Z:

    1. set `__version__ = "X.Y.Z"` in src/forge_scaffold/__init__.py and commit the template;
    2. uv run python scripts/release_history.py           # appends vX.Y.Z to the bundle
    3. commit the bundle; then start the next version as "X.Y.(Z+1).dev0" (or a minor bump).

    uv run python scripts/release_history.py --check   # exit 1 when a release is missing its entry

The new entry is one commit holding exactly copier.yml, template_renames.yml and template/ at
`--ref` (default HEAD), made by the cache's own `commit_release` (fixed identity and date, digest in
the message) on top of the newest entry, so its id is the same on every run and in every user's
cache. A development version (`X.Y.Z.devN`) has no entry: the cache commits it from the installed
template itself.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from forge_scaffold.update.cache import (  # noqa: E402
    HISTORY_BUNDLE,
    RENAMES_FILE,
    commit_release,
    tag_digest,
    template_digest,
)
from forge_scaffold.update.history import Version  # noqa: E402

TEMPLATE_PATHS = ("copier.yml", RENAMES_FILE, "template")


class ReleaseError(Exception):
    """A release that would rewrite or go behind the bundle's history."""


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed in {repo}: {result.stderr.strip()}")
    return result.stdout.strip()


def current_version(source: Path) -> str:
    text = (source / "src" / "forge_scaffold" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("no __version__ in src/forge_scaffold/__init__.py")
    return match.group(1)


def _extract(source: Path, ref: str, into: Path) -> None:
    paths = [p for p in TEMPLATE_PATHS if _present(source, ref, p)]
    archive = subprocess.run(
        ["git", "-C", str(source), "archive", "--format=tar", ref, *paths],
        capture_output=True,
        check=True,
    ).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _present(source: Path, ref: str, path: str) -> bool:
    probe = ["git", "-C", str(source), "cat-file", "-e", f"{ref}:{path}"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def bundled(bundle: Path) -> dict[str, str]:
    """tag -> commit recorded in an existing bundle, oldest first (empty when there is none)."""
    if not bundle.is_file():
        return {}
    heads = _git(REPO, "bundle", "list-heads", str(bundle))
    tags = {
        ref.removeprefix("refs/tags/"): sha
        for sha, ref in (line.split() for line in heads.splitlines())
        if ref.startswith("refs/tags/")
    }
    return {tag: tags[tag] for tag in sorted(tags, key=Version)}


def build(
    bundle: Path, source: Path, version: str, ref: str, work: Path
) -> tuple[Path, dict[str, str]]:
    """The bundle's history in a fresh repository under `work`, with `version` appended when it
    is a release the bundle lacks; return the repository and tag -> commit, oldest first.

    Raises ReleaseError when `version` is released with other content, or is older than the
    newest release (history only grows at its end).
    """
    repo = work / "history"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    commits = bundled(bundle)
    if commits:
        refspecs = [f"refs/tags/{tag}:refs/tags/{tag}" for tag in commits]
        _git(repo, "fetch", "-q", "--no-tags", str(bundle), *refspecs)
    target = Version(version)
    if not target.is_release:
        return repo, commits
    tag = f"v{version}"
    content = work / "release"
    _extract(source, ref, content)
    if tag in commits:
        if tag_digest(repo, tag) != template_digest(content):
            raise ReleaseError(f"{tag} is released: its bundle entry is never rewritten")
        return repo, commits
    if commits:
        newest = next(reversed(commits))
        if Version(newest) > target:
            raise ReleaseError(f"{tag} is older than the newest release {newest}")
        _git(repo, "checkout", "-q", "--detach", newest)
    commits[tag] = commit_release(repo, content, tag)
    return repo, commits


def write_bundle(repo: Path, tags: list[str], bundle: Path) -> None:
    bundle.parent.mkdir(parents=True, exist_ok=True)
    partial = bundle.with_suffix(".partial")
    _git(repo, "bundle", "create", "-q", str(partial), *(f"refs/tags/{t}" for t in tags))
    partial.replace(bundle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundle is stale")
    parser.add_argument("--ref", default="HEAD", help="commit whose template is released")
    parser.add_argument("--bundle", type=Path, default=HISTORY_BUNDLE)
    args = parser.parse_args(argv)
    version = current_version(REPO)
    old = bundled(args.bundle)
    with tempfile.TemporaryDirectory(prefix="forge-history-") as scratch:
        try:
            repo, commits = build(args.bundle, REPO, version, args.ref, Path(scratch))
        except ReleaseError as exc:
            print(f"refusing: {exc}", file=sys.stderr)
            return 2
        summary = ", ".join(f"{tag} {sha[:10]}" for tag, sha in commits.items())
        if old == commits:
            print(f"{args.bundle.name} is up to date for {version}: {summary}")
            return 0
        if args.check:
            stale = f"{args.bundle} lacks v{version}: run scripts/release_history.py"
            print(stale, file=sys.stderr)
            return 1
        write_bundle(repo, list(commits), args.bundle)
    print(f"wrote {args.bundle}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
