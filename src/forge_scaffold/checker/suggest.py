"""Recommend expert modes for an existing codebase, with the evidence (file:line) behind each.

The triggers are the standards document's AUTOMATIC ACTIVATION TRIGGERS, read from syntax trees
rather than from text: an `async def` is evidence, the word "async" in a comment is not.

Evidence is weighed: every kind of signal has a weight (1 weak, 2 medium, 3 strong), a mode's score
is the sum of the weights of the distinct kinds seen (ten `async def` are one kind), and a mode is
recommended at THRESHOLD: several independent signals, or one strong one. docs/rules.md lists the
weights; `--json` shows each mode's score and the kinds behind it.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from forge_scaffold.checker.active_modes import ANSWERS_FILE, ProjectModes
from forge_scaffold.checker.files import Unreadable, discover, is_test_path, read_source
from forge_scaffold.checker.findings import Skipped
from forge_scaffold.checker.parallel import map_chunks, paused_gc
from forge_scaffold.checker.rule import MODES
from forge_scaffold.checker.walker import CallSite, Context, Listener, Walker
from forge_scaffold.errors import ProjectError
from forge_scaffold.vocabulary import CORE_MODE

__all__ = [
    "THRESHOLD",
    "TRIGGERS",
    "WEIGHTS",
    "Evidence",
    "ModeSuggestion",
    "Suggestions",
    "kind_of",
    "signal_table",
    "suggest_modes",
    "weight_of",
]

THRESHOLD = 3  # the score a mode needs: one strong signal, or several independent weaker ones

# The standards document's "Context-Based Activation" lines, one per mode.
TRIGGERS: dict[str, str] = {
    "python": "Production Code: APIs, services, enterprise features → /expert python",
    "async": "Async Code: Concurrent operations, event loops → /expert async",
    "memory": "Memory-Related: Collections, buffers, caching → /expert memory",
    "testing": "Testing Tasks: Unit tests, memory profiling → /expert testing",
    "architecture": "Architecture: System design, dependency injection → /expert architecture",
}

# Imported module (its first part) -> (mode, what it shows). Thread- and process-based
# concurrency (threading, multiprocessing, concurrent.futures) is not async evidence.
_MODULES: dict[str, tuple[str, str]] = {
    "asyncio": ("async", "imports asyncio (event loop)"),
    "anyio": ("async", "imports anyio (structured concurrency)"),
    "trio": ("async", "imports trio (structured concurrency)"),
    "aiohttp": ("async", "imports aiohttp (async HTTP)"),
    "cachetools": ("memory", "imports cachetools (caching)"),
    "weakref": ("memory", "imports weakref (object lifetimes)"),
    "tracemalloc": ("memory", "imports tracemalloc (memory profiling)"),
    "mmap": ("memory", "imports mmap (memory-mapped buffers)"),
    "pytest": ("testing", "imports pytest"),
    "unittest": ("testing", "imports unittest"),
    "hypothesis": ("testing", "imports hypothesis (property tests)"),
    "fastapi": ("architecture", "imports FastAPI (web framework)"),
    "flask": ("architecture", "imports Flask (web framework)"),
    "starlette": ("architecture", "imports Starlette (web framework)"),
    "django": ("architecture", "imports Django (web framework)"),
    "litestar": ("architecture", "imports Litestar (web framework)"),
    "sanic": ("architecture", "imports Sanic (web framework)"),
    "falcon": ("architecture", "imports Falcon (web framework)"),
    "grpc": ("architecture", "imports grpc (service interface)"),
    "dependency_injector": ("architecture", "imports dependency_injector (dependency injection)"),
    "injector": ("architecture", "imports injector (dependency injection)"),
    "punq": ("architecture", "imports punq (dependency injection)"),
    "lagom": ("architecture", "imports lagom (dependency injection)"),
}
# Qualified call or decorator -> (mode, what it shows).
_CALLS: dict[str, tuple[str, str]] = {
    "collections.deque": ("memory", "deque buffer"),
    "functools.lru_cache": ("memory", "@lru_cache (caching)"),
    "functools.cache": ("memory", "@cache (caching)"),
    "functools.cached_property": ("memory", "@cached_property (caching)"),
    "gc.collect": ("memory", "gc.collect() (explicit memory release)"),
    "tracemalloc.start": ("memory", "tracemalloc.start() (memory profiling)"),
    "anyio.create_task_group": ("async", "task group (concurrent operations)"),
    "asyncio.gather": ("async", "asyncio.gather (concurrent operations)"),
    "asyncio.create_task": ("async", "asyncio.create_task (concurrent operations)"),
    "pytest.fixture": ("testing", "pytest fixture"),
    "fastapi.Depends": ("architecture", "Depends() (dependency injection)"),
}
_ABSTRACT = ("architecture", "abstract base class (interface)")
_BASES: dict[str, tuple[str, str]] = {
    "typing.Protocol": ("architecture", "Protocol (interface for dependency injection)"),
    "typing_extensions.Protocol": ("architecture", "Protocol (interface for dependency injection)"),
    "abc.ABC": _ABSTRACT,
    "unittest.TestCase": ("testing", "unittest test case"),
}
# Class-name suffix -> (mode, what it shows).
_CLASS_NAMES: dict[str, tuple[str, str]] = {
    "Service": ("architecture", "service class"),
    "Buffer": ("memory", "buffer class"),
    "Cache": ("memory", "cache class"),
}
# Kind of signal (what it shows, before any `: name`) -> weight. Anything not listed weighs 1.
WEIGHTS: dict[str, int] = {
    "async def": 3,
    "task group (concurrent operations)": 3,
    "asyncio.gather (concurrent operations)": 3,
    "asyncio.create_task (concurrent operations)": 3,
    "imports anyio (structured concurrency)": 2,
    "imports trio (structured concurrency)": 2,
    "imports aiohttp (async HTTP)": 2,
    "imports tracemalloc (memory profiling)": 3,
    "tracemalloc.start() (memory profiling)": 3,
    "imports mmap (memory-mapped buffers)": 2,
    "gc.collect() (explicit memory release)": 2,
    "deque buffer": 2,
    "buffer class": 2,
    "cache class": 2,
    "test module": 2,
    "imports hypothesis (property tests)": 2,
    "unittest test case": 2,
    "Protocol (interface for dependency injection)": 2,
    "abstract base class (interface)": 2,
    "Depends() (dependency injection)": 2,
    **{what: 3 for mode, what in _MODULES.values() if "dependency injection" in what},
    **{what: 2 for mode, what in _MODULES.values() if "web framework" in what},
    "imports grpc (service interface)": 2,
}


def kind_of(signal: str) -> str:
    """The kind a piece of evidence belongs to: `async def run` -> `async def`."""
    if signal.startswith("async def "):
        return "async def"
    if signal.startswith("factory classmethod "):
        return "factory classmethod"
    return signal.partition(": ")[0]


def weight_of(signal: str) -> int:
    return WEIGHTS.get(kind_of(signal), 1)


def signal_table() -> list[tuple[str, str]]:
    """Every kind of signal `suggest` knows, as (mode, kind), in mode order then by kind."""
    rows = {
        *_MODULES.values(),
        *_CALLS.values(),
        *_BASES.values(),
        *_CLASS_NAMES.values(),
        ("async", "async def"),
        ("testing", "test module"),
        ("architecture", "factory classmethod"),
    }
    return sorted(rows, key=lambda row: (MODES.index(row[0]), -WEIGHTS.get(row[1], 1), row[1]))


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """One thing seen in the code that points at a mode."""

    path: str
    line: int
    signal: str


@dataclass(slots=True)
class ModeSuggestion:
    mode: str
    trigger: str
    recommended: bool
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def kinds(self) -> dict[str, int]:
        """Each distinct kind of signal seen, with its weight."""
        return {kind_of(item.signal): weight_of(item.signal) for item in self.evidence}

    @property
    def score(self) -> int:
        return sum(self.kinds.values())


@dataclass(slots=True)
class Suggestions:
    modes: list[ModeSuggestion]
    active: frozenset[str] | None  # the project's modes when it has an answers file
    files: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    template_signals: int = 0  # signals in a generated project's unchanged template code

    @property
    def recommended(self) -> list[str]:
        return [item.mode for item in self.modes if item.recommended]

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommended": self.recommended,
            "active": None if self.active is None else sorted(self.active),
            "modes": [
                {
                    "mode": item.mode,
                    "trigger": item.trigger,
                    "recommended": item.recommended,
                    "score": item.score,
                    "threshold": 0 if item.mode == CORE_MODE else THRESHOLD,
                    "signals": [
                        {"kind": kind, "weight": weight}
                        for kind, weight in sorted(item.kinds.items())
                    ],
                    "evidence": [asdict(evidence) for evidence in item.evidence],
                }
                for item in self.modes
            ],
            "files": self.files,
            "template_signals": self.template_signals,
            "skipped": [asdict(skipped) for skipped in self.skipped],
        }


class _Signals(Listener):
    """Collects (mode, line, what) for one file."""

    calls = frozenset(_CALLS)
    nodes = (ast.AsyncFunctionDef, ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)

    def begin(self, ctx: Context) -> None:
        self.seen: list[tuple[str, int, str]] = []

    def on_call(self, call: CallSite, ctx: Context) -> None:
        assert call.name is not None
        mode, what = _CALLS[call.name]
        self.seen.append((mode, call.node.lineno, what))

    def on_node(self, node: Any, ctx: Context) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            self._imports(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node, ctx)
        else:
            self._function(node, ctx)

    def _imports(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                return
            names = [node.module or ""]
        else:
            names = [alias.name for alias in node.names]
        for name in names:
            signal = _MODULES.get(name.partition(".")[0])
            if signal is not None:
                self.seen.append((signal[0], node.lineno, signal[1]))

    def _class(self, node: ast.ClassDef, ctx: Context) -> None:
        for keyword in node.keywords:
            if keyword.arg == "metaclass" and ctx.qualify(keyword.value) == "abc.ABCMeta":
                self.seen.append(("architecture", node.lineno, f"{_ABSTRACT[1]}: {node.name}"))
        for base in node.bases:
            signal = _BASES.get(ctx.qualify(base) or "")
            if signal is not None:
                self.seen.append((signal[0], node.lineno, f"{signal[1]}: {node.name}"))
        for suffix, (mode, what) in _CLASS_NAMES.items():
            if node.name.endswith(suffix) and node.name != suffix:
                self.seen.append((mode, node.lineno, f"{what}: {node.name}"))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        if isinstance(node, ast.AsyncFunctionDef):
            self.seen.append(("async", node.lineno, f"async def {node.name}"))
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = ctx.qualify(target)
            # A bare decorator is no call, so the call table never saw it.
            if name in _CALLS and not isinstance(decorator, ast.Call):
                mode, what = _CALLS[name]
                self.seen.append((mode, decorator.lineno, what))
            elif (
                name == "classmethod"
                and node.name == "create"
                and isinstance(ctx.scope, ast.ClassDef)
            ):
                self.seen.append(
                    ("architecture", node.lineno, f"factory classmethod {ctx.scope.name}.create()")
                )


_FileEvidence = tuple[str, list[tuple[str, int, str]], str | None]  # path, signals, skip reason


def _suggest_chunk(paths: Sequence[str]) -> list[_FileEvidence]:
    signals = _Signals()
    walker = Walker([signals])
    results: list[_FileEvidence] = []
    with paused_gc():
        for path in paths:
            try:
                tree = ast.parse(read_source(path), filename=path)
            except Unreadable as exc:
                results.append((path, [], str(exc)))
                continue
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                results.append((path, [], "does not parse"))
                continue
            walker.walk(tree, Context())
            if is_test_path(path):
                signals.seen.append(("testing", 1, "test module"))
            results.append((path, signals.seen, None))
    return results


def suggest_modes(
    path: Path, template_owned: Mapping[str, frozenset[int]] | None = None
) -> Suggestions:
    """Read every Python file under `path` and say which modes its code calls for, and why.

    `template_owned` maps files of a generated project (paths relative to `path`, in POSIX form)
    to the lines that are still the template's own (see `drift.template_lines`): signals there
    are the template's choice, not evidence of what the owners' code needs, so they are counted
    apart and recommend nothing.
    """
    if not path.exists():
        raise ProjectError(f"{path}: no such file or folder")
    found = discover([path])
    by_mode: dict[str, list[Evidence]] = {mode: [] for mode in MODES}
    skipped = list(found.skipped)
    owned = template_owned or {}
    files = template_signals = 0
    for file, seen, reason in map_chunks(_suggest_chunk, found.files):
        if reason is not None:
            skipped.append(Skipped(file, reason))
            continue
        files += 1
        theirs = owned.get(Path(os.path.relpath(file, path)).as_posix(), frozenset())
        for mode, line, what in seen:
            if line in theirs:
                template_signals += 1
            else:
                by_mode[mode].append(Evidence(file, line, what))
    answers = path / ANSWERS_FILE
    active = ProjectModes().for_folder(os.fspath(path)) if answers.is_file() else None
    modes = [
        ModeSuggestion(mode, TRIGGERS[mode], recommended=False, evidence=sorted(set(by_mode[mode])))
        for mode in MODES
    ]
    for item in modes:
        item.recommended = item.mode == CORE_MODE or item.score >= THRESHOLD
    return Suggestions(modes, active, files, sorted(skipped), template_signals)
