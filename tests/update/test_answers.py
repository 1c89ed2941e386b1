"""The answers file: its one reader, what makes a folder a generated project, `_src_path`."""

from __future__ import annotations

from pathlib import Path

import pytest

from forge_scaffold.errors import ProjectError
from forge_scaffold.update.answers import ANSWERS_FILE, load_project, read_answers, record_src_path

RECORDED = "_commit: v0.1.0\n_src_path: /old/cache\nexpert_modes:\n- python\n- async\n"


def test_a_generated_project_records_its_commit_source_and_answers(tmp_path: Path) -> None:
    (tmp_path / ANSWERS_FILE).write_text(RECORDED + "package_name: svc\n", encoding="utf-8")
    project = load_project(tmp_path)
    assert (project.commit, project.src_path) == ("v0.1.0", "/old/cache")
    assert project.modes == ["python", "async"]
    assert project.package == "svc"
    assert "_commit" not in project.answers


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not a generated project"),
        ("- a list\n", "records no template version"),
        ("expert_modes: [python]\n", "records no template version"),
        ("_commit: [unclosed\n", "cannot read"),
    ],
)
def test_anything_else_is_a_project_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / ANSWERS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ProjectError, match=message):
        load_project(tmp_path)


def test_read_answers_gives_an_empty_mapping_for_other_yaml(tmp_path: Path) -> None:
    path = tmp_path / ANSWERS_FILE
    path.write_text("just text\n", encoding="utf-8")
    assert read_answers(path) == {}
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ProjectError, match="cannot read"):
        read_answers(path)


def test_record_src_path_changes_only_that_line(tmp_path: Path) -> None:
    (tmp_path / ANSWERS_FILE).write_text(RECORDED, encoding="utf-8")
    record_src_path(tmp_path, Path("/new cache/template"))
    assert (tmp_path / ANSWERS_FILE).read_text(encoding="utf-8") == RECORDED.replace(
        "_src_path: /old/cache", "_src_path: /new cache/template"
    )
