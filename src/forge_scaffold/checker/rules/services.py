"""FS301 and FS303: errors are surfaced, and imports come from installed packages."""

from __future__ import annotations

import ast

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.nodes import source
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["FS301", "FS303"]

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
