"""`new` stopped by a signal or a kill at the moments that matter: DEST is absent or complete,
one line says so (130 for SIGINT, 143 for SIGTERM), and the next `new` to DEST works."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import cli_process as cli
import pytest

pytestmark = pytest.mark.slow


def _complete(dest: Path) -> bool:
    log = subprocess.run(
        ["git", "-C", str(dest), "log", "--format=%s"], capture_output=True, text=True, check=False
    )
    return (dest / "pyproject.toml").is_file() and log.stdout.startswith("Generate")


def _assert_absent_or_complete(dest: Path) -> None:
    assert not dest.exists() or _complete(dest), sorted(p.name for p in dest.iterdir())


@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_while_staging_removes_everything_with_one_line(
    tmp_path: Path, signum: signal.Signals, code: int, word: str
) -> None:
    env = cli.environment(tmp_path / "cache", tmp_path / "tmp")
    cli.run(["new", str(tmp_path / "warm"), "--defaults"], env)  # the cache exists already
    parent = tmp_path / "out"
    dest = parent / "svc"
    process = cli.start(["new", str(dest), "--defaults"], env)
    staging_git = lambda: any(parent.glob(".svc.forge-new-*/.git"))  # noqa: E731
    assert cli.signal_when(process, staging_git, signum)
    ended = cli.finish(process)
    assert ended.code == code, ended.stderr
    lines = ended.stderr.strip().splitlines()
    assert lines[-1].startswith(f"forge-scaffold: error: {word}:"), ended.stderr
    assert len([line for line in lines if "error" in line]) == 1
    assert not parent.exists()
    assert list((tmp_path / "tmp").glob("forge-scaffold-*/*")) == []  # scratch removed too
    again = cli.run(["new", str(dest), "--defaults"], env)
    assert again.code == 0, again.stderr
    assert _complete(dest)


def test_a_kill_in_any_window_leaves_dest_absent_or_complete_and_the_next_new_works(
    tmp_path: Path,
) -> None:
    env = cli.environment(tmp_path / "cache", tmp_path / "tmp")
    parent = tmp_path / "out"
    parent.mkdir()
    dest = parent / "svc"
    moments = [
        ("cache .git", cli.exists_glob(tmp_path / "cache", "template.new-*/.git")),
        ("staging", cli.exists_glob(parent, ".svc.forge-new-*")),
        ("staging .git", cli.exists_glob(parent, ".svc.forge-new-*/.git/index")),
        ("dest", dest.exists),
    ]
    for name, moment in moments:
        process = cli.start(["new", str(dest), "--defaults"], env)
        hit = cli.signal_when(process, moment, signal.SIGKILL)
        assert hit or name == "dest", f"{name}: the run ended before the moment came"
        cli.finish(process)
        _assert_absent_or_complete(dest)
        if dest.exists():
            subprocess.run(["rm", "-rf", str(dest)], check=True)
        again = cli.run(["new", str(dest), "--defaults"], env)
        assert again.code == 0, (name, again.stderr)
        assert _complete(dest), name
        assert [p.name for p in parent.iterdir()] == ["svc"], name  # stale staging swept
        subprocess.run(["rm", "-rf", str(dest)], check=True)
    assert list((tmp_path / "tmp").glob("forge-scaffold-*/*")) == []  # killed runs' swept
