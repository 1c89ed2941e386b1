"""The service benchmark's floor (`benchmarks/service/bare_app.py --floor`) checks what it claims.

A floor that let every request through would make the benchmark's "floor" row a lie: it must
serve a request signed by the generated project's own Signer, and refuse a replay, a changed
body, a signature by another key and an unsigned request.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BARE_APP = Path(__file__).resolve().parents[2] / "benchmarks" / "service" / "bare_app.py"

# Runs in the generated project's venv: signs with the project's code, calls the floor in-process.
SCRIPT = """
import json, sys
from pathlib import Path

import anyio

from demo_svc.identity import Identity
from demo_svc.signing import Signer

sys.path.insert(0, str(Path(sys.argv[1]).parent))
import bare_app
BODY = b'{"data": {"a": 1, "b": 2}}'
URL = "http://127.0.0.1:8000/process"


async def call(app, headers, body):
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/process", "raw_path": b"/process", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
    }
    statuses = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)
    return statuses[0]


async def main(key_dir: str) -> None:
    me = await Identity.create(Path(key_dir) / "me.key")
    other = await Identity.create(Path(key_dir) / "other.key")
    app = bare_app.floor(bare_app.app, me.did, "demo_svc", None)
    signed = Signer(me, max_age_s=60).sign("POST", URL, BODY)
    outcome = {
        "signed": await call(app, signed, BODY),
        "replayed": await call(app, signed, BODY),
        "changed body": await call(app, Signer(me, max_age_s=60).sign("POST", URL, BODY), b"{}"),
        "other key": await call(app, Signer(other, max_age_s=60).sign("POST", URL, BODY), BODY),
        "unsigned": await call(app, {}, BODY),
    }
    print(json.dumps(outcome))


anyio.run(main, sys.argv[2])
"""


def test_the_floor_serves_a_signed_request_and_refuses_the_rest(
    all_modes_project: Path, shared_venv: Path, tmp_path: Path
) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(all_modes_project / "src")}
    argv = [str(shared_venv / "bin" / "python"), "-c", SCRIPT, str(BARE_APP), str(tmp_path)]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == {
        "signed": 200,
        "replayed": 401,
        "changed body": 401,
        "other key": 401,
        "unsigned": 401,
    }
