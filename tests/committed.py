"""The notebooks as committed: what every test and nbval reads, whatever a person's run saved since.

Running a notebook in JupyterLab saves its outputs into the file (autosave), and a
learner may leave a scratch ``Untitled.ipynb`` beside them. That is the product
in use, not a defect, so the checks never read the working folder: they read the
version in git's index (the committed one, or the one you ``git add``-ed), and nbval
runs on a copy of those (``python tests/committed.py FOLDER`` writes it; ``make nbval``
does so). Outside a git checkout (an unpacked archive) the folder's files are the
committed ones.

When the folder differs, :func:`note` says so in one sentence, with what to do.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = "notebooks"
NOTEBOOK_DIR = REPO / FOLDER
#: The course's notebooks: ``NN-what-it-teaches.ipynb``; anything else in the folder is a person's own.
PATTERN = "[0-9][0-9]-*.ipynb"


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, timeout=30, check=False)


@functools.cache
def _index() -> dict[str, str] | None:
    """``{name: blob id}`` of every notebook in git's index, or None outside a git checkout."""
    try:
        top = _git("rev-parse", "--show-toplevel")
    except FileNotFoundError:  # no git on this machine
        return None
    if top.returncode != 0 or Path(top.stdout.decode().strip()).resolve() != REPO:
        return None
    listed = _git("ls-files", "--stage", "-z", "--", f"{FOLDER}/*.ipynb")
    entries: dict[str, str] = {}
    for entry in listed.stdout.decode("utf-8").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        _mode, blob, stage = meta.split()
        name = path[len(FOLDER) + 1 :]
        if stage != "0":
            raise RuntimeError(
                f"{path} is in the middle of a merge (git shows a conflict): resolve it and `git add` it, "
                "then run the tests again."
            )
        if "/" not in name:
            entries[name] = blob
    return entries or None


def names() -> list[str]:
    """The course's notebooks, in order: ``00-start-here.ipynb``, ``01-…``."""
    index = _index()
    found = index if index is not None else {p.name: "" for p in NOTEBOOK_DIR.glob("*.ipynb")}
    return sorted(name for name in found if fnmatch.fnmatch(name, PATTERN))


@functools.cache
def data(name: str) -> bytes:
    """The committed bytes of ``notebooks/<name>``."""
    index = _index()
    if index is None:
        return (NOTEBOOK_DIR / name).read_bytes()
    if name not in index:
        raise FileNotFoundError(f"{FOLDER}/{name} is not committed")
    shown = _git("cat-file", "blob", index[name])
    if shown.returncode != 0:
        raise RuntimeError(f"git could not read the committed {FOLDER}/{name}: {shown.stderr.decode().strip()}")
    return shown.stdout


def text(name: str) -> str:
    """The committed ``notebooks/<name>`` as text."""
    return data(name).decode("utf-8")


def load(name: str) -> dict:
    """The committed ``notebooks/<name>``, parsed (a fresh dict on every call)."""
    return json.loads(text(name))


def exists(name: str) -> bool:
    """True when ``notebooks/<name>`` is committed (any ``.ipynb``, not only the course's)."""
    index = _index()
    return (NOTEBOOK_DIR / name).is_file() if index is None else name in index


def differing() -> list[str]:
    """Notebooks whose file in the folder is not the committed one, and notebooks never committed."""
    if _index() is None:
        return []
    committed = set(_index() or {})
    shown = []
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        if path.name not in committed or path.read_bytes() != data(path.name):
            shown.append(path.name)
    return shown + sorted(name for name in committed if not (NOTEBOOK_DIR / name).exists())


def note() -> str | None:
    """One sentence when the notebooks folder differs from what the tests check, else None."""
    changed = differing()
    if not changed:
        return None
    listed = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (
        f"notebooks: the tests check the committed notebooks, not the changes in your folder ({listed}; "
        "running a notebook in JupyterLab saves its outputs there): `git add notebooks` to test your "
        "changes, or `git checkout notebooks` to drop them."
    )


def export(folder: Path) -> list[Path]:
    """Write the course's committed notebooks into *folder* (created if missing); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names():
        target = folder / name
        target.write_bytes(data(name))
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    """``python tests/committed.py FOLDER``: FOLDER holds the committed notebooks and no other (for nbval)."""
    if len(argv) != 1:
        print("usage: python tests/committed.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    # Only notebooks are removed: a mistyped FOLDER must not cost anything else.
    for stale in folder.glob("*.ipynb") if folder.is_dir() else []:
        stale.unlink()
    export(folder)
    said = note()
    if said:
        print(said, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
