"""FS3xx: how a service is built and run (errors surfaced, I/O in factories, honest health)."""

from __future__ import annotations

import ast
from typing import TypeGuard

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["FS301", "FS302", "FS303", "FS304"]

_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


def _broad_name(expr: ast.expr | None, ctx: Context) -> str | None:
    """`Exception` / `BaseException` when the handler (or suppress) catches everything."""
    if expr is None:
        return None
    for item in expr.elts if isinstance(expr, ast.Tuple) else [expr]:
        name = ctx.qualify(item)
        if name in _BROAD:
            return name.rpartition(".")[2]
    return None


def _does_nothing(body: list[ast.stmt]) -> bool:
    """Only `pass`, `continue`, `...` or a bare string."""
    return all(
        isinstance(statement, ast.Pass | ast.Continue)
        or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        for statement in body
    )


class FS301(Rule):
    """An exception caught as `Exception` (or with a bare `except:`) and then dropped hides every
    failure, including bugs (`TypeError`, `AttributeError`) and, for bare `except:` and
    `BaseException`, cancellation and Ctrl-C. The service then carries on in a state nobody
    knows about, and the log shows nothing. Catching a specific exception you expect, or logging
    and re-raising, is fine.
    """

    title = "swallowed exception"
    standard = "CLAUDE STANDARD: Comprehensive input validation + error handling"
    fix = (
        "Catch the specific exceptions you expect; for anything else log it "
        "(`logger.exception(...)`) and re-raise, or let it propagate."
    )
    ruff = ("S110", "S112", "BLE001", "E722", "SIM105")
    calls = frozenset({"contextlib.suppress"})
    nodes = (ast.ExceptHandler,)

    def on_node(self, node: ast.ExceptHandler, ctx: Context) -> None:
        if not _does_nothing(node.body):
            return
        if node.type is None:
            self.report(ctx, node, "bare `except:` swallows every exception, cancellation included")
            return
        name = _broad_name(node.type, ctx)
        if name is not None:
            self.report(ctx, node, f"`except {name}` with an empty body swallows every error")

    def on_call(self, call: CallSite, ctx: Context) -> None:
        for arg in call.node.args:
            name = _broad_name(arg, ctx)
            if name is not None:
                self.report(ctx, call.node, f"`contextlib.suppress({name})` swallows every error")
                return


# Calls that open files, sockets, connections or processes.
_IO_CALLS = frozenset(
    {
        "open",
        "io.open",
        "socket.socket",
        "socket.create_connection",
        "urllib.request.urlopen",
        *(
            f"requests.{verb}"
            for verb in ("get", "post", "put", "patch", "delete", "head", "request")
        ),
        "requests.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        *(f"httpx.{verb}" for verb in ("get", "post", "put", "patch", "delete", "head", "request")),
        "aiohttp.ClientSession",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.Redis.from_url",
        "redis.asyncio.Redis",
        "redis.asyncio.from_url",
        "redis.asyncio.Redis.from_url",
        "consul.Consul",
        "consul.aio.Consul",
        "sqlite3.connect",
        "psycopg.connect",
        "psycopg2.connect",
        "pymongo.MongoClient",
        *(f"subprocess.{name}" for name in ("run", "Popen", "call", "check_call", "check_output")),
        "os.system",
        "os.popen",
    }
)
_IO_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "connect"})
# Classes that hold connections by their role, whether or not they already have a factory.
_SERVICE_SUFFIXES = ("Service", "Client", "Pool", "Store", "Repository", "Gateway")


class FS302(Rule):
    """`__init__` cannot await, cannot fail half-way without leaking what it opened, and runs
    wherever the object is built (tests included). A service that opens files, sockets, clients
    or processes there does blocking I/O on the event loop, cannot be built from ready-made test
    doubles, and has no place to clean up a partial start. The standard puts that work in an
    async `create()` factory; `__init__` only stores the parts it is given.

    Reported for classes that have a `create` classmethod (the factory exists, so the I/O is in
    the wrong place) or whose name says they hold connections (`...Service`, `...Client`,
    `...Pool`, `...Store`, `...Repository`, `...Gateway`).
    """

    title = "I/O in a service `__init__`"
    standard = (
        "Factory methods for complex initialization … "
        "CLAUDE STANDARD: Factory method for complex async initialization"
    )
    fix = (
        "Do the I/O in an async `create()` classmethod (awaiting it, closing what was opened if a "
        "later step fails) and pass the ready parts to `__init__`, which only stores them."
    )
    calls = _IO_CALLS
    methods = _IO_METHODS

    def on_call(self, call: CallSite, ctx: Context) -> None:
        function = ctx.function
        owner = ctx.method_of
        if owner is None or isinstance(function, ast.Lambda) or function is None:
            return
        if function.name != "__init__":
            return
        if not (owner.has_factory or owner.name.endswith(_SERVICE_SUFFIXES)):
            return
        if call.name in _IO_CALLS:
            seen = f"`{call.name}()`"
        elif call.method in _IO_METHODS:
            seen = f"`.{call.method}()`"
        else:
            return
        self.report(
            ctx, call.node, f"`{owner.name}.__init__` does I/O ({seen}); do it in `create()`"
        )


class FS303(Rule):
    """Changing `sys.path` at run time makes what `import x` finds depend on which file ran first
    and from where; it shadows installed packages and breaks under a different working directory
    or a packaged install. The standards document's `setup_project_paths` does this (and uses
    `sys` without importing it).
    """

    title = "`sys.path` changed at run time"
    standard = "CLAUDE STANDARD: Environment-based imports (2024 best practice)"
    fix = (
        "Install the package (`uv sync` / `pip install -e .`) and import it by name; read paths "
        "from settings (the environment)."
    )
    calls = frozenset({"sys.path.insert", "sys.path.append", "sys.path.extend", "site.addsitedir"})
    nodes = (ast.Assign, ast.AugAssign)

    def on_call(self, call: CallSite, ctx: Context) -> None:
        self.report(ctx, call.node, f"`{call.name}()` changes where imports come from at run time")

    def on_node(self, node: ast.Assign | ast.AugAssign, ctx: Context) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            stored = target.value if isinstance(target, ast.Subscript) else target
            if (
                isinstance(stored, ast.Attribute)
                and stored.attr == "path"
                and ctx.qualify(stored) == "sys.path"
            ):
                self.report(
                    ctx,
                    node,
                    "assigning `sys.path` changes where imports come from at run time",
                )
                return


def _is_status_word(expr: ast.expr | None) -> TypeGuard[ast.Constant]:
    """A returned literal that reads like a status (`"ok"`, `"healthy"`), not a message or JSON."""
    if not (isinstance(expr, ast.Constant) and isinstance(expr.value, str)):
        return False
    return 0 < len(expr.value) <= 16 and expr.value.replace("-", "_").isidentifier()


class FS304(Rule):
    """A health check that can only ever say "healthy" tells the load balancer and Consul that a
    service with a dead Redis, an open breaker or no memory headroom is fine, so traffic keeps
    flowing to it. Health must be computed from the components. The standards document's
    `get_service_health` returns `"status": "healthy"` unconditionally.

    Reported when every `status` a function whose name contains `health` can return (dict entries
    `"status": ...` and returned strings) is the same literal.
    """

    title = "hard-coded health status"
    standard = (
        "Circuit Breakers: Wrap all external/network dependencies in circuit breakers with "
        "graceful degradation fallbacks."
    )
    fix = (
        "Compute the status from the components (breaker states, store reachability, memory "
        "headroom): ok / degraded / down."
    )
    nodes = (ast.Dict, ast.Return)

    def begin(self, ctx: Context) -> None:
        # health function -> the status expressions it can produce
        self._statuses: dict[ast.FunctionDef | ast.AsyncFunctionDef, list[ast.expr]] = {}

    def on_node(self, node: ast.Dict | ast.Return, ctx: Context) -> None:
        function = ctx.function
        if (
            function is None
            or isinstance(function, ast.Lambda)
            or "health" not in function.name.lower()
        ):
            return
        if isinstance(node, ast.Return):
            if _is_status_word(node.value):
                self._statuses.setdefault(function, []).append(node.value)
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "status":
                self._statuses.setdefault(function, []).append(value)

    def end(self, ctx: Context) -> None:
        for function, statuses in self._statuses.items():
            literals = [
                status.value
                for status in statuses
                if isinstance(status, ast.Constant) and isinstance(status.value, str)
            ]
            if len(literals) == len(statuses) and len(set(literals)) == 1:
                self.report(
                    ctx,
                    statuses[0],
                    f"`{function.name}` always reports {literals[0]!r}: health is hard-coded",
                )
