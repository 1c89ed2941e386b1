"""FS103 and FS106: calls that block the event loop inside `async def`, directly or through the
synchronous helpers, clients and attributes real code reaches them by."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.flow import (
    assigned_to,
    function_name,
    helper_calls,
    reaching,
    storage,
)
from forge_scaffold.checker.rules.nodes import source
from forge_scaffold.checker.walker import CallSite, Context, DefKey, DefNode

__all__ = ["FS103", "FS106"]


class _Blocking(Rule):
    """A rule about calls that block: reported inside `async def`, and at the call of a
    synchronous same-module function or same-class method that makes one (at any depth)."""

    def begin(self, ctx: Context) -> None:
        self._direct: dict[DefKey, tuple[str, int]] = {}

    def blocking(self, call: CallSite, ctx: Context, message: str, fix: str | None = None) -> None:
        """Report a blocking call in async code; remember one in a synchronous function."""
        if ctx.in_async:
            self.report(ctx, call.node, message, fix)
            return
        function = ctx.function
        if type(function) is ast.FunctionDef:
            key = ctx.key_of[id(function)]
            self._direct.setdefault(key, (source(call.node.func), call.node.lineno))

    def end(self, ctx: Context) -> None:
        if not self._direct:
            return
        for function, call, _cls, callee, (what, line) in helper_calls(
            ctx, reaching(ctx, self._direct)
        ):
            if type(function) is ast.AsyncFunctionDef:
                self.report(
                    ctx,
                    call,
                    f"`{callee.name}()` blocks the event loop inside `async def {function.name}`: "
                    f"it calls `{what}()` (line {line})",
                )


class FS103(_Blocking):
    """`time.sleep()` blocks the thread, and inside `async def` that thread runs the event loop:
    every other task, timeout and health check stops for the whole sleep. A synchronous helper
    that sleeps blocks the loop the same way when `async def` calls it: the call is reported.
    """

    title = "blocking sleep inside async def"
    standard = "Async Correctness: 100% asyncio primitives, dependency injection"
    fix = "`await anyio.sleep(seconds)`."
    ruff = ("ASYNC251",)
    calls = frozenset({"time.sleep"})

    def on_call(self, call: CallSite, ctx: Context) -> None:
        self.blocking(
            call,
            ctx,
            f"`time.sleep()` inside `async def {function_name(ctx)}` blocks the event loop",
        )


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_SUBPROCESS = ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput", "Popen")
_TEST_CLIENT_FIX = (
    "In an async test use `httpx.AsyncClient(transport=httpx.ASGITransport(app=app))`, or make "
    "the test sync."
)
_BLOCKING_FIX = {
    "requests": "Use `httpx.AsyncClient` (created once, in `create()`) and await its calls.",
    "httpx": "Use `httpx.AsyncClient` (created once, in `create()`) and await its calls.",
    "urllib": "Use `httpx.AsyncClient` and await its calls.",
    "subprocess": "`await anyio.run_process([...])` (or `anyio.open_process`).",
    "os": "`await anyio.run_process([...])`.",
    "fastapi": _TEST_CLIENT_FIX,
    "starlette": _TEST_CLIENT_FIX,
    "socket": "`await anyio.connect_tcp(host, port)`.",
    "input": "`await anyio.to_thread.run_sync(input, prompt)`.",
}


_SYNC_CLIENTS = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "urllib3.PoolManager",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
        "fastapi.testclient.TestClient",
        "starlette.testclient.TestClient",
    }
)
_CLIENT_METHODS = frozenset({*_HTTP_VERBS, "send", "stream", "urlopen", "getresponse"})


class FS106(_Blocking):
    """A synchronous network call, subprocess or test client inside `async def` holds the event
    loop for its whole duration, exactly like `time.sleep`: no other task runs, timeouts do not
    fire, and cancellation cannot interrupt it. The standards document's own
    `test_dependency_injection_isolation` drives FastAPI's synchronous `TestClient` from an async
    test.

    Also reported: a request method (`.get()`, `.post()`, `.send()`, ...) called in `async def` on
    a synchronous client kept in a variable or attribute (`self.session = requests.Session()`),
    and a call from `async def` to a synchronous same-module or same-class helper that blocks.
    """

    title = "blocking call inside async def"
    standard = "Async Correctness: 100% asyncio primitives, dependency injection"
    fix = (
        "Use the async API, or run the call in a worker thread with "
        "`await anyio.to_thread.run_sync(...)`."
    )
    ruff = ("ASYNC210", "ASYNC220", "ASYNC221", "ASYNC222")
    error_in: ClassVar[frozenset[Mode]] = frozenset({"async", "testing"})
    _blocking = frozenset(
        {
            *(f"requests.{verb}" for verb in _HTTP_VERBS),
            *(f"httpx.{verb}" for verb in (*_HTTP_VERBS, "stream")),
            "httpx.Client",
            "requests.Session",
            "urllib.request.urlopen",
            *(f"subprocess.{name}" for name in _SUBPROCESS),
            "os.system",
            "os.popen",
            "os.waitpid",
            "fastapi.testclient.TestClient",
            "starlette.testclient.TestClient",
            "socket.create_connection",
            "input",
        }
    )
    calls = _blocking | _SYNC_CLIENTS
    methods = _CLIENT_METHODS

    def begin(self, ctx: Context) -> None:
        super().begin(ctx)
        self._clients: dict[tuple[object, str], str] = {}  # where a sync client is stored
        self._requests: list[tuple[tuple[object, str], ast.Call, DefNode]] = []

    def on_call(self, call: CallSite, ctx: Context) -> None:
        name = call.name
        if name in _SYNC_CLIENTS:
            for key in assigned_to(call.node, ctx):
                self._clients[key] = name
        if name in self._blocking:
            self.blocking(
                call,
                ctx,
                f"`{name}()` blocks the event loop inside `async def {function_name(ctx)}`",
                fix=_BLOCKING_FIX.get(name.partition(".")[0]),
            )
            return
        if call.method not in _CLIENT_METHODS or not isinstance(call.node.func, ast.Attribute):
            return
        function = ctx.function
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        stored = storage(call.node.func.value, ctx)
        if stored is not None:  # a request on a client, if the end shows one is stored there
            self._requests.append((stored, call.node, function))

    def end(self, ctx: Context) -> None:
        for key, node, function in self._requests:
            client = self._clients.get(key)
            if client is None:
                continue
            assert isinstance(node.func, ast.Attribute)
            method = f"{source(node.func.value)}.{node.func.attr}"
            if isinstance(function, ast.AsyncFunctionDef):
                self.report(
                    ctx,
                    node,
                    f"`{method}()` on a synchronous `{client}` blocks the event loop inside "
                    f"`async def {function.name}`",
                    fix=_BLOCKING_FIX.get(client.partition(".")[0]),
                )
            else:  # a synchronous helper that makes the request blocks whoever calls it
                self._direct.setdefault(ctx.key_of[id(function)], (method, node.lineno))
        super().end(ctx)
