"""The baseline: the FastAPI app a team would write without the template, same routes, same server.

Started by bench_service.py inside the generated project's venv, on the uvicorn settings the
generated service uses, so the only difference is the service's own work.

    python bare_app.py PORT [--uvloop] [--httptools] [--floor DID PACKAGE [--redis URL]]

`--floor` puts in front of the app the least that any service accepting only signed requests
must do per request, and nothing more: find the three signature headers, compare the body's
SHA-256 with Content-Digest, verify the Ed25519 signature of the RFC 9421 base (built by the
generated PACKAGE's `profile_base`, so the benchmark's signatures verify) with PyNaCl, and keep
the nonce in a set, or with `--redis URL` in that Redis (`SET NX EX`). No time window, no
bounds, no request id, no metrics, no deadline: the floor under the generated service's signed
`/process`, measured on the same server.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import re
import sys

import anyio
import uvicorn
from fastapi import FastAPI, Response
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from pydantic import BaseModel, JsonValue
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ProcessRequest(BaseModel):
    data: dict[str, JsonValue]


class ProcessResponse(BaseModel):
    result: dict[str, JsonValue]
    elapsed_s: float


app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/process", response_model=ProcessResponse)
async def process(body: ProcessRequest) -> ProcessResponse:
    # The same summary the generated SummaryProcessor computes, so both do the same work.
    values = body.data.values()
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    texts = [v for v in values if isinstance(v, str)]
    result: dict[str, JsonValue] = {
        "fields": len(body.data),
        "numeric": {
            "count": len(numbers),
            "sum": sum(numbers),
            "min": min(numbers, default=None),
            "max": max(numbers, default=None),
        },
        "text": {"count": len(texts), "chars": sum(len(t) for t in texts)},
    }
    return ProcessResponse(result=result, elapsed_s=0.0)


# The generated service's other routes, so both apps route through tables of the same size.
@app.post("/sessions", status_code=201)
async def create_session() -> dict[str, str]:
    return {}


@app.get("/sessions/{session_id}")
async def read_session(session_id: str) -> dict[str, str]:
    return {"id": session_id}


@app.delete("/sessions/{session_id}", status_code=204)
async def end_session(session_id: str) -> Response:
    return Response(status_code=204)


_PARAMS = re.compile(r'sig1=(\(.*\);created=\d+;expires=\d+;nonce="([^"]+)";keyid="([^"]+)".*)')
_SIGNATURE = re.compile(r"sig1=:([A-Za-z0-9+/=]+):")


def floor(inner: ASGIApp, did: str, package: str, redis_url: str | None) -> ASGIApp:
    """The minimal signed-request check (see the module's docstring) as a pure ASGI middleware."""
    didkey = importlib.import_module(f"{package}.didkey")
    profile_base = importlib.import_module(f"{package}.signing").profile_base
    key = VerifyKey(didkey.public_key_from_did(did))
    seen: set[str] = set()
    redis = Redis.from_url(redis_url) if redis_url is not None else None

    async def new(nonce: str) -> bool:
        if redis is None:
            fresh = nonce not in seen
            seen.add(nonce)
            return fresh
        return bool(await redis.set(f"floor:{nonce}", b"1", nx=True, ex=65))

    def checked(scope: Scope, body: bytes) -> str | None:
        """The nonce of a request whose digest and signature hold, else None."""
        wanted = (b"sig", b"content-d", b"host")
        headers = {k.decode(): v.decode() for k, v in scope["headers"] if k.startswith(wanted)}
        params = _PARAMS.fullmatch(headers.get("signature-input", ""))
        signature = _SIGNATURE.fullmatch(headers.get("signature", ""))
        digest = headers.get("content-digest", "")
        expected = f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode()}:"
        if params is None or signature is None or digest != expected:
            return None
        uri = f"http://{headers.get('host', '')}{scope['path']}"
        base = profile_base(scope["method"], uri, digest, params[1])
        try:
            key.verify(base, base64.b64decode(signature[1]))
        except BadSignatureError:
            return None
        return params[2]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await inner(scope, receive, send)
            return
        message = await receive()
        nonce = checked(scope, message.get("body", b""))
        if nonce is None or not await new(nonce):
            await send({"type": "http.response.start", "status": 401, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return message

        await inner(scope, replay, send)

    return app


def main() -> None:
    port = int(sys.argv[1])
    http = "httptools" if "--httptools" in sys.argv else "h11"
    # The generated service's server settings (its http_server.py): h11, no proxy headers, no
    # Server header, no access log. Its request-head deadline and connection bound are part of
    # the service's own cost, so the bare app goes without them.
    served: ASGIApp = app
    if "--floor" in sys.argv:
        did, package = sys.argv[sys.argv.index("--floor") + 1 :][:2]
        redis_url = sys.argv[sys.argv.index("--redis") + 1] if "--redis" in sys.argv else None
        served = floor(app, did, package, redis_url)
    config = uvicorn.Config(
        served,
        host="127.0.0.1",
        port=port,
        http=http,
        proxy_headers=False,
        server_header=False,
        access_log=False,
        log_config=None,
    )
    options = {"use_uvloop": True} if "--uvloop" in sys.argv else {}
    anyio.run(uvicorn.Server(config).serve, backend="asyncio", backend_options=options)


if __name__ == "__main__":
    main()
