"""A small HTTP server on 127.0.0.1 that serves from a background thread.

Shared by the sandbox and the kit's OAuth loopback capture (which may use the
sandbox's standard-library-only modules; the sandbox imports nothing back):
one thread per connection, nothing printed (in a kernel a thread's stderr lands
in some random cell and breaks strict nbval; a client hanging up early is
normal), and :meth:`stop` that also ends idle keep-alive connections, so no
thread keeps answering after it.
"""

from __future__ import annotations

import selectors
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Optional


class LoopbackServer(ThreadingHTTPServer):
    """``start(name)`` serves on a daemon thread; ``stop()`` ends it (safe from any other thread)."""

    daemon_threads = True  # a half-open browser pre-connect must not keep the process alive
    # The default backlog of 5 makes the 6th simultaneous connection wait a second for
    # the kernel to retry it; many clients at once is part of the sandbox's promise.
    request_queue_size = 64
    # handle_request() is called once the listener is readable; should the connection vanish
    # before it is accepted, it gives up after this many seconds instead of waiting on.
    timeout = 1.0

    def __init__(self, address, handler_class) -> None:
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

    def process_request(self, request, client_address) -> None:
        """Remember the connection (so stop() can end it), then serve it on its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        """Forget the connection once its thread is done with it."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client that hangs up mid-answer is not worth a traceback."""
