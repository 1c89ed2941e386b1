"""FS302: a service's `__init__` only stores ready parts; the I/O belongs in an async `create()`."""

from __future__ import annotations

import ast

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.flow import helper_calls, reaching
from forge_scaffold.checker.walker import CallSite, Context, DefKey, DefNode

__all__ = ["FS302"]


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
