"""A service updated from an earlier release starts with the environment it ran with before (no
new variable set), and a peer still at that release, signing with its own code, is served."""

from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

import pytest
import template_harness as harness
from servers import ConsulServer, ServiceProcess, running_consul, running_redis, signing_peer
from typer.testing import CliRunner
from update import fixtures as fx

from forge_scaffold.cli import app
from release import projects as rp

pytestmark = [pytest.mark.slow, pytest.mark.servers]

START_TIMEOUT_S = 60.0  # generous: a shared machine may be busy importing FastAPI elsewhere


def _documented_variables(project: Path) -> set[str]:
    """The variables of a project's README configuration table (what its operators could set)."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme, re.MULTILINE))


def _registered(consul: ConsulServer, timeout_s: float = 15.0) -> list[str]:
    """The service names the agent lists, once it lists any (registration follows "ready")."""
    deadline = time.monotonic() + timeout_s
    while not (names := [str(s["Service"]) for s in consul.services().values()]):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return names


def _upgrade(root: Path, release: str, modes: str) -> tuple[Path, Path]:
    """(a project at the earlier release, the same project updated), both committed."""
    fresh = rp.new_project(CliRunner(), root / "fresh", rp.MODE_SETS[modes])
    old = rp.old_project(fresh, release, root / "old")
    updated = fx.copy_project(old, root / "updated")
    result = CliRunner().invoke(app, ["update", str(updated), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["conflicts"] == []
    return old, updated


@pytest.fixture(scope="module", params=rp.earlier_releases())
def upgraded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """An all-modes project at the earlier release, and updated."""
    return _upgrade(tmp_path_factory.mktemp("upgraded"), request.param, "all")


@pytest.fixture(scope="module", params=rp.earlier_releases())
def upgraded_python(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """A python-only project at the earlier release, and updated."""
    return _upgrade(tmp_path_factory.mktemp("upgraded-python"), request.param, "python")


@pytest.mark.parametrize("fleet", [False, True], ids=["embedded", "redis+consul"])
def test_an_updated_service_starts_with_its_old_environment_and_serves_an_old_peer(
    fleet: bool, upgraded: tuple[Path, Path], shared_venv: Path, tmp_path: Path
) -> None:
    old, updated = upgraded
    old_venv = harness.shared_venv(old)  # the peer runs the earlier release with its own deps
    state = tmp_path / "state"
    peer_key = state / "peer" / "identity.key"
    peer_did = signing_peer(old_venv, old, peer_key)
    env = {
        "DEMO_SVC_TRUSTED_DIDS": peer_did,
        "DEMO_SVC_HTTP_PORT": "0",
        "DEMO_SVC_LOG_FORMAT": "json",
    }
    with contextlib.ExitStack() as servers:
        if fleet:
            redis = servers.enter_context(running_redis())
            consul = servers.enter_context(running_consul())
            env |= {"CONSUL_HTTP_ADDR": consul.address, "REDIS_URL": redis.url}
        assert set(env) <= _documented_variables(old), "a variable the old release lacks"
        service = ServiceProcess.start(shared_venv, updated, state, tmp_path / "svc.log", env)
        try:
            address = service.wait_ready(START_TIMEOUT_S)
            url, payload = f"{address}/process", {"data": {"a": 1, "b": 2}}
            (status, body), _ = json.loads(signing_peer(old_venv, old, peer_key, url, payload))
        finally:
            service.stop()
    assert status == 200, f"a peer at the earlier release is refused: {status} {body}"


@pytest.mark.parametrize("fleet", [False, True], ids=["embedded", "redis+consul"])
def test_updated_services_without_the_api_start_side_by_side_with_their_old_environment(
    fleet: bool, upgraded_python: tuple[Path, Path], shared_venv: Path, tmp_path: Path
) -> None:
    """Services without the API listen since 0.2.0 (health and metrics) on any free port unless
    told otherwise, so two instances on one host start with nothing but their old environment
    (HTTP_PORT is not set: the service's own default decides)."""
    old, updated = upgraded_python
    env = {"DEMO_SVC_LOG_FORMAT": "json"}
    assert set(env) <= _documented_variables(old)
    with contextlib.ExitStack() as servers:
        if fleet:
            redis = servers.enter_context(running_redis())
            consul = servers.enter_context(running_consul())
            env |= {"CONSUL_HTTP_ADDR": consul.address, "REDIS_URL": redis.url}
        instances = []
        for index in range(2):
            home = tmp_path / f"instance-{index}"
            home.mkdir()
            instances.append(
                ServiceProcess.start(
                    shared_venv, updated, home, home / "svc.log", env, free_port=False
                )
            )
        try:
            addresses = {instance.wait_ready(START_TIMEOUT_S) for instance in instances}
            registered = _registered(consul) if fleet else []
        finally:
            for instance in instances:
                instance.stop()
    assert len(addresses) == 2, f"both instances report one address: {addresses}"
    assert set(registered) == ({"demo-svc"} if fleet else set())
