"""Wall time of `forge-scaffold --help` and of `forge-scaffold new` against raw `copier copy`.

Both generators render the same template (the CLI's own cache repository, same tag) with the same
answers, interleaved in one run so machine noise hits both alike. Prints a Markdown table.

    uv run python benchmarks/bench_cli.py [--runs 15]
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

BIN = Path(sys.executable).parent
ALL_MODES = ["python", "async", "memory", "testing", "architecture"]


def _timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="forge-bench-"))
    env = {**os.environ, "FORGE_SCAFFOLD_CACHE": str(work / "cache")}
    forge = str(BIN / "forge-scaffold")
    copier = str(BIN / "copier")
    modes = [arg for mode in ALL_MODES[1:] for arg in ("--mode", mode)]
    # Warm the cache (first use commits the template) and the OS file cache.
    subprocess.run(
        [forge, "new", str(work / "warm"), "--defaults", *modes],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    repo, tag = str(work / "cache" / "template"), f"v{__version__}"
    data = ["--data", "project_name=Load Svc", "--data", f"expert_modes={ALL_MODES}"]
    samples: dict[str, list[float]] = {"help": [], "new": [], "new_no_git": [], "copier": []}
    for i in range(runs):
        samples["help"].append(_timed([forge, "--help"], env))
        samples["new"].append(
            _timed(
                [forge, "new", str(work / f"n{i}"), "--defaults", "--name", "Load Svc", *modes],
                env,
            )
        )
        samples["new_no_git"].append(
            _timed(
                [
                    forge,
                    "new",
                    str(work / f"g{i}"),
                    "--defaults",
                    "--name",
                    "Load Svc",
                    "--no-git",
                    *modes,
                ],
                env,
            )
        )
        samples["copier"].append(
            _timed(
                [
                    copier,
                    "copy",
                    "--quiet",
                    "--defaults",
                    "--vcs-ref",
                    tag,
                    *data,
                    repo,
                    str(work / f"c{i}"),
                ],
                env,
            )
        )
    shutil.rmtree(work, ignore_errors=True)
    med = {key: statistics.median(values) for key, values in samples.items()}
    print(f"runs: {runs} (interleaved), python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print("| command | median s | min s | ratio to copier copy |")
    print("|---|---|---|---|")
    for key, label in [
        ("help", "forge-scaffold --help"),
        ("new", "forge-scaffold new (all modes, git init)"),
        ("new_no_git", "forge-scaffold new --no-git (all modes)"),
        ("copier", "copier copy (same template, tag, answers)"),
    ]:
        ratio = "" if key == "help" else f"{med[key] / med['copier']:.3f}"
        print(f"| `{label}` | {med[key]:.3f} | {min(samples[key]):.3f} | {ratio} |")


if __name__ == "__main__":
    main()
