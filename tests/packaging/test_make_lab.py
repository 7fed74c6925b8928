"""`make lab`, the README's main command: JupyterLab on the notebooks, opened at the start."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import requests
from loopback import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_make_lab_serves_the_notebooks_and_opens_the_start_notebook(tmp_path):
    port, token = free_port(), "make-lab-test"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMGUR_")}
    env.update(
        HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config")
    )
    flags = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_FLAGS={flags}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{base}/api/status", params={"token": token}, timeout=2).raise_for_status()
                break
            except requests.RequestException:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "make lab did not start JupyterLab in time"
                time.sleep(0.5)
        opened = requests.get(f"{base}/", params={"token": token}, allow_redirects=False, timeout=10)
        assert opened.status_code == 302
        assert opened.headers["Location"].startswith("/lab/tree/notebooks/00-start-here.ipynb")
        listing = requests.get(f"{base}/api/contents/notebooks", params={"token": token}, timeout=10).json()
        names = {item["name"] for item in listing["content"]}
        assert {f"0{i}-" for i in range(6)} <= {name[:3] for name in names}
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # make and the Lab it started, by their own group
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
    assert "lab/tree/notebooks/00-start-here.ipynb" in output
