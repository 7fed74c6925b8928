"""The HTTP transport under every call of the kit: a wall-clock deadline and short automatic waits.

- requests' ``timeout`` bounds each socket operation, so a server that sends one byte
  a second never trips it. :func:`deadline` bounds a whole call instead (connecting,
  retries, waiting for the answer and reading its body): when the time is up, the
  sockets the call uses are shut down and the call ends with a :class:`NetworkError`.
- Automatic retries wait at most :data:`MAX_AUTOMATIC_WAIT` seconds in all for a
  server's ``Retry-After``. A longer one, or one that cannot be read (``Retry-After: soon``),
  is not waited for: the answer goes straight back, so the caller can say "wait about
  2 minutes" at once instead of blocking a notebook cell.
- An answer is read up to :data:`MAX_ANSWER_BYTES`: a server that sends without end
  (or a compressed answer that unpacks without end) ends the call with a sentence
  instead of filling the computer's memory before the deadline.

:class:`DeadlineAdapter` is the ``requests`` adapter that makes both work, mounted on every
HTTP pool the kit makes (:func:`new_http`); :func:`send` is the one way a request goes out.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from .addresses import is_loopback
from .errors import ImgurError, NetworkError
from .responses import host_of, network_error

__all__ = [
    "MAX_ANSWER_BYTES",
    "MAX_AUTOMATIC_WAIT",
    "DeadlineAdapter",
    "bounded_retry",
    "deadline",
    "mount_retries",
    "new_http",
    "pool_for",
    "send",
    "send_within",
]

#: The longest a call waits on its own, in all, for a server that asked it to come back later.
MAX_AUTOMATIC_WAIT = 5.0

#: The most of one answer the kit reads (after decompression). Imgur's JSON answers are a few
#: kilobytes; the largest thing it serves back is a video, which it caps at 200 MB.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
_READ_SIZE = 64 * 1024

_local = threading.local()


class Call:
    """One call's deadline: the sockets it uses, and whether its time is up."""

    def __init__(self, seconds: float, url: str) -> None:
        self.seconds = seconds
        self.url = url
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        #: Seconds this call has agreed to wait for servers' Retry-After so far.
        self.waited = 0.0
        self._finished = False
        self._connections: list = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        """Seconds left (never below a millisecond, so it can serve as a socket timeout)."""
        return max(0.001, self.expires_at - time.monotonic())

    def socket_timeout(self, timeout: float) -> float:
        """``timeout`` for one socket operation, but never past the deadline."""
        return min(timeout, self.remaining())

    def error(self) -> NetworkError:
        """The sentence for a call that ran out of time."""
        return network_error(requests.Timeout(), self.url, timeout=self.seconds)

    def check(self) -> None:
        """Raise :meth:`error` once the deadline has passed."""
        if self.expired or time.monotonic() >= self.expires_at:
            self.expired = True
            raise self.error()

    def watch(self, sock: Any) -> None:
        """Remember a socket this call is using, to shut it down if time runs out.

        The socket itself, not its connection: once an answer says the connection will
        close, http.client forgets the socket (``conn.sock = None``) while the body is
        still read from it, and that read is exactly what a slow server drags out.
        """
        if sock is None:
            return
        with self._lock:
            if self._finished:
                return
            expired = self.expired
            if not expired:
                self._connections.append(sock)
        if expired:  # connected just as time ran out: end it now
            _shut(sock)

    def expire(self) -> None:
        """Time is up: shut down the call's sockets, which ends any read or write in progress."""
        with self._lock:
            if self._finished:
                return
            self.expired = True
            connections, self._connections = self._connections, []
        for sock in connections:
            _shut(sock)

    def finish(self) -> None:
        """The call is over: its deadline no longer applies."""
        with self._lock:
            self._finished = True
            self._connections = []

    @property
    def finished(self) -> bool:
        return self._finished


def _shut(sock: Any) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # shutdown, not close: safe from another thread, wakes a blocked read
    except (OSError, ValueError):
        pass


class _Watchdog:
    """One background thread that expires the calls whose deadline has passed.

    Why one thread: a timer thread per call cost more than a whole call to the sandbox.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list = []  # (expires_at, sequence, call), earliest first
        self._sequence = itertools.count()
        self._thread: Optional[threading.Thread] = None

    def add(self, call: Call) -> None:
        with self._cond:
            if len(self._heap) > 1024:  # calls that finished in time wait here until their hour; drop them
                self._heap = [entry for entry in self._heap if not entry[2].finished]
                heapq.heapify(self._heap)
            heapq.heappush(self._heap, (call.expires_at, next(self._sequence), call))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="imgur-kit-deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is call:
                self._cond.notify()  # the new call ends first: wake up earlier

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2].finished:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)[2].expire()


_WATCHDOG = _Watchdog()


def _new_watchdog_after_fork() -> None:
    # A forked child has no watchdog thread, and its lock may have been held mid-fork.
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watchdog_after_fork)


def current() -> Optional[Call]:
    """The deadline of the call running in this thread, if any."""
    return getattr(_local, "call", None)


@contextmanager
def deadline(seconds: float, url: str) -> Iterator[Call]:
    """Bound everything inside to ``seconds`` of wall-clock time.

    Nested uses (a token refresh inside an API call) share the outer call's deadline.
    """
    outer = current()
    if outer is not None:
        yield outer
        return
    call = Call(seconds, url)
    _local.call = call
    _WATCHDOG.add(call)
    try:
        yield call
    finally:
        _local.call = None
        call.finish()


class _WatchedConnection:
    """Connections that hand their socket to the running call's deadline as soon as they connect."""

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        call = current()
        if call is not None:
            call.watch(getattr(self, "sock", None))


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _Watched:
    """Connection pools whose connections the running call's deadline can shut down."""

    def _get_conn(self, timeout: Optional[float] = None) -> Any:
        call = current()
        if call is not None:
            call.check()  # a retry after the deadline never starts
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        if call is not None:
            call.watch(getattr(conn, "sock", None))  # a kept-alive connection is connected already
        return conn


class _WatchedHTTPPool(_Watched, HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(_Watched, HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def _too_large(url: str) -> NetworkError:
    """The sentence for an answer larger than :data:`MAX_ANSWER_BYTES`."""
    return NetworkError(
        f"{host_of(url)} sent an answer larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MB, far more than any Imgur "
        "answer, so the kit stopped reading it. Check that the base URL points to Imgur "
        "(IMGUR_KIT_BASE_URL, if you set it), then try again."
    )


class DeadlineAdapter(HTTPAdapter):
    """requests' HTTP adapter, with connections the running :func:`deadline` can shut down,
    and answers read up to :data:`MAX_ANSWER_BYTES`."""

    def send(self, request: Any, stream: bool = False, *args: Any, **kwargs: Any) -> requests.Response:  # noqa: D102
        if is_loopback(request.url):
            # This computer itself: never through HTTP(S)_PROXY or ALL_PROXY, whatever NO_PROXY says.
            # A proxy cannot reach the person's 127.0.0.1, and "nothing leaves your machine" must hold.
            kwargs["proxies"] = {}
        response = super().send(request, True, *args, **kwargs)
        if stream:  # the caller reads the body itself
            return response
        # A HEAD answer (or a 204/304) announces a length it never sends.
        bodiless = request.method == "HEAD" or response.status_code in (204, 304)
        declared = "" if bodiless else response.headers.get("Content-Length", "")
        if declared.strip().isdigit() and int(declared) > MAX_ANSWER_BYTES:
            response.close()
            raise _too_large(request.url)
        body = bytearray()
        for chunk in response.iter_content(_READ_SIZE):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                response.close()
                raise _too_large(request.url)
        # What requests' own Response.content does once it has read the body; urllib3 has
        # already handed the connection back to the pool for the next call (keep-alive).
        response._content = bytes(body)
        response._content_consumed = True  # type: ignore[attr-defined]
        return response

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:  # noqa: D102 (requests hook)
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:  # noqa: D102 (requests hook)
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS managers bring their own pools
            manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)
        return manager


class _BoundedRetry(Retry):
    """urllib3's Retry, but it waits on its own only briefly, and never past the call's deadline.

    Why: a notebook cell must not hang for minutes because a server said so; the
    RateLimitError that follows tells the person how long to wait.
    """

    def increment(
        self,
        method: Optional[str] = None,
        url: Optional[str] = None,
        response: Any = None,
        error: Any = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> _BoundedRetry:  # noqa: D102
        if response is not None and response.headers.get("Retry-After") is not None:
            try:
                wait: Optional[float] = self.parse_retry_after(response.headers["Retry-After"])
            except Exception:  # "soon", garbage: not a wait the kit can keep
                wait = None
            call = current()
            waited = call.waited if call is not None else 0.0
            if wait is None or waited + wait > MAX_AUTOMATIC_WAIT or (call is not None and wait >= call.remaining()):
                # Hands this answer back as it is (raise_on_status is off): it becomes the error.
                raise MaxRetryError(_pool, url or "", None)
            if call is not None:
                call.waited += wait  # the cap holds for the whole call, not for each retry
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_backoff_time(self) -> float:  # noqa: D102 (urllib3 hook)
        call = current()
        backoff = min(super().get_backoff_time(), MAX_AUTOMATIC_WAIT)
        return min(backoff, call.remaining()) if call is not None else backoff


def bounded_retry(retries: int) -> Retry:
    """Retries for idempotent methods only (GET, HEAD, DELETE, OPTIONS), on 5xx and short Retry-Afters."""
    return _BoundedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=0.5,
        status_forcelist=(500, 502, 503, 504),
        # Only idempotent methods: an upload or album creation must never happen twice.
        allowed_methods=frozenset({"GET", "HEAD", "DELETE", "OPTIONS"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # hand the last response to the error translator
        raise_on_redirect=False,
    )


def new_http(retries: int = 0, *, pool_maxsize: int = 10) -> requests.Session:
    """The kit's HTTP connection pool: every call under a deadline, loopback never through a proxy,
    answers bounded, and idempotent requests retried ``retries`` times (:func:`bounded_retry`)."""
    http = requests.Session()
    adapter = DeadlineAdapter(max_retries=bounded_retry(retries), pool_maxsize=pool_maxsize)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    return http


@contextmanager
def pool_for(http: Optional[requests.Session]) -> Iterator[requests.Session]:
    """``http`` when a caller handed one in (theirs: left open), else a :func:`new_http` closed afterwards."""
    if http is not None:
        yield http
        return
    with new_http() as pool:
        yield pool


def mount_retries(http: requests.Session, base_url: str, retries: int) -> None:
    """Give a caller's own ``http`` the kit's adapter for ``base_url`` alone, where it kept requests' stock one.

    A custom transport or retry policy the caller mounted is theirs to keep.
    """
    prefix = base_url + "/"
    matching = [p for p in http.adapters if prefix.lower().startswith(p.lower())]
    adapter = DeadlineAdapter(max_retries=bounded_retry(retries), pool_maxsize=16)
    if not matching:
        http.mount(prefix, adapter)
        return
    key = max(matching, key=len)  # the adapter requests would pick
    current = http.adapters[key]
    scheme_wide = key.lower() in ("http://", "https://")
    if scheme_wide and type(current) is HTTPAdapter and not current.max_retries.total:
        http.mount(prefix, adapter)


def send_within(
    call: Call, http: requests.Session, method: str, url: str, *, timeout: float, **kwargs: Any
) -> requests.Response:
    """One request under the running deadline ``call``; what requests raises becomes a :class:`NetworkError`.

    The answer is read whole before it returns (:class:`DeadlineAdapter`), so a body cut short
    by the deadline is never taken for a whole one.
    """
    try:
        response = http.request(method, url, timeout=call.socket_timeout(timeout), **kwargs)
    except ImgurError:
        raise
    except requests.RequestException as exc:
        raise (call.error() if call.expired else network_error(exc, url, timeout=timeout)) from None
    if call.expired:
        raise call.error()
    return response


def send(http: requests.Session, method: str, url: str, *, timeout: float, **kwargs: Any) -> requests.Response:
    """One request within ``timeout`` seconds in all (:func:`deadline`, then :func:`send_within`)."""
    with deadline(timeout, url) as call:
        return send_within(call, http, method, url, timeout=timeout, **kwargs)
