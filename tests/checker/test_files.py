"""What a run reads: skipped folders, explicit files, and every file it cannot check."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from forge_scaffold.checker import Skipped, check_paths
from forge_scaffold.checker import files as files_module
from forge_scaffold.errors import ProjectError

Tree = Callable[[Mapping[str, str | bytes]], Path]


def test_a_syntax_error_is_a_finding_with_its_position(write_tree: Tree) -> None:
    root = write_tree({"bad.py": "x = 1\ndef broken(:\n    pass\n", "good.py": "x = 1\n"})
    report = check_paths([root])
    [finding] = report.findings
    assert (Path(finding.path).name, finding.line, finding.code) == ("bad.py", 2, "FS000")
    assert finding.message.startswith("file does not parse")
    assert report.files == 2


@pytest.mark.parametrize(
    "content",
    [b"name = '\xe9t\xe9'\n", b"x = 1\x00\n"],
    ids=["latin-1-without-declaration", "nul-byte"],
)
def test_bytes_python_rejects_are_a_parse_finding(write_tree: Tree, content: bytes) -> None:
    root = write_tree({"odd.py": content})
    assert [f.code for f in check_paths([root]).findings] == ["FS000"]


def test_a_declared_encoding_is_honoured(write_tree: Tree) -> None:
    content = "# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    time.sleep('é')\n"
    root = write_tree({"latin.py": content.encode("latin-1")})
    assert [(f.line, f.code) for f in check_paths([root]).findings] == [(4, "FS103")]


def test_an_empty_file_is_checked_and_clean(write_tree: Tree) -> None:
    root = write_tree({"pkg/__init__.py": ""})
    report = check_paths([root])
    assert (report.files, report.findings, report.skipped) == (1, [], [])


def test_skipped_folders_are_not_entered(write_tree: Tree) -> None:
    bad = "import asyncio\nasyncio.get_event_loop()\n"
    root = write_tree(
        {
            f"{folder}/x.py": bad
            for folder in (".venv", "node_modules", "build", ".git", "__pycache__")
        }
        | {"src/ok.py": "x = 1\n"}
    )
    report = check_paths([root])
    assert (report.files, report.findings) == (1, [])


def test_a_file_given_by_name_is_checked_whatever_its_suffix(write_tree: Tree) -> None:
    root = write_tree(
        {"bin/tool": "import asyncio\nasyncio.get_event_loop()\n", "bin/notes.txt": "x("}
    )
    assert [f.code for f in check_paths([root / "bin" / "tool"]).findings] == ["FS102"]
    assert check_paths([root / "bin"]).files == 0  # inside a folder only *.py files count


def test_a_file_given_twice_is_checked_once(write_tree: Tree) -> None:
    root = write_tree({"a.py": "import asyncio\nasyncio.get_event_loop()\n"})
    assert len(check_paths([root, root / "a.py", root / "." / "a.py"]).findings) == 1


def test_a_folder_symlink_loop_is_reported_and_not_followed(write_tree: Tree) -> None:
    root = write_tree({"pkg/a.py": "x = 1\n"})
    (root / "pkg" / "again").symlink_to(root / "pkg", target_is_directory=True)
    report = check_paths([root])
    assert report.files == 1
    assert report.skipped == [
        Skipped(str(root / "pkg" / "again"), "symbolic link loop (folder already checked)")
    ]


def test_a_file_symlink_loop_and_a_broken_link_are_skipped_with_reasons(write_tree: Tree) -> None:
    root = write_tree({"ok.py": "x = 1\n"})
    (root / "loop.py").symlink_to(root / "loop.py")
    (root / "gone.py").symlink_to(root / "missing.py")
    report = check_paths([root])
    assert report.files == 1
    assert report.skipped == [
        Skipped(str(root / "gone.py"), "broken symbolic link"),
        Skipped(str(root / "loop.py"), "symbolic link loop"),
    ]
    # Given by name, they are skipped the same way rather than failing the run.
    assert check_paths([root / "loop.py"]).skipped == [
        Skipped(str(root / "loop.py"), "symbolic link loop")
    ]


def test_a_fifo_named_like_a_module_is_skipped_without_blocking(write_tree: Tree) -> None:
    root = write_tree({"ok.py": "x = 1\n"})
    os.mkfifo(root / "pipe.py")
    assert check_paths([root]).skipped == [Skipped(str(root / "pipe.py"), "not a regular file")]
    assert check_paths([root / "pipe.py"]).skipped == [
        Skipped(str(root / "pipe.py"), "not a regular file")
    ]


def test_a_file_over_the_size_cap_is_skipped(
    write_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files_module, "MAX_BYTES", 64)
    root = write_tree({"big.py": "x = 1\n" * 20, "small.py": "x = 1\n"})
    report = check_paths([root])
    assert report.files == 1
    [skipped] = report.skipped
    assert (Path(skipped.path).name, skipped.reason.startswith("larger than")) == ("big.py", True)


def test_an_unreadable_file_is_skipped_with_the_reason(
    write_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree({"secret.py": "x = 1\n", "ok.py": "x = 1\n"})
    real_open = os.open

    def deny_secret(path: str, flags: int, mode: int = 0o777) -> int:
        if str(path).endswith("secret.py"):  # tests run as root, where chmod 000 still reads
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", deny_secret)
    report = check_paths([root])
    assert report.files == 1
    assert report.skipped == [Skipped(str(root / "secret.py"), "permission denied")]


def test_a_path_that_does_not_exist_is_bad_usage(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such file or folder") as caught:
        check_paths([tmp_path / "nowhere"])
    assert caught.value.exit_code == 2
