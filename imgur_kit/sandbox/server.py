"""The HTTP side: a threaded HTTP/1.1 server with keep-alive, the request
handler that checks the Host, reads bodies (Content-Length or chunked, bounded),
applies the fault in force, routes to the handlers, and always sends a correct
Content-Length and only header values that are safe to send.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Set
from urllib.parse import unquote, urlsplit

from . import api, api_images, oauth_pages, oauth_token, pages
from .context import Context
from .faults import Fault
from .hosts import host_problem
from .messages import (Request, Response, UnsafeHeader, error_envelope, header_value, html_response,
                       json_response, redirect)

#: The largest body read: a 20 MB image as base64 (26.7 MB) in a form, with room to spare.
#: Memory per request stays a small multiple of this, however large the upload claims to be.
MAX_BODY = 32 * 1024 * 1024
#: A larger body is read and thrown away (in small pieces) up to this size, so the client
#: gets its 413 answer instead of a connection reset mid-upload; beyond it, answer and close.
MAX_DRAIN = 256 * 1024 * 1024
_PIECE = 64 * 1024


class SandboxHTTPServer(ThreadingHTTPServer):
    """One thread per connection; remembers open connections so stop() can end them."""

    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 makes the 6th simultaneous connection wait a second for
    # the kernel to retry it; many clients at once is part of the sandbox's promise.
    request_queue_size = 64

    def __init__(self, address, context: Context, base_url: Callable[[], str],
                 log: Callable[[str, str, Optional[str]], None]) -> None:
        self.context = context
        self.base_url = base_url
        self.log_request_line = log
        self.open_connections: Set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:
        # Quiet: a client that hangs up mid-answer is not worth a traceback.
        pass

    def close_connections(self) -> None:
        """Shut every keep-alive connection so no thread keeps serving after stop()."""
        with self.connections_lock:
            connections = list(self.open_connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Handler(BaseHTTPRequestHandler):
    """Reads one request at a time off a keep-alive connection."""

    protocol_version = "HTTP/1.1"
    server_version = "imgur-sandbox/1.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections give their thread back eventually
    # Headers and body leave in separate writes; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (about 40 ms) on every keep-alive request.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.open_connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.open_connections.discard(self.connection)

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
        split = urlsplit(self.path)
        path = unquote(split.path, errors="replace") or "/"
        body = self._read_body()
        if body is None:
            return
        refused = host_problem(self.headers, self.server.server_address[1])
        if refused is not None:
            self._send(Response(400, refused.encode("utf-8")))
            return
        self.server.log_request_line(self.command, path, api.auth_scheme(self.headers))
        req = Request(self.command, path, Request.parse_query(split.query), self.headers, body,
                      self.server.base_url())
        ctx = self.server.context
        fault = ctx.faults.hit(path)
        if fault is not None and fault.name == "drop":
            self._drop()
            return
        if fault is not None and fault.name == "slow":
            time.sleep(float(fault.options.get("seconds", 2)))
            fault = None
        try:
            response = fault_response(fault, ctx, req) if fault else route(ctx, req)
        except Exception as exc:  # a sandbox bug must still answer, never hang the client
            response = error_envelope(f"Internal error in the sandbox ({type(exc).__name__}).", req, 500)
        self._send(response)

    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
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
        try:
            headers = [(name, header_value(value)) for name, value in response.headers.items()]
        except UnsafeHeader:
            # Last line of defence: a stored value with a line break never reaches a header.
            response = Response(500, b"The sandbox refused to send a header holding a line break "
                                     b"or another control character.")
            headers = []
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)


def fault_response(fault: Fault, ctx: Context, req: Request) -> Response:
    """What the live service answers while a fault is in force."""
    response = _fault_page(fault, req)
    if req.path.startswith("/3/"):
        # Every /3/ answer carries the rate-limit headers, even one from the edge.
        caller, _ = api.authenticate(ctx, req)
        response.headers.update(ctx.credits.snapshot(caller.client_id if caller else None).headers())
    return response


def _fault_page(fault: Fault, req: Request) -> Response:
    if fault.name == "registration-closed":
        # Live, addclient 301-redirects to the home page since mid-2025. Relative
        # ("../"), so behind a path-prefix proxy the browser stays under the prefix.
        return redirect(req.root, 301)
    if fault.name == "error-1024":
        return html_response(pages.error_1024(root=req.root), 400)
    if fault.name == "region-blocked":
        return html_response(pages.region_blocked(), 403)
    if fault.name == "over-capacity":
        status = int(fault.options.get("status", 503))
        return html_response(pages.over_capacity(status), status)
    # "rate-limited": the newer 429 shape, seen even with credits left.
    return json_response({"errors": [{
        "id": f"legacy-api-{uuid.uuid4().hex[:12]}",
        "code": "429",
        "status": "Too Many Requests",
        "detail": fault.options.get("detail", "Too Many Requests"),
    }]}, 429, content_type="application/vnd.imgur.v1+json")


_PAGES = {
    "/oauth2/addclient": oauth_pages.addclient,
    "/oauth2/authorize": oauth_pages.authorize,
    "/oauth2/token": oauth_token.token,
    "/oauth2/pin": oauth_pages.pin_page,
    "/oauth2/landing": oauth_pages.landing,
}


def route(ctx: Context, req: Request) -> Response:
    """Pick the handler for a path."""
    path = req.path
    if path.startswith("/3/"):
        return api.handle(ctx, req)
    if path.startswith("/i/"):
        return api_images.serve(ctx, req)
    if path.startswith("/a/"):
        return album_page(ctx, req)
    if path == "/":
        return html_response(pages.home(req.base_url, root=req.root))
    handler = _PAGES.get(path.rstrip("/"))
    if handler is not None:
        return handler(ctx, req)
    return html_response(pages.not_found(root=req.root), 404)


def album_page(ctx: Context, req: Request) -> Response:
    """GET /a/{id}: an album's images in a plain page (its ``link`` points here)."""
    album_id = re.sub(r"[^A-Za-z0-9]", "", req.path[len("/a/"):])
    album = ctx.state.album(album_id)
    if album is None:
        return html_response(pages.not_found(root=req.root), 404)
    # The page's own images: relative, like every link to the sandbox's pages.
    links = [f"{req.root}i/{image.id}" for image in ctx.state.images_in(album.image_ids)]
    return html_response(pages.album(album.title or "", links, root=req.root))
