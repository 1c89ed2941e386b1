"""FS201: a deque needs a bound, as `maxlen` or as eviction code; wait queues, idle pools and
scratch deques are bounded by what they hold."""

from __future__ import annotations

import ast

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.flow import self_limiting
from forge_scaffold.checker.rules.memory import BOUNDED, MEMORY
from forge_scaffold.checker.rules.nodes import argument, self_attribute
from forge_scaffold.checker.walker import CallSite, Context, DefNode, FunctionNode

__all__ = ["FS201"]


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

    Not reported: a local deque that does not outlive its call (not returned, yielded or stored in
    an attribute, item or global: an algorithm's work list), or that the same function drains
    (`while work: work.popleft()`); and deques named as wait queues or idle pools (`_waiters`,
    `_waiting`, `idle_workers`, `_free`, `_available`, `_pool`, `_resources`), whose size is the
    number of waiting tasks or of resources the pool made, and where a `maxlen` would silently
    drop a waiter. Nor a deque kept on `self` by a class that pauses its transport when a size
    passes a limit (`if self._size > self._limit: self._protocol.pause_reading()`): asyncio's flow
    control holds such a buffer to about one read past the limit. Nor a deque that is only
    compared (`assert pool == deque([conn])`): it holds a value, not a queue.
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
        self._locals: dict[tuple[object, str], DefNode] = {}  # local deques, by their function
        self._flow_controlled: set[object] = set()  # classes that pause their transport at a limit

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
        if statement is not None and _compared(call.node, statement):
            return
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is call.node:
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            name = self_attribute(target) if ctx.cls is not None else None
            if self_limiting(call.node, ctx):
                return  # a wait queue or a pool of idle resources: bounded by what it holds
            if (
                name is not None and ctx.cls is not None
            ):  # judged at the end: the class may bound it
                self._pending[(ctx.cls.name, name)] = call.node
                return
            function = ctx.function
            if isinstance(target, ast.Name) and isinstance(function, DefNode):  # maybe scratch
                self._pending[(id(function), target.id)] = call.node
                self._locals[(id(function), target.id)] = function
                return
        self.report(ctx, call.node, "`deque()` without `maxlen` grows without bound")

    def on_node(self, node: ast.While | ast.If, ctx: Context) -> None:
        # Judged at the end, and only when the file made an unbounded deque: most files make none.
        self._loops.append((node, ctx.function, ctx.cls.name if ctx.cls is not None else None))
        if ctx.cls is not None and isinstance(node, ast.If) and _pauses_at_a_limit(node):
            self._flow_controlled.add(ctx.cls.name)

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
            if key in self._evicted or key[0] in self._flow_controlled:
                continue
            function = self._locals.get(key)
            if function is None or _escapes(function, key[1]):
                self.report(ctx, call, "`deque()` without `maxlen` grows without bound")


def _escapes(function: DefNode, name: str) -> bool:
    """Does a local deque outlive its call: returned or yielded, stored in an attribute, an item or
    a global? (Passing it to a call, say a generator that walks it, does not count.)"""
    for node in ast.walk(function):
        if isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return True
        if isinstance(node, ast.Return | ast.Yield | ast.YieldFrom) and _is_name(node.value, name):
            return True
        if (
            isinstance(node, ast.Assign)
            and _is_name(node.value, name)
            and any(isinstance(target, ast.Attribute | ast.Subscript) for target in node.targets)
        ):
            return True
    return False


def _compared(call: ast.Call, statement: ast.stmt) -> bool:
    """Is the deque an operand of a comparison (`x == deque([a])`, `{k: deque([a])} == x`)?"""
    return any(
        isinstance(node, ast.Compare)
        and any(call in ast.walk(operand) for operand in (node.left, *node.comparators))
        for node in ast.walk(statement)
    )


def _pauses_at_a_limit(node: ast.If) -> bool:
    """`if <size> > <limit>: ...pause_reading()`: transport flow control on a buffer's size."""
    over = any(
        isinstance(test, ast.Compare)
        and any(isinstance(op, ast.Gt | ast.GtE | ast.Lt | ast.LtE) for op in test.ops)
        for test in ast.walk(node.test)
    )
    return over and any(
        isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Attribute)
        and inner.func.attr == "pause_reading"
        for statement in node.body
        for inner in ast.walk(statement)
    )


def _is_name(expr: ast.expr | None, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


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
