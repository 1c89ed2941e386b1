"""Throughput of `forge-scaffold check` next to `ruff check` over the same large codebase.

The codebase is the running Python's site-packages (millions of lines of real code). Both tools
check the same files: forge-scaffold's own discovery lists them, forge-scaffold checks the folder
(so its discovery is timed too), ruff gets the list of files. Runs are interleaved, so noise on a
shared machine hits both alike; compare the ratio, not the absolute numbers. CPU time (user + system
of each tool's processes, worker processes and threads included) is recorded beside wall time: on
a busy machine it moves far less than wall time does.

    python benchmarks/bench_check.py [--runs 3] [--root PATH] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from forge_scaffold import __version__
from forge_scaffold.checker.files import discover

MIN_LINES = 200_000
SECTION = "## check throughput"
ARGS_BUDGET = 1_000_000  # bytes of file names per ruff invocation, well under ARG_MAX


Timing = tuple[float, float]  # wall seconds, CPU seconds


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], cwd: Path, ok: tuple[int, ...]) -> Timing:
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(
            f"{' '.join(args[:4])} ... exited {done.returncode}: {done.stderr.decode()[-500:]}"
        )
    return elapsed, _cpu() - cpu


def _batches(names: list[str]) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    size = 0
    for name in names:
        if size + len(name) + 1 > ARGS_BUDGET:
            batches.append([])
            size = 0
        batches[-1].append(name)
        size += len(name) + 1
    return batches


def _ruff(ruff: str, root: Path, names: list[str]) -> Timing:
    command = [ruff, "check", "--isolated", "--select", "E,F", "--no-cache", "--exit-zero"]
    timings = [_timed([*command, *batch], root, ok=(0,)) for batch in _batches(names)]
    return sum(wall for wall, _ in timings), sum(cpu for _, cpu in timings)


def _forge(root: Path) -> Timing:
    # Exit 1 means findings, which site-packages has plenty of.
    return _timed([sys.executable, "-m", "forge_scaffold", "check", str(root)], root, ok=(0, 1))


def _row(tool: str, times: list[Timing], lines: int) -> str:
    wall = statistics.median(t for t, _ in times)
    cpu = statistics.median(c for _, c in times)
    runs = ", ".join(f"{t:.2f}" for t, _ in times)
    return (
        f"| {tool} | {wall:.2f} s | {lines / wall:,.0f} | {cpu:.2f} s | {lines / cpu:,.0f} "
        f"| {runs} |"
    )


def _section(
    root: Path,
    files: int,
    lines: int,
    forge: list[Timing],
    ruff: list[Timing],
    ruff_version: str,
    load: tuple[float, float],
) -> str:
    ratio = statistics.median(t for t, _ in ruff) / statistics.median(t for t, _ in forge)
    forge_rate = lines / statistics.median(t for t, _ in forge)
    forge_cpu_rate = lines / statistics.median(c for _, c in forge)
    forge_tool = f"`forge-scaffold check` (all {_rule_count()} rules)"
    ruff_tool = "`ruff check --select E,F --no-cache --exit-zero`"
    return f"""{SECTION}

Measured by `python benchmarks/bench_check.py` (forge-scaffold {__version__}, {ruff_version}).

| tool | median wall time | lines/second | median CPU time | lines/CPU-second | runs (s) |
|---|---|---|---|---|---|
{_row(forge_tool, forge, lines)}
{_row(ruff_tool, ruff, lines)}

forge-scaffold checks the same files at **{ratio:.2f} times** ruff's speed
({files:,} files, {lines:,} lines): {forge_rate:,.0f} lines/second of wall time,
{forge_cpu_rate:,.0f} lines per CPU-second. The target is 150,000 lines/second. Load average
(1 min) {load[0]:.1f} at the start and {load[1]:.1f} at the end, on {os.cpu_count()} cores.

Method:
- Corpus: the running Python's site-packages, every `*.py` file that forge-scaffold's discovery
  keeps (it skips `build`, `dist`, `__pycache__`, ... folders); lines are counted as newlines.
  Here: `{root}`.
- forge-scaffold runs as the CLI on the folder (`python -m forge_scaffold check <folder>`), so
  start-up, discovery, the worker processes and printing the findings are all timed.
- ruff gets the same files as arguments, with `--isolated` so that no configuration file inside
  the corpus changes its rules.
- Output of both is discarded; runs alternate between the two tools; the table gives medians.
- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {_system()}. It is shared
  and noisy: compare the ratio measured in one run, not absolute times.
"""


def _rule_count() -> int:
    from forge_scaffold.checker import CATALOG  # noqa: PLC0415 - only for the report

    return len(CATALOG)


def _system() -> str:
    try:
        release = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return platform.platform()
    match = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', release, re.MULTILINE)
    return match.group(1) if match else platform.platform()


def _write(path: Path, section: str) -> None:
    """Add or replace this benchmark's section; other sections of the file stay as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--write", type=Path, help="add or replace the section in this file")
    args = parser.parse_args()
    root: Path = args.root.resolve()
    ruff = shutil.which("ruff")
    if ruff is None:
        sys.exit("ruff is not on PATH: pip install ruff")
    ruff_version = subprocess.run(
        [ruff, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()

    files = discover([root]).files
    lines = sum(Path(file).read_bytes().count(b"\n") for file in files)
    if lines < MIN_LINES:
        sys.exit(f"{root} holds {lines:,} lines of Python; the benchmark needs {MIN_LINES:,}")
    names = [os.path.relpath(file, root) for file in files]
    print(f"{len(files):,} files, {lines:,} lines under {root}", file=sys.stderr)

    load_before = os.getloadavg()[0]
    forge: list[Timing] = []
    ruff_times: list[Timing] = []
    for run in range(1, args.runs + 1):
        forge.append(_forge(root))
        ruff_times.append(_ruff(ruff, root, names))
        print(
            f"run {run}: forge-scaffold {forge[-1][0]:.2f} s ({forge[-1][1]:.2f} s CPU), "
            f"ruff {ruff_times[-1][0]:.2f} s ({ruff_times[-1][1]:.2f} s CPU)",
            file=sys.stderr,
        )

    load = (load_before, os.getloadavg()[0])
    section = _section(root, len(files), lines, forge, ruff_times, ruff_version, load)
    print(section)
    if args.write:
        _write(args.write, section)


if __name__ == "__main__":
    main()
