"""Light local data flow over what the walker recorded: which functions reach a kind of call through
same-module functions and same-class methods they call, and what simple names hold."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from forge_scaffold.checker.walker import ClassInfo, Context, DefKey, FunctionNode

__all__ = ["constant_strings", "helper_calls", "reaching"]

Reason = tuple[str, int]  # what the function ends up calling, and the line of that call


def reaching(ctx: Context, direct: Mapping[DefKey, Reason]) -> dict[DefKey, Reason]:
    """Every synchronous function that makes one of the `direct` calls itself or through the
    synchronous helpers it calls (any depth), with the first such call it leads to."""
    edges: dict[DefKey, list[DefKey]] = {}
    for function, call, cls in ctx.local_calls:
        caller = ctx.key_of.get(id(function))
        callee = ctx.resolve_call(call, function, cls)
        if caller is not None and isinstance(callee, ast.FunctionDef):
            edges.setdefault(caller, []).append(ctx.key_of[id(callee)])
    found = dict(direct)
    changed = True
    while changed:  # a fixed point: each round adds callers of what the last round found
        changed = False
        for caller, callees in edges.items():
            if caller in found:
                continue
            for target in callees:
                if target in found:
                    found[caller] = found[target]
                    changed = True
                    break
    return found


def helper_calls(
    ctx: Context, reached: Mapping[DefKey, Reason]
) -> Iterator[tuple[FunctionNode, ast.Call, ClassInfo | None, ast.FunctionDef, Reason]]:
    """Calls to a synchronous same-module or same-class helper that reaches one of `reached`."""
    for function, call, cls in ctx.local_calls:
        callee = ctx.resolve_call(call, function, cls)
        if type(callee) is not ast.FunctionDef:
            continue
        reason = reached.get(ctx.key_of[id(callee)])
        if reason is not None:
            yield function, call, cls, callee, reason


def constant_strings(
    ctx: Context, expr: ast.expr, function: FunctionNode | None
) -> set[str] | None:
    """The string literals an expression can be: itself, or every value a name was assigned in the
    function (or the module); None when any of them is not a string literal."""
    if isinstance(expr, ast.Constant):
        return {expr.value} if isinstance(expr.value, str) else None
    if not isinstance(expr, ast.Name):
        return None
    values = ctx.values_of(expr.id, function)
    if not values:
        return None
    found: set[str] = set()
    for value in values:
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return None
        found.add(value.value)
    return found
