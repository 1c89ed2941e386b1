"""One update of one project, from reading its answers to the last file written.

`commands/update.py` only parses, confirms and prints; everything it decides comes from here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from forge_scaffold.update import history
from forge_scaffold.update.answers import load_project
from forge_scaffold.update.plan import Plan, choose_modes, plan_update, require_clean
from forge_scaffold.update.sync import Outcome, apply, prepare

__all__ = ["Session", "update_session"]


@dataclass(slots=True)
class Session:
    """A checked plan, and the warnings met while checking it."""

    plan: Plan
    warnings: list[str] = field(default_factory=list)

    def run(self, *, dry_run: bool, confirm: Callable[[Outcome], None]) -> Outcome:
        """Update a scratch clone; unless `dry_run`, let `confirm` veto, then write the project."""
        plan = self.plan
        with tempfile.TemporaryDirectory(prefix="forge-update-") as work:
            outcome, clone = prepare(
                plan.project, plan.release.repo, plan.target, plan.modes, Path(work)
            )
            if not dry_run:
                confirm(outcome)
                apply(outcome, clone, plan.project.root)
        return outcome


@contextmanager
def update_session(
    path: Path, add: list[str], remove: list[str], requested: str | None
) -> Iterator[Session]:
    """Read the project, check the mode switch, the work tree and the target; yield the plan."""
    from forge_scaffold.catalog import load_catalog  # noqa: PLC0415 - reads the template

    project = load_project(path)
    modes, inactive = choose_modes(project.modes, add, remove, load_catalog())
    warnings = [f"mode {', '.join(inactive)} is not active; nothing to remove"] if inactive else []
    require_clean(project.root, path)
    release = history.installed_release()
    known = history.known_versions(release.repo)
    yield Session(plan_update(project, modes, release, known, requested, path), warnings)
