"""Whether this Python has the packages the kit needs, and where to run when it has not.

In the repository folder, ``python -m imgur_kit`` finds the package folder with any
Python: a new terminal's system Python, too, which may lack the kit's dependencies
and would fail half-way through a command. So the command line looks first, by
locating the modules without importing them. When one is missing and the checkout
has its own environment (``.venv``, made by ``make lab`` or ``make setup``), the
command runs there instead, exactly as typed; otherwise one sentence names the
missing package and the fix. Standard library only, so it works where the rest cannot.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, Optional

#: The runtime dependencies of pyproject.toml: distribution name -> the module it installs.
REQUIRED = {
    "requests": "requests",
    "urllib3": "urllib3",
    "requests-toolbelt": "requests_toolbelt",
    "platformdirs": "platformdirs",
    "filelock": "filelock",
    "tqdm": "tqdm",
}
#: Set for the command run in the project's environment, so that it is handed over once at most.
HANDED_OVER = "IMGUR_KIT_HANDED_OVER"
_CHECKOUT = Path(__file__).resolve().parent.parent


def missing() -> list:
    """The distribution names of the required packages this Python cannot import."""
    absent = []
    for distribution, module in REQUIRED.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            absent.append(distribution)
    return absent


def checkout() -> Optional[Path]:
    """The repository folder this package was loaded from, or None for an installed package."""
    return _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() else None


def project_python() -> Optional[Path]:
    """The Python of the checkout's ``.venv`` when there is one and it is not the one running."""
    repo = checkout()
    if repo is None:
        return None
    venv = repo / ".venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.is_file() or Path(sys.prefix).resolve() == venv.resolve():
        return None
    return python


def sentence(absent: Sequence[str], *, handed_over: bool = False) -> str:
    """What is missing, and what to do, for a Python without the kit's packages."""
    names = " and ".join(", ".join(absent).rsplit(", ", 1)) if absent else "its packages"
    plural = "s" if len(absent) > 1 else ""
    start = f"imgur-kit needs the package{plural} {names}, which this Python ({sys.executable}) does not have."
    repo = checkout()
    if repo is None:
        return f"{start} Install the kit with its packages: {sys.executable} -m pip install imgur-kit"
    if handed_over:
        return f"{start} The project's environment ({repo / '.venv'}) is incomplete: run `make setup` in {repo}."
    return (
        f"{start} Use the project's environment: run `make setup` (or `make lab`) once in {repo}, and the "
        f"command works as typed; or install them into this Python: {sys.executable} -m pip install -e {repo}"
    )


def run_where_the_packages_are(argv: Sequence[str]) -> None:
    """Return when this Python has the kit's packages; else run ``python -m imgur_kit argv`` in the
    checkout's environment and exit with its status, or print :func:`sentence` and exit 1."""
    absent = missing()
    if not absent:
        return
    handed_over = os.environ.get(HANDED_OVER) == "1"
    python = None if handed_over else project_python()
    if python is None:
        print(sentence(absent, handed_over=handed_over), file=sys.stderr)
        sys.exit(1)
    _run(python, ["-m", "imgur_kit", *argv])


def _run(python: Path, args: list) -> NoReturn:
    env = dict(os.environ, **{HANDED_OVER: "1"})
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # no exec there: run it, then pass its status on
        sys.exit(subprocess.call([str(python), *args], env=env))
    os.execve(str(python), [str(python), *args], env)
