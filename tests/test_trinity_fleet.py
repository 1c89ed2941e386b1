"""Three generated services on one Consul and one Redis: all pass their checks, share breaker state,
and leave the catalog within 10 s of SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import ConsulServer, RedisServer, running_consul, running_redis

pytestmark = [pytest.mark.slow, pytest.mark.servers]

SERVICE = "demo-svc"
START_TIMEOUT_S = 60.0  # generous: a shared machine importing FastAPI three times at once
CHECK_TIMEOUT_S = 30.0


@dataclass
class Instance:
    process: subprocess.Popen[bytes]
    log: Path

    def lines(self) -> list[dict[str, object]]:
        entries = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
        return entries

    def address(self) -> str | None:
        ready = [e for e in self.lines() if e.get("msg") == "ready"]
        return str(ready[0]["address"]) if ready else None

    def health(self) -> dict[str, object]:
        with urllib.request.urlopen(f"{self.address()}/health", timeout=5) as response:
            body = json.loads(response.read())
        assert isinstance(body, dict)
        return body


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(scope="module")
def consul() -> Iterator[ConsulServer]:
    with running_consul() as server:
        yield server


def wait(condition: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout_s}s")


@pytest.fixture(scope="module")
def fleet(
    all_modes_project: Path,
    shared_venv: Path,
    redis: RedisServer,
    consul: ConsulServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[Instance]]:
    """Three `python -m demo_svc` processes, each on its own free port."""
    state = tmp_path_factory.mktemp("state")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(all_modes_project / "src"),
        "XDG_STATE_HOME": str(state),  # the identity key goes here, never into $HOME
        "CONSUL_HTTP_ADDR": consul.address,
        "REDIS_URL": redis.url,
        "DEMO_SVC_HTTP_PORT": "0",
        "DEMO_SVC_LOG_FORMAT": "json",
        "DEMO_SVC_CONSUL_CHECK_INTERVAL_S": "1",
        "DEMO_SVC_BREAKER_CACHE_TTL_S": "0.2",
    }
    instances: list[Instance] = []
    try:
        for index in range(3):
            log = state / f"instance-{index}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    [str(shared_venv / "bin" / "python"), "-m", "demo_svc"],
                    cwd=all_modes_project, env=env,
                    stdin=subprocess.DEVNULL, stdout=sink, stderr=sink,
                )  # fmt: skip
            instances.append(Instance(process, log))
        for instance in instances:
            wait(lambda i=instance: i.address() or i.process.poll() is not None,
                 START_TIMEOUT_S, "an instance said ready")  # fmt: skip
            assert instance.process.poll() is None, instance.log.read_text()[-3000:]
        yield instances
    finally:
        for instance in instances:
            if instance.process.poll() is None:
                instance.process.kill()
                instance.process.wait(timeout=10)


def passing_ids(consul: ConsulServer) -> set[str]:
    checks = consul.get(f"/v1/health/checks/{SERVICE}")
    assert isinstance(checks, list)
    return {c["ServiceID"] for c in checks if c["Status"] == "passing"}


def test_three_instances_all_pass_their_consul_checks(
    fleet: list[Instance], consul: ConsulServer
) -> None:
    wait(lambda: len(passing_ids(consul)) == 3, CHECK_TIMEOUT_S, "3 passing checks")
    ports = {int(str(i.address()).rsplit(":", 1)[1]) for i in fleet}
    registered = {s["Port"] for s in consul.services().values() if s["Service"] == SERVICE}
    assert registered == ports


def test_instances_share_breaker_state_through_redis(
    fleet: list[Instance], redis: RedisServer
) -> None:
    key = f"{SERVICE}:breaker:{{upstream}}:state"
    seconds, micros = redis.command("TIME")  # type: ignore[misc]
    redis.command("HSET", key, "state", "open", "failures", "5", "opened_at", f"{seconds}.{micros}")
    try:

        def breaker_of(instance: Instance) -> dict[str, object]:
            components = instance.health()["components"]
            assert isinstance(components, list)
            return next(c for c in components if c["name"] == "upstream")

        wait(lambda: all(breaker_of(i)["detail"] == "open" for i in fleet),
             CHECK_TIMEOUT_S, "every instance saw the circuit opened in Redis")  # fmt: skip
    finally:
        redis.command("DEL", key)
    wait(lambda: all(breaker_of(i)["status"] == "ok" for i in fleet),
         CHECK_TIMEOUT_S, "every instance saw it closed again")  # fmt: skip


def test_sigterm_removes_the_instance_from_consul_within_10_s(
    fleet: list[Instance], consul: ConsulServer
) -> None:
    wait(lambda: len(passing_ids(consul)) == 3, CHECK_TIMEOUT_S, "3 passing checks")
    leaving = fleet[-1]
    port = int(str(leaving.address()).rsplit(":", 1)[1])
    leaving.process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    wait(lambda: port not in {s["Port"] for s in consul.services().values()},
         10.0, "the stopped instance left Consul")  # fmt: skip
    assert time.monotonic() - started < 10.0
    assert leaving.process.wait(timeout=20) == 0
    assert any(e.get("msg") == "deregistered from consul" for e in leaving.lines())
