"""One update of one project, under the project's lock from the clean-tree check to the last write.

`commands/update.py` only parses, confirms and prints; everything it decides comes from here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from forge_scaffold import signals
from forge_scaffold.errors import ProjectError
from forge_scaffold.update import history
from forge_scaffold.update.answers import load_project
from forge_scaffold.update.cache_health import CacheDamaged
from forge_scaffold.update.plan import (
    Plan,
    choose_modes,
    git_dir,
    plan_update,
    require_clean,
    require_known,
)
from forge_scaffold.update.sync import Outcome, prepare
from forge_scaffold.update.transaction import Journal, project_lock

__all__ = ["Session", "undo_interrupted", "update_session"]


@dataclass(slots=True)
class Session:
    """A checked plan, the warnings met while checking it, and where its writes are journalled."""

    plan: Plan
    journal: Journal
    notify: Callable[[str], None]
    warnings: list[str] = field(default_factory=list)
    written: bool = False  # the project holds the update's result

    def run(self, *, dry_run: bool, confirm: Callable[[Outcome], None]) -> Outcome:
        """Update a scratch clone; unless `dry_run`, let `confirm` veto, then write the project."""
        plan = self.plan
        with tempfile.TemporaryDirectory(prefix="forge-update-") as work:
            try:
                outcome, clone = self._prepare(Path(work))
            except BaseException as exc:
                stopped = signals.as_interrupted(exc, f"nothing changed in {plan.project.root}")
                if stopped is None or stopped is exc:
                    raise
                raise stopped from exc
            if not dry_run:
                confirm(outcome)
                self.journal.apply(clone, [*outcome.merged, *outcome.added], outcome.removed)
                self.written = True
        return outcome

    def _prepare(self, work: Path) -> tuple[Outcome, Path]:
        """The update in a scratch clone; a cache found damaged is rebuilt once, then retried."""
        plan = self.plan
        try:
            return prepare(plan.project, plan.release.repo, plan.target, plan.modes, work / "1")
        except CacheDamaged as exc:
            history.installed_release(rebuild=True)
            self.notify(exc.rebuilt_note)
            return prepare(plan.project, plan.release.repo, plan.target, plan.modes, work / "2")


def undo_interrupted(root: Path) -> int:
    """Undo, under the project's lock, an update a kill stopped while writing (files restored)."""
    try:
        repository = git_dir(root)
    except ProjectError:
        return 0  # not a git repository: no update ever wrote here
    journal = Journal(root, repository)
    if not journal.pending():
        return 0
    with project_lock(repository, lambda: None):
        return journal.recover()


@contextmanager
def update_session(
    path: Path,
    add: list[str],
    remove: list[str],
    requested: str | None,
    notify: Callable[[str], None],
) -> Iterator[Session]:
    """Check the project and the request, take the project's lock, undo an update a kill left
    half-written, check again under the lock, and yield the plan; the lock is held until the
    caller leaves the block."""
    from forge_scaffold.catalog import load_catalog  # noqa: PLC0415 - reads the template

    catalog = load_catalog()
    project = load_project(path)
    choose_modes(project.modes, add, remove, catalog)  # bad usage fails before any waiting
    repository = git_dir(project.root)

    def waiting() -> None:
        notify(f"waiting for another update of {path} to finish ...")

    with project_lock(repository, waiting):
        journal = Journal(project.root, repository)
        warnings = []
        restored = journal.recover()
        if restored:
            warnings.append(
                f"an earlier update of {path} was stopped while writing: undid it "
                f"({restored} files as they were), updating again"
            )
        project = load_project(path)  # again: another update may have finished meanwhile
        modes, inactive = choose_modes(project.modes, add, remove, catalog)
        if inactive:
            warnings.append(f"mode {', '.join(inactive)} is not active; nothing to remove")
        require_clean(project.root, path)
        release = history.installed_release()
        known = history.known_versions(release.repo)
        require_known(project, release, known)
        plan = plan_update(project, modes, release, known, requested, path)
        yield Session(plan, journal, notify, warnings)
