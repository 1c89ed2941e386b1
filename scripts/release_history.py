"""Build the wheel's template release history, `src/forge_scaffold/_history/template.bundle`.

Run it at release time, after tagging the release commit `v<version>`:

    uv run python scripts/release_history.py           # (re)build the bundle
    uv run python scripts/release_history.py --check   # exit 1 when the bundle is stale

Every tag `v*` of this repository (plus the current version at --ref, default HEAD, while it has
no tag yet) becomes one commit holding exactly copier.yml, template_renames.yml and template/ at
that version, each on top of the previous one, made by the cache's own `commit_release` (fixed
identity and date, digest in the message). The same content therefore gives the same commit ids
on every run and in every user's cache, a new release appends one commit, and a run that would
change the commit of an already released tag is refused.
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

from forge_scaffold.cache import HISTORY_BUNDLE, RENAMES_FILE, commit_release  # noqa: E402
from forge_scaffold.history import Version, parse_version  # noqa: E402

TEMPLATE_PATHS = ("copier.yml", RENAMES_FILE, "template")


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


def releases(source: Path, version: str, ref: str) -> list[tuple[str, str]]:
    """(tag, git ref) of every release, oldest first; the current version at `ref` if untagged."""
    tags = [t for t in _git(source, "tag", "--list", "v*").splitlines() if parse_version(t)]
    found = [(tag, tag) for tag in sorted(tags, key=Version) if Version(tag) <= Version(version)]
    if f"v{version}" not in tags:
        found.append((f"v{version}", ref))
    return found


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


def build(source: Path, version: str, ref: str, work: Path) -> tuple[Path, dict[str, str]]:
    """Commit every release into a fresh repository under `work`; return it and tag -> commit."""
    repo = work / "history"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    commits: dict[str, str] = {}
    for index, (tag, git_ref) in enumerate(releases(source, version, ref)):
        content = work / f"release-{index}"
        _extract(source, git_ref, content)
        commits[tag] = commit_release(repo, content, tag)
    return repo, commits


def bundled(bundle: Path) -> dict[str, str]:
    """tag -> commit recorded in an existing bundle (empty when there is none)."""
    if not bundle.is_file():
        return {}
    heads = _git(REPO, "bundle", "list-heads", str(bundle))
    return {
        ref.removeprefix("refs/tags/"): sha
        for sha, ref in (line.split() for line in heads.splitlines())
        if ref.startswith("refs/tags/")
    }


def rewritten(old: dict[str, str], new: dict[str, str], released: set[str]) -> list[str]:
    """Released tags whose commit would change (or vanish): history must only grow."""
    return sorted(tag for tag, sha in old.items() if tag in released and new.get(tag) != sha)


def write_bundle(repo: Path, tags: list[str], bundle: Path) -> None:
    bundle.parent.mkdir(parents=True, exist_ok=True)
    partial = bundle.with_suffix(".partial")
    _git(repo, "bundle", "create", "-q", str(partial), *(f"refs/tags/{t}" for t in tags))
    partial.replace(bundle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundle is stale")
    parser.add_argument("--ref", default="HEAD", help="commit of the untagged current version")
    parser.add_argument("--bundle", type=Path, default=HISTORY_BUNDLE)
    args = parser.parse_args(argv)
    version = current_version(REPO)
    released = set(_git(REPO, "tag", "--list", "v*").splitlines())
    with tempfile.TemporaryDirectory(prefix="forge-history-") as scratch:
        repo, commits = build(REPO, version, args.ref, Path(scratch))
        old = bundled(args.bundle)
        broken = rewritten(old, commits, released)
        if broken:
            print(f"refusing to change released versions {', '.join(broken)}", file=sys.stderr)
            return 2
        summary = ", ".join(f"{tag} {sha[:10]}" for tag, sha in commits.items())
        if old == commits:
            print(f"{args.bundle.name} is up to date: {summary}")
            return 0
        if args.check:
            print(f"{args.bundle} is stale: run scripts/release_history.py", file=sys.stderr)
            return 1
        write_bundle(repo, list(commits), args.bundle)
    print(f"wrote {args.bundle}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
