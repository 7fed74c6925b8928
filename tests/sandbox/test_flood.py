"""A flood of idle connections cannot stop the sandbox.

At the open-file limit of a Mac (256), idle half-sent requests must not make the listener
spin or stop answering, and the sandbox closes them within seconds. (What sits at its file
paths is tests/sandbox/test_state_files.py's subject.)
"""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time

import pytest
import requests

IMAGES = "images"


FLOOD_SANDBOX = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
from imgur_kit.sandbox import Sandbox
with Sandbox() as sandbox:
    print(sandbox.base_url, flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def small_sandbox():
    """A sandbox in its own process with the open-file limit of a Mac (256)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", FLOOD_SANDBOX], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:"), base_url
        yield base_url, proc
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def test_idle_half_sent_requests_cannot_stop_the_sandbox(small_sandbox):
    base_url, proc = small_sandbox
    port = int(base_url.rsplit(":", 1)[1])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2048), max(hard, 2048)))  # the attacker's side
    flood = []
    try:
        for _ in range(400):  # more than the sandbox's 256 files
            conn = socket.create_connection(("127.0.0.1", port), timeout=5)
            conn.sendall(b"GET /3/credits HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            flood.append(conn)

        # A real request still gets its answer (a quick 503 "try again" while the flood holds
        # every slot, then the API's own answer once idle connections have been closed).
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status in (None, 503):
            try:
                status = requests.get(f"{base_url}/3/credits", timeout=5).status_code
            except requests.RequestException:
                status = None
            if status in (None, 503):
                time.sleep(0.2)
        assert status == 401  # the API's answer to a call without a Client ID

        # The idle connections were closed by the sandbox, not held open for minutes.
        for conn in flood[:20]:
            conn.settimeout(15)
            try:
                assert conn.recv(4096) is not None  # an answer or the end of the stream, within the bound
            except ConnectionResetError:
                pass
    finally:
        for conn in flood:
            conn.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
