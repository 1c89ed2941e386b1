"""The acceptance path: the built wheel, installed in a fresh venv outside the repo, generates a
service whose own uv sync, pytest, ruff and mypy --strict pass."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from forge_scaffold import __version__

REPO = Path(__file__).resolve().parents[2]
UV = shutil.which("uv") or "uv"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(out), str(REPO)], check=True)
    (built,) = out.glob("forge_scaffold-*.whl")
    return built


def test_wheel_carries_the_template_and_no_bytecode(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "forge_scaffold/_template/copier.yml" in names
    assert any(n.startswith("forge_scaffold/_template/template/src/") for n in names)
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]
    assert all(n.endswith(".jinja") for n in names if "/_template/template/" in n)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"{args} failed:\n{result.stdout[-5000:]}\n{result.stderr[-3000:]}"
    )
    return result


@pytest.mark.slow
def test_installed_wheel_generates_and_switches_modes_offline_and_the_service_passes(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "-q", str(venv)], check=True)
    subprocess.run(
        [UV, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT", "FORGE_"))
    }
    env["FORGE_SCAFFOLD_CACHE"] = str(tmp_path / "cache")
    # `new` must not need the network: point every proxy at a closed port.
    offline = {**env, "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    _run(
        [
            str(venv / "bin" / "forge-scaffold"),
            "new",
            "svc",
            "--defaults",
            "--name",
            "Demo Svc",
            "--mode",
            "architecture",
            "--mode",
            "memory",
        ],
        work,
        offline,
    )
    project = work / "svc"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["expert_modes"] == ["python", "memory", "architecture"]
    assert Path(answers["_src_path"]).resolve() == (tmp_path / "cache" / "template").resolve()
    assert answers["_commit"] == f"v{__version__}"
    # Switch a mode on, still offline; the mode's modules and tests arrive together.
    _run([str(venv / "bin" / "forge-scaffold"), "update", "--add-mode", "async"], project, offline)
    assert (project / "src" / "demo_svc" / "pool.py").is_file()
    assert (project / "tests" / "test_pool.py").is_file()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["expert_modes"] == ["python", "async", "memory", "architecture"]
    _run(["git", "add", "-A"], project, env)
    _run(["git", "commit", "-q", "-m", "Add the async mode"], project, env)
    _run([UV, "sync", "-q"], project, env)
    _run([UV, "run", "pytest", "-q", "-p", "no:cacheprovider"], project, env)
    _run([UV, "run", "ruff", "check", "."], project, env)
    _run([UV, "run", "mypy", "--strict", "src"], project, env)
    # The generated pre-commit hooks, for real: the project's own tools plus the installed
    # forge-scaffold's `check`, on the committed tree; no hook may fail or change a file.
    hooks_env = {
        **env,
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
    }
    hooks = _run([UV, "run", "pre-commit", "run", "--all-files"], project, hooks_env)
    outcomes = dict(re.findall(r"^(.+?)\.{3,}(\w+)$", hooks.stdout, re.MULTILINE))
    hook_names = ("ruff check", "ruff format", "mypy --strict", "zizmor", "forge-scaffold check")
    assert outcomes == dict.fromkeys(hook_names, "Passed"), hooks.stdout
    _run(["git", "diff", "--exit-code"], project, env)  # the hooks changed no committed file
