"""Render the template and run a generated project's own checks in one shared virtual environment.

Used by the matrix tests and by developers: `python tests/template_harness.py async memory`
(add `--python=3.13` to render for that target and check it under the CPython 3.13 build).
Rendering a project per test is cheap (~1 s); installing its dependencies is not, so every
generated project is checked with one venv that holds the union of all modes' dependencies.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALL_MODES = ("python", "async", "memory", "testing", "architecture")
COMBINATIONS = [
    ("python", *combo)
    for size in range(len(ALL_MODES))
    for combo in itertools.combinations(ALL_MODES[1:], size)
]


def combo_id(modes: Sequence[str]) -> str:
    return "+".join(modes)


# One project name per combination, so the matrix sees package names that sort before and after
# every first-party and test-kit module without rendering more projects: the eight combinations
# with `testing` (the ones that import the test kit) take the kit-adjacent names.
_TESTING_NAMES = ("Kit", "Kit Tools", "Kis Svc", "Kiu", "Zeta Svc", "Payments", "A Svc")
_OTHER_NAMES = ("Ab", "Abcdefghij Abcdefghij Abcdefgh", "Zz Svc", "Orders", "Upgrade Svc",
                "Demo Svc", "Billing Gateway", "Mid Svc")  # fmt: skip
LONGEST_NAME = "Zyxwvutsrq Zyxwvutsrq Zyxwvuts"  # 30 characters, sorts after everything


def _matrix_names() -> dict[str, str]:
    testing = iter(_TESTING_NAMES)
    others = iter(_OTHER_NAMES)
    names = {}
    for modes in COMBINATIONS:
        if tuple(modes) == ALL_MODES:
            names[combo_id(modes)] = LONGEST_NAME
        else:
            names[combo_id(modes)] = next(testing if "testing" in modes else others)
    return names


MATRIX_NAMES = _matrix_names()


VENV_HOME = Path(os.environ.get("FORGE_TEMPLATE_VENV", REPO / ".cache" / "template-venv"))
PYTHON313_SCRIPT = REPO / "scripts" / "python313.sh"


def template_snapshot(dest: Path) -> Path:
    """Copy copier.yml + template/ into a plain folder, so renders see exactly the working tree."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "copier.yml", dest / "copier.yml")
    shutil.copytree(
        REPO / "template",
        dest / "template",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )
    return dest


def render(
    dest: Path,
    modes: Iterable[str],
    *,
    name: str = "Demo Svc",
    data: dict[str, object] | None = None,
    src: Path | None = None,
) -> Path:
    """Render one project with Copier's API (the template as plain `copier copy` users get it)."""
    import copier  # noqa: PLC0415 - slow import, only when rendering

    selected = ["python", *(m for m in ALL_MODES[1:] if m in set(modes))]
    answers: dict[str, object] = {"project_name": name, "expert_modes": selected, **(data or {})}
    source = src or template_snapshot(Path(tempfile.mkdtemp(prefix="forge-tpl-")))
    copier.run_copy(str(source), str(dest), data=answers, defaults=True, quiet=True)
    return dest


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def dependency_union(project: Path) -> list[str]:
    """Runtime + dev dependencies of an all-modes project: the shared venv's contents."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return sorted({*meta["project"]["dependencies"], *meta["dependency-groups"]["dev"]})


def python313() -> Path:
    """CPython 3.13, built once into .tools/ by scripts/python313.sh (instant when it is there)."""
    result = subprocess.run(
        ["bash", str(PYTHON313_SCRIPT)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"scripts/python313.sh failed:\n{result.stderr[-3000:]}")
    return Path(result.stdout.strip().splitlines()[-1])


def shared_venv(all_modes_project: Path, python: Path | None = None) -> Path:
    """One venv (keyed by the dependency list and interpreter) reused by every generated project."""
    deps = dependency_union(all_modes_project)
    interpreter = str(python or sys.executable)
    key = hashlib.sha256("\n".join([interpreter, *deps]).encode()).hexdigest()[:12]
    venv = VENV_HOME / key
    marker = venv / ".complete"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f".{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # test workers share the venv: build it once
        if marker.exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        uv = shutil.which("uv") or "uv"
        subprocess.run([uv, "venv", "-q", "--python", interpreter, str(venv)], check=True)
        # Compiled once here: the checks run with PYTHONDONTWRITEBYTECODE (`run_in`), so every
        # process would otherwise compile what it imports from site-packages again.
        install = [uv, "pip", "install", "-q", "--compile-bytecode"]
        subprocess.run([*install, "--python", str(_venv_python(venv)), *deps], check=True)
        marker.write_text("\n".join(deps) + "\n", encoding="utf-8")
    return venv


def run_in(
    venv: Path, project: Path, args: Sequence[str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run a tool of the shared venv inside a generated project, with its src on the path."""
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(project / "src"),
        "VIRTUAL_ENV": str(venv),
        # Renders are shared by the tests of a session: leave no bytecode behind in them.
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTHONHOME", None)
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


CHECKS: dict[str, tuple[str, ...]] = {
    "ruff": ("ruff", "check", "--no-cache", "."),
    "ruff-format": ("ruff", "format", "--check", "--no-cache", "."),
    "mypy": ("mypy", "--strict", "--no-incremental", "src", "tests"),
    "pytest": ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider"),
    "collect": ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"),
}
# What a team runs on its project (the generated CI's checks). `collect` is left out: `pytest`
# collects first and fails on a collection error or on no tests at all (exit 5).
PROJECT_CHECKS = ("ruff", "ruff-format", "mypy", "pytest")

# A folder for check results shared by the workers of one test session (tests/conftest.py sets it).
CHECK_RESULTS_ENV = "FORGE_TEST_CHECK_RESULTS"
# What a generated project's own .gitignore calls the output of Python and its tools: written by
# the checks, never their input, so left out of a tree's digest.
_TOOL_OUTPUT_FOLDERS = frozenset(
    {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "htmlcov"}
)
# Where Copier found the template on this machine (a cache folder per test worker): recorded in
# the answers file, read by no check (tests/test_harness_checks.py makes sure), so not input.
ANSWERS_FILE = ".copier-answers.yml"
_SRC_PATH = re.compile(rb"^_src_path: .*$", re.MULTILINE)
# Set per test or per worker by pytest and the test session, and read by no generated project.
_SESSION_VARIABLES = ("PYTEST_", "FORGE_SCAFFOLD_CACHE")


def _is_tool_output(relative: Path) -> bool:
    name = relative.name
    return (
        bool(_TOOL_OUTPUT_FOLDERS.intersection(relative.parts))
        or name.startswith(".coverage")  # .coverage and the .coverage.* of parallel runs
        or name == "coverage.xml"
        or name.endswith((".pyc", ".pyo"))
    )


def tree_digest(project: Path) -> str:
    """The digest of every file a check reads: relative path, executable bit and bytes."""
    digest = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if not path.is_file() or _is_tool_output(relative):
            continue
        executable = os.access(path, os.X_OK)
        content = path.read_bytes()
        if relative.as_posix() == ANSWERS_FILE:
            content = _SRC_PATH.sub(b"_src_path: <the template's location>", content)
        for part in (relative.as_posix().encode(), b"x" if executable else b"-", content):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def _check_key(venv: Path, project: Path, args: Sequence[str]) -> str:
    """Everything a check's outcome depends on but the project's location: the command, the venv
    (its path is the digest of its interpreter and dependencies), the environment and the tree."""
    environment = sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if not name.startswith(_SESSION_VARIABLES) and name != CHECK_RESULTS_ENV
    )
    parts = [
        "\0".join(args),
        str(venv.resolve()),
        "\0".join(environment),
        tree_digest(project),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def run_check(venv: Path, project: Path, name: str) -> subprocess.CompletedProcess[str]:
    """`CHECKS[name]` in a generated project, run once per identical input in a test session.

    Release tests check many trees that are byte for byte the same (an unedited project updated
    from any release is the fresh render; the same team edits land in the same places from most
    releases). With `CHECK_RESULTS_ENV` set, the outcome of a check is kept under the digest of its
    whole input (`_check_key`) and returned for the next identical input, by any worker; a failure
    is kept and returned like a success. Without it, the check always runs.
    """
    args = CHECKS[name]
    if not (folder := os.environ.get(CHECK_RESULTS_ENV)):
        return run_in(venv, project, args)
    results = Path(folder)
    results.mkdir(parents=True, exist_ok=True)
    key = _check_key(venv, project, args)
    stored = results / f"{key}.json"
    with (results / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker with the same input waits, then reads
        if stored.exists():
            kept = json.loads(stored.read_text(encoding="utf-8"))
            note = f"\n(the outcome of the identical tree checked at {kept['project']})\n"
            return subprocess.CompletedProcess(
                kept["args"], kept["returncode"], kept["stdout"], kept["stderr"] + note
            )
        result = run_in(venv, project, args)
        record = {
            "project": str(project),
            "args": list(result.args),
            "returncode": result.returncode,
            "stdout": result.stdout,
            "stderr": result.stderr,
        }
        partial = stored.with_suffix(".partial")
        partial.write_text(json.dumps(record), encoding="utf-8")
        partial.replace(stored)
    return result


def main(argv: Sequence[str]) -> int:
    modes = [m for m in argv if not m.startswith("-")] or ["python"]
    unknown = sorted(set(modes) - set(ALL_MODES))
    if unknown:
        print(f"unknown modes {unknown}; choose from {ALL_MODES}", file=sys.stderr)
        return 2
    # --python=3.12 / 3.13: render for that target and check it under the CPython 3.13 build.
    version = next((a.split("=", 1)[1] for a in argv if a.startswith("--python=")), "3.11")
    data: dict[str, object] = {"python_version": version}
    work = Path(tempfile.mkdtemp(prefix="forge-try-"))
    snapshot = template_snapshot(work / "template-src")
    full = render(work / "all", ALL_MODES, src=snapshot, data=data)
    venv = shared_venv(full, python313() if version != "3.11" else None)
    project = render(work / "svc", modes, src=snapshot, data=data)
    print(f"rendered {modes} into {project}")
    failed = 0
    for name in PROJECT_CHECKS:
        if name == "pytest" and "--no-tests" in argv:
            continue
        result = run_check(venv, project, name)
        status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
        print(f"== {name}: {status}")
        if result.returncode != 0:
            failed += 1
            print(result.stdout[-6000:], result.stderr[-3000:], sep="\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
