"""The library side of `new`: --data, the answers, the destination, staging and rollback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from forge_scaffold import create
from forge_scaffold.catalog import load_catalog
from forge_scaffold.create import create_project, sweep_staging
from forge_scaffold.errors import DestinationError, GitError, UsageError
from forge_scaffold.new_request import (
    NewAnswers,
    assemble_answers,
    check_destination,
    parse_data,
)
from forge_scaffold.resources import template_root
from forge_scaffold.update.cache import ensure_release
from forge_scaffold.vocabulary import CORE_MODE, MODE_NAMES


def test_the_mode_vocabulary_is_the_templates() -> None:
    assert load_catalog().names == MODE_NAMES
    assert MODE_NAMES[0] == CORE_MODE


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("author_name", "is not KEY=VALUE"),
        ("=x", "is not KEY=VALUE"),
        ("expert_modes=async", "choose modes with --mode"),
        ("colour=blue", "is not a template question"),
    ],
)
def test_bad_data_is_a_usage_error(pair: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_data([pair], load_catalog())


def test_data_values_keep_their_equals_signs() -> None:
    assert parse_data(["description=a=b", " author_name =T"], load_catalog()) == {
        "description": "a=b",
        "author_name": "T",
    }


def test_answers_without_a_terminal_name_the_folder_and_the_modes(tmp_path: Path) -> None:
    request = assemble_answers(
        load_catalog(), tmp_path / "my-svc", modes=[], name=None, data=[], interactive=False
    )
    assert request.answers == {"project_name": "my-svc", "expert_modes": [CORE_MODE]}
    assert request.user_defaults == {}


def test_answers_at_a_terminal_offer_the_folder_name_and_ask_for_modes(tmp_path: Path) -> None:
    request = assemble_answers(
        load_catalog(), tmp_path / "my-svc", modes=[], name=None, data=[], interactive=True
    )
    assert request.answers == {}
    assert request.user_defaults == {"project_name": "my-svc"}
    named = assemble_answers(
        load_catalog(),
        tmp_path / "x",
        modes=["memory"],
        name="Given",
        data=["project_name=Data"],
        interactive=True,
    )
    assert named.answers == {"project_name": "Given", "expert_modes": ["python", "memory"]}


def test_destination_must_be_new_or_empty_and_writable(tmp_path: Path) -> None:
    check_destination(tmp_path / "new" / "deeper")
    check_destination(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DestinationError, match="is not empty"):
        check_destination(tmp_path)
    with pytest.raises(DestinationError, match="is not a directory"):
        check_destination(tmp_path / "file")
    with pytest.raises(DestinationError, match="is not a directory"):
        check_destination(tmp_path / "file" / "below")


def test_a_failing_first_commit_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(project: Path, message: str, author: tuple[str, str]) -> None:
        assert (project / "pyproject.toml").is_file()  # inside the complete staging folder
        raise GitError("git commit failed")

    monkeypatch.setattr(create, "initialise_git", broken)
    release = ensure_release(template_root(), "0.0.0.dev0", root=tmp_path / "cache")
    destination = tmp_path / "parent" / "svc"
    with pytest.raises(GitError, match="git commit failed"):
        create_project(
            release,
            destination,
            NewAnswers({"project_name": "Svc"}, {}, [CORE_MODE]),
            defaults=True,
            questions=load_catalog().questions,
            commit_as="test",
        )
    assert not (tmp_path / "parent").exists()


def test_the_project_is_committed_before_it_appears(tmp_path: Path) -> None:
    release = ensure_release(template_root(), "0.0.0.dev0", root=tmp_path / "cache")
    destination = tmp_path / "svc"
    create_project(
        release,
        destination,
        NewAnswers({"project_name": "Svc"}, {}, [CORE_MODE]),
        defaults=True,
        questions=load_catalog().questions,
        commit_as="9.9",
    )
    log = subprocess.run(
        ["git", "-C", str(destination), "log", "--format=%s"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert log.stdout.splitlines() == ["Generate Svc with forge-scaffold 9.9"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_staging_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f".svc.forge-new-{gone.pid}-abc"
    mine = tmp_path / f".svc.forge-new-{os.getpid()}-abc"
    unrelated = tmp_path / ".svc.other"
    for folder in (stale, mine, unrelated):
        folder.mkdir()
    assert sweep_staging(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, unrelated.name])
