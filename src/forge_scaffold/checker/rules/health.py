"""FS304: health is computed from the components, never a constant."""

from __future__ import annotations

import ast
from typing import TypeGuard

from forge_scaffold.checker.rule import Rule
from forge_scaffold.checker.rules.flow import constant_strings
from forge_scaffold.checker.walker import Context

__all__ = ["FS304"]


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
