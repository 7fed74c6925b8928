"""Raw HTTP over a socket, for requests no well-behaved client would send (shared by the test folders)."""

from __future__ import annotations

import socket


def exchange(port: int, request: bytes, *, timeout: float = 10) -> bytes:
    """Send ``request`` as is to 127.0.0.1:``port`` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
