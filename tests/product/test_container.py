"""The generated Dockerfile for real: podman builds an all-modes service's image from the local
stand-in base image, runs it on the host network against a real Consul and Redis, and stops it.

One test walks the container's whole life, so the image is built once however xdist splits tests.
The base image comes from scripts/stand_in_image.sh (its root file system cached under .tools/).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import (
    REPO,
    ConsulServer,
    RedisServer,
    free_ports,
    require_binary,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.servers]

SERVICE = "demo-svc"
STAND_IN_TIMEOUT_S = 600.0  # debootstrap from the Debian archive, once per machine (~90 s)
BUILD_TIMEOUT_S = 600.0
START_TIMEOUT_S = 60.0
CHECK_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15
# runc needs both limits given explicitly on this kind of host (crun cannot set them at all).
RUN_FLAGS = ["--runtime", "runc", "--network", "host",
             "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]  # fmt: skip


def podman(*args: str, timeout: float = 120.0) -> str:
    """Run podman; its stdout, or a test failure quoting stderr."""
    done = subprocess.run(
        [require_binary("podman", "PODMAN_BIN"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"podman {' '.join(args[:2])} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout.strip()


@pytest.fixture(scope="module")
def base_image() -> str:
    for tool in ("podman", "runc", "debootstrap"):
        require_binary(tool, f"{tool.upper()}_BIN")
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "stand_in_image.sh")],
        capture_output=True,
        text=True,
        timeout=STAND_IN_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"stand-in base image: {done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def image(
    base_image: str, all_modes_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The generated project's image, built as its README says: lock first, then build."""
    context = tmp_path_factory.mktemp("image") / "svc"
    shutil.copytree(all_modes_project, context)
    subprocess.run(["uv", "lock", "--quiet"], cwd=context, check=True, timeout=300)
    tag = f"localhost/{SERVICE}:test-{uuid.uuid4().hex[:8]}"
    podman("build", "--quiet", "--isolation", "chroot", "--format", "docker", "--layers=false",
           "--build-arg", f"PYTHON_IMAGE={base_image}", "-t", tag, str(context),
           timeout=BUILD_TIMEOUT_S)  # fmt: skip
    yield tag
    podman("rmi", "--force", tag)


def health_status(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return int(response.status)
    except OSError:
        return 0


def passing(consul: ConsulServer) -> bool:
    checks = consul.get(f"/v1/health/checks/{SERVICE}")
    assert isinstance(checks, list)
    return any(check["Status"] == "passing" for check in checks)


def registered(consul: ConsulServer) -> bool:
    return any(s["Service"] == SERVICE for s in consul.services().values())


def test_the_image_runs_unprivileged_registers_and_stops_cleanly(
    image: str, redis: RedisServer, consul: ConsulServer
) -> None:
    inspected = json.loads(podman("image", "inspect", image))[0]
    config = inspected["Config"]
    assert config["StopSignal"] == "SIGTERM"
    assert config["Cmd"] == ["python", "-m", "demo_svc"], "exec form: the service is PID 1"
    assert "/var/lib/demo-svc" in config["Volumes"], "the identity key lives on a volume"
    assert inspected.get("Healthcheck", {}).get("Test"), "HEALTHCHECK kept (--format docker)"

    port = free_ports(1)[0]
    volume = f"{SERVICE}-identity-{uuid.uuid4().hex[:8]}"
    env = {
        "CONSUL_HTTP_ADDR": consul.address,
        "REDIS_URL": redis.url,
        "DEMO_SVC_HTTP_HOST": "127.0.0.1",
        "DEMO_SVC_HTTP_PORT": str(port),
        "DEMO_SVC_SERVICE_ADDRESS": "127.0.0.1",
        "DEMO_SVC_CONSUL_CHECK_INTERVAL_S": "1",
    }
    env_flags = [flag for name, value in env.items() for flag in ("-e", f"{name}={value}")]
    container = podman("run", "--detach", *RUN_FLAGS, *env_flags,
                       "-v", f"{volume}:/var/lib/{SERVICE}", image)  # fmt: skip
    try:
        status = podman("exec", container, "cat", "/proc/1/status")
        uid = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
        assert uid != "0", "the service (PID 1) runs as a non-root user"
        licence = "import importlib.metadata as m; print(m.metadata('demo-svc')['License-File'])"
        assert podman("exec", container, "python", "-c", licence) == "LICENSE"

        wait_until(lambda: health_status(port) == 200, START_TIMEOUT_S, "/health answered 200")
        podman("healthcheck", "run", container)  # the image's own HEALTHCHECK passes
        wait_until(lambda: passing(consul), CHECK_TIMEOUT_S, "registered and passing in Consul")
        key = Path(podman("volume", "inspect", volume, "--format", "{{.Mountpoint}}"))
        assert (key / "identity.key").is_file(), "the identity key was written to the volume"

        started = time.monotonic()
        podman("stop", "--time", str(STOP_TIMEOUT_S), container, timeout=STOP_TIMEOUT_S + 30)
        took = time.monotonic() - started
        exit_code = podman("inspect", container, "--format", "{{.State.ExitCode}}")
        assert exit_code == "0", f"podman stop ended it with exit code {exit_code}"
        assert took < STOP_TIMEOUT_S, f"podman stop took {took:.1f}s"
        assert not registered(consul), "the stopped instance left Consul"
    finally:
        for leftover in (["rm", "--force", container], ["volume", "rm", "--force", volume]):
            subprocess.run(["podman", *leftover], check=False, capture_output=True)
