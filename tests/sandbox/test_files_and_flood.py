"""The sandbox's own files are only ever regular files it wrote, and a flood of idle connections cannot stop it.

Anyone on the machine can reach 127.0.0.1, and a state folder may be shared: a blob
swapped for a symlink must never be served, a FIFO must not hang the sandbox, a planted
lock symlink must not be written through. And at the open-file limit of a Mac (256),
idle half-sent requests must not make the listener spin or stop answering.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from sandbox_helpers import png

from imgur_kit.sandbox import Sandbox, SandboxError

IMAGES = "images"


def upload(sandbox) -> dict:
    headers = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
    answer = requests.post(f"{sandbox.base_url}/3/image", files={"image": png()}, headers=headers, timeout=10)
    return answer.json()["data"]


def test_a_blob_swapped_for_a_symlink_is_never_served(tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY----- not for the web")
    with Sandbox(state_dir=tmp_path / "state") as sandbox:
        image = upload(sandbox)
        blob = tmp_path / "state" / IMAGES / image["id"]
        assert requests.get(image["link"], timeout=10).content == png()
        blob.unlink()
        blob.symlink_to(secret)

        served = requests.get(image["link"], timeout=10)
        assert served.status_code == 404
        assert b"PRIVATE KEY" not in served.content


def test_a_fifo_in_place_of_a_blob_does_not_hang_the_sandbox(tmp_path):
    with Sandbox(state_dir=tmp_path / "state") as sandbox:
        image = upload(sandbox)
        blob = tmp_path / "state" / IMAGES / image["id"]
        blob.unlink()
        os.mkfifo(blob)
        assert requests.get(image["link"], timeout=10).status_code == 404
        headers = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
        assert requests.get(f"{sandbox.base_url}/3/credits", headers=headers, timeout=10).status_code == 200


def in_a_thread(target, bound: float = 20.0):
    """What ``target()`` returned or raised, or a failure if it is still waiting after ``bound`` seconds."""
    result: dict = {}

    def run():
        try:
            result["value"] = target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            result["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(bound)
    assert not worker.is_alive(), f"still waiting after {bound} s"
    return result


def test_a_fifo_in_place_of_the_state_file_is_a_sentence_not_a_hang(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    os.mkfifo(state / "sandbox-state.json")
    outcome = in_a_thread(lambda: Sandbox(state_dir=state).start().stop())
    assert isinstance(outcome.get("error"), SandboxError)
    assert "FIFO" in str(outcome["error"]) and "sandbox-state.json" in str(outcome["error"])


def test_a_lock_file_planted_as_a_symlink_is_not_written_through(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious content that must stay")
    (state / ".sandbox-state.lock").symlink_to(victim)
    with pytest.raises(SandboxError, match="symbolic link"):
        with Sandbox(state_dir=state) as sandbox:
            sandbox.register_app(name="x")
    assert victim.read_bytes() == b"precious content that must stay"


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
