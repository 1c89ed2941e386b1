"""Small readers of syntax nodes that several rules share: arguments, literals, `self.x`."""

from __future__ import annotations

import ast

__all__ = ["UNKNOWN", "argument", "constant_int", "self_attribute", "source"]

# Returned when a call passes *args or **kwargs: the rule cannot know what the callee receives.
UNKNOWN = ast.Constant(value=...)


def argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The expression bound to a parameter (by keyword or position); None when it is not passed."""
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
        if item.arg is None:
            return UNKNOWN
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return UNKNOWN
        if index == position:
            return arg
    return None


def constant_int(expr: ast.expr) -> int | None:
    """The value of an integer literal (`0`, `-1`), else None."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = constant_int(expr.operand)
        return None if inner is None else -inner
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return expr.value
    return None


def self_attribute(expr: ast.AST) -> str | None:
    """`x` for `self.x`, else None."""
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == "self"
    ):
        return expr.attr
    return None


def source(node: ast.AST, limit: int = 40) -> str:
    """Short source text of a node for a message."""
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"
