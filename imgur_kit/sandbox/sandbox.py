"""Sandbox: the local Imgur, run in a thread, with helpers for what a person does.

with Sandbox() as sandbox:
    app = sandbox.register_app(name="demo")
    landing = sandbox.approve(f"{sandbox.base_url}/oauth2/authorize?client_id=...&response_type=token")
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections import deque
from pathlib import Path
from typing import Any, Optional

from . import browser
from .address import remove_address, write_address
from .context import Context
from .credits import Credits
from .errors import SandboxError, SandboxPortError
from .faults import Faults
from .models import AUTH_TYPES, USERNAME, App, unsafe_registration_fields
from .persistence import Store
from .server import SandboxHTTPServer
from .state import DEFAULT_CALLBACK, State

_LOOPBACK = ("127.0.0.1", "localhost")


class Sandbox:
    """A faithful local Imgur on 127.0.0.1; nothing happens until start() or ``with``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        state_dir: str | os.PathLike[str] | None = None,
        address_file: str | os.PathLike[str] | None = None,
        token_lifetime: int = 315360000,
        expired_token_status: int = 403,
        refresh_returns_refresh_token: bool = True,
        rotate_refresh_tokens: bool = False,
        seed: Optional[int] = None,
        demo_callback: Optional[str] = None,
    ) -> None:
        """``state_dir`` keeps apps, tokens and images across restarts (None: memory only);
        ``address_file`` is written once listening (see :mod:`.address`) and removed on stop;
        ``rotate_refresh_tokens`` makes each refresh answer a new refresh token and retire the old;
        ``seed`` chooses the public gallery (kept in the state folder; None keeps the one there,
        or the default for a new one); ``demo_callback`` is the demo app's callback (a learner's
        own address on a shared server; None keeps the saved one, the kit's capture port for a new one)."""
        if host not in _LOOPBACK:
            raise ValueError(f"The sandbox binds to loopback only (127.0.0.1), not {host!r}.")
        if expired_token_status not in (401, 403):
            raise ValueError("expired_token_status must be 403 (what Imgur sends) or 401.")
        port = port_number(port)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32):
            raise ValueError(f"seed must be a whole number from 0 to {2**32 - 1}, not {seed!r}.")
        self._seed = seed
        self._demo_callback = demo_callback
        self._port_wanted = port
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self._address_file = Path(address_file) if address_file is not None else None
        self._options: dict[str, Any] = dict(
            token_lifetime=token_lifetime,
            expired_token_status=expired_token_status,
            refresh_returns_refresh_token=refresh_returns_refresh_token,
            rotate_refresh_tokens=rotate_refresh_tokens,
        )
        self._context: Optional[Context] = None
        self._server: Optional[SandboxHTTPServer] = None
        self._lifecycle = threading.Lock()
        self._log: deque[tuple[str, str, Optional[str]]] = deque(maxlen=10000)
        self._log_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------

    def _ctx(self) -> Context:
        # Loaded on first need (start, or a helper called before start), never in __init__.
        with self._lifecycle:
            if self._context is None:
                state = State(Store(self._state_dir) if self._state_dir else None, demo_callback=self._demo_callback)
                state.load()
                if self._seed is not None:
                    state.choose_seed(self._seed)
                self._context = Context(state, Credits(), Faults(), **self._options)
            return self._context

    def start(self) -> Sandbox:
        """Start serving in a background thread; returns self."""
        ctx = self._ctx()
        with self._lifecycle:
            if self._server is not None:
                return self
            server = _listen(self._port_wanted, ctx, lambda: self.base_url, self._record)
            self._server = server
            server.start(f"imgur-sandbox-{server.server_address[1]}")
        if self._address_file is not None:
            try:
                write_address(self._address_file, self.base_url, self._state_dir, ctx.proof_key)
            except SandboxError:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection (state stays for a restart)."""
        with self._lifecycle:
            server, self._server = self._server, None
        if server is None:
            return
        if self._address_file is not None:
            remove_address(self._address_file, f"http://127.0.0.1:{server.server_address[1]}")
        server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True while serving."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The port it listens on (only once started)."""
        if self._server is None:
            raise RuntimeError("The sandbox is not running; call start() or use it in a with block.")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; also serves /oauth2/* and /i/*."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def seed(self) -> int:
        """The seed of the public gallery (see :mod:`.seeded`)."""
        return self._ctx().state.seed

    @property
    def state_dir(self) -> Optional[Path]:
        """Where apps, tokens, images and albums are kept across restarts (None: memory only)."""
        return self._state_dir

    @property
    def address_file(self) -> Optional[Path]:
        """Where the running sandbox records its address for other programs (None: nowhere)."""
        return self._address_file

    @property
    def notices(self) -> list[str]:
        """Sentences about damaged state files that were set aside (empty when all was well)."""
        return self._ctx().state.notices

    # -- who is who --------------------------------------------------------

    @property
    def username(self) -> str:
        """The one user, always signed in: "sandbox-user"."""
        return USERNAME

    @property
    def default_app(self) -> App:
        """The pre-registered app (callback http://localhost:8765/callback, the
        port the kit's loopback capture listens on; 8888 is JupyterLab's own)."""
        return self._ctx().state.default_app

    def app(self, client_id: Optional[str]) -> Optional[App]:
        """The registered app with this Client ID (as its settings page would show it), or None."""
        return self._ctx().state.app(client_id)

    def registered_apps(self) -> list[App]:
        """The apps registered on the form (or with :meth:`register_app`), oldest first; not the demo app."""
        state = self._ctx().state
        demo = state.default_app.client_id
        apps = [state.app(client_id) for client_id in state.client_ids() if client_id != demo]
        return [app for app in apps if app is not None]

    def register_app(
        self,
        name: str = "demo",
        auth_type: str = "callback",
        callback_url: str = DEFAULT_CALLBACK,
        email: str = "you@example.com",
        description: str = "",
        website: str = "",
    ) -> App:
        """Register an application as the addclient form would; returns its credentials."""
        if auth_type not in AUTH_TYPES:
            raise ValueError(f"auth_type must be one of {', '.join(AUTH_TYPES)}, not {auth_type!r}.")
        problem = unsafe_registration_fields(
            name=name, callback_url=callback_url, email=email, website=website, description=description
        )
        if problem:
            raise ValueError(problem.replace("ERROR: ", ""))
        return self._ctx().state.register(
            name, auth_type, callback_url, email=email, description=description, website=website
        )

    # -- what a person or the service would do -----------------------------

    def approve(self, authorize_url: str, *, allow: bool = True) -> str:
        """Open the authorize page and press Allow (or Deny), over HTTP like a browser
        (:func:`.browser.approve`); returns the URL the browser ends on."""
        return browser.approve(self.base_url, authorize_url, allow=allow)

    def expire_token(self, access_token: str) -> None:
        """Make an access token expired, as if its lifetime had run out."""
        self._ctx().state.expire(access_token)

    def revoke_tokens(self, client_id: Optional[str] = None) -> None:
        """Invalidate access and refresh tokens (of one client, or all), as logging in elsewhere does."""
        self._ctx().state.revoke(client_id)

    def set_fault(self, name: Optional[str], *, times: Optional[int] = None, **options) -> None:
        """Switch on a live-service fault (None clears it); ``times=N`` clears it after N hits.

        Faults: "registration-closed", "error-1024", "region-blocked",
        "over-capacity" (status=503), "rate-limited", "slow" (seconds=2), "drop".
        """
        self._ctx().faults.set(name, times=times, **options)

    def set_credits(
        self,
        *,
        client_remaining: Optional[int] = None,
        user_remaining: Optional[int] = None,
        post_remaining: Optional[int] = None,
    ) -> None:
        """Set the credits left (client: for every registered app)."""
        ctx = self._ctx()
        client_ids = ctx.state.client_ids()
        ctx.credits.set(
            client_remaining=client_remaining,
            user_remaining=user_remaining,
            post_remaining=post_remaining,
            client_ids=client_ids,
        )

    @property
    def request_log(self) -> list[tuple[str, str, Optional[str]]]:
        """(method, path without query, "Client-ID"|"Bearer"|None) per request; no secrets."""
        with self._log_lock:
            return list(self._log)

    def clear_request_log(self) -> None:
        """Forget the requests seen so far."""
        with self._log_lock:
            self._log.clear()

    def _record(self, method: str, path: str, scheme: Optional[str]) -> None:
        with self._log_lock:
            self._log.append((method, path, scheme))

    def __repr__(self) -> str:
        where = self.base_url if self.running else "not running"
        return f"<Sandbox {where}>"


#: Where ``python -m imgur_kit sandbox`` and :func:`serve` listen unless told otherwise. Not 8765:
#: that port is the sign-in capture's (the demo app's callback is http://localhost:8765/callback).
SANDBOX_PORT = 8700


def port_number(port: object) -> int:
    """``port`` once it is a port number (0 means any free port); refused with a sentence otherwise."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise SandboxPortError(
            f"{port!r} is not a port number. Choose a port from 1024 to 65535 "
            f"(for example {SANDBOX_PORT}), or 0 for any free port."
        )
    return port


def _listen(port: int, ctx: Context, base_url, record) -> SandboxHTTPServer:
    try:
        return SandboxHTTPServer(("127.0.0.1", port), ctx, base_url, record)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SandboxPortError(
                f"Port {port} on 127.0.0.1 is already in use (perhaps by a sandbox that is already "
                "running). Stop that program, or choose another port (0 picks any free one)."
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise SandboxPortError(
                f"Port {port} needs administrator rights on this computer. "
                f"Choose a port from 1024 to 65535 (for example {SANDBOX_PORT})."
            ) from None
        raise SandboxPortError(
            f"The sandbox could not listen on port {port} ({exc.strerror or exc}). "
            "Choose another port (0 picks any free one)."
        ) from None


def serve(
    port: int = SANDBOX_PORT,
    host: str = "127.0.0.1",
    state_dir: str | os.PathLike[str] | None = None,
    address_file: str | os.PathLike[str] | None = None,
    seed: Optional[int] = None,
    demo_callback: Optional[str] = None,
) -> None:
    """Run a sandbox in the foreground, print where it is and its demo app, and block until
    Ctrl-C (or SIGTERM). Raises :class:`SandboxError` (an OSError) for a bad or busy port
    or an unusable state folder, before printing anything."""
    sandbox = Sandbox(
        host=host, port=port, state_dir=state_dir, address_file=address_file, seed=seed, demo_callback=demo_callback
    )
    stopped = threading.Event()
    with sandbox:
        _stop_on_sigterm(stopped)
        for notice in sandbox.notices:
            print(notice, flush=True)
        app = sandbox.default_app
        lines = [
            f"Imgur sandbox running at {sandbox.base_url}",
            f"  register an application: {sandbox.base_url}/oauth2/addclient",
            "  demo application (practice values: they work only with this sandbox, never with the real Imgur):",
            f"    Client ID:     {app.client_id}",
            f"    Client Secret: {app.client_secret}",
            f"    callback URL:  {app.callback_url}",
            f"  public gallery: seed {sandbox.seed} (the same items on every machine; --seed N for another)",
            (
                f"  state kept in: {sandbox.state_dir} (the same demo app and everything made here come back "
                "after a restart)"
            )
            if sandbox.state_dir is not None
            else "  state kept in memory only: it is gone when the sandbox stops (a state folder keeps it)",
        ]
        if sandbox.address_file is not None:
            lines.append(f"  address recorded in: {sandbox.address_file}")
        lines.append("Press Ctrl-C to stop.")
        print("\n".join(lines), flush=True)
        try:
            # Ctrl-C interrupts this wait in the main thread; SIGTERM sets the event.
            while not stopped.wait(3600):
                pass
        except KeyboardInterrupt:
            pass
    print("Sandbox stopped.", flush=True)


def _stop_on_sigterm(stopped: threading.Event) -> None:
    # So that `kill` (not only Ctrl-C) stops it cleanly and removes its address file.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
