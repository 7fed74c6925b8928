"""Catch Imgur's redirect on this computer, so nobody has to copy and paste it.

With "OAuth 2 authorization with a callback URL" and a callback such as
``http://localhost:8765/callback``, the browser is sent there after the person
presses Allow. :class:`LoopbackCapture` listens on 127.0.0.1 for that one visit:

* a code flow or a denial arrives in the query (``?code=...`` / ``?error=...``):
  the listener has everything at once;
* the token flow puts the tokens in the URL *fragment* (``#access_token=...``),
  which browsers never send to a server. So the listener answers with a tiny
  hand-back page whose script POSTs ``location.href`` back to the same address.

As soon as it has the address the browser ended on, it stops listening. It only
binds the loopback interface, times out on its own, and never logs what it
receives. It must be given the ``state`` of the authorize link, and takes only an
answer that carries that state, errors included: any web page open in the browser
can send a request to localhost, and without the check one
``GET /callback?error=access_denied`` from such a page would end the listener before
Imgur's real redirect arrived. An answer with another state may also be someone
else's real sign-in (two people on one server, one capture port): that browser is
told the listener was not waiting for it and to paste the address into its own
notebook. A request it cannot read gets a 400 answer, never a silently closed
connection. :func:`free_capture_port` and :func:`busy_port_advice` say what to do
when the port is taken by another program.
It speaks HTTP as a *server*, which is none of the core's business, so it lives in the
application layer, where the authorize widget and the terminal's sign-in both find it.
"""

from __future__ import annotations

import hmac
import socket
import threading
from http.server import BaseHTTPRequestHandler
from typing import Callable, Union
from urllib.parse import parse_qs, urlsplit

from imgur_kit.sandbox.loopback_server import LoopbackServer
from imgur_kit.steps.where import CALLBACK_PATH, CAPTURE_PORT, callback_url_for

#: A browser sends the hand-back well within this; bigger bodies are not ours.
_MAX_BODY = 16384

HAND_BACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imgur-kit: handing the sign-in back</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>imgur-kit</h1>
<p id="status">Handing the result back to your notebook&hellip;</p>
<noscript><p>JavaScript is off, so this page cannot hand the result back. Copy this page's whole
address from the address bar and paste it into the notebook's paste box.</p></noscript>
<script>
(function () {
  var status = document.getElementById("status");
  fetch(location.pathname, {method: "POST", headers: {"Content-Type": "text/plain"}, body: location.href})
    .then(function (r) { return r.text().then(function (t) { return [r.ok, t]; }); })
    .then(function (res) {
      status.textContent = res[1];
      // Take the token out of the address bar and the history once the notebook has it.
      if (res[0]) { history.replaceState(null, "", location.pathname); }
    })
    .catch(function () {
      status.textContent = "Could not reach the notebook. Copy this page's whole address " +
        "from the address bar and paste it into the notebook's paste box.";
    });
})();
</script>
</body></html>
"""

DONE_TEXT = "Received. You can close this tab and go back to your notebook."
WRONG_STATE_TEXT = (
    "This listener was not waiting for this sign-in: the answer's state belongs to another sign-in "
    "(another person's notebook on this server, or an older link), so it was ignored and nothing was "
    "kept. Copy this page's whole address from the address bar and paste it into the paste box of "
    "your own notebook; if that notebook made a newer link since, sign in again from it."
)
#: A state, or a function that gives the current one (an authorize panel makes a fresh one per link).
ExpectedState = Union[str, Callable[[], "str | None"]]
#: Where :func:`free_capture_port` looks when the usual port is taken (then anywhere the OS gives).
_NEARBY_PORTS = range(CAPTURE_PORT + 1, CAPTURE_PORT + 35)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on *port* of *host* now (a listener could bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, int(port)))
        except OSError:
            return False
    return True


def free_capture_port(preferred: int = CAPTURE_PORT) -> int:
    """*preferred* when it is free, else a free port near it (else any the OS offers)."""
    for port in (preferred, *_NEARBY_PORTS):
        if port_is_free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def busy_port_advice(port: int, path: str = CALLBACK_PATH) -> str:
    """What to do when another program holds *port*: why it matters, a free port, and pasting."""
    free = free_capture_port(port)
    return (
        f"Port {port} is taken by another program on this computer, so the kit cannot listen there, and "
        f"whatever holds it would receive your sign-in (tokens included) if Imgur sent your browser there. "
        f"Copy the address your browser ends on after Allow and paste it here instead; or register your "
        f"app's callback as {callback_url_for(free, path)} (port {free} is free now) and use that."
    )


def _carries_result(url: str) -> bool:
    """True when *url* holds something the OAuth redirect parser can use."""
    return any(key in url for key in ("access_token=", "code=", "error=", "pin="))


def _states_in(url: str) -> list:
    """Every ``state`` value in *url*'s query and fragment (Imgur puts it in the query)."""
    parts = urlsplit(url)
    return [
        value
        for text in (parts.query, parts.fragment)
        for value in parse_qs(text, keep_blank_values=True).get("state", [])
    ]


class LoopbackCapture:
    """A one-shot listener on 127.0.0.1 that receives the address the browser ended on.

    ``LoopbackCapture(port)`` does no I/O; :meth:`start` binds the port (raising
    ``OSError`` when it is taken) and serves in a background thread until a
    result arrives, :meth:`stop` is called, or *timeout* seconds pass. The
    result is the full URL (query and fragment) as a string, handed to
    *on_result* (called from the listener's thread) and kept in :attr:`result`.
    """

    def __init__(
        self,
        port: int = CAPTURE_PORT,
        *,
        host: str = "127.0.0.1",
        path: str = CALLBACK_PATH,
        on_result: Callable[[str], None] | None = None,
        timeout: float = 300.0,
        state: ExpectedState,
    ):
        if state is None or (isinstance(state, str) and not state):
            # A listener that takes any answer can be ended by any page open in the browser.
            raise ValueError("LoopbackCapture needs the authorize link's state (or a function giving it).")
        self.host = host
        #: The authorize link's state (or a function giving the current one); only answers carrying it count.
        self.state = state
        self.path = path
        self.on_result = on_result
        self.timeout = timeout
        self._requested_port = int(port)
        self._server: LoopbackServer | None = None
        self._timer: threading.Timer | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self.result: str | None = None
        #: What *on_result* raised, if anything (it runs in the listener's thread).
        self.error: BaseException | None = None
        #: What the browser is told; the terminal's sign-in puts its own words here.
        self.done_text, self.wrong_state_text, self.hand_back_page = DONE_TEXT, WRONG_STATE_TEXT, HAND_BACK_PAGE

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> LoopbackCapture:
        """Bind the port and start listening in a background thread; returns self."""
        if self._server is not None:
            return self
        server = LoopbackServer((self.host, self._requested_port), self._handler_class())
        self._server = server
        self._requested_port = server.server_address[1]  # port 0 became a real one: keep it
        server.start(f"imgur-kit-capture-{self.port}")
        if self.timeout:
            self._timer = threading.Timer(self.timeout, self.stop)
            self._timer.daemon = True
            self._timer.start()
        return self

    def stop(self) -> None:
        """Stop listening (safe to call twice, and from any thread)."""
        with self._lock:
            server, self._server = self._server, None
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        if server is not None:
            server.stop()
        self._done.set()

    def __enter__(self) -> LoopbackCapture:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what callers read -----------------------------------------------------------------
    @property
    def port(self) -> int:
        """The port actually bound once started (useful when constructed with port 0)."""
        return self._requested_port

    @property
    def url(self) -> str:
        """The callback URL the app must be registered with."""
        return callback_url_for(self.port, self.path)

    @property
    def running(self) -> bool:
        """True while the listener accepts visits."""
        return self._server is not None

    def wait(self, timeout: float | None = None) -> str | None:
        """Block until a result arrives or the listener stops; return the result (or None)."""
        self._done.wait(timeout)
        return self.result

    # -- the HTTP side ---------------------------------------------------------------------
    def _state_matches(self, url: str) -> bool:
        """True when *url* carries exactly the expected state (none expected now: nothing matches)."""
        expected = self.state() if callable(self.state) else self.state
        if not expected:
            return False
        found = _states_in(url)
        return len(found) == 1 and hmac.compare_digest(found[0].encode(), expected.encode())

    def _deliver(self, url: str) -> None:
        """Keep the first result, tell the caller, and stop listening (from another thread,
        because shutdown() waits for the request being served: this one)."""
        with self._lock:
            if self.result is not None:
                return
            self.result = url
        try:
            if self.on_result is not None:
                self.on_result(url)
        except Exception as exc:  # noqa: BLE001 - kept for the caller; a thread must not print
            self.error = exc
        finally:
            threading.Thread(target=self.stop, daemon=True).start()

    def _handler_class(self) -> type:
        """The request handler class for this listener (one per listener: it knows its capture)."""
        return type("CallbackHandler", (CallbackHandler,), {"capture": self})


class CallbackHandler(BaseHTTPRequestHandler):
    """Answers the browser's visits to a :class:`LoopbackCapture`: the redirect and the hand-back."""

    capture: LoopbackCapture  # set per listener by LoopbackCapture._handler_class
    server_version = "imgur-kit-capture"
    timeout = 10  # seconds a silent connection may hold a thread

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the query may hold a code: never log it

    def _send(self, status: int, body: str, content_type: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _guarded(self, step: Callable[[], None]) -> None:
        # Whatever a browser or a page sends, it gets an answer, never a silent close.
        try:
            step()
        except Exception:  # noqa: BLE001
            self.close_connection = True
            try:
                self._send(400, "This listener could not read the request.")
            except OSError:
                pass  # the other side has gone

    def _get(self) -> None:
        capture = self.capture
        parts = urlsplit(self.path)
        if parts.path != capture.path:
            self._send(404, "Not here. This listener only waits for Imgur's redirect.")
            return
        if _carries_result(parts.query):
            # Code flow or denial: everything is in the query, no page needed.
            self._take(f"http://localhost:{capture.port}{self.path}")
            return
        # Token flow: the fragment stays in the browser, let the page post it back.
        self._send(200, capture.hand_back_page, "text/html; charset=utf-8")

    def _post(self) -> None:
        if urlsplit(self.path).path != self.capture.path:
            self._send(404, "Not here.")
            return
        if self._foreign_origin():
            # Only our own hand-back page may post here, not some other site open in the browser.
            self._send(403, "Only the hand-back page on this computer may post here.")
            return
        url = self._posted_address()
        if url is None:
            return  # already answered
        if not _carries_result(url):
            self._send(
                400,
                "This address holds no token, code or answer from Imgur. "
                "Start again from the authorize link in the notebook.",
            )
            return
        self._take(url)

    def _foreign_origin(self) -> bool:
        """True when the request comes from a page of another site (no Origin: a plain client)."""
        origin = self.headers.get("Origin")
        if origin is None:
            return False
        # Through a JupyterHub the page's origin is the hub's, and so is the Host it posts to.
        same_site = urlsplit(origin).netloc == self.headers.get("Host")
        return urlsplit(origin).hostname not in ("localhost", "127.0.0.1") and not same_site

    def _posted_address(self) -> str | None:
        """The address the hand-back page posted, or None once the browser was told what went wrong."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length <= 0 or length > _MAX_BODY:
            self.close_connection = True  # whatever body follows is not read
            self._send(400, "Nothing to hand back (the request's length was missing or unreadable).")
            return None
        try:
            return self.rfile.read(length).decode("utf-8", "replace").strip()
        except OSError:  # the body never came (the connection's timeout ran out)
            self.close_connection = True
            self._send(408, "The hand-back did not arrive in time; reload the page.")
            return None

    def _take(self, url: str) -> None:
        """Hand *url* to the capture when it carries the expected state; tell the browser either way."""
        if not self.capture._state_matches(url):
            self._send(400, self.capture.wrong_state_text)
            return
        self._send(200, self.capture.done_text)
        self.capture._deliver(url)
