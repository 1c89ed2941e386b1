"""FS204 to FS206: honest limits and explicit cleanup (no MemoryError for a chosen limit, no
cleanup left to `__del__`, no whole copy to read a prefix)."""

from __future__ import annotations

import ast

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.memory import BOUNDED, MEMORY
from forge_scaffold.checker.rules.nodes import constant_int
from forge_scaffold.checker.walker import Context

__all__ = ["FS204", "FS205", "FS206"]


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

    Not reported: the diagnostic `__del__` that only warns when the object was not closed or a
    coroutine was not awaited (a `ResourceWarning`, `RuntimeWarning`, `DeprecationWarning` or any
    other `...Warning` class, and maybe a report to the loop's exception handler), calling nothing
    that cleans up (`close`, `release`, `clear`, `cancel`, `shutdown`, ...).
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
    """A `__del__` that warns with a warning class and calls nothing named like a cleanup."""
    warns = False
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name.lstrip("_").lower().startswith(_CLEANUP_VERBS):
            return False
        if any(  # `warnings.warn(...)`, or a `_warn` bound as a default argument
            isinstance(arg, ast.Name) and arg.id.endswith("Warning")
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
