"""FS2xx: memory safety (bounded collections, explicit cleanup, honest limits)."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.nodes import UNKNOWN, argument, constant_int, self_attribute
from forge_scaffold.checker.walker import CallSite, Context, FunctionNode

__all__ = ["FS201", "FS202", "FS203", "FS204", "FS205", "FS206"]

BOUNDED = "Memory Safety: 100% bounded collections, explicit cleanup"
MEMORY: frozenset[Mode] = frozenset({"memory"})


def _length_of(expr: ast.expr, ctx: Context, function: FunctionNode | None) -> str | None:
    """`x` for `len(self.x)`, or `len(items)` where `items = self.x` in this function."""
    if not (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "len"
        and len(expr.args) == 1
    ):
        return None
    return self_attribute(ctx.alias(expr.args[0], function))


def _is_zero(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and not expr.value


def _measured(test: ast.expr, ctx: Context, function: FunctionNode | None) -> set[str]:
    """Attributes the condition holds to a limit: `len(self.x) > n`, `>= n`, `== n`, `n < len(..)`.

    A comparison with zero (`while len(self.x) > 0`) drains the deque; it does not bound it.
    """
    bounded: set[str] = set()
    for node in ast.walk(test):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, op, right in zip(operands, node.ops, operands[1:], strict=False):
            if isinstance(op, ast.Gt | ast.GtE | ast.Eq):
                measured, limit = _length_of(left, ctx, function), right
            elif isinstance(op, ast.Lt | ast.LtE):
                measured, limit = _length_of(right, ctx, function), left
            else:
                continue
            if measured is not None and not _is_zero(limit):
                bounded.add(measured)
    return bounded


def _popped(body: list[ast.stmt], ctx: Context, function: FunctionNode | None) -> set[str]:
    """Attributes the statements pop from: `self.x.popleft()`, `self.x.pop()`, or an alias's."""
    return {
        name
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("popleft", "pop")
        and (name := self_attribute(ctx.alias(node.func.value, function))) is not None
    }


def _unbounded(call: ast.Call) -> bool:
    maxlen = argument(call, 1, "maxlen")
    return maxlen is None or (isinstance(maxlen, ast.Constant) and maxlen.value is None)


class FS201(Rule):
    """A `deque()` without `maxlen` is a list that grows at both ends without limit: under a burst
    (or a slow consumer) it takes the process's memory with it. The standards document's own
    example of what expert mode must catch is `buffer = deque()  # Unbounded!`.

    A deque kept on `self` is accepted when its class bounds it in code: a `while` or `if` that
    holds `len(self.<name>)` to a limit (not to zero: a drain loop empties a deque but never
    limits it) and pops from `self.<name>`, directly or through a local alias
    (`items = self.<name>`). That is the one-eviction-policy buffer (bounded by bytes as well as
    items, with exact accounting) that `maxlen` cannot express. `defaultdict(deque)` makes an
    unbounded deque per key and is reported too.

    Not reported: a local deque the same function drains (`while work: work.popleft()`), which is
    gone when the function returns; and deques named as wait queues or idle pools (`_waiters`,
    `_waiting`, `idle_workers`, `_free`, `_available`, `_pool`, `_resources`), whose size is the
    number of waiting tasks or of resources the pool made, and where a `maxlen` would silently
    drop a waiter.
    """

    title = "unbounded deque"
    standard = BOUNDED
    fix = (
        "Bound it: `deque(maxlen=settings.<name>)`, with the bound named in settings; or evict in "
        "code under a `len(self.<name>)` check."
    )
    error_in = MEMORY
    calls = frozenset({"collections.deque", "collections.defaultdict"})
    nodes = (ast.While, ast.If)

    def begin(self, ctx: Context) -> None:
        # (class, attribute) or (id of function, local name) -> its deque()
        self._pending: dict[tuple[object, str], ast.Call] = {}
        self._evicted: set[tuple[object, str]] = set()
        self._loops: list[tuple[ast.While | ast.If, FunctionNode | None, str | None]] = []

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if call.name == "collections.defaultdict":
            factory = argument(call.node, 0, "default_factory")
            # `defaultdict(lambda: deque())` needs nothing here: that `deque()` is a call itself.
            if factory is not None and ctx.qualify(factory) == "collections.deque":
                self.report(
                    ctx, call.node, "`defaultdict(deque)` makes a deque without `maxlen` per key"
                )
            return
        if not _unbounded(call.node):
            return
        statement = ctx.statement
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is call.node:
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            name = self_attribute(target) if ctx.cls is not None else None
            if _self_limiting(call.node, ctx):
                return  # a wait queue or a pool of idle resources: bounded by what it holds
            if (
                name is not None and ctx.cls is not None
            ):  # judged at the end: the class may bound it
                self._pending[(ctx.cls.name, name)] = call.node
                return
            if isinstance(target, ast.Name) and ctx.function is not None:  # maybe a scratch deque
                self._pending[(id(ctx.function), target.id)] = call.node
                return
        self.report(ctx, call.node, "`deque()` without `maxlen` grows without bound")

    def on_node(self, node: ast.While | ast.If, ctx: Context) -> None:
        # Judged at the end, and only when the file made an unbounded deque: most files make none.
        self._loops.append((node, ctx.function, ctx.cls.name if ctx.cls is not None else None))

    def end(self, ctx: Context) -> None:
        if not self._pending:
            return
        for node, function, cls in self._loops:
            if cls is not None:
                measured = _measured(node.test, ctx, function)
                if measured:
                    for name in measured & _popped(node.body, ctx, function):
                        self._evicted.add((cls, name))
            drained = _drained(node)
            if drained is not None and function is not None:
                self._evicted.add((id(function), drained))
        for key, call in self._pending.items():
            if key not in self._evicted:
                self.report(ctx, call, "`deque()` without `maxlen` grows without bound")


# Names of deques whose size the program bounds by what they hold: a queue of waiting tasks (one
# entry per waiter) or a pool's idle resources (no more than the pool made).
_SELF_LIMITING = ("waiter", "waiting", "idle", "free", "available", "pool", "resource")


def _stored_under(call: ast.Call, ctx: Context) -> str:
    """The name or `self.<attribute>` the statement making `call` assigns it to, else ""."""
    statement = ctx.statement
    if not (isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is call):
        return ""
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
    if isinstance(target, ast.Name):
        return target.id
    return self_attribute(target) or ""


def _self_limiting(call: ast.Call, ctx: Context) -> bool:
    """Stored under a name that says wait queue or resource pool (`self._waiters`, `idle`)."""
    return _stored_under(call, ctx).lstrip("_").lower().startswith(_SELF_LIMITING)


def _drained(node: ast.While | ast.If) -> str | None:
    """`x` for `while x:` or `while len(x) > 0:` over a local name whose body pops from it: a
    scratch deque the function empties before it returns."""
    if not isinstance(node, ast.While):
        return None
    test = node.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        test = test.left
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "len":
        test = test.args[0] if test.args else test
    if not isinstance(test, ast.Name):
        return None
    for statement in node.body:
        for inner in ast.walk(statement):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in ("popleft", "pop")
                and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id == test.id
            ):
                return test.id
    return None


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
        if maxsize is UNKNOWN or (maxsize is None and _self_limiting(call.node, ctx)):
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


def _names_memory_error(expr: ast.expr) -> bool:
    """Does a test or an `except` clause name `MemoryError` (as a name, attribute or string)?"""
    for inner in ast.walk(expr):
        kind = type(inner)
        if kind is ast.Name:
            found = inner.id  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            found = inner.attr  # type: ignore[attr-defined]
        elif kind is ast.Constant:
            found = inner.value  # type: ignore[attr-defined]
        else:
            continue
        if found == "MemoryError":
            return True
    return False


class FS204(Rule):
    """`MemoryError` means the interpreter could not allocate memory; code that catches it (or a
    supervisor that restarts on it) treats it as a crash of the process. Raising it for a size limit
    the code chose hides an ordinary input error behind an out-of-memory alarm, and tells the
    caller neither the limit nor the value. The standards document's `process_data` does this.

    Passing a real one on is fine and not reported: a `raise MemoryError(...)` inside an
    `except` that caught `MemoryError`, one chained `from` a cause, or one under a test that names
    `MemoryError` (a worker's result that was one).
    """

    title = "`MemoryError` raised for a limit"
    standard = "CLAUDE STANDARD: Comprehensive input validation + error handling"
    fix = (
        "Raise a domain error (a `ValueError` subclass) whose message names the limit and the "
        "value."
    )
    nodes = (ast.Raise, ast.ExceptHandler, ast.If)

    def begin(self, ctx: Context) -> None:
        self._guards: list[ast.ExceptHandler | ast.If] = []
        self._raises: list[ast.Raise] = []

    def on_node(self, node: ast.Raise | ast.ExceptHandler | ast.If, ctx: Context) -> None:
        if isinstance(node, ast.Raise):
            self._raise(node, ctx)
        else:  # looked into at the end, and only when the file raises MemoryError
            self._guards.append(node)

    def end(self, ctx: Context) -> None:
        if not self._raises:
            return
        passed_on: set[int] = set()  # ids of raises that hand a real MemoryError on
        for node in self._guards:
            guard = node.type if isinstance(node, ast.ExceptHandler) else node.test
            if guard is not None and _names_memory_error(guard):
                passed_on.update(
                    id(inner)
                    for statement in node.body
                    for inner in ast.walk(statement)
                    if isinstance(inner, ast.Raise)
                )
        message = "`raise MemoryError` for a limit the code chose; it means the interpreter ran out"
        for raised in self._raises:
            if id(raised) not in passed_on:
                self.report(ctx, raised, message)

    def _raise(self, node: ast.Raise, ctx: Context) -> None:
        if node.cause is not None:
            return
        exc = node.exc
        if isinstance(exc, ast.Call):
            exc = exc.func
        if exc is not None and ctx.qualify(exc) == "MemoryError":
            self._raises.append(node)


class FS205(Rule):
    """`__del__` runs when the garbage collector gets to the object: maybe late, maybe never
    (reference cycles, interpreter exit), on whatever thread drops the last reference, and with
    module globals such as loggers possibly already torn down. Cleanup there is unreliable and
    hides the missing explicit close. The standards document's `MemorySafeBuffer` cleans up in
    `__del__`.

    Not reported: the standard diagnostic `__del__` that only warns with a `ResourceWarning` when
    the object was not closed (and may report that to the loop's exception handler), calling
    nothing that cleans up (`close`, `release`, `clear`, `cancel`, `shutdown`, ...).
    """

    title = "cleanup in `__del__`"
    standard = BOUNDED
    fix = (
        "Give the class `close()` / `aclose()` and context-manager methods and have its owner call "
        "them; for a last-resort safety net use `weakref.finalize` with a callback that does not "
        "reference the object."
    )
    error_in = MEMORY
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)

    def on_node(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        if node.name != "__del__" or not isinstance(ctx.scope, ast.ClassDef):
            return
        if not _only_warns(node):
            self.report(
                ctx,
                node,
                f"`{ctx.scope.name}.__del__` cleans up whenever the collector runs, if ever",
            )


_CLEANUP_VERBS = (
    "close", "aclose", "clean", "release", "shutdown", "terminate", "kill", "clear", "cancel",
    "stop", "disconnect", "unlink", "remove", "delete", "free", "dispose", "destroy", "flush",
    "unregister", "deregister", "join", "detach", "reset", "drop", "purge", "evict",
)  # fmt: skip


def _only_warns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A `__del__` that warns with `ResourceWarning` and calls nothing named like a cleanup."""
    warns = False
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name.lstrip("_").lower().startswith(_CLEANUP_VERBS):
            return False
        if any(  # `warnings.warn(...)`, or a `_warn` bound as a default argument
            isinstance(arg, ast.Name) and arg.id == "ResourceWarning"
            for arg in (*node.args, *(keyword.value for keyword in node.keywords))
        ):
            warns = True
    return warns


def _negative(expr: ast.expr) -> bool:
    """`-n`: "all but the last n" needs the whole copy anyway."""
    return isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub)


class FS206(Rule):
    """`list(items)[:n]` copies every item to keep n of them: O(len) time and memory for an O(n)
    answer. On a bounded buffer that is the whole buffer per read. The standards document's
    `MemorySafeBuffer.get_items(limit)` does this.
    """

    title = "whole copy to take a prefix"
    standard = "Memory Characteristics: … O(1) memory usage (bounded by maxlen)"
    fix = "`list(itertools.islice(items, n))` copies only the items it keeps."
    error_in = MEMORY
    nodes = (ast.Subscript,)

    def on_node(self, node: ast.Subscript, ctx: Context) -> None:
        value = node.value
        window = node.slice
        if not (isinstance(value, ast.Call) and isinstance(window, ast.Slice)):
            return
        if window.step is not None or window.upper is None or _negative(window.upper):
            return
        if window.lower is not None and constant_int(window.lower) != 0:
            return
        func = value.func
        if (
            isinstance(func, ast.Name)
            and func.id in ("list", "tuple")
            and func.id not in ctx.imports
            and len(value.args) == 1
            and not value.keywords
            and not isinstance(value.args[0], ast.Starred)
        ):
            self.report(ctx, node, f"`{func.id}(...)[:n]` copies every item to keep n")
