"""The one module that drives Copier: copy a template version into a folder, or update a project.

Copier is slow to import (0.3-0.45 s), so it is imported only inside these functions, and only
commands that render a template import this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forge_scaffold.errors import ForgeError, UsageError
from forge_scaffold.update.cache import TemplateRelease
from forge_scaffold.update.cache_health import checked

__all__ = ["copier_failure", "copy_template", "render_release", "update_project"]


def copier_failure(exc: BaseException) -> ForgeError | None:
    """Copier reports a bad answer as ValueError and a bad state as UserMessageError: one line."""
    from copier.errors import CopierError  # noqa: PLC0415 - slow import, only when rendering

    if not isinstance(exc, ValueError | CopierError):
        return None
    text = str(exc).strip()
    return UsageError(text.splitlines()[0] if text else type(exc).__name__)


def copy_template(
    release: TemplateRelease,
    target: Path,
    data: dict[str, Any],
    *,
    defaults: bool,
    user_defaults: dict[str, Any] | None = None,
    pretend: bool = False,
    questions: tuple[str, ...] = (),
) -> dict[str, Any]:
    """`copier copy` of one release into `target`; return the answers to `questions`.

    Copier's own errors propagate (the caller cleans up first, then maps them with
    copier_failure), except when git finds the cache damaged: then CacheDamaged.
    """
    from copier import run_copy  # noqa: PLC0415 - slow import, only when rendering

    try:
        worker = run_copy(
            str(release.repo),
            target,
            vcs_ref=release.tag,
            data=data,
            user_defaults=user_defaults or {},
            defaults=defaults,
            pretend=pretend,
            quiet=True,
            overwrite=True,
        )
    except BaseException as exc:
        failure = checked(exc, release.repo)
        if failure is exc:
            raise
        raise failure from exc
    answers = worker.answers.combined
    return {key: answers[key] for key in questions if key in answers}


def render_release(release: TemplateRelease, destination: Path, answers: dict[str, Any]) -> None:
    """Render one template version with recorded answers into a scratch folder (no prompts).

    `status` and `update` compare a project with this render to find the user's own edits.
    """
    try:
        copy_template(release, destination, answers, defaults=True)
    except Exception as exc:
        mapped = copier_failure(exc)
        if mapped is None:
            raise
        raise mapped from exc


def update_project(project: Path, repo: Path, tag: str, data: dict[str, Any]) -> None:
    """`copier update` of a clean git project to `tag` of `repo` (its `_src_path`), changing
    the answers in `data`.

    Safe settings only: no `--trust` (templates cannot run code), conflicts inline.
    """
    from copier import run_update  # noqa: PLC0415 - slow import, only when updating

    try:
        run_update(
            project,
            data=data,
            overwrite=True,
            defaults=True,
            unsafe=False,
            vcs_ref=tag,
            conflict="inline",
            quiet=True,
        )
    except Exception as exc:
        mapped = checked(exc, repo)
        mapped = copier_failure(mapped) or mapped
        if mapped is exc:
            raise
        raise mapped from exc
