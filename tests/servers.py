"""Real redis-server and consul for the fleet tests: loopback only, free ports, stopped by PID;
and the generated service itself, run as a process (`ServiceProcess`).

Plain context managers (no fixtures) so every test module can build its own fixtures on them:

    with running_redis() as redis, running_consul() as consul:
        env = {"REDIS_URL": redis.url, "CONSUL_HTTP_ADDR": consul.address}
        redis.stop(); redis.start()      # same port again: a restart, as a client sees it

A missing binary skips the test with a reason locally and fails it when CI is set.
`signing_peer` runs a generated project's own signing client, of this release or an earlier one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

__all__ = [
    "HOST",
    "ConsulServer",
    "RedisServer",
    "ServiceProcess",
    "free_ports",
    "require_binary",
    "running_consul",
    "running_redis",
]

HOST = "127.0.0.1"
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
REPO = Path(__file__).resolve().parents[1]
# Where scripts/provision.sh unpacks consul when it is not on PATH.
PROVISIONED_CONSUL = REPO / ".tools" / "consul" / "usr" / "bin" / "consul"


def require_binary(name: str, env_var: str, fallback: Path | None = None) -> str:
    """The binary's path; missing: skip with a reason locally, fail when CI is set."""
    path = os.environ.get(env_var) or shutil.which(name)
    if not path and fallback is not None and fallback.is_file():
        path = str(fallback)
    if path:
        return path
    reason = f"{name} not found on PATH and {env_var} is not set: run scripts/provision.sh"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so a missing server is an error, not a skip)")
    pytest.skip(reason)


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll `condition` every 0.1 s until it holds; a test failure naming `what` after the time."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout_s}s")


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports free for TCP and UDP right now."""
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(tcp)
            tcp.bind((HOST, 0))
            port = int(tcp.getsockname()[1])
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            held.append(udp)
            with contextlib.suppress(OSError):  # UDP side taken: try another port
                udp.bind((HOST, port))
                ports.append(port)
    finally:
        for sock in held:
            sock.close()
    return ports


class _Server:
    """One server on fixed ports; `start()` and `stop()` alternate (a restart keeps the port)."""

    name = "server"

    def __init__(self, binary: str, port: int) -> None:
        self.binary = binary
        self.host = HOST
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def address(self) -> str:
        """`host:port` (the form CONSUL_HTTP_ADDR takes)."""
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def argv(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        """Start the process and wait until it answers; raise with its log if it does not."""
        if self._process is not None:
            raise RuntimeError(f"{self.name} is already running (pid {self._process.pid})")
        # Closed by stop(), which also ends the process.
        self._log = tempfile.NamedTemporaryFile(prefix=f"{self.name}-", suffix=".log")  # noqa: SIM115
        self._process = subprocess.Popen(self.argv(), stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError(f"{self.name} exited before it was ready:\n{tail}")
            if self.ready():
                return
            time.sleep(0.05)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"{self.name} not ready within {READY_TIMEOUT_S}s:\n{tail}")

    def stop(self) -> None:
        """End the process by PID: SIGTERM, wait, SIGKILL after a timeout. Idempotent."""
        process, log = self._process, self._log
        self._process = self._log = None
        try:
            if process is not None and process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait(timeout=STOP_TIMEOUT_S)
        finally:
            if log is not None:
                log.close()

    def kill(self) -> None:
        """End the process abruptly (SIGKILL), as a crash would."""
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=STOP_TIMEOUT_S)
        self.stop()

    def log_tail(self, limit: int = 2000) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        return Path(self._log.name).read_bytes()[-limit:].decode(errors="replace")


class RedisServer(_Server):
    """A throwaway redis-server: no persistence, so a restart starts empty."""

    name = "redis-server"

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def argv(self) -> list[str]:
        port = str(self.port)
        return [self.binary, "--port", port, "--bind", HOST, "--save", "", "--appendonly", "no"]

    def ready(self) -> bool:
        try:
            return self.command("PING") == "PONG"
        except OSError:
            return False

    def command(self, *args: str) -> object:
        """Send one command over a fresh connection; the reply, decoded (errors raise)."""
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        with socket.create_connection((self.host, self.port), timeout=5) as conn:
            conn.sendall(payload.encode())
            return _read_reply(conn.makefile("rb"))

    def command_calls(self) -> dict[str, int]:
        """Calls per command since start (`INFO commandstats`), e.g. {"evalsha": 3}."""
        info = str(self.command("INFO", "commandstats"))
        calls: dict[str, int] = {}
        for line in info.splitlines():
            if line.startswith("cmdstat_"):
                name, _, stats = line.removeprefix("cmdstat_").partition(":")
                fields = dict(item.split("=", 1) for item in stats.split(","))
                calls[name] = int(fields["calls"])
        return calls


def _read_reply(stream: IO[bytes]) -> object:
    line = stream.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:].decode()
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RuntimeError(f"redis error: {rest}")
    if kind == b":":
        return int(rest)
    if kind == b"$":
        size = int(rest)
        return None if size < 0 else stream.read(size + 2)[:-2].decode(errors="replace")
    if kind == b"*":
        size = int(rest)
        return None if size < 0 else [_read_reply(stream) for _ in range(size)]
    raise RuntimeError(f"unexpected redis reply {line!r}")


class ConsulServer(_Server):
    """A throwaway consul dev agent (in memory: a restart forgets every registration)."""

    name = "consul"
    PORTS = 6

    def __init__(self, binary: str, ports: list[int]) -> None:
        """`ports`: HTTP first, then DNS, Serf LAN, Serf WAN, server RPC and gRPC, all distinct
        (taken in one `free_ports` call: two calls may hand out one port twice)."""
        if len(set(ports)) != self.PORTS or len(ports) != self.PORTS:
            raise ValueError(f"consul needs {self.PORTS} distinct ports, got {ports}")
        super().__init__(binary, ports[0])
        self._other_ports = ports[1:]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def argv(self) -> list[str]:
        dns, serf_lan, serf_wan, server, grpc = self._other_ports
        return [
            self.binary, "agent", "-dev", "-client", HOST, "-bind", HOST,
            "-http-port", str(self.port), "-dns-port", str(dns), "-serf-lan-port", str(serf_lan),
            "-serf-wan-port", str(serf_wan), "-server-port", str(server), "-grpc-port", str(grpc),
        ]  # fmt: skip

    def ready(self) -> bool:
        try:
            return bool(self.get("/v1/status/leader"))
        except (OSError, ValueError):
            return False

    def get(self, path: str) -> object:
        """GET an HTTP API path; the decoded JSON body."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
            return json.loads(response.read() or b"null")

    def services(self) -> dict[str, dict[str, object]]:
        """The agent's registered services, keyed by service ID."""
        services = self.get("/v1/agent/services")
        assert isinstance(services, dict)
        return services

    def checks(self) -> dict[str, dict[str, object]]:
        """The agent's checks, keyed by check ID."""
        checks = self.get("/v1/agent/checks")
        assert isinstance(checks, dict)
        return checks


@contextlib.contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A started redis-server for the block, stopped by PID afterwards."""
    binary = require_binary("redis-server", "REDIS_SERVER_BIN")
    server = RedisServer(binary, free_ports(1)[0])
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def running_consul(*, started: bool = True) -> Iterator[ConsulServer]:
    """A consul dev agent for the block (`started=False`: ports reserved, call `start()` later)."""
    binary = require_binary("consul", "CONSUL_BIN", PROVISIONED_CONSUL)
    server = ConsulServer(binary, free_ports(ConsulServer.PORTS))
    if started:
        server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class ServiceProcess:
    """`python -m demo_svc` from a generated project, with the shared venv, logging JSON lines."""

    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(
        cls,
        venv: Path,
        project: Path,
        state: Path,
        log: Path,
        env: Mapping[str, str],
        *,
        free_port: bool = True,
    ) -> ServiceProcess:
        """Start it; its identity key and other state go under `state`. With `free_port` (the
        default) HTTP_PORT is 0, any free port; without it the service's own default applies."""
        base = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(project / "src"),
            "XDG_STATE_HOME": str(state),  # the identity key goes here, never into $HOME
            "DEMO_SVC_LOG_FORMAT": "json",
        }
        if free_port:
            base["DEMO_SVC_HTTP_PORT"] = "0"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [str(venv / "bin" / "python"), "-m", "demo_svc"],
                cwd=project, env={**base, **env},
                stdin=subprocess.DEVNULL, stdout=sink, stderr=sink,
            )  # fmt: skip
        return cls(process, log)

    def lines(self) -> list[dict[str, object]]:
        """The JSON log lines written so far."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def address(self) -> str | None:
        """The API's base URL once the service has logged "ready"."""
        ready = [entry for entry in self.lines() if entry.get("msg") == "ready"]
        return str(ready[0]["address"]) if ready else None

    def wait_ready(self, timeout_s: float) -> str:
        """The base URL, once ready; fails the test if the process exits or stays silent."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            address = self.address()
            if address is not None:
                return address
            time.sleep(0.1)
        pytest.fail(f"the service did not say ready within {timeout_s}s")

    def health(self) -> dict[str, object]:
        """GET /health."""
        with urllib.request.urlopen(f"{self.address()}/health", timeout=5) as response:
            body = json.loads(response.read())
        assert isinstance(body, dict)
        return body

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within the grace period."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)


# Runs in a generated project's venv, with that project's code (this release's or an earlier
# one's): prints the caller's DID, or POSTs a payload signed by the project's own client and then
# sends the very same request again (a replay), printing both answers.
_SIGNING_PEER = """
import json, sys
from pathlib import Path

import anyio
import httpx

from demo_svc.client import SigningAuth
from demo_svc.identity import Identity
from demo_svc.settings import Settings


async def main(key: str, url: str | None, payload: str) -> None:
    identity = await Identity.create(Path(key))
    if url is None:
        print(identity.did)
        return
    auth = SigningAuth.from_settings(identity, Settings(identity_key_path=Path(key)))
    async with httpx.AsyncClient(auth=auth, timeout=10) as client:
        signed = await client.post(url, json=json.loads(payload))
        replay = await client.send(signed.request, auth=None)
    print(json.dumps([[signed.status_code, signed.text], [replay.status_code, replay.text]]))


anyio.run(main, sys.argv[1], sys.argv[2] or None, sys.argv[3])
"""


def signing_peer(
    venv: Path, project: Path, key: Path, url: str | None = None, payload: object = None
) -> str:
    """The peer's DID (no `url`), or the JSON `[[status, body], [status, body]]` of a signed POST
    of `payload` to `url` and of its replay. The key is created on first use."""
    argv = [
        str(venv / "bin" / "python"),
        "-c",
        _SIGNING_PEER,
        str(key),
        url or "",
        json.dumps(payload),
    ]
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(project / "src")}
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()
