"""Helpers shared by the core tests (imported by name: conftest modules are not importable)."""

from __future__ import annotations

import io
import json as jsonlib

import requests
from requests.structures import CaseInsensitiveDict

from imgur_kit import oauth


def craft_response(status, body=b"", *, headers=None, json=None, url="https://api.imgur.com/3/image/abc", method="GET"):
    """A real requests.Response as a server would have produced it (body read from a stream)."""
    if json is not None:
        body = jsonlib.dumps(json).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers or {})
    response.raw = io.BytesIO(body)
    response.url = url
    response.encoding = "utf-8"
    response.request = requests.Request(method, url).prepare()
    return response


def authorize(sandbox, credentials, *, response_type="token"):
    """Walk the consent page like a person and return what parse_redirect makes of it."""
    state = oauth.new_state()
    url = oauth.authorize_url(
        credentials.client_id, response_type=response_type, state=state, base_url=sandbox.base_url
    )
    return oauth.parse_redirect(sandbox.approve(url), expected_state=state)


def count(sandbox, method, path):
    """How many requests the sandbox saw for ``method path``."""
    return sum(1 for m, p, _ in sandbox.request_log if m == method and p == path)


def save_profiles(directory, prefix, count, start):
    """A separate process saving ``count`` profiles into the store at ``directory`` (for lost-update tests)."""
    from imgur_kit.credentials import Credentials, CredentialStore

    store = CredentialStore(directory)
    start.wait(60)
    for i in range(count):
        store.save(Credentials(f"{abs(hash(prefix)) % 16**7:07x}{i:08x}", "c" * 40), profile=f"{prefix}-{i}")


class HostileServer:
    """A tiny HTTP server on 127.0.0.1 that answers every request with ``answer``, however odd.

    For what the sandbox (a faithful Imgur) never sends: status 600, a body that is not the
    envelope, JSON nested 200,000 deep, ``Retry-After: soon``, or an answer sent one byte
    at a time (``trickle`` seconds apart). ``answer`` is (status, headers, body) and may be
    changed between requests; ``hits`` counts requests, ``received`` keeps them (head and body),
    ``sent`` counts the bytes written.
    """

    def __init__(self, status=200, headers=None, body=b"", *, trickle=None, trickle_from=0, hold=False, endless=False):
        import socket
        import threading

        self.answer = (status, headers or {}, body)
        # hold=True: read each request, then answer nothing until closed (a server that hangs).
        self.hold = hold
        self.trickle = trickle
        self.trickle_from = trickle_from  # bytes sent at once before trickling starts
        # endless=True: after the headers, zeros without end (no Content-Length) until the client hangs up.
        self.endless = endless
        self.hits = 0
        self.received = []  # every request as it arrived: head and body
        self.sent = 0
        self._stop = threading.Event()
        self._connections = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads = [threading.Thread(target=self._serve, daemon=True)]
        self._threads[0].start()

    def set(self, status=200, headers=None, body=b""):
        self.answer = (status, headers or {}, body)

    def _serve(self):
        import socket
        import threading

        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._connections.append(conn)
            worker = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _handle(self, conn):
        with conn:
            conn.settimeout(5)
            buffer = b""
            try:
                while not self._stop.is_set():
                    while b"\r\n\r\n" not in buffer:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip())
                    while len(buffer) < length:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                    self.received.append(head + b"\r\n\r\n" + buffer[:length])
                    buffer = buffer[length:]
                    self.hits += 1
                    if self.hold:
                        self._stop.wait()  # bounded: close() sets it
                        return
                    self._reply(conn)
            except OSError:
                return

    def _reply(self, conn):
        status, headers, body = self.answer
        if not isinstance(body, bytes):
            body = jsonlib.dumps(body).encode()
            headers = {"Content-Type": "application/json", **headers}
        lines = [f"HTTP/1.1 {status} Whatever"] + [f"{k}: {v}" for k, v in headers.items()]
        if self.endless:
            self._send_endlessly(conn, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            return
        lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        if self.trickle is None:
            conn.sendall(data)
            self.sent += len(data)
            return
        conn.sendall(data[: self.trickle_from])
        self.sent += self.trickle_from
        for i in range(self.trickle_from, len(data)):
            if self._stop.wait(self.trickle):
                return
            conn.sendall(data[i : i + 1])  # raises once the client has hung up
            self.sent += 1

    def _send_endlessly(self, conn, head, *, block=b"\0" * (1024 * 1024), bound=4 * 1024**3):
        conn.sendall(head)
        self.sent += len(head)
        while self.sent < bound and not self._stop.is_set():  # bound: the test's own safety net
            conn.sendall(block)  # raises once the client has hung up
            self.sent += len(block)

    def close(self):
        import socket

        self._stop.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once (Linux)
        except OSError:
            pass
        self._listener.close()
        for conn in self._connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)  # ends a handler waiting for a next request
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
