"""A small HTTP server on 127.0.0.1 that serves from a background thread.

Shared by the sandbox and the kit's OAuth loopback capture (which may use the
sandbox's standard-library-only modules; the sandbox imports nothing back):
one thread per connection, at most ``max_connections`` at once, nothing printed
(in a kernel a thread's stderr lands in some random cell and breaks strict nbval;
a client hanging up early is normal), and :meth:`stop` that also ends idle
keep-alive connections, so no thread keeps answering after it.

Under a flood it stays up: when every connection thread is busy, new connections
wait in the listen backlog (the loop waits for a thread to come free, it does not
poll the listener); when the process runs out of file descriptors (EMFILE, such as
at macOS's default limit of 256), accepting backs off instead of spinning on a
listener that stays readable; and each handler's ``timeout`` gives an idle
connection's thread back within seconds.

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


def connection_bound(most: int) -> int:
    """How many connections to serve at once: ``most``, or half the process's open-file limit
    when that is lower, so that the other half stays for what serving them opens (state,
    lock and picture files); at least 4."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no such limit to share
        return most
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
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
    #: Connections served at once (one thread each; fewer at a low open-file limit, see
    #: connection_bound); more wait in the backlog until one ends.
    max_connections = 256
    #: The longest pause between accept attempts while the process has no descriptor to spare.
    max_backoff = 0.5

    def __init__(self, address, handler_class) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(connection_bound(self.max_connections))
        # stop() writes a byte here to wake the serving loop at once. (serve_forever's loop
        # notices shutdown() only at its next poll, a tenth of a second later, on every stop.)
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__(address, handler_class)
        # accept() never waits: a connection that vanished between select() and accept() is skipped.
        self.socket.setblocking(False)

    def start(self, name: str) -> None:
        """Serve from a daemon thread called ``name``."""
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        backoff = 0.0
        # One selector for the server's life: making one per connection costs a descriptor
        # each time, which at the descriptor limit is exactly what is missing.
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                # A free thread first: while all are busy, connections wait in the backlog.
                if not self._slots.acquire(timeout=0.25):
                    continue
                handed_over = False
                try:
                    ready = {key.fileobj for key, _ in selector.select()}
                    if self in ready and not self._stopping.is_set():
                        handed_over, backoff = self._accept(backoff)
                finally:
                    if not handed_over:
                        self._slots.release()

    def _accept(self, backoff: float) -> tuple[bool, float]:
        """Accept one connection and start its thread: (handed over, the next backoff)."""
        try:
            request, client_address = self.get_request()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return False, backoff  # it went away before it was accepted
        except OSError as exc:
            if exc.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                return False, backoff
            # Out of descriptors: the connection stays in the backlog and the listener stays
            # readable, so wait (longer each time) for a connection to end instead of spinning.
            backoff = min(self.max_backoff, max(0.01, backoff * 2))
            self._stopping.wait(backoff)
            return False, backoff
        try:
            self.process_request(request, client_address)
        except Exception:  # no thread could be started: this connection is not served
            self.shutdown_request(request)
            return False, 0.0
        return True, 0.0

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

    def process_request(self, request, client_address) -> None:
        """Remember the connection (so stop() can end it), then serve it on its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        """Serve the connection (only when it comes from this user), then give its slot back."""
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
