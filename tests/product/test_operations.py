"""What a platform team runs a generated service with: the container files and the local fleet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from template_harness import ALL_MODES, combo_id

# compose.yaml and the Dockerfile differ only between services with and without the HTTP API.
KINDS = [("python",), ALL_MODES]
KIND_IDS = [combo_id(modes) for modes in KINDS]


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    """A Python tool from this repository's environment, output captured."""
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, check=False, timeout=300
    )


@pytest.mark.parametrize("modes", KINDS, ids=KIND_IDS)
def test_compose_file_follows_the_compose_specification(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    compose = rendered[combo_id(modes)] / "compose.yaml"
    result = tool("check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(compose))
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"


@pytest.mark.parametrize("modes", KINDS, ids=KIND_IDS)
def test_compose_runs_three_replicas_after_consul_and_redis_are_healthy(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    services = yaml.safe_load((rendered[combo_id(modes)] / "compose.yaml").read_text())["services"]
    assert {"consul", "redis"} <= services.keys()
    assert all("healthcheck" in services[name] for name in ("consul", "redis"))
    replicas = {name: spec for name, spec in services.items() if name.startswith("replica-")}
    assert len(replicas) == 3
    for name, spec in replicas.items():
        assert spec["build"] == "."
        assert spec["depends_on"] == {
            "consul": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        env = spec["environment"]
        assert env["CONSUL_HTTP_ADDR"] == "consul:8500"
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["DEMO_SVC_SERVICE_ADDRESS"] == name, "each replica advertises its own name"
    addresses = {spec["environment"]["DEMO_SVC_SERVICE_ADDRESS"] for spec in replicas.values()}
    assert len(addresses) == 3


def test_the_identity_key_is_a_volume_of_each_replica_never_part_of_the_image(
    rendered: dict[str, Path],
) -> None:
    project = rendered[combo_id(ALL_MODES)]
    dockerfile = (project / "Dockerfile").read_text()
    assert 'VOLUME ["/var/lib/demo-svc"]' in dockerfile
    assert "DEMO_SVC_IDENTITY_KEY_PATH=/var/lib/demo-svc/identity.key" in dockerfile
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    mounts = [spec["volumes"][0] for name, spec in services.items() if name.startswith("replica-")]
    assert len({m.split(":")[0] for m in mounts}) == 3, "one identity per replica"
    assert all(m.endswith(":/var/lib/demo-svc") for m in mounts)
    ignored = (project / ".dockerignore").read_text().splitlines()
    assert "*" in ignored, ".dockerignore admits only what it lists"
    assert {"!pyproject.toml", "!uv.lock", "!src/"} <= set(ignored)


@pytest.mark.parametrize("modes", KINDS, ids=KIND_IDS)
def test_dockerfile_stages_start_from_the_python_image_argument(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    lines = (rendered[combo_id(modes)] / "Dockerfile").read_text().splitlines()
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages == ["FROM ${PYTHON_IMAGE} AS builder", "FROM ${PYTHON_IMAGE}"]
    assert "ARG PYTHON_IMAGE=docker.io/library/python:3.11-slim-bookworm" in lines
    assert any(line.startswith('RUN python -m pip install') and "uv==${UV_VERSION}" in line
               for line in lines)  # fmt: skip
    assert "RUN uv sync --frozen --no-dev --no-editable" in lines
    assert "USER app" in lines
    assert "STOPSIGNAL SIGTERM" in lines
    assert lines[-1] == 'CMD ["python", "-m", "demo_svc"]'
