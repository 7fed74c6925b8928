"""The HTTP side: a threaded HTTP/1.1 server with keep-alive, the request
handler that checks the Host, reads bodies (Content-Length or chunked, bounded),
applies the fault in force, routes to the handlers, and always sends a correct
Content-Length and only header values that are safe to send.
"""

from __future__ import annotations

import io
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

from .caller import auth_scheme
from .context import Context
from .fault_pages import fault_response
from .hosts import host_problem
from .loopback_server import LoopbackServer
from .messages import Request, Response, UnsafeHeader, error_envelope, header_value
from .routes import answer

#: The largest body read: a 20 MB image as base64 (26.7 MB) in a form, with room to spare.
#: Memory per request stays a small multiple of this, however large the upload claims to be.
MAX_BODY = 32 * 1024 * 1024
#: A larger body is read and thrown away (in small pieces) up to this size, so the client
#: gets its 413 answer instead of a connection reset mid-upload; beyond it, answer and close.
MAX_DRAIN = 256 * 1024 * 1024
_PIECE = 64 * 1024


class SandboxHTTPServer(LoopbackServer):
    """The sandbox's server: one thread per connection, the context every handler shares."""

    def __init__(
        self, address, context: Context, base_url: Callable[[], str], log: Callable[[str, str, Optional[str]], None]
    ) -> None:
        self.context = context
        self.base_url = base_url
        self.log_request_line = log
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    """Reads one request at a time off a keep-alive connection."""

    protocol_version = "HTTP/1.1"
    server_version = "imgur-sandbox/1.0"
    sys_version = ""
    # An idle keep-alive connection, or a request that stops half-way, gives its thread
    # and its slot back after this many seconds without a byte (a flood of them cannot
    # hold the sandbox; a client simply opens a new connection).
    timeout = 5
    # Headers and body leave in separate writes; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (about 40 ms) on every keep-alive request.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def version_string(self) -> str:
        """The Server header."""
        return self.server_version

    def log_message(self, format: str, *args) -> None:
        """No access log on stderr: the sandbox runs inside notebooks and tests."""

    def do_GET(self) -> None:
        """Every method goes through the same dispatcher."""
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        self._answered = False
        try:
            self._answer_request()
        except Exception:  # noqa: BLE001 - whatever a client sends, it gets an answer
            self.close_connection = True
            if not self._answered:
                try:
                    self._send(Response(400, b"The sandbox could not read this request."))
                except OSError:
                    pass  # the client has gone

    def _answer_request(self) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path, errors="replace") or "/"
        body = self._read_body()
        if body is None:
            return
        refused = host_problem(self.headers, self.server.server_address[1])
        if refused is not None:
            self._send(Response(400, refused.encode("utf-8")))
            return
        self.server.log_request_line(self.command, path, auth_scheme(self.headers))
        req = Request(self.command, path, Request.parse_query(split.query), self.headers, body, self.server.base_url())
        ctx = self.server.context
        fault = ctx.faults.hit(path)
        if fault is not None and fault.name == "drop":
            self._drop()
            return
        if fault is not None and fault.name == "slow":
            time.sleep(float(fault.options.get("seconds", 2)))
            fault = None
        try:
            response = fault_response(fault, ctx, req) if fault else answer(ctx, req)
        except Exception as exc:  # a sandbox bug must still answer, never hang the client
            response = error_envelope(f"Internal error in the sandbox ({type(exc).__name__}).", req, 500)
        self._send(response)

    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        if len(set(self.headers.get_all("Content-Length") or [])) > 1:
            self._refuse(400, b"Two different Content-Length headers")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._refuse(400, b"Bad request body length")
            return None
        if length > MAX_BODY:
            if length <= MAX_DRAIN and self._discard(length):
                self._send(Response(413, b"Request body too large"))
            else:
                self._refuse(413, b"Request body too large")
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> Optional[bytes]:
        # requests sends a generator body with chunked transfer encoding.
        body = io.BytesIO()
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self._refuse(400, b"Bad chunked body")
                return None
            if size < 0:
                self._refuse(400, b"Bad chunked body")
                return None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return body.getvalue()
            if body.tell() + size > MAX_BODY:
                self._refuse(413, b"Request body too large")
                return None
            body.write(self.rfile.read(size))
            self.rfile.readline(3)  # the CRLF after each chunk

    def _discard(self, length: int) -> bool:
        """Read and drop ``length`` bytes in small pieces; False when the client stopped sending."""
        while length > 0:
            piece = self.rfile.read(min(length, _PIECE))
            if not piece:
                return False
            length -= len(piece)
        return True

    def _refuse(self, status: int, text: bytes) -> None:
        # The rest of the body is unread: answer, then close instead of reading it as a request.
        self.close_connection = True
        self._send(Response(status, text))

    def _drop(self) -> None:
        # Like a connection reset on the way: no status line, no bytes at all.
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, response: Response) -> None:
        self._answered = True
        try:
            headers = [(name, header_value(value)) for name, value in response.headers.items()]
        except UnsafeHeader:
            # Last line of defence: a stored value with a line break never reaches a header.
            response = Response(
                500, b"The sandbox refused to send a header holding a line break or another control character."
            )
            headers = []
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
