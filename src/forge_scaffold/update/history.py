"""The template versions this installation knows: the installed one and the release history."""

from __future__ import annotations

import re
from functools import total_ordering
from pathlib import Path

from forge_scaffold._git import git
from forge_scaffold.update.cache import TemplateRelease

__all__ = ["Version", "installed_release", "known_versions", "parse_version"]

_VERSION = re.compile(r"^v?(?P<numbers>\d+(?:\.\d+)*)(?P<dev>\.dev\d+)?(?P<rest>.*)$")
# Where a version sorts among those with the same numbers: a development version before the
# release it leads to, a `git describe` of a later commit after it.
_DEV, _RELEASE = 0, 1


@total_ordering
class Version:
    """A release tag (`v0.2.0`), a development version (`v0.3.0.dev0`, before `v0.3.0`) or a
    `git describe` of a commit after a release (`v0.2.0-3-gabc1234`, after `v0.2.0`)."""

    __slots__ = ("dev", "numbers", "text")

    def __init__(self, text: str) -> None:
        match = _VERSION.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a template version such as v0.1.0")
        self.text = text.strip()
        self.numbers = tuple(int(n) for n in match["numbers"].split("."))
        self.dev = match["dev"] or ""

    @property
    def tag(self) -> str:
        return "v" + ".".join(str(n) for n in self.numbers) + self.dev

    @property
    def is_release(self) -> bool:
        """A released version: no development suffix, not a commit after a tag."""
        return self.text.lstrip("v") == ".".join(map(str, self.numbers))

    def _key(self) -> tuple[tuple[int, ...], int, int, bool]:
        dev = int(self.dev.removeprefix(".dev")) if self.dev else 0
        phase = _DEV if self.dev else _RELEASE
        after = self.text.lstrip("v") != self.tag.lstrip("v")
        return self.numbers, phase, dev, after

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Version({self.text!r})"


def parse_version(text: str) -> Version | None:
    """The version in `text`, or None when it is not one."""
    try:
        return Version(text)
    except ValueError:
        return None


def known_versions(repo: Path) -> list[str]:
    """Release tags in the cache repository, oldest first."""
    tags = [t for t in git(repo, "tag", "--list", "v*").splitlines() if parse_version(t)]
    return sorted(tags, key=Version)


def installed_release(*, rebuild: bool = False) -> TemplateRelease:
    """The cache, with the wheel's release history imported and the installed version tagged
    (`rebuild`: built anew from the wheel, after it was found damaged)."""
    from forge_scaffold import __version__  # noqa: PLC0415 - read at call time (tests patch it)
    from forge_scaffold.resources import template_root  # noqa: PLC0415
    from forge_scaffold.update.cache import ensure_release  # noqa: PLC0415

    return ensure_release(template_root(), __version__, rebuild=rebuild)
