"""One pass over a module's syntax tree that hands every listener the nodes it asked for.

Listeners (the rules of `check`, the signals of `suggest`) declare what they want to see: calls by
qualified name (`asyncio.gather`), calls by method name (`.create_task(...)`), or node types. The
walker visits each node once, keeps the scope a node sits in (function, class, statement) and the
module's imports, and dispatches through tables built once per run, so adding a rule adds a dict
entry rather than another pass over the tree.

On the way it keeps a light, local data flow that rules read when a file ends: what each simple
name and `self.<attribute>` was assigned, where each function is defined, and which calls go to a
bare name or `self.<method>` (same-module and same-class helpers).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

__all__ = [
    "MODULE",
    "CallSite",
    "ClassInfo",
    "Context",
    "DefKey",
    "DefNode",
    "FunctionNode",
    "Listener",
    "Walker",
]

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
ScopeNode = ast.Module | ast.ClassDef | FunctionNode
DefNode = ast.FunctionDef | ast.AsyncFunctionDef
# Where a name is defined or bound: MODULE, the id() of the enclosing function, or a class name.
Owner = int | str
DefKey = tuple[Owner, str]
MODULE = 0

# Fields that never hold a node worth visiting: identifiers, flags, operator and context markers.
_SKIPPED_FIELDS = frozenset(
    {
        "arg", "asname", "attr", "conversion", "ctx", "id", "is_async", "kind", "level",
        "lineno", "module", "n", "name", "names", "op", "ops", "rest", "s", "simple", "tag",
        "type_comment", "type_ignores", "kwd_attrs",
    }
)  # fmt: skip
_LEAVES = (ast.Constant, ast.MatchSingleton)

# Node kinds the walk loop branches on; everything else is a plain node.
_PLAIN, _STATEMENT, _CALL, _FUNCTION, _CLASS, _IMPORT, _RESTORE, _ASSIGN = range(8)


class CallSite:
    """A call, with the dotted name it resolves to through the module's imports."""

    __slots__ = ("method", "name", "node")

    def __init__(self, node: ast.Call, name: str | None, method: str | None) -> None:
        self.node = node
        # `asyncio.gather` for `asyncio.gather(...)`, `from asyncio import gather; gather(...)` and
        # `import asyncio as aio; aio.gather(...)`; None when the callee has no dotted name.
        self.name = name
        # `create_task` for `anything.create_task(...)`; None for a plain name call.
        self.method = method


class ClassInfo:
    """What the walker knows about the class whose body it is in."""

    __slots__ = ("has_factory", "name")

    def __init__(self, name: str, has_factory: bool) -> None:
        self.name = name
        self.has_factory = has_factory  # defines a `create` classmethod or staticmethod


class Context:
    """Where the walk is in one file, what the file imported, and what the rules reported."""

    __slots__ = (
        "attributes",
        "bindings",
        "cls",
        "defs",
        "function",
        "imports",
        "key_of",
        "local_calls",
        "method_of",
        "modules",
        "raw",
        "scope",
        "statement",
    )

    def __init__(self) -> None:
        # (owner, name) -> every value assigned to a simple name there (`x = ...`)
        self.bindings: dict[DefKey, list[ast.expr]] = {}
        # (class name, attribute) -> every value assigned to `self.<attribute>` or in the class body
        self.attributes: dict[tuple[str, str], list[ast.expr]] = {}
        self.defs: dict[DefKey, DefNode] = {}  # where each function is defined
        self.key_of: dict[int, DefKey] = {}  # id(function node) -> its key in `defs`
        # Calls to `name(...)` or `self.name(...)` made inside a function, with the innermost
        # class at the call: (calling function, call, class).
        self.local_calls: list[tuple[FunctionNode, ast.Call, ClassInfo | None]] = []
        self.imports: dict[str, str] = {}  # local name -> qualified name
        self.modules: set[str] = set()  # every module imported anywhere in the file
        self.function: FunctionNode | None = None  # innermost def / lambda
        self.cls: ClassInfo | None = None  # innermost class
        self.method_of: ClassInfo | None = None  # the class whose body defines `function`
        self.scope: ScopeNode | None = None  # innermost scope of any kind
        self.statement: ast.stmt | None = None  # innermost statement seen last
        self.raw: list[tuple[int, int, str, str, str]] = []  # line, byte col, code, message, fix

    @property
    def owner(self) -> Owner:
        """Where a name bound here lives: the innermost function, else the module."""
        function = self.function
        return MODULE if function is None else id(function)

    def values_of(self, name: str, function: FunctionNode | None) -> list[ast.expr]:
        """What `name` was assigned in `function` (or, when never there, at module level)."""
        if function is not None:
            found = self.bindings.get((id(function), name))
            if found is not None:
                return found
        return self.bindings.get((MODULE, name), [])

    def alias(self, expr: ast.expr, function: FunctionNode | None) -> ast.expr:
        """`self.x` for a name assigned exactly once, from `self.x`, in `function`; else `expr`."""
        if type(expr) is ast.Name and function is not None:
            values = self.bindings.get((id(function), expr.id))
            if values is not None and len(values) == 1 and type(values[0]) is ast.Attribute:
                return values[0]
        return expr

    def bind(self, node: ast.Assign | ast.AnnAssign) -> None:
        """Record a simple assignment (`x = v`, `self.x = v`, `x: T = v`, class-body `x = v`)."""
        value = node.value
        if value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if type(target) is ast.Name:
                if type(self.scope) is ast.ClassDef and self.cls is not None:
                    self.attributes.setdefault((self.cls.name, target.id), []).append(value)
                else:
                    self.bindings.setdefault((self.owner, target.id), []).append(value)
            elif type(target) is ast.Attribute:
                receiver = target.value
                if type(receiver) is ast.Name and receiver.id == "self" and self.cls is not None:
                    self.attributes.setdefault((self.cls.name, target.attr), []).append(value)

    def resolve_call(
        self, call: ast.Call, function: FunctionNode, cls: ClassInfo | None
    ) -> DefNode | None:
        """The same-module function or same-class method a local call runs, when known."""
        func = call.func
        if type(func) is ast.Name:
            name = func.id
            return self.defs.get((id(function), name)) or self.defs.get((MODULE, name))
        if cls is not None and type(func) is ast.Attribute:
            return self.defs.get((cls.name, func.attr))
        return None

    @property
    def in_async(self) -> bool:
        """True when the innermost function is an `async def` (a lambda is a sync boundary)."""
        return type(self.function) is ast.AsyncFunctionDef

    def qualify(self, expr: ast.expr) -> str | None:
        """The dotted name an expression resolves to (`aio.Queue` -> `asyncio.Queue`), or None.

        A root name that was not imported stands for itself: builtins (`open`) and modules used
        without an import (a defect ruff reports as F821) still resolve.
        """
        parts: list[str] = []
        while type(expr) is ast.Attribute:
            parts.append(expr.attr)
            expr = expr.value
        if type(expr) is not ast.Name:
            return None
        root = self.imports.get(expr.id, expr.id)
        if not parts:
            return root
        parts.append(root)
        parts.reverse()
        return ".".join(parts)

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if type(node) is ast.Import:
            for alias in node.names:
                self.modules.add(alias.name)
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    root = alias.name.partition(".")[0]
                    self.imports[root] = root
            return
        assert isinstance(node, ast.ImportFrom)
        # A relative import gets its dots, so it can never pass for an absolute name.
        module = "." * node.level + (node.module or "")
        self.modules.add(module)
        for alias in node.names:
            self.imports[alias.asname or alias.name] = f"{module}.{alias.name}"


CallHandler = Callable[[CallSite, Context], None]
NodeHandler = Callable[[Any, Context], None]


class Listener:
    """Something that wants to see parts of a syntax tree; subclasses declare what."""

    calls: ClassVar[frozenset[str]] = frozenset()  # qualified names of calls to inspect
    methods: ClassVar[frozenset[str]] = frozenset()  # method names, on any receiver
    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()  # node types to inspect

    def begin(self, ctx: Context) -> None:
        """Forget per-file state; called before each file."""

    def end(self, ctx: Context) -> None:
        """Judge what the file showed as a whole; called after each file."""

    def on_call(self, call: CallSite, ctx: Context) -> None:
        """Inspect a call this listener asked for (through `calls` or `methods`)."""

    def on_node(self, node: Any, ctx: Context) -> None:
        """Inspect a node of a type listed in `nodes`, in the scope that contains it."""


class _Restore:
    """Pushed before a scope's children, popped after them: puts the outer scope back."""

    __slots__ = ("cls", "function", "method_of", "scope")

    def __init__(self, ctx: Context) -> None:
        self.function = ctx.function
        self.cls = ctx.cls
        self.method_of = ctx.method_of
        self.scope = ctx.scope


def _node_classes() -> Iterable[type[ast.AST]]:
    pending: list[type[ast.AST]] = [ast.AST]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls._fields is not None:
            yield cls


def _kind(cls: type[ast.AST]) -> int:
    if cls is ast.Call:
        return _CALL
    if cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        return _FUNCTION
    if cls is ast.ClassDef:
        return _CLASS
    if cls in (ast.Import, ast.ImportFrom):
        return _IMPORT
    if cls in (ast.Assign, ast.AnnAssign):
        return _ASSIGN
    return _STATEMENT if issubclass(cls, ast.stmt) else _PLAIN


def _children(cls: type[ast.AST]) -> tuple[str, ...]:
    """Fields to visit, reversed: children are pushed on a stack and must pop in source order."""
    if issubclass(cls, _LEAVES):
        return ()
    return tuple(reversed([name for name in cls._fields if name not in _SKIPPED_FIELDS]))


def _is_factory(statement: ast.stmt) -> bool:
    """`create` defined as a classmethod or staticmethod (sync or async)."""
    if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if statement.name != "create":
        return False
    return any(
        type(decorator) is ast.Name and decorator.id in ("classmethod", "staticmethod")
        for decorator in statement.decorator_list
    )


class Walker:
    """Dispatch tables for a fixed set of listener instances; `walk` runs them over one tree."""

    def __init__(self, listeners: Sequence[Listener]) -> None:
        self.listeners = tuple(listeners)
        calls: dict[str, list[CallHandler]] = {}
        methods: dict[str, list[CallHandler]] = {}
        nodes: dict[type[ast.AST], list[NodeHandler]] = {}
        for listener in self.listeners:
            for name in listener.calls:
                calls.setdefault(name, []).append(listener.on_call)
            for name in listener.methods:
                methods.setdefault(name, []).append(listener.on_call)
            for node_type in listener.nodes:
                nodes.setdefault(node_type, []).append(listener.on_node)
        self._calls = {name: tuple(handlers) for name, handlers in calls.items()}
        self._methods = {name: tuple(handlers) for name, handlers in methods.items()}
        # Last parts of the qualified names: an attribute call is only resolved (a string built)
        # when its attribute could end a name some listener asked for.
        self._tails = frozenset(name.rpartition(".")[2] for name in calls if "." in name)
        table: dict[type[Any], tuple[tuple[str, ...], int, tuple[NodeHandler, ...]]] = {
            cls: (_children(cls), _kind(cls), tuple(nodes.get(cls, ()))) for cls in _node_classes()
        }
        table[type(None)] = ((), _PLAIN, ())
        table[_Restore] = ((), _RESTORE, ())
        self._table = table

    def walk(self, tree: ast.Module, ctx: Context) -> None:  # noqa: PLR0912 - hot loop, one frame
        for listener in self.listeners:
            listener.begin(ctx)
        # Module-level imports first, so a function above an import still resolves its names.
        for statement in tree.body:
            if type(statement) is ast.Import or type(statement) is ast.ImportFrom:
                ctx.add_import(statement)
        ctx.scope = tree
        table = self._table
        stack: list[Any] = list(reversed(tree.body))
        pop = stack.pop
        push = stack.append
        while stack:
            node = pop()
            children, kind, handlers = table[type(node)]
            if kind:
                if kind == _STATEMENT:
                    ctx.statement = node
                elif kind == _ASSIGN:
                    ctx.statement = node
                    ctx.bind(node)
                elif kind == _CALL:
                    self._dispatch_call(node, ctx)
                elif kind == _RESTORE:
                    ctx.function = node.function
                    ctx.cls = node.cls
                    ctx.method_of = node.method_of
                    ctx.scope = node.scope
                    continue
                else:
                    restore = self._enter(node, kind, handlers, ctx)
                    if restore is not None:  # pops after every child, so it goes on first
                        push(restore)
                    handlers = ()  # already run, in the enclosing scope
            for handler in handlers:
                handler(node, ctx)
            for name in children:
                value = getattr(node, name)
                if type(value) is list:
                    stack.extend(reversed(value))
                else:
                    push(value)
        for listener in self.listeners:
            listener.end(ctx)

    def _enter(
        self, node: Any, kind: int, handlers: tuple[NodeHandler, ...], ctx: Context
    ) -> _Restore | None:
        """Enter a scope (or record an import); return the marker that leaves it again.

        Handlers run first, so they see the node in the scope that contains it.
        """
        if type(node) is not ast.Lambda:  # a lambda is an expression, not a statement
            ctx.statement = node
        for handler in handlers:
            handler(node, ctx)
        if kind == _IMPORT:
            ctx.add_import(node)
            return None
        restore = _Restore(ctx)
        if kind == _FUNCTION:
            in_class = type(ctx.scope) is ast.ClassDef
            if type(node) is not ast.Lambda:
                owner: Owner = ctx.cls.name if in_class and ctx.cls is not None else ctx.owner
                key = (owner, node.name)
                ctx.defs[key] = node
                ctx.key_of[id(node)] = key
            ctx.method_of = ctx.cls if in_class else None
            ctx.function = node
        else:
            factory = any(_is_factory(statement) for statement in node.body)
            ctx.cls = ClassInfo(node.name, factory)
        ctx.scope = node
        return restore

    def _dispatch_call(self, node: ast.Call, ctx: Context) -> None:
        func = node.func
        if isinstance(func, ast.Subscript):  # `create_memory_object_stream[int](...)`
            func = func.value
        function = ctx.function
        if function is not None and (
            type(func) is ast.Name
            or (
                type(func) is ast.Attribute
                and type(func.value) is ast.Name
                and func.value.id == "self"
            )
        ):
            ctx.local_calls.append((function, node, ctx.cls))
        if isinstance(func, ast.Name):
            resolved = ctx.imports.get(func.id, func.id)
            found = self._calls.get(resolved)
            if found:
                site = CallSite(node, resolved, None)
                for handler in found:
                    handler(site, ctx)
            return
        if not isinstance(func, ast.Attribute):
            return
        attr = func.attr
        by_method = self._methods.get(attr)
        by_name: tuple[CallHandler, ...] = ()
        name = None
        if attr in self._tails:
            name = ctx.qualify(func)
            if name is not None:
                by_name = self._calls.get(name, ())
        if not by_method and not by_name:
            return
        site = CallSite(node, name, attr)
        seen: set[CallHandler] = set()
        for handler in (*(by_method or ()), *by_name):
            if handler not in seen:  # a listener asking by name and by method sees a call once
                seen.add(handler)
                handler(site, ctx)
