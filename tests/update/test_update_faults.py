"""`update` under the faults users meet: a signal or a kill at the first write, two updates of one
project at once, a damaged template cache, a template version this installation does not know.
Real processes, real signals; each moment is polled for, never slept towards."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cli_process as cli
import pytest
from typer.testing import CliRunner

from forge_scaffold.cli import app
from forge_scaffold.update.transaction import TEST_WRITE_PAUSE, WORK_DIR
from update import fixtures as fx

pytestmark = pytest.mark.slow
USER_EDIT = "\nA line the team wrote.\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A generated project with a committed user edit, and the environment that made it."""
    root = tmp_path_factory.mktemp("faults")
    env = cli.environment(root / "cache", root / "tmp")
    made = cli.run(["new", str(root / "svc"), "--defaults"], env)
    assert made.code == 0, made.stderr
    readme = root / "svc" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + USER_EDIT, encoding="utf-8")
    fx.commit_all(root / "svc", "Our own README line")
    yield root / "svc", env


@pytest.fixture(scope="module")
def after_memory(
    world: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """The project as an uninterrupted `update --add-mode memory` leaves it."""
    project = fx.copy_project(world[0], tmp_path_factory.mktemp("reference") / "svc")
    done = cli.run(["update", str(project), "--add-mode", "memory"], world[1])
    assert done.code == 0, done.stderr
    return fx.tree(project)


def _journal(project: Path) -> bool:
    return (project / ".git" / WORK_DIR / "journal.json").is_file()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_signal_at_the_first_write_leaves_before_or_after_and_the_next_update_finishes(
    world: tuple[Path, dict[str, str]],
    after_memory: dict[str, bytes],
    tmp_path: Path,
    signum: signal.Signals,
) -> None:
    project = fx.copy_project(world[0], tmp_path / "svc")
    before = fx.tree(project)
    # A pause after each write keeps the journal open long enough to be seen on a fast machine.
    slowed = {**world[1], TEST_WRITE_PAUSE: "0.05"}
    process = cli.start(["update", str(project), "--add-mode", "memory"], slowed)
    assert cli.signal_when(process, lambda: _journal(project), signum)
    ended = cli.finish(process)
    if signum != signal.SIGKILL:
        assert ended.code in {0, 128 + signum}, ended.stderr
        assert fx.tree(project) in (before, after_memory)  # never a mix
        assert not _journal(project)
        if ended.code:
            last = ended.stderr.strip().splitlines()[-1]
            assert last.startswith("forge-scaffold: error: "), ended.stderr
            written = fx.tree(project) == after_memory
            if written:
                assert "was written to" in last
            else:
                assert "the update was undone" in last or "nothing changed" in last
    if fx.tree(project) != after_memory:
        again = cli.run(["update", str(project), "--add-mode", "memory"], world[1])
        assert again.code == 0, again.stderr
    assert fx.tree(project) == after_memory  # the user's README line included
    assert USER_EDIT in (project / "README.md").read_text(encoding="utf-8")
    scratch = Path(world[1]["TMPDIR"])
    assert list(scratch.glob("forge-scaffold-*/*")) == []  # a killed run's scratch is swept


def test_two_updates_of_one_project_at_once_give_exactly_one_of_them(
    world: tuple[Path, dict[str, str]], after_memory: dict[str, bytes], tmp_path: Path
) -> None:
    project = fx.copy_project(world[0], tmp_path / "svc")
    first = cli.start(["update", str(project), "--add-mode", "memory"], world[1])
    second = cli.start(["update", str(project), "--add-mode", "async"], world[1])
    ended = {"memory": cli.finish(first), "async": cli.finish(second)}
    winners = [mode for mode, result in ended.items() if result.code == 0]
    assert len(winners) == 1, {mode: result.stderr for mode, result in ended.items()}
    loser = ended["async" if winners == ["memory"] else "memory"]
    assert loser.code == 2
    assert "uncommitted changes" in loser.stderr
    if winners == ["memory"]:
        assert fx.tree(project) == after_memory
    else:
        reference = fx.copy_project(world[0], tmp_path / "reference")
        assert cli.run(["update", str(reference), "--add-mode", "async"], world[1]).code == 0
        assert fx.tree(project) == fx.tree(reference)


def _damage(cache: Path) -> None:
    packs = sorted((cache / "template" / ".git" / "objects" / "pack").glob("*.pack"))
    assert packs
    for pack in packs:
        data = bytearray(pack.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 4096] = bytes(len(data[middle : middle + 4096]))
        pack.chmod(0o644)
        pack.write_bytes(bytes(data))


def test_a_damaged_cache_is_rebuilt_and_never_blamed_on_the_destination(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = cli.environment(cache, tmp_path / "tmp")
    assert cli.run(["new", str(tmp_path / "svc"), "--defaults"], env).code == 0
    for args in (
        ["new", str(tmp_path / "other"), "--defaults"],
        ["status", str(tmp_path / "svc")],
        ["update", str(tmp_path / "svc"), "--add-mode", "memory"],
    ):
        _damage(cache)
        ended = cli.run(args, env)
        assert ended.code == 0, (args, ended.stderr)
        assert "template cache" in ended.stderr
        assert "was damaged" in ended.stderr
        assert "cannot write" not in ended.stderr
    fsck = subprocess.run(
        ["git", "-C", str(cache / "template"), "fsck"], capture_output=True, check=False
    )
    assert fsck.returncode == 0


def test_a_cache_git_cannot_read_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = cli.environment(cache, tmp_path / "tmp")
    assert cli.run(["new", str(tmp_path / "a"), "--defaults"], env).code == 0
    shutil.rmtree(cache / "template" / ".git" / "objects")
    (cache / "template" / ".git" / "HEAD").write_bytes(b"")
    ended = cli.run(["new", str(tmp_path / "b"), "--defaults"], env)
    assert ended.code == 0, ended.stderr
    assert (tmp_path / "b" / "pyproject.toml").is_file()


@pytest.mark.parametrize(
    ("version", "advice"), [("v9.9.9", "install a forge-scaffold"), ("v0.0.7", "re-create")]
)
def test_a_version_this_installation_does_not_know_is_refused_with_one_line(
    world: tuple[Path, dict[str, str]], tmp_path: Path, version: str, advice: str
) -> None:
    project = fx.copy_project(world[0], tmp_path / "svc")
    answers = project / ".copier-answers.yml"
    text = answers.read_text(encoding="utf-8")
    recorded = next(line for line in text.splitlines() if line.startswith("_commit:"))
    answers.write_text(text.replace(recorded, f"_commit: {version}"), encoding="utf-8")
    fx.commit_all(project, "Pretend another version made it")
    before = fx.tree(project)
    runner = CliRunner()
    for args in (
        ["status", str(project)],
        ["update", str(project)],
        ["status", "--json", str(project)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert "does not know (it knows v0.1.0" in lines[0]
        assert advice in lines[0]
    assert fx.tree(project) == before
