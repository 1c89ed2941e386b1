"""The generated service's circuit breaker against pybreaker, purgatory, aiobreaker, circuitbreaker.

    python benchmarks/bench_breaker.py            # needs uv and redis-server on PATH

Measures, in one run on one machine: overhead per successful call with in-memory state and with
Redis state; Redis commands per successful call (INFO commandstats delta); and how many callers a
half-open circuit lets through when 60 arrive at once across 3 instances sharing Redis.

The peer libraries are benchmark-only: the script builds a throwaway venv (.cache/bench-breaker)
holding them plus the generated project's dependencies, then re-runs itself inside it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PEERS = ["pybreaker==1.4.1", "purgatory==3.0.1", "aiobreaker==1.2.0", "circuitbreaker==2.1.3"]
VENV = REPO / ".cache" / "bench-breaker"
REPEAT = 7
CALLS = 20_000
REDIS_CALLS = 2_000
CALLERS = 60


# ---------------------------------------------------------------- outer: build, start, re-run
def outer() -> int:
    sys.path.insert(0, str(REPO / "tests"))
    import template_harness as harness  # noqa: PLC0415 - the repo's test helpers
    from servers import running_redis  # noqa: PLC0415

    project = harness.render(Path(tempfile.mkdtemp(prefix="bench-breaker-")) / "svc", ["python"])
    deps = harness.dependency_union(project)
    marker = VENV / ".deps"
    wanted = "\n".join([*deps, *PEERS])
    if not marker.exists() or marker.read_text() != wanted:
        shutil.rmtree(VENV, ignore_errors=True)
        uv = shutil.which("uv") or "uv"
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(VENV)], check=True)
        python = str(VENV / "bin" / "python")
        subprocess.run([uv, "pip", "install", "-q", "--python", python, *deps, *PEERS], check=True)
        marker.write_text(wanted)
    with running_redis() as redis:
        env = {**os.environ, "PYTHONPATH": str(project / "src")}
        argv = [str(VENV / "bin" / "python"), __file__, "--inner", "--redis", redis.url]
        return subprocess.run(argv, env=env, check=False).returncode


# ---------------------------------------------------------------- inner: the measurements
def per_call_ns(fn: Callable[[], object], number: int) -> float:
    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter_ns()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter_ns() - start) / number)
    return statistics.median(runs)


async def per_await_ns(fn: Callable[[], Awaitable[object]], number: int) -> float:
    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter_ns()
        for _ in range(number):
            await fn()
        runs.append((time.perf_counter_ns() - start) / number)
    return statistics.median(runs)


def commands(redis_url: str) -> int:
    import redis  # noqa: PLC0415 - only inside the benchmark venv

    client = redis.Redis.from_url(redis_url)
    stats = client.info("commandstats")
    client.close()
    # The measuring connection's own commands (INFO, its handshake) are not the breaker's.
    ours = {"cmdstat_info", "cmdstat_hello", "cmdstat_client|setinfo"}
    return sum(int(v["calls"]) for k, v in stats.items() if k not in ours)


async def inner(redis_url: str) -> None:  # noqa: PLR0915 - one flat script of measurements
    from datetime import timedelta  # noqa: PLC0415

    import aiobreaker  # noqa: PLC0415
    import anyio  # noqa: PLC0415
    import circuitbreaker  # noqa: PLC0415
    import purgatory  # noqa: PLC0415
    import pybreaker  # noqa: PLC0415
    import redis as sync_redis  # noqa: PLC0415
    from aiobreaker.storage.redis import CircuitRedisStorage  # noqa: PLC0415
    from demo_svc.breaker import CircuitBreaker  # noqa: PLC0415
    from demo_svc.errors import CircuitOpenError  # noqa: PLC0415
    from demo_svc.redis_state import RedisBreakerStore  # noqa: PLC0415
    from demo_svc.state import MemoryBreakerStore  # noqa: PLC0415
    from redis.asyncio import Redis  # noqa: PLC0415

    async def ok_async() -> int:
        return 1

    def ok_sync() -> int:
        return 1

    def ours(store: Any, name: str = "bench", reset_s: float = 30.0) -> CircuitBreaker:
        return CircuitBreaker(name, store, failure_threshold=5, failure_window_s=60,
                              reset_timeout_s=reset_s, cache_ttl_s=0.5)  # fmt: skip

    base_async = await per_await_ns(ok_async, CALLS)
    base_sync = per_call_ns(ok_sync, CALLS)
    rows: list[tuple[str, str, float, str]] = []

    # -- in-memory state
    template = ours(MemoryBreakerStore())
    rows.append(
        (
            "forge-scaffold breaker",
            "memory",
            await per_await_ns(lambda: template.call(ok_async), CALLS) - base_async,
            "async",
        )
    )
    pb = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)
    rows.append(
        ("pybreaker", "memory", per_call_ns(lambda: pb.call(ok_sync), CALLS) - base_sync, "sync")
    )
    cb_fn = circuitbreaker.circuit(failure_threshold=5, recovery_timeout=30)(ok_sync)
    rows.append(("circuitbreaker", "memory", per_call_ns(cb_fn, CALLS) - base_sync, "sync"))
    ab = aiobreaker.CircuitBreaker(fail_max=5, timeout_duration=timedelta(seconds=30))
    rows.append(
        (
            "aiobreaker",
            "memory",
            await per_await_ns(lambda: ab.call_async(ok_async), CALLS) - base_async,
            "async",
        )
    )
    pf = purgatory.AsyncCircuitBreakerFactory(default_threshold=5, default_ttl=30)
    await pf.initialize()
    pg_fn = pf("bench")(ok_async)
    rows.append(("purgatory", "memory", await per_await_ns(pg_fn, CALLS) - base_async, "async"))

    # -- Redis state: overhead and commands per successful call
    client = Redis.from_url(redis_url)
    sync_client = sync_redis.Redis.from_url(redis_url)
    redis_rows: list[tuple[str, float, float]] = []

    async def measure_redis(name: str, call: Callable[[], Awaitable[object]]) -> None:
        await call()  # warm: connections, scripts, first load
        before = commands(redis_url)
        start = time.perf_counter_ns()
        for _ in range(REDIS_CALLS):
            await call()
        elapsed = (time.perf_counter_ns() - start) / REDIS_CALLS
        sent = commands(redis_url) - before
        redis_rows.append((name, elapsed - base_async, sent / REDIS_CALLS))

    shared = ours(RedisBreakerStore(client, prefix="bench:breaker:"))
    await measure_redis("forge-scaffold breaker", lambda: shared.call(ok_async))
    pb_storage = pybreaker.CircuitRedisStorage(pybreaker.STATE_CLOSED, sync_client, namespace="pb")
    pb_redis = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30, state_storage=pb_storage)

    async def pb_call() -> object:
        return pb_redis.call(ok_sync)

    await measure_redis("pybreaker (blocking redis)", pb_call)
    ab_storage = CircuitRedisStorage(
        aiobreaker.CircuitBreakerState.CLOSED, sync_client, namespace="ab"
    )
    ab_redis = aiobreaker.CircuitBreaker(
        fail_max=5, timeout_duration=timedelta(seconds=30), state_storage=ab_storage
    )
    await measure_redis("aiobreaker (blocking redis)", lambda: ab_redis.call_async(ok_async))
    pf_redis = purgatory.AsyncCircuitBreakerFactory(
        default_threshold=5, default_ttl=30, uow=purgatory.AsyncRedisUnitOfWork(redis_url)
    )
    await pf_redis.initialize()
    await measure_redis("purgatory", pf_redis("bench")(ok_async))

    # -- half-open: 60 callers at once across 3 instances sharing Redis
    clients = [Redis.from_url(redis_url) for _ in range(3)]
    name = f"probe-{os.getpid()}"
    breakers = [
        ours(RedisBreakerStore(c, prefix="bench:breaker:"), name, reset_s=0.5) for c in clients
    ]
    probes = 0

    async def fail() -> None:
        raise ConnectionError("down")

    for _ in range(5):
        with contextlib.suppress(ConnectionError):
            await breakers[0].call(fail)
    await anyio.sleep(0.6)

    async def slow_ok() -> None:
        nonlocal probes
        probes += 1
        await anyio.sleep(0.2)

    async def caller(index: int) -> None:
        with contextlib.suppress(CircuitOpenError):
            await breakers[index % 3].call(slow_ok)

    async with anyio.create_task_group() as tg:
        for index in range(CALLERS):
            tg.start_soon(caller, index)

    print(f"in-memory overhead per successful call (median of {REPEAT} x {CALLS} calls)\n")
    print("| breaker | overhead µs | kind |\n|---|---|---|")
    for lib, _, ns, kind in sorted(rows, key=lambda r: r[2]):
        print(f"| {lib} | {ns / 1000:.2f} | {kind} |")
    print(f"\nRedis-backed, closed state ({REDIS_CALLS} successful calls)\n")
    print("| breaker | overhead µs | Redis commands per call |\n|---|---|---|")
    for lib, ns, per_call in redis_rows:
        print(f"| {lib} | {ns / 1000:.1f} | {per_call:.4f} |")
    print(f"\nhalf-open, {CALLERS} concurrent callers across 3 instances: {probes} let through")
    print("circuitbreaker has no shared-state backend: not in the Redis rows.")
    for c in [client, *clients]:
        await c.aclose()
    sync_client.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inner", action="store_true")
    parser.add_argument("--redis")
    args = parser.parse_args()
    if not args.inner:
        return outer()
    import anyio  # noqa: PLC0415

    anyio.run(inner, args.redis, backend="asyncio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
