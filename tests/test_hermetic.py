"""The tests never touch the files of the person who runs them.

A person who has used the notebooks and the command line has keys, a token, a sandbox
record and Jupyter settings under their home, and may have IMGUR_* variables set in their
shell. This test plants all of that in a home of its own, runs a part of the suite there
in another process, and holds that the results are the same as on a clean machine (every
test passes, none skipped) and that not one byte of that home changed or was added.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: A slice that opens sessions, widgets, IPython displays, the command line and sandboxes.
SLICE = [
    "tests/widgets/test_login_widget.py",
    "tests/core/test_one_token_truth.py",
    "tests/notebooks/test_postman_export_in_a_notebook.py",
]
PLANTED_ID = "fedcba987654321"
#: Only the plugins the slice needs: a subprocess that loads every installed one starts slowly.
LEAN = ["-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:xdist", "-p", "no:playwright", "-p", "no:nbval"]


def plant_a_used_home(home: Path) -> dict:
    """What a person's home holds after using the kit; returns the variables their shell sets."""
    config = home / ".config" / "imgur-kit"
    (config / "sandbox").mkdir(parents=True, mode=0o700)
    token = {"access_token": "a" * 40, "refresh_token": "b" * 40, "account_username": "planted-person"}
    profile = {"client_id": PLANTED_ID, "client_secret": "f" * 40, "token": token}
    for name in ("credentials.json", "sandbox-credentials.json"):
        (config / name).write_text(json.dumps({"format": 1, "profiles": {"default": profile}}))
        (config / name).chmod(0o600)
    record = {"base_url": "http://127.0.0.1:9", "pid": os.getpid(), "state_dir": str(config / "sandbox")}
    (config / "sandbox.json").write_text(json.dumps(record))
    (config / "sandbox" / "state.json").write_text("{}")
    (home / ".ipython" / "profile_default").mkdir(parents=True)
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "jupyter_server_config.json").write_text("{}")
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "IMGUR_KIT_CONFIG_DIR": str(config),
        "IMGUR_CLIENT_ID": PLANTED_ID,
        "IMGUR_CLIENT_SECRET": "f" * 40,
        "IMGUR_KIT_MODE": "live",
        "IMGUR_KIT_BASE_URL": "http://127.0.0.1:9",
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "IPYTHONDIR": str(home / ".ipython"),
    }


def snapshot(home: Path) -> dict:
    """Every path under ``home`` with the digest of its bytes (None for a folder)."""
    return {
        str(path.relative_to(home)): (None if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(home.rglob("*"))
    }


def test_a_slice_of_the_suite_passes_in_a_used_home_and_leaves_it_untouched(tmp_path):
    home = tmp_path / "person"
    shell = plant_a_used_home(home)
    before = snapshot(home)

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    env.update(shell)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", *LEAN, *SLICE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "passed" in summary and "skipped" not in summary and "failed" not in summary, summary
    assert snapshot(home) == before  # nothing read-modified-written, nothing added
