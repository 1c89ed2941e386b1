"""A generated all-modes service on real Consul and Redis: an unsigned POST /process gets 401, one
signed by a DID in its TRUSTED_DIDS is processed, and a replay of it is refused through Redis."""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import (
    ConsulServer,
    RedisServer,
    ServiceProcess,
    running_consul,
    running_redis,
    signing_peer,
)

pytestmark = [pytest.mark.slow, pytest.mark.servers]

START_TIMEOUT_S = 60.0  # generous: a shared machine may be busy importing FastAPI elsewhere
PAYLOAD = {"data": {"a": 1, "b": 2}}


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[RedisServer, ConsulServer]]:
    with running_redis() as redis, running_consul() as consul:
        yield redis, consul


@pytest.fixture(scope="module")
def service(
    all_modes_project: Path,
    shared_venv: Path,
    servers: tuple[RedisServer, ConsulServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, ServiceProcess]]:
    """One `python -m demo_svc` trusting the caller's DID: its address, caller key and process."""
    redis, consul = servers
    state = tmp_path_factory.mktemp("state")
    caller_key = state / "caller" / "identity.key"
    caller_did = signing_peer(shared_venv, all_modes_project, caller_key)
    env = {
        "CONSUL_HTTP_ADDR": consul.address,
        "REDIS_URL": redis.url,
        "DEMO_SVC_TRUSTED_DIDS": caller_did,
    }
    service = ServiceProcess.start(
        shared_venv, all_modes_project, state, state / "service.log", env
    )
    try:
        yield service.wait_ready(START_TIMEOUT_S), caller_key, service
    finally:
        service.stop()


def _post_unsigned(url: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, data=json.dumps(PAYLOAD).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_unsigned_post_is_refused_with_401(service: tuple[str, Path, ServiceProcess]) -> None:
    address, _, _ = service
    status, body = _post_unsigned(f"{address}/process")
    # An outsider learns nothing but `unauthorized` and an id; the reason is in the log only.
    assert (status, sorted(body), body["detail"]) == (401, ["detail", "request_id"], "unauthorized")


def test_health_stays_open_for_consul(service: tuple[str, Path, ServiceProcess]) -> None:
    address, _, _ = service
    with urllib.request.urlopen(f"{address}/health", timeout=10) as response:
        assert response.status == 200


def test_signed_post_is_accepted_and_its_replay_refused_through_redis(
    service: tuple[str, Path, ServiceProcess],
    all_modes_project: Path,
    shared_venv: Path,
    servers: tuple[RedisServer, ConsulServer],
) -> None:
    address, caller_key, service_log = service
    url = f"{address}/process"
    outcome = json.loads(signing_peer(shared_venv, all_modes_project, caller_key, url, PAYLOAD))
    (signed_status, signed_text), (replay_status, replay_text) = outcome
    signed_body, replay_body = json.loads(signed_text), json.loads(replay_text)
    assert signed_status == 200, signed_body
    assert signed_body["result"]["numeric"]["sum"] == 3
    assert (replay_status, replay_body["detail"]) == (401, "unauthorized")
    refused = [line for line in service_log.lines() if line.get("msg") == "request refused"]
    replay_id = replay_body["request_id"]
    reasons = [line["reason"] for line in refused if line["request_id"] == replay_id]
    assert reasons == ["replayed"]
    redis, _ = servers
    # One remembered nonce (`<service>:nonce:<peer DID> <nonce>`), and the peer's index of its
    # share (`<service>:nonce:peer:<peer DID>`): the replay added nothing.
    nonces = redis.command("KEYS", "demo-svc:nonce:did:*")
    indexes = redis.command("KEYS", "demo-svc:nonce:peer:*")
    assert isinstance(nonces, list)
    assert isinstance(indexes, list)
    assert (len(nonces), len(indexes)) == (1, 1)


def _status_of_head(address: str, header_bytes: int) -> tuple[int, bool]:
    """Send GET /live with one header of `header_bytes` value bytes: the status, and whether the
    server then closed the connection (EOF or reset) rather than keeping it alive."""
    host, port = address.removeprefix("http://").rsplit(":", 1)
    head = f"GET /live HTTP/1.1\r\nHost: {host}:{port}\r\nX-Pad: {'a' * header_bytes}\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        with contextlib.suppress(ConnectionError):  # it may refuse before reading it all
            sock.sendall(head.encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            assert chunk, f"closed without an answer: {reply!r}"
            reply += chunk
        sock.settimeout(2)
        try:
            while sock.recv(65536):
                pass
        except TimeoutError:
            return int(reply.split(b" ", 2)[1]), False
        except ConnectionResetError:
            pass
        return int(reply.split(b" ", 2)[1]), True


def test_a_head_over_http_max_header_bytes_is_refused_and_closed(
    service: tuple[str, Path, ServiceProcess],
) -> None:
    """HTTP_MAX_HEADER_BYTES (16384 by default) bounds the request line and headers together,
    however they arrive: a head under it is served; a 17 kB head, which arrives in one read, and
    a 300 kB one, which keeps coming past h11's own bound on an unfinished head, both get 400
    and a closed connection."""
    address, _, _ = service
    assert _status_of_head(address, 15_000) == (200, False)
    assert _status_of_head(address, 17_000) == (400, True)
    assert _status_of_head(address, 300_000) == (400, True)
