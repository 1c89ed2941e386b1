"""FS3xx: how a service is built and run (errors surfaced, I/O in factories, honest health)."""

from __future__ import annotations

import ast
from typing import TypeGuard

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.flow import constant_strings, helper_calls, reaching
from forge_scaffold.checker.rules.nodes import source
from forge_scaffold.checker.walker import CallSite, Context, DefKey, DefNode

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


def _is_constant(expr: ast.expr | None) -> bool:
    """`None`, a literal, or an empty (or constant) list, tuple, set or dict."""
    if expr is None or isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.List | ast.Tuple | ast.Set):
        return all(_is_constant(element) for element in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(_is_constant(part) for part in (*expr.keys, *expr.values))
    return False


def _does_nothing(body: list[ast.stmt]) -> ast.Return | bool:
    """Only `pass`, `continue`, `break`, `...`, a bare string, or `return` of a constant: then
    True, or the `return` that turns the error into a value."""
    returned: ast.Return | None = None
    for statement in body:
        if isinstance(statement, ast.Return) and _is_constant(statement.value):
            returned = statement
        elif not (
            isinstance(statement, ast.Pass | ast.Continue | ast.Break)
            or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        ):
            return False
    return returned or True


class FS301(Rule):
    """An exception caught as `Exception` (or with a bare `except:`) and then dropped hides every
    failure, including bugs (`TypeError`, `AttributeError`) and, for bare `except:` and
    `BaseException`, cancellation and Ctrl-C. The service then carries on in a state nobody
    knows about, and the log shows nothing. Returning a constant (`return None`, `return False`,
    `return {}`) from such a handler hides the error the same way: the caller gets a value that
    looks like an answer. Catching a specific exception you expect, or logging and re-raising, is
    fine; so is dropping the errors of cleanup done inside a handler that then re-raises (`except
    BaseException: with suppress(Exception): resource.close(); raise`): the original error is the
    one that propagates.
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

    def begin(self, ctx: Context) -> None:
        self._propagating: set[int] = set()  # ids of handlers and suppress() calls under one

    def on_node(self, node: ast.ExceptHandler, ctx: Context) -> None:
        if any(
            isinstance(statement, ast.Raise) and statement.exc is None for statement in node.body
        ):
            # The handler re-raises what it caught: errors of the cleanup it does first are
            # secondary, and dropping them keeps the original error the one that propagates.
            self._propagating.update(
                id(inner)
                for statement in node.body
                for inner in ast.walk(statement)
                if isinstance(inner, ast.ExceptHandler | ast.Call)
            )
        swallowed = _does_nothing(node.body)
        if not swallowed or id(node) in self._propagating:
            return
        if node.type is None:
            self.report(ctx, node, "bare `except:` swallows every exception, cancellation included")
            return
        name = _broad_name(node.type, ctx)
        if name is None:
            return
        if isinstance(swallowed, ast.Return):
            value = "`return`" if swallowed.value is None else f"`return {source(swallowed.value)}`"
            self.report(
                ctx,
                node,
                f"`except {name}` hides every error behind {value}: neither logged nor raised",
            )
        else:
            self.report(ctx, node, f"`except {name}` with an empty body swallows every error")

    def on_call(self, call: CallSite, ctx: Context) -> None:
        if id(call.node) in self._propagating:
            return
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
    `...Pool`, `...Store`, `...Repository`, `...Gateway`); also where `__init__` calls a
    same-class method or same-module function that does the I/O (at any depth).
    """

    title = "I/O in a service `__init__`"
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
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

    def begin(self, ctx: Context) -> None:
        self._direct: dict[DefKey, tuple[str, int]] = {}  # functions that do I/O themselves
        self._services: set[int] = set()  # ids of the __init__ methods of service classes

    def on_call(self, call: CallSite, ctx: Context) -> None:
        function = ctx.function
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if call.name in _IO_CALLS:
            seen = f"{call.name}"
        elif call.method in _IO_METHODS:
            seen = f".{call.method}"
        else:
            return
        self._direct.setdefault(ctx.key_of[id(function)], (seen, call.node.lineno))
        owner = ctx.method_of
        if function.name != "__init__" or owner is None:
            return
        if owner.has_factory or owner.name.endswith(_SERVICE_SUFFIXES):
            self.report(
                ctx,
                call.node,
                f"`{owner.name}.__init__` does I/O (`{seen}()`); do it in `create()`",
            )

    def on_node(self, node: DefNode, ctx: Context) -> None:
        owner = ctx.cls
        if (
            node.name == "__init__"
            and isinstance(ctx.scope, ast.ClassDef)
            and owner is not None
            and (owner.has_factory or owner.name.endswith(_SERVICE_SUFFIXES))
        ):
            self._services.add(id(node))

    def end(self, ctx: Context) -> None:
        if not self._direct or not self._services:
            return
        for function, call, cls, callee, (what, line) in helper_calls(
            ctx, reaching(ctx, self._direct)
        ):
            if id(function) in self._services and cls is not None:
                self.report(
                    ctx,
                    call,
                    f"`{cls.name}.__init__` does I/O through `{callee.name}()` "
                    f"(`{what}()`, line {line}); do it in `create()`",
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
    `"status": ...` and returned strings) is the same literal, written out or held in a name
    assigned only that literal (in the function, or a module constant).
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
        self._returned: set[int] = set()  # ids of names returned as a whole (`return status`)

    def on_node(self, node: ast.Dict | ast.Return, ctx: Context) -> None:
        function = ctx.function
        if (
            function is None
            or isinstance(function, ast.Lambda)
            or "health" not in function.name.lower()
        ):
            return
        if isinstance(node, ast.Return):
            if _is_status_word(node.value) or isinstance(node.value, ast.Name):
                self._statuses.setdefault(function, []).append(node.value)
                if isinstance(node.value, ast.Name):
                    self._returned.add(id(node.value))
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "status":
                self._statuses.setdefault(function, []).append(value)

    def _returned_name(self, status: ast.expr) -> bool:
        return id(status) in self._returned

    def end(self, ctx: Context) -> None:
        for function, statuses in self._statuses.items():
            literals: set[str] = set()
            for status in statuses:
                found = constant_strings(ctx, status, function)
                if found is None and self._returned_name(status):
                    continue  # `return result`: a name that holds no status word is no status
                if found is None:
                    break
                literals |= found
            else:
                if len(literals) == 1 and all(_is_status_word(ast.Constant(v)) for v in literals):
                    [literal] = literals
                    self.report(
                        ctx,
                        statuses[0],
                        f"`{function.name}` always reports {literal!r}: health is hard-coded",
                    )
