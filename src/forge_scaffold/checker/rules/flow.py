"""Light local data flow over what the walker recorded: which functions reach a kind of call through
same-module functions and same-class methods they call, and what simple names hold."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from forge_scaffold.checker.rules.nodes import self_attribute
from forge_scaffold.checker.walker import MODULE, ClassInfo, Context, DefKey, FunctionNode

__all__ = [
    "assigned_to",
    "constant_strings",
    "function_name",
    "helper_calls",
    "reaching",
    "self_limiting",
    "storage",
    "stored_under",
]

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


def storage(expr: ast.expr, ctx: Context) -> tuple[object, str] | None:
    """Where a value lives: a name in this function or the module, or `self.<attr>` of a class."""
    expr = ctx.alias(expr, ctx.function)
    if isinstance(expr, ast.Name):
        if ctx.function is not None and (id(ctx.function), expr.id) in ctx.bindings:
            return (id(ctx.function), expr.id)
        return (MODULE, expr.id)
    attribute = self_attribute(expr)
    if attribute is not None and ctx.cls is not None:
        return (ctx.cls.name, attribute)
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and ctx.cls is not None
        and expr.value.id in ("cls", ctx.cls.name)
    ):
        return (ctx.cls.name, expr.attr)
    return None


def assigned_to(call: ast.Call, ctx: Context) -> list[tuple[object, str]]:
    """Where the statement that makes `call` stores its result (`x = call()`, `self.x = call()`)."""
    statement = ctx.statement
    if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is not call:
        return []
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    stored: list[tuple[object, str]] = []
    for target in targets:
        if isinstance(target, ast.Name) and type(ctx.scope) is ast.ClassDef and ctx.cls:
            stored.append((ctx.cls.name, target.id))  # a class attribute, seen as self.<name>
        elif (key := storage(target, ctx)) is not None:
            stored.append(key)
    return stored


def function_name(ctx: Context) -> str:
    function = ctx.function
    return "lambda" if function is None or isinstance(function, ast.Lambda) else function.name


SELF_LIMITING = ("waiter", "waiting", "idle", "free", "available", "pool", "resource")


def stored_under(call: ast.Call, ctx: Context) -> str:
    """The name or `self.<attribute>` the statement making `call` assigns it to, else ""."""
    statement = ctx.statement
    if not (isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is call):
        return ""
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
    if isinstance(target, ast.Name):
        return target.id
    return self_attribute(target) or ""


def self_limiting(call: ast.Call, ctx: Context) -> bool:
    """Stored under a name that says wait queue or resource pool (`self._waiters`, `idle`)."""
    return stored_under(call, ctx).lstrip("_").lower().startswith(SELF_LIMITING)
