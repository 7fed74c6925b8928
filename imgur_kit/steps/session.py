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
from imgur_kit.steps.sandboxes import CAPTURE_PORT
from imgur_kit.tokens import Token

#: Where the program runs, as far as OAuth cares: only a program on the same machine as the
#: person's browser can catch a redirect to a loopback address; elsewhere the person pastes it.
LOCAL = "local"
BINDER = "binder"
COLAB = "colab"
#: A learner's own server on a shared JupyterHub (the browser reaches it through the hub).
HUB = "jupyterhub"
REMOTE = "remote"

#: The path of the kit's callback URLs (``http://localhost:8765/callback``).
CALLBACK_PATH = "/callback"

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
    where the program runs (:data:`LOCAL` here; the notebook's session knows better), and
    :meth:`browser_url` / :attr:`browser_note` give the address a person's browser opens.
    """

    #: Where the program runs (``local``, ``binder``, ``colab`` or ``remote``).
    environment: str = LOCAL

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
        sandbox=None,
        persist_tokens: bool = True,
        forced: bool = False,
        using: str = "",
        reachability: Optional[Finding] = None,
        capture_port: int = CAPTURE_PORT,
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

    def switch(self, mode: str, reason: str, *, base_url: str, store: CredentialStore, sandbox=None) -> None:
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
        """The address the person's browser should open for ``url``: on the same machine, ``url`` itself."""
        return url

    @property
    def browser_note(self) -> str:
        """One sentence on why a sandbox link may not open in the person's browser; "" on the same machine."""
        return ""

    # -- the sign-in capture -------------------------------------------------------------------

    def callback_url(self) -> str:
        """The callback to register for a practice app so the kit can catch the redirect itself:
        ``http://localhost:<capture port>/callback`` on the person's own computer."""
        return f"http://localhost:{self.capture_port}{CALLBACK_PATH}"

    def capture_target(self, callback_url: str) -> Optional[tuple[int, str]]:
        """The loopback port and path the kit listens on for a redirect to ``callback_url``,
        or None when no listener of this program can receive it (then the person pastes).

        Here: an http://localhost (or 127.0.0.1) address with a port.
        """
        parts = urlsplit(callback_url.strip())
        try:
            port = parts.port
        except ValueError:
            return None
        if parts.scheme != "http" or parts.hostname not in ("localhost", "127.0.0.1") or not port:
            return None
        return port, parts.path or "/"

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
        return f"{decided} {MODE_RULE}"

    def close(self) -> None:
        """Close the client's connections (the session can still be used: a new client is made)."""
        self._drop_client()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.mode} {self.base_url}>"
