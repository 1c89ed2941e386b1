"""What `status` reports: a project's version against those this installation knows, its modes,
answers, and the template files its owners edited or deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from forge_scaffold.errors import ProjectError
from forge_scaffold.update import history
from forge_scaffold.update.answers import GeneratedProject, load_project
from forge_scaffold.update.cache import TemplateRelease
from forge_scaffold.update.cache_health import CacheDamaged
from forge_scaffold.update.drift import Drift, base_render, compare
from forge_scaffold.update.plan import require_known
from forge_scaffold.update.session import undo_interrupted

__all__ = ["project_report"]


def _drift(
    project: GeneratedProject, release: TemplateRelease, warn: Callable[[str], None]
) -> Drift:
    try:
        with base_render(project, release.repo) as base:
            return compare(project.root, base)
    except CacheDamaged as exc:
        rebuilt = history.installed_release(rebuild=True)
        warn(exc.rebuilt_note)
        with base_render(project, rebuilt.repo) as base:
            return compare(project.root, base)


def project_report(path: Path, warn: Callable[[str], None]) -> dict[str, Any]:
    """The report `status` prints (`update_available`: a newer known version exists).

    An update a kill left half-written is undone first; a version this installation does not
    know is a UsageError; edits that cannot be listed are a warning, and `modified` stays None.
    """
    project = load_project(path)
    restored = undo_interrupted(project.root)
    if restored:
        warn(f"undid an update stopped while writing ({restored} files as they were)")
        project = load_project(path)
    release = history.installed_release()
    known = history.known_versions(release.repo)
    require_known(project, release, known)
    latest = max([*known, release.tag], key=history.Version)
    current = history.parse_version(project.commit)
    report: dict[str, Any] = {
        "path": str(project.root),
        "template_version": project.commit,
        "installed_version": release.tag,
        "latest_version": latest,
        "update_available": current is not None and history.Version(latest) > current,
        "modes": project.modes,
        "answers": project.answers,
        "src_path": project.src_path,
        "src_path_present": bool(project.src_path) and Path(project.src_path).is_dir(),
        "modified": None,
        "deleted": None,
    }
    try:
        drift = _drift(project, release, warn)
    except ProjectError as exc:
        warn(f"cannot list your edits: {exc.message}")
    else:
        report["modified"], report["deleted"] = list(drift.modified), list(drift.deleted)
    return report
