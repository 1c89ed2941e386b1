"""Wall time of `forge-scaffold update` against raw `copier update` on the same project.

Three cases, each run by both tools on identical copies of one generated project, interleaved in
one run so machine noise hits both alike (medians reported):

- nothing to do: the project is at the installed template version;
- switch a mode: `--add-mode memory` against `copier update --data expert_modes=[...]`;
- new version: `--to v0.1.1` against `copier update --vcs-ref v0.1.1`, where v0.1.1 is the
  installed template plus a changed line and a new file, committed into the same cache.

    uv run python benchmarks/bench_update.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from forge_scaffold import __version__
from forge_scaffold.resources import template_root
from forge_scaffold.update.cache import commit_release

BIN = Path(sys.executable).parent
CASES = {
    "noop": ("nothing to do", [], []),
    "mode": (
        "switch a mode (add memory)",
        ["--add-mode", "memory"],
        ["--data", "expert_modes=[python, async, memory]", "--vcs-ref", f"v{__version__}"],
    ),
    "version": ("new version (v0.1.1)", ["--to", "v0.1.1"], ["--vcs-ref", "v0.1.1"]),
}


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed


def _newer_release(cache_repo: Path, work: Path) -> None:
    """Commit the installed template plus a change as v0.1.1 into the same cache."""
    source = work / "v0.1.1"
    shutil.copytree(template_root(), source, ignore=shutil.ignore_patterns("__pycache__"))
    (source / "template" / "BENCH.md.jinja").write_text("Bench note for {{ project_name }}\n")
    readme = next((source / "template").glob("README.md*"), None)
    if readme is not None:
        readme.write_text(readme.read_text(encoding="utf-8") + "\nOne more line.\n")
    commit_release(cache_repo, source, "v0.1.1")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="forge-bench-update-"))
    env = {**os.environ, "FORGE_SCAFFOLD_CACHE": str(work / "cache")}
    forge, copier = str(BIN / "forge-scaffold"), str(BIN / "copier")
    base = work / "base"
    _run([forge, "new", str(base), "--defaults", "--name", "Load Svc", "--mode", "async"], env)
    _newer_release(work / "cache" / "template", work)
    copier_common = ["update", "--quiet", "--defaults", "--skip-answered", "--conflict", "inline"]
    samples: dict[str, list[float]] = {f"{c}-{t}": [] for c in CASES for t in ("forge", "copier")}
    for i in range(runs):
        for case, (_, forge_args, copier_args) in CASES.items():
            mine, theirs = work / f"{case}-f{i}", work / f"{case}-c{i}"
            shutil.copytree(base, mine, symlinks=True)
            shutil.copytree(base, theirs, symlinks=True)
            cmd_forge = [forge, "update", str(mine), *forge_args]
            cmd_copier = [copier, *copier_common, *copier_args, str(theirs)]
            if case == "noop":
                cmd_copier.insert(-1, "--vcs-ref")
                cmd_copier.insert(-1, f"v{__version__}")
            pair = [("forge", cmd_forge), ("copier", cmd_copier)]
            for tool, cmd in pair if i % 2 == 0 else reversed(pair):
                samples[f"{case}-{tool}"].append(_run(cmd, env))
            if i == 0 and _tree(mine) != _tree(theirs):
                print(f"warning: {case}: the two tools left different trees", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    print(f"runs: {runs} (interleaved), python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print("| case | forge-scaffold update s | copier update s | ratio |")
    print("|---|---|---|---|")
    for case, (label, _, _) in CASES.items():
        mine = statistics.median(samples[f"{case}-forge"])
        theirs = statistics.median(samples[f"{case}-copier"])
        print(f"| {label} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f} |")


if __name__ == "__main__":
    main()
