"""A request body off the connection, in pieces: by Content-Length or chunked, bounded.

The server feeds these pieces to a :class:`~.forms.FormReader` as they arrive, so no
body is ever held whole. What cannot be read raises :class:`BodyError`, which says
what to answer (or that the client has gone, and nothing can be answered).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional, Protocol

#: The largest body read: a 20 MB image as base64 (26.7 MB) in a form, with room to spare.
MAX_BODY = 32 * 1024 * 1024
#: A larger body is read and thrown away (in small pieces) up to this size, so the client
#: gets its 413 answer instead of a connection reset mid-upload; beyond it, answer and close.
MAX_DRAIN = 256 * 1024 * 1024
PIECE = 64 * 1024


class Readable(Protocol):
    """The connection's buffered reader (``BaseHTTPRequestHandler.rfile``)."""

    def read(self, size: Optional[int] = -1, /) -> bytes: ...

    def readline(self, size: Optional[int] = -1, /) -> bytes: ...


class BodyError(Exception):
    """The body cannot be read: answer ``status`` with ``text`` and close (status None: the client went away)."""

    def __init__(self, status: Optional[int], text: bytes = b"") -> None:
        super().__init__(text.decode("ascii", "replace") or "the client stopped sending")
        self.status = status
        self.text = text


def declared_length(headers) -> Optional[int]:
    """The Content-Length, None for a chunked body; BodyError for a bad or too large one."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return None
    if len(set(headers.get_all("Content-Length") or [])) > 1:
        raise BodyError(400, b"Two different Content-Length headers")
    try:
        length = int(headers.get("Content-Length") or 0)
    except ValueError:
        length = -1
    if length < 0:
        raise BodyError(400, b"Bad request body length")
    return length


def pieces(rfile: Readable, length: Optional[int]) -> Iterator[bytes]:
    """The body in pieces of at most PIECE bytes: ``length`` bytes, or chunked when None."""
    if length is None:
        yield from _chunked(rfile)
        return
    while length > 0:
        piece = _read(rfile, min(length, PIECE))
        length -= len(piece)
        yield piece


def _read(rfile: Readable, size: int) -> bytes:
    try:
        piece = rfile.read(size)
    except OSError:  # a timeout, or a reset: the client is not sending any more
        piece = b""
    if not piece:
        raise BodyError(None)
    return piece


def _chunked(rfile: Readable) -> Iterator[bytes]:
    # requests sends a generator body with chunked transfer encoding.
    total = 0
    while True:
        line = rfile.readline(65537)
        if not line:
            raise BodyError(None)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BodyError(400, b"Bad chunked body") from None
        if size < 0:
            raise BodyError(400, b"Bad chunked body")
        if size == 0:
            while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return
        total += size
        if total > MAX_BODY:
            raise BodyError(413, b"Request body too large")
        while size > 0:
            piece = _read(rfile, min(size, PIECE))
            size -= len(piece)
            yield piece
        rfile.readline(3)  # the CRLF after each chunk


def discard(rfile: Readable, length: int) -> bool:
    """Read and drop ``length`` bytes in small pieces; False when the client stopped sending."""
    try:
        for _ in pieces(rfile, length):
            pass
    except BodyError:
        return False
    return True
