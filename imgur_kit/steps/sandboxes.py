"""One sandbox per user: attach to the standalone one when it runs, else start one here.

``python -m imgur_kit sandbox`` records its address in the config folder
(``sandbox.json``: base URL, process id, state folder). :func:`shared_sandbox`
reads that record, checks within a bounded time that the process still answers,
and attaches to it; when none runs it starts a sandbox in this process, keeping
its state in the same folder, so the demo app and everything made before are
the same either way.

Requests to an attached sandbox (is it alive? its registration form and consent page,
as a person's browser would use them) go through :func:`imgur_kit.transport.send` on an HTTP
pool of :func:`imgur_kit.transport.new_http`, one deadline each, like every other HTTP request of the kit.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import os
import re
import secrets
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Protocol, runtime_checkable
from urllib.parse import urlsplit

import requests

from imgur_kit.addresses import is_loopback
from imgur_kit.credentials import config_dir
from imgur_kit.credentials.files import parse_json, read_small_file
from imgur_kit.errors import ImgurError
from imgur_kit.responses import host_of
from imgur_kit.steps.where import CAPTURE_PORT, callback_url_for
from imgur_kit.transport import new_http, send

if TYPE_CHECKING:
    from imgur_kit.sandbox import App, Sandbox

#: The record a running standalone sandbox leaves in the config folder.
ADDRESS_FILE_NAME = "sandbox.json"
#: How long a recorded sandbox may take to answer (and prove itself) before the kit starts its own.
#: A closed port is refused at once; this bound is for a busy machine, or something that hangs.
ALIVE_TIMEOUT = 5.0
#: The most a page of an attached sandbox (its form, its consent page) may take, in all.
PAGE_TIMEOUT = 30.0
#: Where ``python -m imgur_kit sandbox`` listens unless told otherwise (the sandbox's own
#: ``serve()`` default; being independent, it keeps its own copy, which a test holds equal).
SANDBOX_PORT = 8700


def address_file() -> Path:
    """Where a standalone sandbox records its address: ``sandbox.json`` in the config folder."""
    return config_dir() / ADDRESS_FILE_NAME


def default_state_dir() -> Path:
    """Where the sandbox keeps apps, tokens and images between runs (shared by every front end)."""
    return config_dir() / "sandbox"


@dataclass(frozen=True)
class SandboxAddress:
    """What a standalone sandbox recorded: where it listens, its process, its state folder,
    and the key it proves itself with (never shown: ``repr`` leaves it out)."""

    base_url: str
    pid: Optional[int]
    state_dir: Optional[Path]
    proof_key: Optional[str] = field(default=None, repr=False)


def read_address(path: Optional[Path] = None) -> Optional[SandboxAddress]:
    """The recorded address, or None when there is no record or it cannot be read."""
    path = address_file() if path is None else path
    try:
        data = parse_json(read_small_file(path))
        base_url = str(data["base_url"]).rstrip("/")
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    pid = data.get("pid")
    state = data.get("state_dir")
    key = data.get("proof_key")
    return SandboxAddress(
        base_url,
        pid if isinstance(pid, int) and 0 < pid < 2**31 else None,
        Path(state) if isinstance(state, str) and state and "\0" not in state else None,
        key if isinstance(key, str) and _KEY.fullmatch(key) else None,
    )


_KEY = re.compile(r"[0-9a-f]{32,128}")


def _process_alive(pid: Optional[int]) -> bool:
    if pid is None:
        return True  # nothing to check here: the HTTP probe decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except (OSError, OverflowError):
        return False
    return True


def _get(url: str, timeout: float) -> Optional[requests.Response]:
    """GET ``url`` within ``timeout`` seconds in all (a server that trickles its answer cannot
    stretch it), or None when nothing usable came back in time."""
    try:
        with new_http() as http:
            return send(http, "GET", url, timeout=timeout, allow_redirects=False)
    except (requests.RequestException, ImgurError):
        return None


def answers(base_url: str, timeout: float = ALIVE_TIMEOUT) -> bool:
    """True when ``base_url`` serves an Imgur-like API within ``timeout`` seconds in all.

    Only that something answers: :func:`proven` is what trusts a recorded sandbox.
    """
    response = _get(base_url + "/3/credits", timeout)
    return response is not None and (
        "X-RateLimit-ClientLimit" in response.headers or response.status_code in (401, 403)
    )


def proven(address: SandboxAddress, timeout: float = ALIVE_TIMEOUT) -> bool:
    """True when the recorded sandbox is on this computer and proves it wrote the record.

    A fresh random challenge goes to ``/sandbox/proof``; only the sandbox that holds the
    record's key can answer it with HMAC-SHA256(key, challenge). Whatever now holds a
    stale record's port, or a record naming another computer, fails, so the practice
    Client ID and uploads never go there.
    """
    if address.proof_key is None or not is_loopback(address.base_url):
        return False
    challenge = secrets.token_hex(32)
    response = _get(f"{address.base_url}/sandbox/proof?challenge={challenge}", timeout)
    if response is None or response.status_code != 200:
        return False
    try:
        answer = response.json().get("proof")
    except (ValueError, AttributeError, RecursionError):
        return False
    expected = hmac.new(address.proof_key.encode("ascii"), challenge.encode("ascii"), hashlib.sha256).hexdigest()
    return isinstance(answer, str) and hmac.compare_digest(answer, expected)


class UnprovenSandboxWarning(UserWarning):
    """A recorded sandbox could not prove it is this user's: it was not used."""


@runtime_checkable
class SandboxHandle(Protocol):
    """What the kit uses of a sandbox, whether it runs in this process (:class:`imgur_kit.sandbox.Sandbox`)
    or in another one the kit attached to (:class:`AttachedSandbox`). Both register apps and press
    Allow through the sandbox's own pages, as a browser would (:mod:`imgur_kit.sandbox.browser`)."""

    @property
    def base_url(self) -> str:
        """Where it answers, ``http://127.0.0.1:PORT``."""
        ...

    @property
    def port(self) -> int:
        """The port it listens on."""
        ...

    @property
    def state_dir(self) -> Optional[Path]:
        """The folder it keeps its apps, tokens and pictures in (None: memory only)."""
        ...

    @property
    def running(self) -> bool:
        """True while it answers."""
        ...

    @property
    def username(self) -> str:
        """The sandbox's one user."""
        ...

    @property
    def default_app(self) -> App:
        """The pre-registered demo app."""
        ...

    def app(self, client_id: Optional[str]) -> Optional[App]:
        """The registered app with this Client ID, or None."""
        ...

    def registered_apps(self) -> list[App]:
        """The apps registered on its form, oldest first (not the demo app)."""
        ...

    def register_app(
        self,
        name: str = ...,
        auth_type: str = ...,
        callback_url: str = ...,
        email: str = ...,
        description: str = ...,
        website: str = ...,
    ) -> App:
        """Register an app, as the registration form would; returns its keys."""
        ...

    def approve(self, authorize_url: str, *, allow: bool = True) -> str:
        """Press Allow (or Deny) on the consent page; returns where the browser ends."""
        ...

    def stop(self) -> None:
        """Stop it, when it belongs to this process."""
        ...


class AttachedSandbox:
    """A standalone sandbox in another process, used the way an in-process one is.

    It offers what the notebooks and the command line use: ``base_url``, ``port``,
    ``default_app``, ``app(client_id)``, ``registered_apps()``, ``register_app(...)`` (through the
    registration form) and ``approve(url)`` (the consent page, as a browser).
    The apps are read from the sandbox's state folder, which it keeps up to date.
    """

    def __init__(self, address: SandboxAddress) -> None:
        self._address = address
        self.base_url = address.base_url
        self.state_dir = address.state_dir
        self.pid = address.pid

    @property
    def port(self) -> int:
        """The port it listens on."""
        return urlsplit(self.base_url).port or 80  # no port written: HTTP's own

    @property
    def running(self) -> bool:
        """True while it answers (and, when its record gave a key, proves it is still the same sandbox)."""
        if self._address.proof_key is not None:
            return proven(self._address)
        return answers(self.base_url)

    @property
    def username(self) -> str:
        """The sandbox's one user."""
        from imgur_kit.sandbox.models import USERNAME

        return USERNAME

    def _saved_state(self):
        # A fresh read of what the running sandbox saved; never started, so it writes nothing.
        from imgur_kit.sandbox import Sandbox

        return Sandbox(state_dir=self.state_dir)

    @property
    def default_app(self):
        """The pre-registered demo app (the same across restarts)."""
        return self._saved_state().default_app

    def app(self, client_id: Optional[str]):
        """The registered app with this Client ID, or None."""
        return self._saved_state().app(client_id) if self.state_dir is not None else None

    def registered_apps(self):
        """The apps registered on its form, oldest first (not the demo app)."""
        return self._saved_state().registered_apps() if self.state_dir is not None else []

    def register_app(
        self,
        name: str = "demo",
        auth_type: str = "callback",
        callback_url: str = callback_url_for(CAPTURE_PORT),
        email: str = "you@example.com",
        description: str = "",
        website: str = "",
    ) -> App:
        """Register an app through the sandbox's registration form, as a person would."""
        from imgur_kit.sandbox import browser

        return browser.register(
            self.base_url,
            name=name,
            auth_type=auth_type,
            callback_url=callback_url,
            email=email,
            description=description,
            website=website,
        )

    def approve(self, authorize_url: str, *, allow: bool = True) -> str:
        """Open the consent page and press Allow (or Deny); return where the browser ends."""
        from imgur_kit.sandbox import browser

        return browser.approve(self.base_url, authorize_url, allow=allow)

    def stop(self) -> None:
        """Nothing to do: the standalone sandbox belongs to its own process."""

    def __repr__(self) -> str:
        return f"<standalone Sandbox {self.base_url}>"


def standalone_sandbox(timeout: float = ALIVE_TIMEOUT) -> Optional[AttachedSandbox]:
    """The running standalone sandbox recorded in the config folder, or None.

    A record is trusted only by proof (:func:`proven`). One naming another computer, or whose
    port answers without the proof, is not used, with a warning that says so: a record left
    by a sandbox that ended is common and harmless; what now holds its port is unknown.
    """
    address = read_address()
    if address is None or not _process_alive(address.pid):
        return None
    if proven(address, timeout):
        return AttachedSandbox(address)
    if not is_loopback(address.base_url):
        why = f"it names {host_of(address.base_url)}, which is not this computer"
    elif answers(address.base_url, timeout):
        why = f"whatever answers at {host_of(address.base_url)} could not prove it is the sandbox that wrote it"
    else:
        return None  # nothing listens there: a sandbox that ended without removing its record
    warnings.warn(
        UnprovenSandboxWarning(
            f"The sandbox record {address_file()} was not used: {why}. The kit uses a sandbox of its own "
            "instead. Restart yours with `python -m imgur_kit sandbox` to record it afresh."
        ),
        stacklevel=2,
    )
    return None


# One in-process sandbox per state folder: a notebook that calls connect() twice,
# or several notebooks in one kernel, share it instead of starting a new server each time.
_SANDBOXES: dict[Path, Sandbox] = {}
_LOCK = threading.Lock()


def shared_sandbox(port: int = 0, demo_callback: Optional[str] = None) -> SandboxHandle:
    """The user's sandbox: the standalone one when it runs, else one started in this process.

    ``port`` is where a sandbox started here listens (0: any free port; a learner's own
    port on a hub, or any free one when another of their kernels holds it already), and
    ``demo_callback`` the demo app's callback (None: the one saved).
    """
    attached = standalone_sandbox()
    if attached is not None:
        return attached
    from imgur_kit.sandbox import Sandbox  # loaded only when a sandbox is needed

    state_dir = default_state_dir()
    with _LOCK:
        existing = _SANDBOXES.get(state_dir)
        if existing is None:
            existing = _start(Sandbox, state_dir, port, demo_callback)
            _SANDBOXES[state_dir] = existing
            atexit.register(existing.stop)
        return existing


def _start(sandbox_class, state_dir: Path, port: int, demo_callback: Optional[str]):
    try:
        return sandbox_class(state_dir=state_dir, port=port, demo_callback=demo_callback).start()
    except OSError:
        if not port:
            raise
        # Taken, most likely by this person's sandbox in another kernel: any free port will do.
        return sandbox_class(state_dir=state_dir, port=0, demo_callback=demo_callback).start()


def stop_sandboxes() -> int:
    """Stop every sandbox started in this process by :func:`shared_sandbox`; returns how many."""
    with _LOCK:
        running = list(_SANDBOXES.values())
        _SANDBOXES.clear()
    for sandbox in running:
        sandbox.stop()
    return len(running)
