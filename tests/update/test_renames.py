"""Renames: the moves between two releases, and a user's edits carried to a moved file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import template_harness as harness

from forge_scaffold.update.cache import RENAMES_FILE, commit_release
from forge_scaffold.update.renames import Move, carry_edits, renames_between

BASE = "line 1\nline 2\nline 3\nline 4\nline 5\n"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def _trees(tmp_path: Path, user: str | None, theirs: str) -> tuple[Path, Path, Path, set[str]]:
    """The user's project, the old render (old.md), and Copier's result (new.md only)."""
    user_root, base, updated = tmp_path / "user", tmp_path / "base", tmp_path / "updated"
    for root in (user_root, base, updated):
        root.mkdir()
    (base / "old.md").write_text(BASE, encoding="utf-8")
    head = set()
    if user is not None:
        (user_root / "old.md").write_text(user, encoding="utf-8")
        head.add("old.md")
    (updated / "new.md").write_text(theirs, encoding="utf-8")
    return user_root, base, updated, head


def test_renames_compose_across_releases(tmp_path: Path) -> None:
    source = harness.template_snapshot(tmp_path / "src")
    (source / RENAMES_FILE).write_text(
        'renames:\n  "0.2.0":\n    "a/{{ package_name }}.md": b.md\n'
        '  "0.3.0":\n    b.md: c/b.md\n  "0.4.0":\n    x.md: y.md\n',
        encoding="utf-8",
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    commit_release(repo, source, "v0.4.0")
    _git(repo, "tag", "v0.3.0")  # the map is read from the target release
    assert renames_between(repo, "v0.1.0", "v0.3.0", "svc") == {"a/svc.md": "c/b.md"}
    assert renames_between(repo, "v0.2.0", "v0.4.0", "svc") == {"b.md": "c/b.md", "x.md": "y.md"}
    assert renames_between(repo, "v0.4.0", "v0.4.0", "svc") == {}


def test_a_move_outside_the_window_or_to_the_same_path_is_not_a_rename(tmp_path: Path) -> None:
    source = harness.template_snapshot(tmp_path / "src")
    (source / RENAMES_FILE).write_text(
        'renames:\n  "0.2.0":\n    a.md: a.md\n  not-a-version:\n    b.md: c.md\n',
        encoding="utf-8",
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    commit_release(repo, source, "v0.2.0")
    assert renames_between(repo, "v0.1.0", "v0.2.0", "svc") == {}


def test_an_edited_moved_file_keeps_the_edit_under_its_new_name(tmp_path: Path) -> None:
    user, base, updated, head = _trees(
        tmp_path, BASE.replace("line 1", "my line 1"), BASE.replace("line 5", "line 5, new")
    )
    moves = carry_edits({"old.md": "new.md"}, user, base, updated, head)
    assert moves == [Move("old.md", "new.md", conflicted=False)]
    assert (updated / "new.md").read_text(encoding="utf-8") == BASE.replace(
        "line 1", "my line 1"
    ).replace("line 5", "line 5, new")
    assert not (updated / "old.md").exists()


def test_a_line_both_sides_changed_is_a_conflict_with_copiers_labels(tmp_path: Path) -> None:
    user, base, updated, head = _trees(
        tmp_path, BASE.replace("line 3", "mine"), BASE.replace("line 3", "theirs")
    )
    moves = carry_edits({"old.md": "new.md"}, user, base, updated, head)
    assert moves == [Move("old.md", "new.md", conflicted=True)]
    merged = (updated / "new.md").read_text(encoding="utf-8")
    assert "<<<<<<< before updating" in merged
    assert ">>>>>>> after updating" in merged


def test_an_unedited_moved_file_is_left_to_copier(tmp_path: Path) -> None:
    theirs = BASE.replace("line 5", "line 5, new")
    user, base, updated, head = _trees(tmp_path, BASE, theirs)
    assert carry_edits({"old.md": "new.md"}, user, base, updated, head) == []
    assert (updated / "new.md").read_text(encoding="utf-8") == theirs


def test_a_file_the_user_deleted_stays_deleted_under_its_new_name(tmp_path: Path) -> None:
    user, base, updated, head = _trees(tmp_path, None, BASE)
    assert carry_edits({"old.md": "new.md"}, user, base, updated, head) == []
    assert not (updated / "new.md").exists()


def test_a_new_path_the_user_already_owns_is_not_touched(tmp_path: Path) -> None:
    user, base, updated, head = _trees(tmp_path, BASE.replace("line 1", "mine"), "theirs\n")
    head.add("new.md")
    assert carry_edits({"old.md": "new.md"}, user, base, updated, head) == []
    assert (updated / "new.md").read_text(encoding="utf-8") == "theirs\n"
