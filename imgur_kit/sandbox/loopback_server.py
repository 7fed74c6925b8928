"""A small HTTP server on 127.0.0.1 that serves from a background thread.

Shared by the sandbox and the kit's OAuth loopback capture (which may use the
sandbox's standard-library-only modules; the sandbox imports nothing back):
one thread per connection, nothing printed (in a kernel a thread's stderr lands
in some random cell and breaks strict nbval; a client hanging up early is
normal), and :meth:`stop` that also ends idle keep-alive connections, so no
thread keeps answering after it.

Under a flood it stays up: at most :func:`connection_bound` connections have a
thread at once (more get a quick 503 and are closed), and when accept() fails
for lack of file descriptors the loop backs off instead of spinning on a
listener that stays readable. Handlers set a short ``timeout`` so an idle or
half-sent request gives its slot back within seconds.

It answers only its own user: on a shared server every learner's programs can reach
every port on 127.0.0.1, so a connection from a process of another user of the
computer gets a 403 and is closed before any handler sees it (:mod:`.peers`).
"""

from __future__ import annotations

import errno
import selectors
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Optional

from .peers import REFUSED_ANSWER, same_user

try:  # POSIX
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

#: accept() errors that mean "out of file descriptors or memory for now", not "stop".
_EXHAUSTED = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
#: The answer to a connection over the bound, sent without a thread of its own.
BUSY_ANSWER = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 47\r\n\r\n"
    b"Too many connections at once; try again soon.\r\n"
)


def connection_bound(most: int = 128) -> int:
    """How many connections may be served at once: ``most``, or half the open-file limit if lower.

    Each connection holds a file descriptor and a thread; at the limit (256 files is the
    macOS default) the listener could no longer accept, or even open its own files.
    """
    if resource is None:  # pragma: no cover - Windows
        return most
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return most
    return max(4, min(most, soft // 2))


class LoopbackServer(ThreadingHTTPServer):
    """``start(name)`` serves on a daemon thread; ``stop()`` ends it (safe from any other thread)."""

    daemon_threads = True  # a half-open browser pre-connect must not keep the process alive
    # The default backlog of 5 makes the 6th simultaneous connection wait a second for
    # the kernel to retry it; many clients at once is part of the sandbox's promise.
    request_queue_size = 64
    # handle_request() is called once the listener is readable; should the connection vanish
    # before it is accepted, it gives up after this many seconds instead of waiting on.
    timeout = 1.0
    #: Serve only connections that come from a process of this user (where the system can tell).
    own_user_only = True

    def __init__(self, address, handler_class) -> None:
        self._slots = threading.BoundedSemaphore(connection_bound())
        self._backoff = 0.0
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._stopping = threading.Event()
        # stop() writes a byte here to wake the serving loop at once. (serve_forever's loop
        # notices shutdown() only at its next poll, a tenth of a second later, on every stop.)
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__(address, handler_class)

    def start(self, name: str) -> None:
        """Serve from a daemon thread called ``name``."""
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stopping.is_set():
                        self.handle_request()  # accept, then a thread of its own (process_request)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, end every open connection, free the port, and wait for the thread."""
        self._stopping.set()
        try:
            self._wake_writer.send(b"\0")
        except OSError:  # already stopped and closed
            pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)  # the loop has ended: no new connection is taken
        with self._open_lock:
            connections = list(self._open)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()

    def server_close(self) -> None:
        """Close the listening socket and the wake-up pair."""
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def get_request(self):
        """accept(); when out of file descriptors, wait a little (growing, at most 0.5 s) first."""
        try:
            accepted = super().get_request()
        except OSError as exc:
            if exc.errno in _EXHAUSTED:
                # The listener stays readable while the queue is full: without a pause the
                # serving loop would spin at full speed and starve the threads that could
                # free a descriptor.
                self._backoff = min(max(self._backoff * 2, 0.01), 0.5)
                self._stopping.wait(self._backoff)
            raise
        self._backoff = 0.0
        return accepted

    def process_request(self, request, client_address) -> None:
        """Serve the connection on a thread of its own, or, over the bound, answer 503 and close it."""
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY_ANSWER)
            except OSError:
                pass
            super().shutdown_request(request)
            return
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread could be started: the slot is free again
            self._slots.release()
            self.shutdown_request(request)
            raise

    def process_request_thread(self, request, client_address) -> None:
        """The connection's thread: serve it (only when it comes from this user), close it, give its slot back."""
        try:
            if self.own_user_only and not same_user(request):
                # Checked here, in the connection's thread: reading the socket table takes a moment.
                try:
                    request.settimeout(1.0)
                    request.sendall(REFUSED_ANSWER)
                except OSError:
                    pass
                self.shutdown_request(request)
                return
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown_request(self, request) -> None:
        """Forget the connection once its thread is done with it."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client that hangs up mid-answer is not worth a traceback."""
