"""The sandbox stays up under a connection flood: at a low open-file limit (256, macOS's default),
many idle half-sent requests neither stop it answering nor hold its connections for long."""

from __future__ import annotations

import socket
import time

import requests
from loopback import SandboxProcess

#: More connections than the sandbox serves at once at this limit (half of it), fewer than
#: that plus the listen backlog, so that each of them, and the normal request after them, connects.
LIMIT = 256
FLOOD = 180


def closed_by_the_server(sock: socket.socket, deadline: float) -> bool:
    """True once the server has closed ``sock`` (end of file or a reset) before ``deadline``."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if sock.recv(4096) == b"":
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False


def test_half_sent_requests_neither_stop_the_sandbox_nor_hold_their_connections(tmp_path):
    with SandboxProcess(tmp_path / "config", tmp_path / "state", open_file_limit=LIMIT) as sandbox:
        assert requests.get(sandbox.base_url + "/", timeout=10).status_code == 200
        flood = []
        try:
            for _ in range(FLOOD):
                sock = socket.create_connection(("127.0.0.1", sandbox.port), timeout=10)
                sock.sendall(f"GET /3/credits HTTP/1.1\r\nHost: 127.0.0.1:{sandbox.port}\r\n".encode())  # no end
                flood.append(sock)
            # A normal request after the flood is answered within a bounded wait.
            answer = requests.get(sandbox.base_url + "/", timeout=30)
            assert answer.status_code == 200
            # The half-sent requests are closed by the server within seconds (they were held for 120 s).
            deadline = time.monotonic() + 30
            still_open = [s for s in flood if not closed_by_the_server(s, deadline)]
            assert still_open == [], f"{len(still_open)} of {FLOOD} idle connections were still open after 30 s"
            # And it goes on answering.
            assert requests.get(sandbox.base_url + "/", timeout=30).status_code == 200
        finally:
            for sock in flood:
                sock.close()
