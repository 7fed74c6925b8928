"""The session a front end works with: mode, reason, the store of that mode, and one client.

The client owns the token: :attr:`Session.token` reads it from the client, a new
token is handed to the client, and every token the client gets by refreshing is
saved through one callback into the store of this mode. Nothing here does I/O
in a constructor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from imgur_kit import oauth
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.errors import CredentialsError
from imgur_kit.preflight import Finding
from imgur_kit.steps.mode import LIVE, MODE_RULE, SANDBOX
from imgur_kit.steps.sandboxes import SandboxHandle
from imgur_kit.steps.where import (
    CALLBACK_PATH,
    CAPTURE_PORT,
    HUB,
    LOCAL,
    PROXIED,
    callback_url_for,
    hub_proxy_root,
    hub_sentence,
    hub_target,
    loopback_target,
    proxied_address,
    unreachable_sandbox_note,
)
from imgur_kit.tokens import Token

NO_CLIENT_ID = (
    "No Client ID is saved yet, so there is nothing to call Imgur with. Save yours with "
    "imgur_kit.login() or 'python -m imgur_kit configure' (or set IMGUR_CLIENT_ID), then try again."
)


class Session:
    """Which Imgur, why, and a ready client: what :func:`imgur_kit.steps.open_session` decided.

    ``mode`` is "sandbox" or "live"; ``reason`` completes "... mode, because ...";
    ``store`` is the credentials store of this mode (sandbox and live never mix);
    ``sandbox`` is the sandbox in use (sandbox mode only); ``forced`` says the mode
    was asked for rather than decided; ``using`` names the sandbox app in use;
    ``reachability`` is the live host check, when one was made. ``environment`` says
    where the program runs (:func:`imgur_kit.steps.where.detect_environment`: ``local``,
    ``binder``, ``colab``, ``jupyterhub`` or ``remote``); :meth:`browser_url` and
    :attr:`browser_note` give the address a person's browser opens from there, and on a
    JupyterHub :meth:`callback_url` is an address of the learner's own server.
    """

    def __init__(
        self,
        mode: str,
        reason: str,
        credentials: Optional[Credentials] = None,
        token: Optional[Token] = None,
        store: Optional[CredentialStore] = None,
        base_url: str = oauth.DEFAULT_BASE_URL,
        *,
        profile: str = "default",
        sandbox: Optional[SandboxHandle] = None,
        persist_tokens: bool = True,
        forced: bool = False,
        using: str = "",
        reachability: Optional[Finding] = None,
        capture_port: int = CAPTURE_PORT,
        environment: str = LOCAL,
    ) -> None:
        if mode not in (SANDBOX, LIVE):
            raise CredentialsError(f"mode must be 'sandbox' or 'live', not {mode!r}.")
        self.mode = mode
        self.reason = reason
        self.store = store if store is not None else CredentialStore(kind=mode)
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.sandbox = sandbox
        self.persist_tokens = persist_tokens
        self.forced = forced
        self.using = using
        self.reachability = reachability
        #: The loopback port this person's sign-in capture listens on (their own one on a hub).
        self.capture_port = capture_port
        self.environment = environment
        self._credentials = credentials
        self._token = token  # handed to the client when it is made; the client owns it after that
        self._client: Optional[ImgurClient] = None

    # -- credentials and the one client ------------------------------------------------

    @property
    def credentials(self) -> Optional[Credentials]:
        """The app's Client ID and Secret in use (None when none is saved yet)."""
        return self._credentials

    @property
    def token(self) -> Optional[Token]:
        """The user token, as the client holds it (refreshed tokens included)."""
        return self._client.token if self._client is not None else self._token

    @property
    def client(self) -> ImgurClient:
        """The one :class:`ImgurClient` of this session; it shares its token with the store of this mode.

        With ``persist_tokens`` the client keeps its token in this mode's store
        (:meth:`CredentialStore.slot`): a token another program refreshed is used, and a
        refreshed token is stored only where the one it replaces still is, so a sign-out
        or another app saved elsewhere wins.
        """
        if self._credentials is None:
            raise CredentialsError(NO_CLIENT_ID)
        if self._client is None:
            keeper = self.store.slot(self._credentials.client_id, profile=self.profile) if self.persist_tokens else None
            self._client = ImgurClient(self._credentials, self._token, base_url=self.base_url, token_keeper=keeper)
        return self._client

    def _drop_client(self) -> None:
        if self._client is not None:
            self._token = self._client.token
            self._client.close()
        self._client = None

    def use(self, credentials: Optional[Credentials], token: Optional[Token] = None) -> None:
        """Work with ``credentials`` (and ``token``) from now on, without saving anything."""
        self._drop_client()
        self._credentials, self._token = credentials, token

    def switch(
        self, mode: str, reason: str, *, base_url: str, store: CredentialStore, sandbox: Optional[SandboxHandle] = None
    ) -> None:
        """Move this session to another mode (after a person saved their own keys, for example)."""
        self._drop_client()
        self.mode, self.reason, self.base_url = mode, reason, base_url.rstrip("/")
        self.store, self.sandbox = store, sandbox
        self.forced, self.using, self.reachability, self.persist_tokens = False, "", None, True

    # -- saving ----------------------------------------------------------------------------

    def store_credentials(self, credentials: Credentials) -> Path:
        """Put ``credentials`` in this mode's store and use them from now on (no check with Imgur:
        :func:`imgur_kit.steps.save_credentials` checks them and chooses the store)."""
        path = self.store.save(credentials, profile=self.profile)
        same_app = self._credentials is not None and self._credentials.client_id == credentials.client_id
        token = self.token if same_app else None  # a token belongs to the app that asked for it
        self.use(credentials, token)
        self.persist_tokens = True
        return path

    def store_token(self, token: Token) -> Path:
        """Put a user token, with the app it belongs to, in this mode's store and use it from now on.

        One locked write: the app is stored beside the token when the store holds another app or none.
        """
        path = self.store.save_token(token, profile=self.profile, credentials=self._credentials)
        if self._client is not None:
            self._client.token = token
        else:
            self._token = token
        return path

    def forget_token(self) -> bool:
        """Sign out locally: drop the stored user token (the client credentials stay)."""
        if self._client is not None:
            self._client.token = None
        self._token = None
        return self.store.delete_token(profile=self.profile)

    # -- authorizing -----------------------------------------------------------------------

    def authorize_url(self, response_type: str = "token") -> tuple[str, str]:
        """A fresh authorize link and the ``state`` to check the answer against."""
        if self._credentials is None:
            raise CredentialsError(NO_CLIENT_ID)
        state = oauth.new_state()
        url = oauth.authorize_url(
            self._credentials.client_id, response_type=response_type, state=state, base_url=self.base_url
        )
        return url, state

    # -- addresses for the person's browser --------------------------------------------------

    def browser_url(self, url: str) -> str:
        """The address the person's browser should open for ``url``, a page on the sandbox.

        On the same machine, ``url`` itself. On Binder or another remote Jupyter the browser
        runs elsewhere, so ``http://127.0.0.1:PORT/...`` is dead there; jupyter-server-proxy
        serves the same page at ``<JUPYTERHUB_SERVICE_PREFIX>proxy/PORT/...``, which is
        returned when the proxy is installed and the prefix known. In live mode, for URLs
        not on the sandbox, or when no proxy can help, ``url`` comes back unchanged (then
        :attr:`browser_note` says why the link may not open).
        """
        if self.mode != SANDBOX or self.environment not in PROXIED:
            return url
        return proxied_address(url, self.base_url)

    @property
    def browser_note(self) -> str:
        """One sentence on why a sandbox link may not open in the person's browser, or ""."""
        return unreachable_sandbox_note(self.environment, self.base_url) if self.mode == SANDBOX else ""

    # -- the sign-in capture -------------------------------------------------------------------

    def callback_url(self) -> str:
        """The callback to register so the kit catches the redirect itself.

        On a JupyterHub that says its address: the learner's own server, through the hub, at
        their own capture port (``https://hub.example.org/user/ada/proxy/27311/callback``); the
        hub lets only the signed-in learner through ``/user/ada/``. Elsewhere the local one,
        ``http://localhost:<capture port>/callback``.
        """
        root = hub_proxy_root(self.environment)
        if root is None:
            return callback_url_for(self.capture_port)
        return f"{root}{self.capture_port}{CALLBACK_PATH}"

    def capture_target(self, callback_url: str) -> Optional[tuple[int, str]]:
        """The loopback port and path the kit listens on for a redirect to ``callback_url``,
        or None when no listener of this program can receive it (then the person pastes).

        On this computer an http://localhost (or 127.0.0.1) address with a port; on a
        JupyterHub an address of the learner's own server's proxy.
        """
        if self.environment == HUB:
            return hub_target(callback_url)
        return loopback_target(callback_url) if self.environment == LOCAL else None

    # -- words -----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The host the calls go to, e.g. ``api.imgur.com`` or ``127.0.0.1:8700``."""
        return urlsplit(self.base_url).netloc

    @property
    def banner(self) -> str:
        """Which mode, why, where calls go, and the rule: one sentence each."""
        if self.mode == SANDBOX:
            app = f", with {self.using}" if self.using else ""
            decided = (
                f"Sandbox mode, because {self.reason}: calls go to the local sandbox at "
                f"{self.base_url}{app}, and nothing leaves this machine."
            )
        else:
            decided = f"Live mode, because {self.reason}: calls go to {self.base_url}."
            if self._credentials is None:
                decided += (
                    " No Client ID is saved yet: save yours with imgur_kit.login() or 'python -m imgur_kit configure'."
                )
            if self.reachability is not None and not self.reachability.ok:
                decided += f" Right now {self.reachability.summary[:1].lower()}{self.reachability.summary[1:]}"
                decided += f" {self.reachability.advice}" if self.reachability.advice else ""
        hub = hub_sentence(self.environment, self.callback_url())
        return f"{decided} {MODE_RULE} {hub}" if hub else f"{decided} {MODE_RULE}"

    def close(self) -> None:
        """Close the client's connections (the session can still be used: a new client is made)."""
        self._drop_client()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.mode} {self.base_url}>"
