"""FS1xx: async correctness under Strict AnyIO (task groups, anyio primitives, nothing blocking)."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.nodes import self_attribute, source
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["FS101", "FS102", "FS103", "FS104", "FS105", "FS106"]

STRICT_ANYIO = (
    "Strict AnyIO: Prohibit `asyncio.gather` and `asyncio.create_task`. Use "
    "`anyio.create_task_group()` for all concurrent operations to prevent orphan tasks."
)


def _is_loop(expr: ast.expr) -> bool:
    """`loop`, `self._loop`, `asyncio.get_running_loop()`, `self.get_loop()`: an event loop."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    name = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", "")
    return "loop" in name.lower()


def _function_name(ctx: Context) -> str:
    function = ctx.function
    return "lambda" if function is None or isinstance(function, ast.Lambda) else function.name


class FS101(Rule):
    """A task started with `asyncio.gather`, `asyncio.create_task`, `asyncio.ensure_future` or
    `loop.create_task` is owned by nobody: if the caller fails or is cancelled, the task keeps
    running (or is garbage-collected mid-flight), its exception may never be seen, and shutdown
    cannot wait for it. An anyio task group owns every task it starts: leaving the `async with`
    block waits for all of them, and the first error cancels the rest and propagates.
    """

    title = "asyncio task API instead of an anyio task group"
    standard = STRICT_ANYIO
    fix = (
        "Start the work in `async with anyio.create_task_group() as tg:` with "
        "`tg.start_soon(func, *args)`; tasks that return values write them into a list or a "
        "bounded memory object stream."
    )
    ruff = ("TID251", "RUF006")
    calls = frozenset({"asyncio.gather", "asyncio.create_task", "asyncio.ensure_future"})
    methods = frozenset({"create_task"})

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name in self.calls:
            self.report(ctx, call.node, f"`{call.name}()` runs tasks outside a task group")
            return
        func = call.node.func
        # `.create_task()` on an event loop. A TaskGroup's tasks have an owner, and another
        # library's `create_task` method (a job API, say) starts no task at all.
        if not (isinstance(func, ast.Attribute) and _is_loop(func.value)):
            return
        receiver = source(func.value)
        self.report(
            ctx, call.node, f"`{receiver}.create_task()` starts a task outside an anyio task group"
        )


class FS102(Rule):
    """`asyncio.get_event_loop()` is deprecated outside a running loop (a warning since Python
    3.10, an error when no loop exists in 3.14) and ties the code to asyncio's loop object. The
    standards document uses it for a clock (`get_event_loop().time()`), which in synchronous code
    may create a loop as a side effect, and for uptime, which it is not: it is the loop's
    monotonic clock, whose zero is arbitrary.
    """

    title = "deprecated `asyncio.get_event_loop()`"
    standard = STRICT_ANYIO
    fix = (
        "For a clock use `time.monotonic()` (or `anyio.current_time()` in async code); for uptime "
        "subtract a start timestamp; to run async code use `anyio.run()`."
    )
    calls = frozenset({"asyncio.get_event_loop"})

    def on_call(self, call: CallSite, ctx: Context) -> None:
        self.report(
            ctx, call.node, "`asyncio.get_event_loop()` is deprecated and ties the code to asyncio"
        )


class FS103(Rule):
    """`time.sleep()` blocks the thread, and inside `async def` that thread runs the event loop:
    every other task, timeout and health check stops for the whole sleep.
    """

    title = "blocking sleep inside async def"
    standard = "Async Correctness: 100% asyncio primitives, dependency injection"
    fix = "`await anyio.sleep(seconds)`."
    ruff = ("ASYNC251",)
    calls = frozenset({"time.sleep"})

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if ctx.in_async:
            self.report(
                ctx,
                call.node,
                f"`time.sleep()` inside `async def {_function_name(ctx)}` blocks the event loop",
            )


_THREADING_PRIMITIVES = frozenset(
    f"threading.{name}" for name in ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition")
)


class FS104(Rule):
    """A `threading` lock taken inside `async def` blocks the event loop while it waits, and a
    task that holds it across an `await` lets another task on the same thread block on it: the
    loop deadlocks. Async code needs a lock that suspends the waiting task instead.
    """

    title = "threading lock used inside async def"
    standard = "CLAUDE: asyncio.Lock, never threading.Lock"
    fix = (
        "Use `anyio.Lock()` (`async with lock:`); keep `threading` locks for code that runs in "
        "worker threads."
    )
    calls = _THREADING_PRIMITIVES
    methods = frozenset({"acquire"})
    nodes = (ast.With,)

    def begin(self, ctx: Context) -> None:
        self._locks: set[tuple[str, str]] = set()

    def _key(self, expr: ast.expr, ctx: Context) -> tuple[str, str] | None:
        """Name a lock's storage: a variable, or `self.<attr>` within the current class."""
        if isinstance(expr, ast.Name):
            return ("", expr.id)
        attribute = self_attribute(expr)
        if attribute is not None and ctx.cls is not None:
            return (ctx.cls.name, attribute)
        return None

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name in _THREADING_PRIMITIVES:
            if ctx.in_async:
                self.report(
                    ctx,
                    call.node,
                    f"`{call.name}()` created inside `async def {_function_name(ctx)}`",
                )
            statement = ctx.statement
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is call.node:
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    key = self._key(target, ctx)
                    if key is not None:
                        self._locks.add(key)
        elif ctx.in_async and isinstance(call.node.func, ast.Attribute):
            receiver = call.node.func.value
            if self._key(receiver, ctx) in self._locks:
                self.report(
                    ctx, call.node, f"threading lock `{source(receiver)}` acquired inside async def"
                )

    def on_node(self, node: ast.With, ctx: Context) -> None:
        if not ctx.in_async:
            return
        for item in node.items:
            if self._key(item.context_expr, ctx) in self._locks:
                self.report(
                    ctx,
                    item.context_expr,
                    f"threading lock `{source(item.context_expr)}` held inside async def",
                )


# asyncio's primitive -> anyio's equivalent
_ANYIO_EQUIVALENT = {
    "Lock": "anyio.Lock()",
    "Event": "anyio.Event()",
    "Condition": "anyio.Condition()",
    "Semaphore": "anyio.Semaphore(n)",
    "BoundedSemaphore": "anyio.Semaphore(n, max_value=n)",
    "Barrier": "a task group that waits for its tasks",
    "Queue": "anyio.create_memory_object_stream(max_buffer_size=n)",
    "LifoQueue": "anyio.create_memory_object_stream(max_buffer_size=n)",
    "PriorityQueue": "anyio.create_memory_object_stream(max_buffer_size=n)",
    "sleep": "anyio.sleep()",
    "wait_for": "anyio.fail_after() / anyio.move_on_after()",
    "timeout": "anyio.fail_after()",
    "wait": "a task group",
    "shield": "anyio.CancelScope(shield=True)",
    "TaskGroup": "anyio.create_task_group()",
    "run": "anyio.run()",
}


class FS105(Rule):
    """The samples of the standards document are asyncio-only, but the standard is Strict AnyIO:
    one concurrency model, whose cancellation scopes, task groups and primitives compose. asyncio
    primitives mixed into anyio code do not honour anyio's cancel scopes the same way, and they
    pin the code to one backend. Each has a direct anyio equivalent.
    """

    title = "asyncio primitive where anyio has one"
    standard = STRICT_ANYIO
    fix = "Use the anyio equivalent named in the message."
    error_in: ClassVar[frozenset[Mode]] = frozenset({"async"})
    calls = frozenset(f"asyncio.{name}" for name in _ANYIO_EQUIVALENT)

    def on_call(self, call: CallSite, ctx: Context) -> None:
        assert call.name is not None
        equivalent = _ANYIO_EQUIVALENT[call.name.rpartition(".")[2]]
        self.report(
            ctx,
            call.node,
            f"`{call.name}` is asyncio's; under Strict AnyIO use `{equivalent}`",
            fix=f"Use `{equivalent}`.",
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


class FS106(Rule):
    """A synchronous network call, subprocess or test client inside `async def` holds the event
    loop for its whole duration, exactly like `time.sleep`: no other task runs, timeouts do not
    fire, and cancellation cannot interrupt it. The standards document's own
    `test_dependency_injection_isolation` drives FastAPI's synchronous `TestClient` from an async
    test.
    """

    title = "blocking call inside async def"
    standard = "Async Correctness: 100% asyncio primitives, dependency injection"
    fix = (
        "Use the async API, or run the call in a worker thread with "
        "`await anyio.to_thread.run_sync(...)`."
    )
    ruff = ("ASYNC210", "ASYNC220", "ASYNC221", "ASYNC222")
    error_in: ClassVar[frozenset[Mode]] = frozenset({"async", "testing"})
    calls = frozenset(
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

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if not ctx.in_async:
            return
        assert call.name is not None
        self.report(
            ctx,
            call.node,
            f"`{call.name}()` blocks the event loop inside `async def {_function_name(ctx)}`",
            fix=_BLOCKING_FIX.get(call.name.partition(".")[0]),
        )
