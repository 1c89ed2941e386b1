"""The baseline: the FastAPI app a team would write without the template, same routes, same server.

Started by bench_service.py inside the generated project's venv, on the uvicorn settings the
generated service uses, so the only difference is the service's own work.

    python bare_app.py PORT [--uvloop] [--httptools]
"""

from __future__ import annotations

import sys

import anyio
import uvicorn
from fastapi import FastAPI, Response
from pydantic import BaseModel, JsonValue


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


def main() -> None:
    port = int(sys.argv[1])
    http = "httptools" if "--httptools" in sys.argv else "h11"
    # The generated service's server settings (its http_server.py): h11, no proxy headers, no
    # Server header, no access log. Its request-head deadline and connection bound are part of
    # the service's own cost, so the bare app goes without them.
    config = uvicorn.Config(
        app,
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
