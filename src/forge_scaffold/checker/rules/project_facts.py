"""FS9xx: facts about a whole project, judged only at its root (a folder with pyproject.toml)."""

from __future__ import annotations

from typing import ClassVar

from forge_scaffold.checker.rule import Mode, ProjectRule
from forge_scaffold.checker.walker import Context

__all__ = ["FS901", "FS902"]


class FS901(ProjectRule):
    """A service that does not register with Consul is invisible to the rest of the mesh: nothing
    can discover it, and nothing notices when it stops being healthy. The standard asks every
    service to register on start with a health check and deregister on shutdown.

    Satisfied when a non-test module of the project imports `consul` (py-consul). Not judged for
    a library: a project that declares the classifier `Intended Audience :: Developers` or
    `Topic :: Software Development :: Libraries` (in pyproject.toml's `[project]` or
    `[tool.poetry]`, or in setup.cfg's `[metadata]`) and that forge-scaffold did not generate (no
    `.copier-answers.yml`); services register, the libraries they import do not.
    """

    title = "no Consul registration"
    standard = (
        "Service Mesh: Every new service or module must register with Consul using the "
        "`ConsulClient`."
    )
    fix = (
        "Register on start with a check (HTTP `/health`, or a TTL check heartbeated from the task "
        "group) and deregister on shutdown, with py-consul; `CONSUL_HTTP_ADDR` unset means "
        "standalone."
    )
    missing = "no module imports `consul`: the service never registers with Consul"

    @classmethod
    def observe(cls, ctx: Context, is_test: bool) -> bool:
        return not is_test and any(module.partition(".")[0] == "consul" for module in ctx.modules)


class FS902(ProjectRule):
    """Memory leaks show up in production days after a release unless a test measures them. The
    standard's testing excellence is memory profiling plus concurrent validation; a project with
    no test that traces allocations has no evidence that its bounded buffers and caches stay
    bounded.

    Satisfied when a test module (in a `tests` folder, named `test_*.py` / `*_test.py` /
    `conftest.py`, or importing pytest) imports `tracemalloc`.
    """

    title = "no memory-profiling test"
    standard = "Testing Coverage: Memory profiling + concurrent validation"
    fix = (
        "Add a leak test: `tracemalloc.start()`, run the workload many times, and assert that the "
        "growth between two snapshots stays under a stated threshold."
    )
    error_in: ClassVar[frozenset[Mode]] = frozenset({"testing", "memory"})
    missing = "no test uses `tracemalloc`: nothing shows the code does not leak"

    @classmethod
    def observe(cls, ctx: Context, is_test: bool) -> bool:
        return "tracemalloc" in ctx.modules and (is_test or "pytest" in ctx.modules)
