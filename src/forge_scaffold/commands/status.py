"""`forge-scaffold status`: a generated project's template version, modes, answers and edits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from forge_scaffold import console

__all__ = ["status"]


def status(
    path: Annotated[Path, typer.Argument(help="The generated project (default: here).")] = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Show a project's template version, modes and edited template files.

    Exit code 0: up to date; 1: a newer template version is available (run `forge-scaffold
    update`); 2: PATH is not a generated project.
    """
    from forge_scaffold.errors import ProjectError  # noqa: PLC0415 - keep --help fast
    from forge_scaffold.scratch import scratch_space  # noqa: PLC0415
    from forge_scaffold.update.answers import load_project  # noqa: PLC0415
    from forge_scaffold.update.cache_health import CacheDamaged  # noqa: PLC0415
    from forge_scaffold.update.drift import base_render, compare  # noqa: PLC0415
    from forge_scaffold.update.history import (  # noqa: PLC0415
        Version,
        installed_release,
        known_versions,
        parse_version,
    )
    from forge_scaffold.update.plan import require_known  # noqa: PLC0415
    from forge_scaffold.update.session import undo_interrupted  # noqa: PLC0415

    project = load_project(path)
    restored = undo_interrupted(project.root)
    if restored:
        console.warn(f"undid an update stopped while writing ({restored} files as they were)")
        project = load_project(path)
    release = installed_release()
    known = known_versions(release.repo)
    require_known(project, release, known)
    latest = max([*known, release.tag], key=Version)
    current = parse_version(project.commit)
    newer = current is not None and Version(latest) > current
    report: dict[str, Any] = {
        "path": str(project.root),
        "template_version": project.commit,
        "installed_version": release.tag,
        "latest_version": latest,
        "update_available": newer,
        "modes": project.modes,
        "answers": project.answers,
        "src_path": project.src_path,
        "src_path_present": bool(project.src_path) and Path(project.src_path).is_dir(),
        "modified": None,
        "deleted": None,
    }
    try:
        with scratch_space():
            try:
                with base_render(project, release.repo) as base:
                    drift = compare(project.root, base)
            except CacheDamaged as exc:
                release = installed_release(rebuild=True)
                console.warn(exc.rebuilt_note)
                with base_render(project, release.repo) as base:
                    drift = compare(project.root, base)
        report["modified"], report["deleted"] = list(drift.modified), list(drift.deleted)
    except ProjectError as exc:
        console.warn(f"cannot list your edits: {exc.message}")
    if as_json:
        console.emit_json(report)
    else:
        _print(report)
    if newer:
        raise typer.Exit(1)


def _print(report: dict[str, Any]) -> None:
    console.out(f"project    {report['path']}")
    version = f"template   {report['template_version']}"
    if report["update_available"]:
        version += f" (newer: {report['latest_version']}; run `forge-scaffold update`)"
    else:
        version += " (up to date)"
    console.out(version)
    console.out(f"modes      {', '.join(report['modes'])}")
    for key, value in report["answers"].items():
        if key != "expert_modes":
            console.out(f"answer     {key} = {value}")
    if report["modified"] is None:
        return
    edits = [("M", p) for p in report["modified"]] + [("D", p) for p in report["deleted"]]
    if not edits:
        console.out("edits      none: every template file is as the template made it")
        return
    console.out(
        f"edits      {len(edits)} template files differ from the template (M edited, D deleted):"
    )
    for kind, file in sorted(edits, key=lambda edit: edit[1]):
        console.out(f"  {kind} {file}")
