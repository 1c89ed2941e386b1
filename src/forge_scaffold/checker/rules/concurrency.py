"""FS1xx: async correctness under Strict AnyIO: task groups, anyio primitives, async locks."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.flow import assigned_to, storage
from forge_scaffold.checker.rules.nodes import source
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["FS101", "FS102", "FS104", "FS105", "STRICT_ANYIO"]

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


# Calls that return an event loop: a name or attribute assigned from one holds a loop.
_LOOP_GETTERS = frozenset(
    f"asyncio.{name}" for name in ("get_running_loop", "get_event_loop", "new_event_loop")
)


class FS101(Rule):
    """A task started with `asyncio.gather`, `asyncio.create_task`, `asyncio.ensure_future`,
    `asyncio.Task(...)`, `asyncio.run_coroutine_threadsafe` or a loop's `create_task` (a loop
    named like one, or any name or attribute assigned from `get_running_loop()`) is owned by
    nobody: if the caller fails or is cancelled, the task keeps running (or is garbage-collected
    mid-flight), its exception may never be seen, and shutdown cannot wait for it. An anyio task
    group owns every task it starts: leaving the `async with` block waits for all of them, and the
    first error cancels the rest and propagates.
    """

    title = "asyncio task API instead of an anyio task group"
    standard = STRICT_ANYIO
    fix = (
        "Start the work in `async with anyio.create_task_group() as tg:` with "
        "`tg.start_soon(func, *args)`; tasks that return values write them into a list or a "
        "bounded memory object stream."
    )
    ruff = ("TID251", "RUF006")
    _spawners = frozenset(
        {
            "asyncio.gather",
            "asyncio.create_task",
            "asyncio.ensure_future",
            "asyncio.Task",
            "asyncio.run_coroutine_threadsafe",
        }
    )
    calls = _spawners | _LOOP_GETTERS
    methods = frozenset({"create_task"})

    def begin(self, ctx: Context) -> None:
        self._loops: set[tuple[object, str]] = set()  # where a loop from a getter is stored
        self._maybe: list[tuple[tuple[object, str], ast.Call, str]] = []  # judged at the end

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name in _LOOP_GETTERS:
            self._loops.update(assigned_to(call.node, ctx))
            return
        if call.name in self._spawners:
            self.report(ctx, call.node, f"`{call.name}()` runs tasks outside a task group")
            return
        func = call.node.func
        # `.create_task()` on an event loop. A TaskGroup's tasks have an owner, and another
        # library's `create_task` method (a job API, say) starts no task at all.
        if not isinstance(func, ast.Attribute):
            return
        receiver = source(func.value)
        message = f"`{receiver}.create_task()` starts a task outside an anyio task group"
        if _is_loop(func.value):
            self.report(ctx, call.node, message)
        elif (key := storage(func.value, ctx)) is not None:
            self._maybe.append((key, call.node, message))

    def end(self, ctx: Context) -> None:
        for key, node, message in self._maybe:
            if key in self._loops:
                self.report(ctx, node, message)


class FS102(Rule):
    """`asyncio.get_event_loop()` is deprecated outside a running loop (a warning since Python
    3.10, an error when no loop exists in 3.14) and ties the code to asyncio's loop object (inside
    `async def` only the second holds, and the message says so). The
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
        if ctx.in_async:  # with a loop running it is not deprecated; it still ties code to asyncio
            message = "`asyncio.get_event_loop()` ties the code to asyncio's loop object"
        else:
            message = "`asyncio.get_event_loop()` is deprecated and ties the code to asyncio"
        self.report(ctx, call.node, message)


_THREADING_PRIMITIVES = frozenset(
    f"threading.{name}" for name in ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition")
)


class FS104(Rule):
    """A `threading` lock taken inside `async def` blocks the event loop while it waits, and a
    task that holds it across an `await` lets another task on the same thread block on it: the
    loop deadlocks. Async code needs a lock that suspends the waiting task instead.

    Reported where async code takes a lock (`with`, `.acquire()`) stored in a variable, in
    `self.<name>` or as a class attribute, and where `async def` creates one it never hands to
    worker threads (a lock passed to a call or used by a nested function is for threads, which an
    anyio lock could not protect).
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
        self._locks: set[tuple[object, str]] = set()
        self._taken: list[tuple[tuple[object, str], ast.AST, str]] = []  # judged at the end
        self._created: list[tuple[ast.AsyncFunctionDef, ast.Call, str, list[str]]] = []

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name in _THREADING_PRIMITIVES:
            stored = assigned_to(call.node, ctx)
            self._locks.update(stored)
            function = ctx.function
            if isinstance(function, ast.AsyncFunctionDef):
                names = [name for _owner, name in stored]
                self._created.append((function, call.node, call.name, names))
        elif ctx.in_async and isinstance(call.node.func, ast.Attribute):
            receiver = call.node.func.value
            key = storage(receiver, ctx)
            if key is not None:
                message = f"threading lock `{source(receiver)}` acquired inside async def"
                self._taken.append((key, call.node, message))

    def on_node(self, node: ast.With, ctx: Context) -> None:
        if not ctx.in_async:
            return
        for item in node.items:
            key = storage(item.context_expr, ctx)
            if key is not None:
                message = f"threading lock `{source(item.context_expr)}` held inside async def"
                self._taken.append((key, item.context_expr, message))

    def end(self, ctx: Context) -> None:
        for key, node, message in self._taken:
            if key in self._locks:
                self.report(ctx, node, message)
        for function, call, name, stored in self._created:
            if not _handed_to_threads(function, stored):
                self.report(ctx, call, f"`{name}()` created inside `async def {function.name}`")


def _handed_to_threads(function: ast.AsyncFunctionDef, names: list[str]) -> bool:
    """Is a lock made in `function` passed to a call, or used by a function nested in it?"""
    if not names:
        return False
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            for argument in arguments:
                for inner in ast.walk(argument):
                    if isinstance(inner, ast.Name) and inner.id in names:
                        return True
        elif isinstance(node, ast.FunctionDef | ast.Lambda) and any(
            isinstance(inner, ast.Name) and inner.id in names for inner in ast.walk(node)
        ):
            return True
    return False


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
    "to_thread": "anyio.to_thread.run_sync()",
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
