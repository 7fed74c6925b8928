"""Binder and conda must install what pyproject.toml says, and Binder must accept its config."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import committed
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: the test extra installs tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def names(requirements) -> set[str]:
    """Package names from requirement strings, normalised as pip does."""
    found = set()
    for line in requirements:
        line = line.split("#")[0].strip()
        match = re.match(r"[A-Za-z0-9_.\-]+", line)
        if match and not line.startswith("-"):
            found.add(re.sub(r"[-_.]+", "-", match.group(0)).lower())
    return found


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_binder_installs_the_runtime_and_notebook_dependencies():
    project = pyproject()
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["notebook"])
    binder = names((ROOT / "binder" / "requirements.txt").read_text().splitlines())
    assert binder == wanted


def test_binder_uses_the_fast_pip_path_with_a_pinned_python():
    binder = ROOT / "binder"
    assert not (binder / "environment.yml").exists(), "a conda solve on Binder is slow"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = (binder / "postBuild").read_text()
    assert post_build.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in post_build
    assert "pip install" in post_build


def test_conda_environment_matches_pyproject():
    project = pyproject()
    wanted = names(project["dependencies"]) | set().union(
        *(names(extra) for key, extra in project["optional-dependencies"].items())
    ) - {"imgur-kit"}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = []
    for item in env["dependencies"]:
        listed.extend(item["pip"] if isinstance(item, dict) else [item])
    assert names(listed) - {"python", "pip"} == wanted


def test_repo2docker_accepts_the_repository():
    repo2docker = shutil.which("repo2docker") or str(Path(sys.executable).parent / "repo2docker")
    result = subprocess.run(
        [repo2docker, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in output
    assert "./binder/postBuild" in output
    assert "python=3.11" in output


def test_readme_badge_opens_the_start_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\(https://mybinder\.org/v2/gh/([^)\s]+)\)", readme)
    assert badge, "no Binder badge link in README.md"
    assert badge.group(1).endswith("?urlpath=lab/tree/notebooks/00-start-here.ipynb")
    assert committed.exists("00-start-here.ipynb")


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
