"""FS4xx: tests that run, and measure what they claim to (anyio's plugin, tracemalloc's numbers)."""

from __future__ import annotations

import ast
from typing import ClassVar

from forge_scaffold.checker.rule import Mode, Rule
from forge_scaffold.checker.rules.concurrency import STRICT_ANYIO
from forge_scaffold.checker.walker import CallSite, Context

__all__ = ["FS401", "FS402"]


class FS401(Rule):
    """Under Strict AnyIO the tests run on anyio's pytest plugin, which drives async tests and
    async fixtures on the backends the service supports. `@pytest.mark.asyncio` belongs to
    pytest-asyncio, a second plugin with its own loop management; with both installed in auto
    mode each warns about the other, and without pytest-asyncio the marked test is never awaited.
    The standards document marks its async tests this way and gives its async fixture no plugin
    that runs it.

    At a project root (a folder given that holds pyproject.toml) the rule also reads pytest's
    configuration: `asyncio_mode = "auto"` in `[tool.pytest.ini_options]` (or `asyncio_mode = auto`
    in pytest.ini, tox.ini or setup.cfg) runs every async test on pytest-asyncio without a single
    marker, and is reported where it is set.
    """

    title = "pytest-asyncio instead of anyio's pytest plugin"
    standard = STRICT_ANYIO
    fix = "Mark async tests `@pytest.mark.anyio` (anyio's plugin) and remove pytest-asyncio."
    error_in: ClassVar[frozenset[Mode]] = frozenset({"testing"})
    nodes = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Import,
        ast.ImportFrom,
        ast.Assign,
    )

    def on_node(self, node: ast.AST, ctx: Context) -> None:
        if isinstance(node, ast.Assign):  # the most frequent node here: leave fast
            target = node.targets[0]
            if type(target) is ast.Name and target.id == "pytestmark" and ctx.function is None:
                value = node.value
                self._check_marks(
                    value.elts if isinstance(value, ast.List | ast.Tuple) else [value], ctx
                )
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self._check_marks(node.decorator_list, ctx)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            if any(module.partition(".")[0] == "pytest_asyncio" for module in modules):
                self.report(
                    ctx, node, "imports pytest-asyncio; async tests run under anyio's pytest plugin"
                )

    def _check_marks(self, marks: list[ast.expr], ctx: Context) -> None:
        for mark in marks:
            target = mark.func if isinstance(mark, ast.Call) else mark
            if ctx.qualify(target) == "pytest.mark.asyncio":
                self.report(
                    ctx,
                    mark,
                    "`pytest.mark.asyncio` is pytest-asyncio's; async tests run on anyio's plugin",
                )


class FS402(Rule):
    """`tracemalloc.get_traced_memory()` returns a `(current, peak)` tuple of ints. Unpacked, each
    name is already a number: indexing it (`current[0]`) raises `TypeError`, so the leak check
    never runs. The standards document's `memory_tracked_session` fixture does this.
    """

    title = "`tracemalloc` number indexed like a tuple"
    standard = "Testing Coverage: Memory profiling + concurrent validation"
    fix = (
        "`current, peak = tracemalloc.get_traced_memory()` gives two ints (bytes): compare them "
        "directly, or compare snapshots (`take_snapshot().compare_to(...)`)."
    )
    calls = frozenset({"tracemalloc.get_traced_memory"})
    nodes = (ast.Subscript,)

    def begin(self, ctx: Context) -> None:
        self._numbers: set[tuple[int, str]] = set()  # (function id, variable name)

    def on_call(self, call: CallSite, ctx: Context) -> None:
        statement = ctx.statement
        if not (isinstance(statement, ast.Assign) and statement.value is call.node):
            return
        for target in statement.targets:
            if isinstance(target, ast.Tuple | ast.List):
                for element in target.elts:
                    if isinstance(element, ast.Name):
                        self._numbers.add((id(ctx.function), element.id))

    def on_node(self, node: ast.Subscript, ctx: Context) -> None:
        value = node.value
        if isinstance(value, ast.Name) and (id(ctx.function), value.id) in self._numbers:
            self.report(
                ctx,
                node,
                f"`{value.id}` is an int (from `tracemalloc.get_traced_memory()`): indexing it "
                "raises TypeError",
            )
