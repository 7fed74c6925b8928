"""Every command in the README's code blocks works as written, in a new terminal (issue 16).

A new terminal has none of this project's environment: ``python`` is whatever the PATH
finds (often a system Python without the kit's packages), and nothing is configured. Each
``python -m imgur_kit ...`` line is run as written, from the repository folder, with a
clean environment: the PATH without this test run's own environment, a fresh HOME, and
only ``IMGUR_KIT_BASE_URL`` pointing at a sandbox so that ``status`` never leaves the
machine. Input is closed, as if the person pressed Ctrl-D at a prompt. Every line must
end in the kit's own sentences, never in a traceback or "Something unexpected".

Whatever Python this machine's PATH has, the second test also runs the command line
with a Python that surely lacks the kit's packages: it hands the command to the
project's environment, or, with none, names the missing package and the fix.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKEN = re.compile(r"Traceback \(most recent call last\)|Something unexpected|ModuleNotFoundError|No module named")


def readme_commands() -> list[str]:
    """The ``python -m imgur_kit`` lines of the README's shell blocks, comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()]
    return [" ".join(shlex.split(line, comments=True)) for line in lines if line.startswith("python -m imgur_kit")]


def new_terminal(home: Path, **extra: str) -> dict:
    """A new terminal's environment: the PATH without this environment's own bin folder, a fresh HOME."""
    own = (Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")).resolve()
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and Path(d).resolve() != own]
    env = {"PATH": os.pathsep.join(path), "HOME": str(home), "LANG": "C.UTF-8"}
    env.update({name: os.environ[name] for name in ("PYENV_ROOT", "SYSTEMROOT") if name in os.environ})
    env.update(extra)
    return env


def run(argv: list[str], env: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)


def test_the_readme_lists_each_command_on_a_line_of_its_own():
    commands = readme_commands()
    assert len(commands) >= 8, commands
    assert not [c for c in commands if "|" in c or "[" in c], "a line that is no command as written"


def test_every_readme_command_works_as_written_in_a_new_terminal(sandbox, tmp_path):
    home = tmp_path / "new-terminal-home"
    home.mkdir()
    env = new_terminal(home, IMGUR_KIT_BASE_URL=sandbox.base_url)
    # The README: "No `python` on your system, only `python3`? Type `python3` instead."
    python = "python" if shutil.which("python", path=env["PATH"]) else "python3"
    assert shutil.which(python, path=env["PATH"]), "this machine's PATH has no Python at all"
    said = {}
    for command in readme_commands():
        argv = [python, *shlex.split(command)[1:]]
        done = run(argv, env)
        shown = done.stdout + done.stderr
        said[command] = shown
        assert not BROKEN.search(shown), f"{command}\n{shown}"
        assert done.returncode in (0, 1) and shown.strip(), f"{command} (exit {done.returncode})\n{shown}"
        assert "usage:" not in shown, f"{command} is not a command as written:\n{shown}"
    uploads = [c for c in said if " upload " in c]
    assert uploads and all("Uploaded: http://127.0.0.1:" in said[c] for c in uploads), said
    assert "No stored token to remove." in said["python -m imgur_kit logout"]


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A Python with the standard library only (a venv without pip or site packages)."""
    where = tmp_path_factory.mktemp("bare")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    lacks = run([str(python), "-c", "import platformdirs"], new_terminal(where))
    assert lacks.returncode != 0, "the bare Python has the kit's packages after all"
    return python


def test_a_python_without_the_packages_hands_the_command_to_the_projects_environment(bare_python, tmp_path):
    assert (ROOT / ".venv" / "bin").is_dir(), "this checkout has no .venv, the project's environment: make setup"
    done = run([str(bare_python), "-m", "imgur_kit", "logout"], new_terminal(tmp_path))
    assert done.returncode == 0 and done.stdout.strip() == "No stored token to remove.", done.stdout + done.stderr


def test_without_the_projects_environment_the_missing_package_is_named_with_the_fix(bare_python, tmp_path):
    checkout = tmp_path / "checkout"  # the package and its pyproject.toml, with no .venv beside them
    shutil.copytree(ROOT / "imgur_kit", checkout / "imgur_kit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    done = run([str(bare_python), "-m", "imgur_kit", "status"], new_terminal(tmp_path), cwd=checkout)
    said = done.stderr.strip()
    assert done.returncode == 1 and not BROKEN.search(said), said
    assert said.startswith("imgur-kit needs the packages requests, urllib3, "), said
    assert f"which this Python ({bare_python}) does not have" in said
    assert f"run `make setup` (or `make lab`) once in {checkout}" in said and "-m pip install -e" in said


def test_the_kit_checks_for_exactly_the_packages_pyproject_requires():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11: the test extra installs tomli there
        import tomli as tomllib
    from imgur_kit.dependencies import REQUIRED

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower() for spec in declared}
    assert names == set(REQUIRED)
