"""FS202 and FS203 (and the family's shared standard): queues and streams need a bound."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.flow import self_limiting
from forge_scaffold.checker.rules.nodes import UNKNOWN, argument, constant_int
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["BOUNDED", "FS202", "FS203", "MEMORY"]

BOUNDED = "Memory Safety: 100% bounded collections, explicit cleanup"
MEMORY: frozenset[Mode] = frozenset({"memory"})


_QUEUES = frozenset(
    {
        *(f"asyncio.{name}" for name in ("Queue", "LifoQueue", "PriorityQueue")),
        *(f"queue.{name}" for name in ("Queue", "LifoQueue", "PriorityQueue")),
        "multiprocessing.Queue",
        "multiprocessing.JoinableQueue",
    }
)


class FS202(Rule):
    """A queue without a positive `maxsize` accepts every item a producer offers: when consumers
    fall behind, memory grows until the process dies, instead of the producer being slowed down
    (backpressure). `maxsize=0` and negative sizes mean "infinite" to these classes, and
    `queue.SimpleQueue` has no bound at all. The queues of a multiprocessing context or manager
    (`get_context("spawn").Queue()`, `ctx.Queue()` with `ctx` assigned from one) count too. A
    queue stored as a pool's free list (`self._pool`, `self._resource`, `idle`, `free`) holds no
    more than the pool made, and is not reported.
    """

    title = "unbounded queue"
    standard = BOUNDED
    methods = frozenset({"Queue", "JoinableQueue"})
    fix = (
        "Pass a positive `maxsize` named in settings; in async code prefer "
        "`anyio.create_memory_object_stream(max_buffer_size=n)`."
    )
    error_in: ClassVar[frozenset[Mode]] = frozenset({"memory", "async"})
    calls = _QUEUES | {"queue.SimpleQueue"}

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name == "queue.SimpleQueue":
            self.report(ctx, call.node, "`queue.SimpleQueue` has no bound")
            return
        if call.name not in _QUEUES:  # `.Queue()` on something: a multiprocessing context?
            func = call.node.func
            assert isinstance(func, ast.Attribute)
            if not _is_mp_context(func.value, ctx):
                return
            call = CallSite(call.node, f"multiprocessing context .{func.attr}", func.attr)
        maxsize = argument(call.node, 0, "maxsize")
        if maxsize is UNKNOWN or (maxsize is None and self_limiting(call.node, ctx)):
            return
        size = None if maxsize is None else constant_int(maxsize)
        if maxsize is None or (size is not None and size <= 0):
            self.report(
                ctx, call.node, f"`{call.name}()` without a positive `maxsize` grows without bound"
            )


_MP_CONTEXTS = frozenset({"multiprocessing.get_context", "multiprocessing.Manager"})


def _is_mp_context(expr: ast.expr, ctx: Context) -> bool:
    """`multiprocessing.get_context(...)` / `Manager()`, or a name assigned only from one."""
    if isinstance(expr, ast.Call):
        return ctx.qualify(expr.func) in _MP_CONTEXTS
    if isinstance(expr, ast.Name):
        values = ctx.values_of(expr.id, ctx.function)
        return bool(values) and all(_is_mp_context(value, ctx) for value in values)
    return False


def _is_infinite(expr: ast.expr, ctx: Context) -> bool:
    """`math.inf`, `numpy.inf` or `float("inf")`."""
    if ctx.qualify(expr) in ("math.inf", "numpy.inf"):
        return True
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "float"
        and len(expr.args) == 1
        and isinstance(expr.args[0], ast.Constant)
    ):
        value = expr.args[0].value
        return isinstance(value, str) and value.strip().lower().lstrip("+") in (
            "inf",
            "infinity",
        )
    return False


class FS203(Rule):
    """A memory object stream with `max_buffer_size=math.inf` never makes a sender wait, so it is
    an unbounded queue in anyio's clothing. (With no argument the buffer size is 0: every send
    waits for a receiver, which is bounded, and is not reported.)
    """

    title = "unbounded memory object stream"
    standard = BOUNDED
    fix = "Pass a finite `max_buffer_size` named in settings."
    error_in: ClassVar[frozenset[Mode]] = frozenset({"memory", "async"})
    calls = frozenset({"anyio.create_memory_object_stream"})

    def on_call(self, call: CallSite, ctx: Context) -> None:
        size = argument(call.node, 0, "max_buffer_size")
        if size is not None and _is_infinite(size, ctx):
            self.report(
                ctx, call.node, "memory object stream with an infinite buffer grows without bound"
            )
