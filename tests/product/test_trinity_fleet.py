"""Three generated services on one Consul and one Redis: all pass their checks, share breaker state,
and leave the catalog within 10 s of SIGTERM."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import ConsulServer, RedisServer, ServiceProcess, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.servers]

SERVICE = "demo-svc"
START_TIMEOUT_S = 60.0  # generous: a shared machine importing FastAPI three times at once
CHECK_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def fleet(
    all_modes_project: Path,
    shared_venv: Path,
    redis: RedisServer,
    consul: ConsulServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[ServiceProcess]]:
    """Three `python -m demo_svc` processes, each on its own free port."""
    state = tmp_path_factory.mktemp("state")
    env = {
        "CONSUL_HTTP_ADDR": consul.address,
        "REDIS_URL": redis.url,
        "DEMO_SVC_CONSUL_CHECK_INTERVAL_S": "1",
        "DEMO_SVC_BREAKER_CACHE_TTL_S": "0.2",
    }
    instances: list[ServiceProcess] = []
    try:
        for index in range(3):
            log = state / f"instance-{index}.log"
            instances.append(ServiceProcess.start(shared_venv, all_modes_project, state, log, env))
        for instance in instances:
            instance.wait_ready(START_TIMEOUT_S)
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def passing_ids(consul: ConsulServer) -> set[str]:
    checks = consul.get(f"/v1/health/checks/{SERVICE}")
    assert isinstance(checks, list)
    return {c["ServiceID"] for c in checks if c["Status"] == "passing"}


def test_three_instances_all_pass_their_consul_checks(
    fleet: list[ServiceProcess], consul: ConsulServer
) -> None:
    wait_until(lambda: len(passing_ids(consul)) == 3, CHECK_TIMEOUT_S, "3 passing checks")
    ports = {int(str(i.address()).rsplit(":", 1)[1]) for i in fleet}
    registered = {s["Port"] for s in consul.services().values() if s["Service"] == SERVICE}
    assert registered == ports


def test_instances_share_breaker_state_through_redis(
    fleet: list[ServiceProcess], redis: RedisServer
) -> None:
    key = f"{SERVICE}:breaker:{{upstream}}:state"
    seconds, micros = redis.command("TIME")  # type: ignore[misc]
    redis.command("HSET", key, "state", "open", "failures", "5", "opened_at", f"{seconds}.{micros}")
    try:
        # The open /health says only ok / degraded / down: an open circuit is the one thing that
        # degrades an instance whose Consul registration and Redis both answer.
        def status_of(instance: ServiceProcess) -> object:
            return instance.health()["status"]

        wait_until(
            lambda: all(status_of(i) == "degraded" for i in fleet),
            CHECK_TIMEOUT_S,
            "every instance saw the circuit opened in Redis",
        )
    finally:
        redis.command("DEL", key)
    wait_until(
        lambda: all(status_of(i) == "ok" for i in fleet),
        CHECK_TIMEOUT_S,
        "every instance saw it closed again",
    )


def test_sigterm_removes_the_instance_from_consul_within_10_s(
    fleet: list[ServiceProcess], consul: ConsulServer
) -> None:
    wait_until(lambda: len(passing_ids(consul)) == 3, CHECK_TIMEOUT_S, "3 passing checks")
    leaving = fleet[-1]
    port = int(str(leaving.address()).rsplit(":", 1)[1])
    leaving.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    wait_until(
        lambda: port not in {s["Port"] for s in consul.services().values()},
        10.0,
        "the stopped instance left Consul",
    )
    assert time.monotonic() - started < 10.0
    assert leaving.process.wait(timeout=20) == 0
    assert any(e.get("msg") == "deregistered from consul" for e in leaving.lines())
