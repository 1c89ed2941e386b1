"""The edits a team makes to a generated project, placed by diffing two renders of the template.

`plan(old, new, package)` looks at a project rendered at an earlier release (`old`) and the same
answers rendered at the installed version (`new`), and chooses where each edit goes: every edit but
one sits at least `MARGIN` lines away from anything the template changes, so an update must merge
it cleanly; the one `collision` edits a line the template also changes, so an update must report
it as a conflict. The same plan applied to `new` is what the updated project must look like once
that conflict is resolved in the template's favour. Nothing here knows what the template contains.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ANSWERS = ".copier-answers.yml"
MARGIN = 1  # unchanged lines kept between a team's edit and the template's nearest change
APART = 10  # lines between the colliding edit and any other edit in the same file
NEW_DEPENDENCY = '  "annotated-types>=0.6",  # the team\'s own dependency'
CI_STEP = "uv build"
README_SECTION = ("## On call", "", "Page the owning team through the rota.", "")
COLLISION_MARK = "team edit on a line the template changes"
# Files a team may delete without breaking its checks, most telling first.
OPTIONAL_FILES = (
    "memory_bank/activeContext.md",
    "memory_bank/techContext.md",
    ".clinerules/python.md",
    "CHANGELOG.md",
)
_FIELD = re.compile(
    r"^\s+(?P<name>\w+): (?P<kind>int|float) = Field\(\s*default=(?P<value>[0-9_.]+),"
)

GREETING = '''"""A greeting the team added: its own module and its own test."""

from __future__ import annotations

from typing import Annotated

from annotated_types import MaxLen

__all__ = ["greet"]

Name = Annotated[str, MaxLen(64)]


def greet(name: Name) -> str:
    """Say hello to `name`."""
    return f"Hello, {name}!"
'''
GREETING_TEST = '''"""The team's greeting names whom it greets."""

from __future__ import annotations

from {package}.team_greeting import greet


def test_greet_names_the_caller() -> None:
    assert greet("Ada") == "Hello, Ada!"
'''


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace the one line `anchor` of `path` with `lines` (which may keep the anchor)."""

    what: str
    path: str
    anchor: str
    lines: tuple[str, ...]

    def apply(self, root: Path) -> None:
        target = root / self.path
        text = target.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines.count(self.anchor) == 1, (self.path, self.anchor)
        at = lines.index(self.anchor)
        lines[at : at + 1] = self.lines
        target.write_text("\n".join(lines) + ("\n" if text.endswith("\n") else ""), "utf-8")


@dataclass(slots=True)
class Plan:
    """Every edit of one project, and the one that collides with the template."""

    new_files: dict[str, str]
    edits: list[LineEdit]
    deleted: str
    collision: LineEdit | None

    def apply(self, root: Path, *, collide: bool = True) -> None:
        for path, text in self.new_files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        for edit in self.edits:
            edit.apply(root)
        (root / self.deleted).unlink()
        if collide and self.collision is not None:
            self.collision.apply(root)


class _File:
    """One file in both renders, with the old lines the template's changes touch."""

    def __init__(self, old: Path, new: Path, path: str) -> None:
        self.path = path
        self.old = (old / path).read_text(encoding="utf-8").splitlines()
        self.new = (new / path).read_text(encoding="utf-8").splitlines()
        self.touched: set[int] = set()
        # Old lines the template rewrites, deletes, or writes new lines right beside: the three
        # ways a template change lands on a line, most direct first.
        self.colliding: tuple[list[int], list[int], list[int]] = ([], [], [])
        matcher = difflib.SequenceMatcher(None, self.old, self.new, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            self.touched.update(range(i1 - 1, i2 + 1) if i1 == i2 else range(i1, i2))
            kind = ("replace", "delete", "insert").index(tag)
            # An insertion's exact place is ambiguous beside equal lines: try its neighbours too.
            self.colliding[kind].extend(range(i1 - 2, i1 + 2) if tag == "insert" else range(i1, i2))

    def merge(self, index: int, lines: tuple[str, ...]) -> tuple[bool, list[str]]:
        """git's three-way merge of replacing old line `index` by `lines` with the template's
        change: whether it conflicts, and the merged lines."""
        with tempfile.TemporaryDirectory(prefix="team-edit-") as scratch:
            sides = []
            ours = [*self.old[:index], *lines, *self.old[index + 1 :]]
            for name, content in (("ours", ours), ("base", self.old), ("theirs", self.new)):
                sides.append(Path(scratch) / name)
                sides[-1].write_text("\n".join(content) + "\n", encoding="utf-8")
            merge = ["git", "merge-file", "-p", "-q", *map(str, sides)]
            result = subprocess.run(merge, capture_output=True, text=True, check=False)
        return result.returncode != 0, result.stdout.splitlines()

    def quiet(self, index: int, lines: tuple[str, ...]) -> bool:
        """Replacing the line by `lines` merges cleanly with the template's change, to exactly the
        new render with the same replacement: the line is unique in both renders, `MARGIN` lines
        from any change, and git's own merge agrees."""
        line = self.old[index]
        near = range(index - MARGIN, index + MARGIN + 1)
        if not line.strip() or self.old.count(line) != 1 or self.new.count(line) != 1:
            return False
        if self.touched.intersection(near):
            return False
        at = self.new.index(line)
        conflicted, merged = self.merge(index, lines)
        return not conflicted and merged == [*self.new[:at], *lines, *self.new[at + 1 :]]

    def first_quiet(
        self, accept: Callable[[int], bool], make: Callable[[int], tuple[str, ...]]
    ) -> int | None:
        """The first line `accept` takes whose replacement `make(index)` merges quietly."""
        return next((i for i in range(len(self.old)) if accept(i) and self.quiet(i, make(i))), None)


def _both(old: Path, new: Path) -> Iterator[str]:
    for path in sorted(p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()):
        if ".git" not in Path(path).parts and (new / path).is_file():
            yield path


def _need(found: int | None, what: str, path: str) -> int:
    assert found is not None, f"no line of {path} the template leaves alone for {what}"
    return found


def _dependency(f: _File) -> LineEdit:
    start = f.old.index("dependencies = [")
    end = f.old.index("]", start)

    def make(i: int) -> tuple[str, ...]:
        return (f.old[i], NEW_DEPENDENCY)

    entry = f.first_quiet(lambda i: start < i < end and f.old[i].lstrip().startswith('"'), make)
    at = _need(entry, "a new dependency", f.path)
    return LineEdit("a new dependency", f.path, f.old[at], make(at))


def _readme(f: _File) -> LineEdit:
    def make(i: int) -> tuple[str, ...]:
        return (*README_SECTION, f.old[i])

    heading = f.first_quiet(lambda i: f.old[i].startswith("## "), make)
    at = _need(heading, "a README section", f.path)
    return LineEdit("a README section", f.path, f.old[at], make(at))


def _ci_step(f: _File) -> LineEdit:
    step = re.compile(r"^(\s+)- run: \S")

    def single_line_step(i: int) -> bool:
        match = step.match(f.old[i])
        if match is None or i + 1 >= len(f.old):
            return match is not None
        after = f.old[i + 1]
        return len(after) - len(after.lstrip()) <= len(match.group(1))

    def make(i: int) -> tuple[str, ...]:
        indent = f.old[i][: len(f.old[i]) - len(f.old[i].lstrip())]
        return (f.old[i], f"{indent}- run: {CI_STEP}")

    at = _need(f.first_quiet(single_line_step, make), "an extra CI step", f.path)
    return LineEdit("an extra CI step", f.path, f.old[at], make(at))


def _doubled(kind: str, value: str) -> str:
    return f"{int(value.replace('_', '')) * 2:_}" if kind == "int" else repr(float(value) * 2)


def _default(settings: _File, tests: _File) -> list[LineEdit]:
    """A changed default and the test lines that assert it (or a new test when none asserts it)."""
    text = "\n".join(tests.old)
    can_add_a_test = all(word in text for word in ("import pytest", "clean_env", "load_settings"))
    fallback: list[LineEdit] = []
    for index, line in enumerate(settings.old):
        match = _FIELD.match(line)
        if match is None:
            continue
        name, value = match["name"], match["value"]
        new_value = _doubled(match["kind"], value)
        changed = (line.replace(f"default={value},", f"default={new_value},", 1),)
        if not settings.quiet(index, changed):
            continue
        edit = LineEdit("a changed default", settings.path, line, changed)
        old_check, new_check = f".{name} == {value}", f".{name} == {new_value}"
        asserted = {
            i: (tests.old[i].replace(old_check, new_check),)
            for i in range(len(tests.old))
            if old_check in tests.old[i]
        }
        if asserted and all(tests.quiet(i, lines) for i, lines in asserted.items()):
            tested = [
                LineEdit("its test", tests.path, tests.old[i], lines)
                for i, lines in asserted.items()
            ]
            return [edit, *tested]
        last = len(tests.old) - 1
        new_test = (
            tests.old[last],
            "",
            "",
            "def test_the_team_default(clean_env: pytest.MonkeyPatch) -> None:",
            f"    assert load_settings().{name} == {new_value}",
        )
        if not fallback and not asserted and can_add_a_test and tests.quiet(last, new_test):
            fallback = [edit, LineEdit("its test", tests.path, tests.old[last], new_test)]
    assert fallback, f"no default in {settings.path} the template leaves alone"
    return fallback


def _collision(old: Path, new: Path, edits: list[LineEdit], deleted: str) -> LineEdit | None:
    """A line the template changes (rewrites, deletes or inserts beside; in that order of
    preference, source files first) where git's merge of an edit conflicts; None when the
    template changes nothing of this project."""
    paths = sorted(
        (path for path in _both(old, new) if path not in {deleted, ANSWERS}),
        key=lambda path: (not path.endswith(".py"), not path.startswith("src/"), path),
    )
    files = [_File(old, new, path) for path in paths]
    for kind in range(3):
        for f in files:
            mine = [f.old.index(edit.anchor) for edit in edits if edit.path == f.path]
            for index in f.colliding[kind]:
                line = f.old[index] if 0 <= index < len(f.old) else ""
                apart = all(abs(index - at) > APART for at in mine)
                edited = f"{line}  # {COLLISION_MARK}"
                if (
                    line.strip()
                    and f.old.count(line) == 1
                    and apart
                    and f.merge(index, (edited,))[0]
                ):
                    return LineEdit("an edit the template collides with", f.path, line, (edited,))
    return None


def plan(old: Path, new: Path, package: str) -> Plan:
    """Where a team's edits go in a project rendered as `old`, given the newer render `new`."""
    greeting = {
        f"src/{package}/team_greeting.py": GREETING,
        "tests/test_team_greeting.py": GREETING_TEST.format(package=package),
    }
    for path in greeting:
        assert not (old / path).exists() and not (new / path).exists(), path
    settings = _File(old, new, f"src/{package}/settings.py")
    edits = [
        _dependency(_File(old, new, "pyproject.toml")),
        _readme(_File(old, new, "README.md")),
        _ci_step(_File(old, new, ".github/workflows/ci.yml")),
        *_default(settings, _File(old, new, "tests/test_settings.py")),
    ]
    present = [p for p in OPTIONAL_FILES if (old / p).is_file() and (new / p).is_file()]
    assert present, f"none of {OPTIONAL_FILES} is in both renders"
    changed = [p for p in present if (old / p).read_bytes() != (new / p).read_bytes()]
    deleted = (changed or present)[0]
    collision = _collision(old, new, edits, deleted)
    changed_files = [
        path
        for path in _both(old, new)
        if path not in {ANSWERS, deleted} and (old / path).read_bytes() != (new / path).read_bytes()
    ]
    assert collision or not changed_files, f"no line of {changed_files} gives a real collision"
    return Plan(greeting, edits, deleted, collision)
