"""The HTTP side: a threaded HTTP/1.1 server with keep-alive, the request
handler that checks the Host, reads bodies (Content-Length or chunked, bounded)
as they arrive, a piece at a time, into a form whose large values go straight to
files in the state folder, applies the fault in force, routes to the handlers,
and always sends a correct Content-Length and only header values that are safe to send.
"""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

from . import bodies
from .api import edge_answer
from .bodies import MAX_BODY, MAX_DRAIN, BodyError
from .caller import auth_scheme
from .context import Context
from .fault_pages import DROP
from .forms import FormReader, ReadBody
from .hosts import host_problem
from .loopback_server import LoopbackServer
from .messages import Request, Response, UnsafeHeader, error_envelope, header_value
from .routes import answer
from .spool import Spool

__all__ = ["IDLE_TIMEOUT", "MAX_BODY", "MAX_DRAIN", "SandboxRequestHandler", "SandboxHTTPServer"]

#: How long a connection may stay silent: long enough for any client between two requests
#: of one task, short enough that idle connections cannot pile up.
IDLE_TIMEOUT = 5.0


class SandboxHTTPServer(LoopbackServer):
    """The sandbox's server: one thread per connection, the context every handler shares."""

    def __init__(
        self, address, context: Context, base_url: Callable[[], str], log: Callable[[str, str, Optional[str]], None]
    ) -> None:
        self.context = context
        self.base_url = base_url
        self.log_request_line = log
        super().__init__(address, SandboxRequestHandler)


class SandboxRequestHandler(BaseHTTPRequestHandler):
    """Reads one request at a time off a keep-alive connection."""

    protocol_version = "HTTP/1.1"
    server_version = "imgur-sandbox/1.0"
    sys_version = ""
    #: Seconds a connection may stay silent (idle keep-alive, or a request sent in part) before
    #: it is closed and its thread given back: a flood of half-sent requests cannot hold them.
    timeout = IDLE_TIMEOUT
    # Headers and body leave in separate writes; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (about 40 ms) on every keep-alive request.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer
    _spool: Optional[Spool] = None  # the values of the request being answered

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
        spool = self._spool = Spool(self.server.context.state.upload_folder)
        try:
            self._answer_with(spool)
        finally:
            spool.discard_all()  # what a handler did not keep (a refused or broken upload) goes
            self._spool = None

    def _answer_with(self, spool: Spool) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path, errors="replace") or "/"
        body = self._read_body(spool)
        if body is None:
            return
        refused = host_problem(self.headers, self.server.server_address[1])
        if refused is not None:
            self._send(Response(400, refused.encode("utf-8")))
            return
        self.server.log_request_line(self.command, path, auth_scheme(self.headers))
        req = Request(
            self.command, path, Request.parse_query(split.query), self.headers, body, self.server.base_url(), spool
        )
        ctx = self.server.context
        fault = ctx.faults.hit(path)
        outcome = fault.answer(req) if fault is not None else None
        if outcome is DROP:
            self._drop()
            return
        try:
            response = edge_answer(ctx, req, outcome) if isinstance(outcome, Response) else answer(ctx, req)
        except Exception as exc:  # a sandbox bug must still answer, never hang the client
            response = error_envelope(f"Internal error in the sandbox ({type(exc).__name__}).", req, 500)
        self._send(response)

    def _read_body(self, spool: Spool) -> Optional[ReadBody]:
        """The body read as a form as it arrives (large values to files); None when already answered."""
        try:
            length = bodies.declared_length(self.headers)
        except BodyError as exc:
            self._refuse(exc.status or 400, exc.text)
            return None
        if length is not None and length > MAX_BODY:
            if length <= MAX_DRAIN and bodies.discard(self.rfile, length):
                self._send(Response(413, b"Request body too large"))
            else:
                self._refuse(413, b"Request body too large")
            return None
        reader = FormReader(self.headers.get("Content-Type") or "", spool)
        try:
            for piece in bodies.pieces(self.rfile, length):
                reader.feed(piece)
        except BodyError as exc:
            if exc.status is None:  # the client stopped sending: nobody to answer
                self.close_connection = True
                self._answered = True
            else:
                self._refuse(exc.status, exc.text)
            return None
        except OSError as exc:  # the upload could not be written to the state folder
            self._refuse(500, str(exc).encode("utf-8", "replace"))
            return None
        return reader.read_body()

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
        if self._spool is not None:
            # Before answering: once a client has its answer, no file of its request is left.
            self._spool.discard_all()
        try:
            headers = [(name, header_value(value)) for name, value in response.headers.items()]
        except UnsafeHeader:
            # Last line of defence: a stored value with a line break never reaches a header.
            if response.stream is not None:
                response.stream.close()
            response = Response(
                500, b"The sandbox refused to send a header holding a line break or another control character."
            )
            headers = []
        stream = response.stream
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(stream.size if stream is not None else len(response.body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            if stream is None:
                self.wfile.write(response.body)
                return
            sent = 0
            for piece in stream.pieces():  # an image's file, a piece at a time
                self.wfile.write(piece)
                sent += len(piece)
            if sent != stream.size:  # the file shrank meanwhile: end the answer short, never hang it
                self.close_connection = True
        finally:
            if stream is not None:
                stream.close()
