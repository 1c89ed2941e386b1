"""A generated all-modes service under wrk load, side by side with a bare FastAPI app.

Renders the working tree's template (all modes), starts the service twice (embedded, and with
REDIS_URL on a real redis-server of its own) and a bare FastAPI app with the same routes on the
same uvicorn settings (`service/bare_app.py`), then drives each with wrk in interleaved rounds:
GET /health, unsigned POST /process, and POST /process pre-signed by the project's own Signer
(one nonce per request, `service/load.lua`). The same signed requests also go to the bare app
behind `--floor`, which makes only the checks every signed service must make (digest, Ed25519,
nonce): the floor under the service's signed path on this machine and server. Prints
requests/s, p50/p99 latency, the ratios the performance budget sets, and the embedded service's
RSS before and after the load.

    uv run python benchmarks/bench_service.py [--rounds 3] [--duration 8] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import template_harness as harness  # the harness lives beside the repo's tests

HERE = Path(__file__).resolve().parent / "service"
PACKAGE = "load_svc"
PREFIX = PACKAGE.upper() + "_"
BODY = json.dumps({"data": {**{f"n{i}": i for i in range(16)}, "text": "hello " * 8}})
# Acceptance (issue 10): ratio of the service's rate to the bare app's, per comparison.
TARGETS = {
    "health": 0.9,
    "signed": 0.75,
    "signed+redis": 0.6,
}
RSS_BUDGET_MIB = 8.0
RSS_REQUESTS = 100_000
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Result:
    """One wrk run's summary."""

    requests: int
    rate: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int
    cpu_us: float  # the server's CPU time (user + system) per request: steadier than req/s here


@dataclass
class Target:
    """A running HTTP server under test."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    served: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_s(self) -> float:
        """User + system CPU seconds the server process has used so far."""
        fields = (
            Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1]
        )
        utime, stime = fields.split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="ascii")
        line = next(row for row in status.splitlines() if row.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(target: Target, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            sys.exit(f"{target.name} exited with {target.process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{target.url}/health", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    sys.exit(f"{target.name} did not answer /health within {START_TIMEOUT_S}s")


@contextmanager
def started(
    name: str, argv: list[str], env: dict[str, str], port: int, logs: Path
) -> Iterator[Target]:
    """Start a server process, wait for its /health, stop it by PID afterwards."""
    log = logs / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    target = Target(name, port, process)
    try:
        wait_until_up(target, log)
        yield target
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server of this run's own on a free loopback port, without persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed: run scripts/provision.sh")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()


def wrk(target: Target, args: argparse.Namespace, env: dict[str, str], seconds: float) -> Result:
    argv = [
        "wrk",
        "-t1",
        f"-c{args.connections}",
        f"-d{round(seconds)}s",
        "--timeout",
        "5s",
        "-s",
        str(HERE / "load.lua"),
        target.url,
    ]
    cpu_before = target.cpu_s()
    done = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    cpu = target.cpu_s() - cpu_before
    line = next(row for row in done.stdout.splitlines() if row.startswith("BENCH "))
    raw = json.loads(line.removeprefix("BENCH "))
    target.served += raw["requests"]
    return Result(
        requests=raw["requests"],
        rate=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        status_errors=raw["status_errors"],
        socket_errors=raw["socket_errors"],
        cpu_us=cpu / max(raw["requests"], 1) * 1e6,
    )


class Bench:
    """The generated project, its venv and the client key; runs one case against one target."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        snapshot = harness.template_snapshot(work / "template-src")
        full = harness.render(work / "all", harness.ALL_MODES, src=snapshot)
        self.venv = harness.shared_venv(full)
        self.project = harness.render(
            work / "svc", harness.ALL_MODES, name="Load Svc", src=snapshot
        )
        self.python = str(self.venv / "bin" / "python")
        self.env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(self.project / "src")}
        self.client_key = work / "client.key"
        self.client_did = self.presign("did").strip()

    def presign(self, command: str, *extra: str) -> str:
        argv = [
            self.python,
            str(HERE / "presign.py"),
            command,
            str(self.client_key),
            PACKAGE,
            *extra,
        ]
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, check=True).stdout

    def service_env(self, port: int, redis_url: str | None) -> dict[str, str]:
        env = {
            **self.env,
            f"{PREFIX}HTTP_PORT": str(port),
            f"{PREFIX}IDENTITY_KEY_PATH": str(self.work / f"service-{port}.key"),
            f"{PREFIX}TRUSTED_DIDS": self.client_did,
        }
        if redis_url is not None:
            env["REDIS_URL"] = redis_url
        return env | dict(item.split("=", 1) for item in self.args.service_env)

    def run_case(self, case: str, target: Target, seconds: float) -> Result:
        env = {
            "BENCH_METHOD": "GET",
            "BENCH_PATH": "/health",
            "BENCH_BODY": "",
            "BENCH_REQUESTS": "",
        }
        if case != "health":
            env |= {"BENCH_METHOD": "POST", "BENCH_PATH": "/process", "BENCH_BODY": BODY}
        if case == "signed":
            requests = self.work / "signed.txt"
            count = str(int(self.args.max_rate * seconds))
            self.presign("sign", f"{target.url}/process", BODY, count, str(requests))
            env["BENCH_REQUESTS"] = str(requests)
        return wrk(target, self.args, env, seconds)


CASES = {
    "health": ("bare", "service", "service+redis"),
    "unsigned": ("bare", "service", "service+redis"),
    "signed": ("floor", "service", "floor+redis", "service+redis"),
}


def print_round(number: int, results: dict[tuple[str, str], Result]) -> dict[str, float]:
    bare_health, bare_process = results["health", "bare"].rate, results["unsigned", "bare"].rate
    bare_health_cpu, bare_process_cpu = (
        results["health", "bare"].cpu_us,
        results["unsigned", "bare"].cpu_us,
    )
    print(f"\n### round {number}\n")
    columns = "request | app | req/s | p50 ms | p99 ms | non-2xx | CPU µs/req"
    print(f"| {columns} | vs bare (req/s) | vs bare (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (case, app), r in results.items():
        bare = results["health" if case == "health" else "unsigned", "bare"]
        ratio = cpu_ratio = ""
        if app != "bare":
            ratio, cpu_ratio = f"{r.rate / bare.rate:.2f}x", f"{bare.cpu_us / r.cpu_us:.2f}x"
        print(
            f"| {case} | {app} | {r.rate:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {r.status_errors} | {r.cpu_us:.0f} | {ratio} | {cpu_ratio} |"
        )
    return {
        "health": results["health", "service"].rate / bare_health,
        "health+redis": results["health", "service+redis"].rate / bare_health,
        "signed": results["signed", "service"].rate / bare_process,
        "signed+redis": results["signed", "service+redis"].rate / bare_process,
        "unsigned 401": results["unsigned", "service"].rate / bare_process,
        "health (CPU)": bare_health_cpu / results["health", "service"].cpu_us,
        "signed (CPU)": bare_process_cpu / results["signed", "service"].cpu_us,
        "signed+redis (CPU)": bare_process_cpu / results["signed", "service+redis"].cpu_us,
        "floor signed": results["signed", "floor"].rate / bare_process,
        "floor signed+redis": results["signed", "floor+redis"].rate / bare_process,
        "service / floor": results["signed", "service"].rate / results["signed", "floor"].rate,
        "service / floor (redis)": (
            results["signed", "service+redis"].rate / results["signed", "floor+redis"].rate
        ),
    }


def start_targets(stack: ExitStack, bench: Bench, logs: Path) -> dict[str, Target]:
    """The service (embedded and with Redis), the bare app, and the floor (both ways)."""
    redis_url = stack.enter_context(redis_server())
    targets: dict[str, Target] = {}
    for name, redis in (("service", None), ("service+redis", redis_url)):
        port = free_port()
        argv = [bench.python, "-m", PACKAGE]
        targets[name] = stack.enter_context(
            started(name, argv, bench.service_env(port, redis), port, logs)
        )
    bare = [bench.python, str(HERE / "bare_app.py")]
    for name, extra in (
        ("bare", []),
        ("floor", ["--floor", bench.client_did, PACKAGE]),
        ("floor+redis", ["--floor", bench.client_did, PACKAGE, "--redis", redis_url]),
    ):
        port = free_port()
        argv = [*bare, str(port), *extra]
        targets[name] = stack.enter_context(started(name, argv, bench.env, port, logs))
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--max-rate", type=float, default=5000.0, help="signed requests per second pre-signed"
    )
    parser.add_argument(
        "--service-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment of both services, e.g. LOAD_SVC_LOG_LEVEL=WARNING",
    )
    parser.add_argument(
        "--rss-requests",
        type=int,
        default=RSS_REQUESTS,
        help="requests the embedded service serves between the two RSS readings",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run scripts/provision.sh")
    work = Path(tempfile.mkdtemp(prefix="forge-bench-svc-"))
    bench = Bench(args, work)
    logs = work / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        targets = start_targets(stack, bench, logs)
        for case, apps in CASES.items():  # warm-up: imports, caches, first connections
            for app in apps:
                bench.run_case(case, targets[app], 1)
        service = targets["service"]
        served_before, rss_before = service.served, service.rss_mib()
        # The budget is per `--rss-requests`: RSS is read again after the run that passes that
        # count, and once more at the end of the whole run.
        budget_mark: tuple[int, float] | None = None

        def mark_budget() -> None:
            nonlocal budget_mark
            served = service.served - served_before
            if budget_mark is None and served >= args.rss_requests:
                budget_mark = (served, service.rss_mib())

        ratios: list[dict[str, float]] = []
        for number in range(1, args.rounds + 1):
            results: dict[tuple[str, str], Result] = {}
            for case, apps in CASES.items():
                # Alternate the order each round, so a burst of noise does not favour one app.
                for app in apps if number % 2 else reversed(apps):
                    results[case, app] = bench.run_case(case, targets[app], args.duration)
                    mark_budget()
            ordered = {key: results[key] for key in sorted(results, key=_order)}
            ratios.append(print_round(number, ordered))
        while budget_mark is None:
            bench.run_case("signed", service, args.duration)
            mark_budget()
        rss_after = service.rss_mib()
        served = service.served - served_before
        redis_rss = targets["service+redis"].rss_mib()
    print("\n### ratios (service / bare)\n")
    names = list(ratios[0])
    print(
        "| comparison | target | "
        + " | ".join(f"round {i}" for i in range(1, len(ratios) + 1))
        + " | median |"
    )
    print("|---|---|" + "---|" * (len(ratios) + 1))
    for name in names:
        values = [r[name] for r in ratios]
        target = f">= {TARGETS[name]}x" if name in TARGETS else ""
        cells = " | ".join(f"{v:.2f}x" for v in values)
        print(f"| {name} | {target} | {cells} | {statistics.median(values):.2f}x |")
    marked, rss_marked = budget_mark
    growth = rss_marked - rss_before
    verdict = "met" if growth <= RSS_BUDGET_MIB else "NOT met"
    print(
        f"\nservice RSS: {rss_before:.1f} MiB before, {rss_marked:.1f} MiB after the run that "
        f"passed {args.rss_requests:,} requests ({marked:,}): {growth:+.1f} MiB "
        f"(budget {RSS_BUDGET_MIB} MiB: {verdict}); {rss_after:.1f} MiB after all {served:,} "
        f"requests ({rss_after - rss_before:+.1f} MiB); "
        f"service+redis RSS at the end {redis_rss:.1f} MiB"
    )
    print(f"logs: {logs}")


def _order(key: tuple[str, str]) -> tuple[int, int]:
    case, app = key
    return list(CASES).index(case), CASES[case].index(app)


if __name__ == "__main__":
    main()
