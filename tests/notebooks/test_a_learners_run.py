"""A learner who ran the notebooks and saved them has not broken ``make test`` (issue 16).

JupyterLab saves a person's outputs into the tracked notebooks: other execution
counts, a cell run twice, the widgets' state when "save widget state" is on, and
perhaps a scratch ``Untitled.ipynb`` beside them. That is the kit in use. Here a
temporary copy of the repository (never this checkout) is used as a learner
would: every notebook is run by a real kernel and saved in place. Then the
suite's notebook checks run in that copy, as ``make test`` runs them: the
notebook tests, and the nbval step of the Makefile (collected, not executed: it
must be handed the committed notebooks, byte for byte, and nbval's verdict on
those is the one ``make nbval`` gives on this checkout).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import committed
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

# The suite's notebook checks that read the notebooks' text (the live-offline run reads them
# through the same tests/committed.py, and is left out here only for its minute of kernels).
CHECKS = [
    "tests/notebooks/test_notebook_hygiene.py",
    "tests/notebooks/test_notebook_links.py",
    "tests/notebooks/test_notebook_fixes.py",
]
NB_COPY = ".pytest_cache/committed-notebooks"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=learner", "-c", "user.email=learner@example.invalid", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def copy_of_repository(target: Path) -> Path:
    """This checkout's files (as they are now, so the tests under change run) and its committed
    notebooks, committed in a fresh repository at *target*."""
    listed = git(committed.REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = committed.REPO / name
        if name.startswith(f"{committed.FOLDER}/") or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    committed.export(target / committed.FOLDER)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "as committed")
    return target


def run_and_save_as_a_learner(path: Path) -> None:
    """Run every cell with a real kernel, run the first one again, save with widget state, in place."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        store_widget_state=True,  # JupyterLab's "Save Widget State Automatically"
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
        client.execute_cell(nb.cells[first], first)  # back at the top: "which mode was that?"
        client.set_widgets_metadata()
    nbformat.write(nb, path)  # what JupyterLab's save writes: nbformat 4 JSON, indent 1


def test_a_learners_saved_run_leaves_the_notebook_checks_green(tmp_path):
    # The learner's kernels keep their files in this test's own HOME (tests/conftest.py gives each one).
    repo = copy_of_repository(tmp_path / "repo")
    names = committed.names()
    for name in names:
        run_and_save_as_a_learner(repo / committed.FOLDER / name)
    (repo / committed.FOLDER / "Untitled.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    changed = git(repo, "status", "--porcelain", "--", committed.FOLDER)
    assert changed.count(".ipynb") == len(names) + 1, f"the learner's run changed no notebook:\n{changed}"

    # Coverage of this run must not follow into the copy's processes.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COV_CORE")}
    checks = subprocess.run(
        # Not -q: the header speaks. Only the plugins these checks need, so the process starts quickly.
        [sys.executable, "-m", "pytest", *CHECKS, "-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:xdist",
         "-p", "no:playwright", "-p", "no:nbval"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert checks.returncode == 0, checks.stdout[-3000:] + checks.stderr[-2000:]
    assert "`git checkout notebooks` to drop them" in checks.stdout, "nothing says why the changes are not checked"

    venv = Path(sys.executable).parent.parent
    nbval = subprocess.run(
        [
            "make",
            "-o",
            str(venv / ".imgur-kit-installed"),  # the environment is this one: never rebuilt from the copy
            "nbval",
            f"VENV={venv}",
            "NBVAL_FLAGS=--nbval --collect-only -q -p no:cacheprovider",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert nbval.returncode == 0, nbval.stdout[-3000:] + nbval.stderr[-2000:]
    handed = sorted(p.name for p in (repo / NB_COPY).glob("*.ipynb"))
    assert handed == names, f"nbval was handed {handed}"
    for name in names:
        as_committed = subprocess.run(
            ["git", "-C", str(repo), "show", f"HEAD:{committed.FOLDER}/{name}"], capture_output=True, timeout=60
        ).stdout
        assert (repo / NB_COPY / name).read_bytes() == as_committed, f"nbval would check the learner's {name}"
        assert (repo / committed.FOLDER / name).read_bytes() != as_committed
        assert f"{name}::Cell 0" in nbval.stdout


def test_every_test_reads_the_notebooks_through_committed():
    """A test that opened notebooks/ itself would check a learner's saved run instead of the course."""
    direct = re.compile(r"""(?:parents\[\d\]|REPO\w*|ROOT)\s*/\s*["']notebooks["']|glob\(\s*["']notebooks/""")
    tests = committed.REPO / "tests"
    readers = [
        str(path.relative_to(committed.REPO))
        for path in tests.rglob("*.py")
        if path.name != "committed.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert not readers, f"these read notebooks/ directly; use tests/committed.py: {readers}"
