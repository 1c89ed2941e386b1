"""What a platform team runs a generated service with: the container files and the local fleet."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import template_harness as harness
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
    origins = {
        name: spec["environment"]["DEMO_SVC_PUBLIC_ORIGINS"]
        for name, spec in services.items()
        if name.startswith("replica-")
    }
    assert origins["replica-2"] == "http://replica-2:8000,http://127.0.0.1:8002"
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


# Each action's release commit, read from the action's own repository (tag -> commit).
VERIFIED_ACTIONS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "astral-sh/setup-uv": ("20cfd1bf945f4377ade1205e4dbc17946fc9a30d", "v10.0.1"),
    "zizmorcore/zizmor-action": ("f52a838cfabf134edcbaa7c8b3677dde20045018", "v0.1.1"),
}


@pytest.mark.parametrize("modes", KINDS, ids=KIND_IDS)
def test_zizmor_finds_nothing_in_the_generated_github_configuration(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    project = rendered[combo_id(modes)]
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", "--format", "json", "--no-exit-codes", str(project)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == [], result.stdout
    audited = {line.rsplit("completed ", 1)[-1] for line in result.stderr.splitlines()}
    assert any(path.endswith("workflows/ci.yml") for path in audited), result.stderr
    assert any(path.endswith("dependabot.yml") for path in audited), result.stderr


def test_every_action_is_pinned_to_its_verified_release_commit(
    rendered: dict[str, Path],
) -> None:
    workflow = (rendered[combo_id(ALL_MODES)] / ".github" / "workflows" / "ci.yml").read_text()
    uses = re.findall(r"uses: ([\w.-]+/[\w.-]+)@(\S+)\s+# (\S+)", workflow)
    assert uses, "no pinned actions found"
    assert len(uses) == workflow.count("uses:"), "every action carries its version in a comment"
    for action, commit, version in uses:
        assert VERIFIED_ACTIONS[action] == (commit, version), action
    jobs = yaml.safe_load(workflow)["jobs"]
    assert {"lint", "test", "zizmor", "audit", "image"} <= jobs.keys()
    assert all(job["permissions"] == {"contents": "read"} for job in jobs.values())


def test_dependabot_watches_actions_and_uv(rendered: dict[str, Path]) -> None:
    config = rendered[combo_id(ALL_MODES)] / ".github" / "dependabot.yml"
    result = tool("check_jsonschema", "--builtin-schema", "vendor.dependabot", str(config))
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(config.read_text())["updates"]}
    assert ecosystems == {"github-actions", "uv"}


def venv_tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_repo_review_fails_only_checks_the_project_gives_reasons_for(
    rendered: dict[str, Path],
) -> None:
    project = rendered[combo_id(ALL_MODES)]
    result = subprocess.run(
        [venv_tool("repo-review"), "--format", "json", str(project)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    checks = json.loads(result.stdout)["checks"]
    failed = sorted(code for code, check in checks.items() if check["result"] is False)
    assert len(failed) <= 4, failed
    reasons = (project / "docs" / "decisions.md").read_text()
    assert all(code in reasons for code in failed), failed
    passed = {code for code, check in checks.items() if check["result"] is True}
    strict = {"PY003", "PY004", "PY007", "PP304", "MY103", "MY104", "MY105", "MY106", "SEC001"}
    assert strict <= passed, sorted(strict - passed)


@pytest.mark.parametrize("modes", KINDS, ids=KIND_IDS)
def test_deptry_finds_no_dependency_issue(
    rendered: dict[str, Path], modes: tuple[str, ...]
) -> None:
    result = subprocess.run(
        [venv_tool("deptry"), "."],
        cwd=rendered[combo_id(modes)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_license_is_proprietary_by_default_and_mit_on_request(
    rendered: dict[str, Path], tmp_path: Path, template_src: Path
) -> None:
    default = rendered[combo_id(("python",))]
    assert "All rights reserved" in (default / "LICENSE").read_text()
    assert 'license = "LicenseRef-Proprietary"' in (default / "pyproject.toml").read_text()
    mit = harness.render(tmp_path / "mit", ("python",), data={"license": "MIT"}, src=template_src)
    assert (mit / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) Platform Team\n")
    assert 'license = "MIT"' in (mit / "pyproject.toml").read_text()
