"""Sandbox or live, decided for you: the one call at the top of every notebook.

:func:`connect` looks for Imgur credentials in the usual places (see
:func:`imgur_kit.credentials.resolve`). When it finds some it works against the real
Imgur ("live mode"); when it finds none it starts the local sandbox, a faithful
stand-in for Imgur on 127.0.0.1 ("sandbox mode"), so the whole journey can be
rehearsed with nothing configured. ``IMGUR_KIT_MODE=sandbox`` or ``=live`` forces
the choice. Either way it prints one line saying which mode, why, and how to switch.
"""
from __future__ import annotations

import atexit
import dataclasses
import importlib.util
import os
import sys
import threading
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

import requests

from imgur_kit import oauth, preflight
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import CredentialStore, Credentials, config_dir, display_path, resolve
from imgur_kit.errors import CredentialsError, ImgurError
from imgur_kit.tokens import Token

SANDBOX = "sandbox"
LIVE = "live"
MODE_VARIABLE = "IMGUR_KIT_MODE"
BASE_URL_VARIABLE = "IMGUR_KIT_BASE_URL"
PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX"
PROXY_PACKAGE = "jupyter_server_proxy"

LOCAL = "local"
BINDER = "binder"
COLAB = "colab"
REMOTE = "remote"


def detect_environment(environ: Optional[Mapping[str, str]] = None) -> str:
    """Where this kernel runs: ``local``, ``binder``, ``colab`` or ``remote``.

    It matters for OAuth: only a kernel on the same machine as the browser can
    catch the redirect on a loopback address; everywhere else the person pastes it.
    """
    env = os.environ if environ is None else environ
    if any(name.startswith("BINDER_") for name in env):
        return BINDER
    if "COLAB_RELEASE_TAG" in env or "COLAB_GPU" in env:
        return COLAB
    if any(name in env for name in ("JUPYTERHUB_SERVICE_PREFIX", "CODESPACES", "SSH_CONNECTION")):
        return REMOTE
    return LOCAL


def _proxy_prefix(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The Jupyter server's path prefix ("/user/ada/") when jupyter-server-proxy can serve
    loopback ports under it, else None.

    The package is only looked for, not imported: importing a server extension into
    the kernel would be slow and pointless (on Binder kernel and server share one environment).
    """
    env = os.environ if environ is None else environ
    prefix = env.get(PREFIX_VARIABLE, "").strip()
    if not prefix:
        return None
    try:
        if importlib.util.find_spec(PROXY_PACKAGE) is None:
            return None
    except (ImportError, ValueError):
        return None
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"


def requested_mode(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The mode forced by ``IMGUR_KIT_MODE``, or None; a wrong value is a clear error."""
    env = os.environ if environ is None else environ
    value = env.get(MODE_VARIABLE, "").strip().lower()
    if not value:
        return None
    if value not in (SANDBOX, LIVE):
        raise CredentialsError(
            f"{MODE_VARIABLE} is set to {value!r}, which the kit does not know. "
            f"Set it to 'sandbox' or 'live', or unset it to let the kit decide."
        )
    return value


# One sandbox per state folder and process: a notebook that calls connect() twice,
# or several notebooks in one kernel, share it instead of starting a new server each time.
_SANDBOXES: Dict[Path, object] = {}
_SANDBOX_LOCK = threading.Lock()


def running_sandbox(state_dir: Path):
    """The in-process sandbox that keeps its state in ``state_dir``, started on first use."""
    from imgur_kit.sandbox import Sandbox  # the sandbox is only loaded when it is needed

    with _SANDBOX_LOCK:
        existing = _SANDBOXES.get(state_dir)
        if existing is None:
            existing = Sandbox(state_dir=state_dir).start()
            _SANDBOXES[state_dir] = existing
            atexit.register(existing.stop)
        return existing


def stop_sandboxes() -> int:
    """Stop every sandbox that :func:`connect` started in this process; returns how many."""
    with _SANDBOX_LOCK:
        running = list(_SANDBOXES.values())
        _SANDBOXES.clear()
    for sandbox in running:
        sandbox.stop()
    return len(running)


@dataclasses.dataclass
class Connection:
    """What :func:`connect` decided: the mode, why, and a ready client.

    The credentials and token can change during a notebook (saved in notebook 02,
    authorized in 03); :attr:`client` is rebuilt when they do, and refreshed tokens
    are written back to the store automatically.
    """

    mode: str
    reason: str
    credentials: Optional[Credentials]
    token: Optional[Token]
    store: CredentialStore
    base_url: str
    environment: str
    profile: str = "default"
    sandbox: object = None
    persist_tokens: bool = True
    _client: Optional[ImgurClient] = dataclasses.field(default=None, init=False, repr=False)

    @property
    def client(self) -> ImgurClient:
        """An :class:`ImgurClient` for the current credentials and token."""
        if self.credentials is None:
            raise CredentialsError(
                "No Client ID is configured yet, so there is no client to call Imgur with. "
                "Enter your Client ID in notebook 02 (or set IMGUR_CLIENT_ID), then run this cell again."
            )
        if self._client is None:
            self._client = ImgurClient(self.credentials, self.token, base_url=self.base_url,
                                       on_token_refresh=self._token_refreshed)
        return self._client

    def _token_refreshed(self, token: Token) -> None:
        self.token = token
        if self.persist_tokens:
            self.store.save_token(token, profile=self.profile)

    def _reset_client(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    def save_credentials(self, credentials: Credentials) -> Path:
        """Store new client credentials for this mode and use them from now on."""
        path = self.store.save(credentials, profile=self.profile)
        if self.credentials is None or self.credentials.client_id != credentials.client_id:
            self.token = None  # a token belongs to the app that asked for it
        self.credentials = credentials
        self.persist_tokens = True
        self._reset_client()
        return path

    def save_token(self, token: Token) -> Path:
        """Store a user token (with the app it belongs to) for this mode and use it from now on."""
        stored = self.store.load(self.profile)
        if self.credentials is not None and (
                stored is None or stored.credentials is None
                or stored.credentials.client_id != self.credentials.client_id):
            # The store pairs a token with its Client ID; without the app the token is orphaned.
            self.store.save(self.credentials, profile=self.profile)
        path = self.store.save_token(token, profile=self.profile)
        self.token = token
        self._reset_client()
        return path

    def forget_token(self) -> bool:
        """Log out locally: drop the stored user token (the client credentials stay)."""
        self.token = None
        self._reset_client()
        return self.store.delete_token(profile=self.profile)

    def authorize_url(self, response_type: str = "token") -> Tuple[str, str]:
        """A fresh authorize link and the ``state`` to check the answer against."""
        if self.credentials is None:
            raise CredentialsError("Save your Client ID first (notebook 02): the authorize link needs it.")
        state = oauth.new_state()
        url = oauth.authorize_url(self.credentials.client_id, response_type=response_type,
                                  state=state, base_url=self.base_url)
        return url, state

    def browser_url(self, url: str) -> str:
        """The address the person's browser should open for ``url``, a page on the sandbox.

        On Binder or another remote Jupyter the browser runs on a different machine,
        so ``http://127.0.0.1:PORT/...`` is dead there; jupyter-server-proxy serves the
        same page at ``<JUPYTERHUB_SERVICE_PREFIX>proxy/PORT/...``. That path (no host:
        the browser resolves it against the Jupyter page's own origin) is returned when
        the proxy is installed and the prefix known. In live mode, locally, for URLs not
        on the sandbox, or when no proxy can help, ``url`` comes back unchanged (then
        :attr:`browser_note` says why the link may not open).
        """
        if self.mode != SANDBOX or self.environment not in (BINDER, REMOTE):
            return url
        prefix = _proxy_prefix()
        if prefix is None:
            return url
        parts, sandbox = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.hostname, parts.port) != (sandbox.scheme, sandbox.hostname, sandbox.port):
            return url  # not the sandbox: an app's callback, imgur.com, ...
        # "/" rather than "": the sandbox's relative links need the trailing slash at its root.
        address = f"{prefix}proxy/{sandbox.port}{parts.path or '/'}"
        if parts.query:
            address += "?" + parts.query
        if parts.fragment:
            address += "#" + parts.fragment
        return address

    @property
    def browser_note(self) -> str:
        """One sentence on why a sandbox link may not open in the person's browser, or ""."""
        if self.mode != SANDBOX or self.environment == LOCAL:
            return ""
        if self.environment in (BINDER, REMOTE) and _proxy_prefix() is not None:
            return ""
        if not os.environ.get(PREFIX_VARIABLE, "").strip() or self.environment == COLAB:
            why = "the kit cannot tell at which address this Jupyter server could pass them on"
        else:
            why = "jupyter-server-proxy, which would pass them on, is not installed here"
        return (f"This Jupyter runs on another machine than your browser, so links to the sandbox at "
                f"{self.base_url} may not open there ({why}); in sandbox mode the next cell does "
                f"that step for you.")

    @property
    def banner(self) -> str:
        """One line: which mode, why, and how to switch."""
        reason = self.reason.rstrip(".")  # the reason may end in advice that has its own full stop
        if self.mode == SANDBOX:
            return (f"Sandbox mode: {reason}. A local Imgur is running at {self.base_url}; nothing "
                    f"leaves this machine. To use the real Imgur, save your Client ID (notebook 02) "
                    f"and set {MODE_VARIABLE}=live.")
        return (f"Live mode: {reason}. Calls go to {self.base_url}. "
                f"To rehearse safely instead, set {MODE_VARIABLE}=sandbox.")


def _sandbox_credentials(store: CredentialStore, profile: str, sandbox) -> Tuple[Credentials, Optional[Token], str]:
    """The sandbox app to use: the one saved in notebook 02 if the sandbox knows it, else its demo app."""
    stored = store.load(profile)
    if stored is not None and stored.credentials is not None and _sandbox_knows(sandbox.base_url, stored.credentials):
        return stored.credentials, stored.token, f"the sandbox app saved in {display_path(store.path)}"
    app = sandbox.default_app
    credentials = Credentials(client_id=app.client_id, client_secret=app.client_secret)
    return credentials, None, "the sandbox's own demo app"


def _sandbox_knows(base_url: str, credentials: Credentials) -> bool:
    """Ask the sandbox whether a stored Client ID is still registered there (it may have been reset)."""
    try:
        response = requests.get(base_url + "/3/credits", timeout=5,
                                headers={"Authorization": f"Client-ID {credentials.client_id}"})
    except requests.RequestException:
        return False
    return response.status_code == 200


def connect(*, mode: Optional[str] = None, profile: str = "default", show: bool = True,
            check: bool = True) -> Connection:
    """Decide sandbox or live, print one line saying which and why, and return a :class:`Connection`.

    ``mode`` (or ``IMGUR_KIT_MODE``) forces the choice; otherwise the kit uses live
    mode when credentials are found and the sandbox when none are. In live mode,
    ``check`` makes one quick request so that an unreachable Imgur is reported here,
    in words, rather than as a traceback three cells later.
    """
    mode = (mode or "").strip().lower() or requested_mode()
    environment = detect_environment()
    if mode not in (None, SANDBOX, LIVE):
        raise CredentialsError(f"mode must be 'sandbox' or 'live', not {mode!r}.")

    found = resolve(profile=profile)
    if mode is None:
        mode = LIVE if found.credentials is not None else SANDBOX
        why = (f"credentials found ({found.source})" if mode == LIVE
               else "no Imgur credentials were found (argument, environment or credentials file)")
    else:
        why = f"{MODE_VARIABLE}={mode}" if requested_mode() == mode else f"mode={mode!r} was asked for"

    if mode == SANDBOX:
        state_dir = config_dir() / "sandbox"
        sandbox = running_sandbox(state_dir)
        store = CredentialStore(kind=SANDBOX)
        credentials, token, which = _sandbox_credentials(store, profile, sandbox)
        connection = Connection(SANDBOX, f"{why}; using {which}", credentials, token, store,
                                sandbox.base_url, environment, profile, sandbox)
    else:
        base_url = os.environ.get(BASE_URL_VARIABLE, "").strip().rstrip("/") or oauth.DEFAULT_BASE_URL
        reason = why if found.credentials is not None else f"{why}, but no Client ID was found yet"
        connection = Connection(LIVE, reason, found.credentials, found.token, CredentialStore(kind=LIVE),
                                base_url, environment, profile,
                                persist_tokens=found.source.startswith("file"))
        if check:
            reachable = preflight.check_reachable(base_url=base_url, timeout=5)
            if not reachable.ok:
                connection.reason += f"; but {reachable.summary} {reachable.advice}"
    if show:
        print(connection.banner)
        _show_errors_as_sentences()
    return connection


def _show_errors_as_sentences() -> None:
    """In IPython, show the kit's own errors as their sentence instead of a traceback.

    Every :class:`ImgurError` already says what happened and what to do; a
    traceback around it only hides that from a beginner. Other errors keep theirs.
    """
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        # One sentence is the whole "traceback" the front end shows. IPython ignores a
        # handler's return value when code raises, so the handler shows it itself;
        # ipykernel's _showtraceback sends it to the front end as the cell's error.
        sentence = [f"{etype.__name__}: {value}"]
        shell._showtraceback(etype, value, sentence)
        return sentence

    shell.set_custom_exc((ImgurError,), handler)
