"""Drift: which template-owned files a user edited or deleted, and which lines are still the
template's own."""

from __future__ import annotations

from pathlib import Path

from forge_scaffold.update.drift import compare, template_files, template_lines


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_template_files_leave_out_git_and_the_answers_file(tmp_path: Path) -> None:
    base = _write(
        tmp_path / "base",
        {"a.py": "", "pkg/b.py": "", ".git/config": "", ".copier-answers.yml": "_commit: v1\n"},
    )
    assert template_files(base) == ["a.py", "pkg/b.py"]


def test_compare_finds_edited_and_deleted_files_byte_for_byte(tmp_path: Path) -> None:
    base = _write(tmp_path / "base", {"same.py": "x\n", "edited.py": "x\n", "gone.py": "x\n"})
    project = _write(
        tmp_path / "project",
        {"same.py": "x\n", "edited.py": "x \n", "mine.py": "user's own file\n"},
    )
    drift = compare(project, base)
    assert drift.modified == ("edited.py",)
    assert drift.deleted == ("gone.py",)


def test_template_lines_are_the_unchanged_lines_of_template_files(tmp_path: Path) -> None:
    base = _write(tmp_path / "base", {"a.py": "one\ntwo\nthree\n", "b.py": "b\n", "c.md": "c\n"})
    project = _write(
        tmp_path / "project", {"a.py": "one\nadded\ntwo\nchanged\n", "b.py": "b\n", "c.md": "c\n"}
    )
    owned = template_lines(project, base)
    assert owned == {"a.py": frozenset({1, 3}), "b.py": frozenset({1})}


def test_a_deleted_template_file_owns_no_lines(tmp_path: Path) -> None:
    base = _write(tmp_path / "base", {"a.py": "one\n"})
    project = _write(tmp_path / "project", {"other.py": "one\n"})
    assert template_lines(project, base) == {}
