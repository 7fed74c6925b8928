"""The journey's steps, the same for every front end.

Each step takes a :class:`~imgur_kit.steps.session.Session` and answers with a
sentence (or a small result holding one). The widgets, the command line and
``imgur_kit.login()`` call exactly these and only present what they return; the
notebooks show them as the "no widgets?" way.

The rule for keys (design: the mode rule): keys a person types as their own are
live keys, checked with the real Imgur (or the stand-in ``IMGUR_KIT_BASE_URL``
names) and saved to the live store, even unverified when Imgur cannot be reached;
practice apps the sandbox issued go to the sandbox store only.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from imgur_kit import oauth, preflight
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials, CredentialStore, display_path, resolve
from imgur_kit.errors import AuthError, AuthorizationError, ImgurError
from imgur_kit.steps.mode import LIVE, SANDBOX, choose_mode, live_base_url
from imgur_kit.steps.ports import HubOptions
from imgur_kit.steps.sandboxes import shared_sandbox
from imgur_kit.steps.session import Session
from imgur_kit.steps.where import HUB, LOCAL
from imgur_kit.steps.words import credentials_words, credits_sentence, expiry_words, token_sentence
from imgur_kit.tokens import Token, mask

#: The picture that ships with the kit, for a first upload with nothing to choose.
BUNDLED_PICTURE = "hello-imgur.png"

PRACTICE_ONLY = (
    "The sandbox only knows its own practice apps (its demo app and the ones registered on its "
    "form), and Client ID {masked} is not one of them. If it is your key for the real Imgur, "
    "save it: the kit then checks it with Imgur and keeps it for live mode."
)

NO_TOKEN = (
    "Nobody is signed in yet: there is no user token. Sign in first (imgur_kit.login(), the "
    "authorize step, or 'python -m imgur_kit login'), then try again."
)


# -- opening a session --------------------------------------------------------------------


def _practice_app(store: CredentialStore, profile: str, sandbox) -> tuple[Credentials, Optional[Token], str]:
    """The sandbox app to use: the practice app saved before if the sandbox knows it, else its demo app."""
    stored = store.load(profile)
    if stored is not None and stored.credentials is not None and sandbox.app(stored.credentials.client_id):
        return stored.credentials, stored.token, f"the practice app saved in {display_path(store.path)}"
    app = sandbox.default_app
    return Credentials(client_id=app.client_id, client_secret=app.client_secret), None, "its demo app"


def open_session(
    mode: Optional[str] = None,
    *,
    asked_by: str = "mode=",
    profile: str = "default",
    check: bool = True,
    environment: str = LOCAL,
) -> Session:
    """Apply the mode rule (:func:`~imgur_kit.steps.mode.choose_mode`) and return a ready session.

    Sandbox mode attaches to the running standalone sandbox or starts one here; live
    mode goes to the real Imgur (or ``IMGUR_KIT_BASE_URL``) and, with ``check``, makes
    one quick request so an unreachable host is reported in the banner. ``environment``
    says where the program runs (:func:`~imgur_kit.steps.where.detect_environment`); on a
    JupyterHub the sandbox and the sign-in capture use the learner's own ports.
    """
    where = HubOptions.for_learner() if environment == HUB else HubOptions()
    choice = choose_mode(mode, asked_by=asked_by, profile=profile)
    common: dict[str, Any] = {"profile": profile, "forced": choice.forced, "environment": environment}
    if where.capture_port:
        common["capture_port"] = where.capture_port
    if choice.mode == SANDBOX:
        sandbox = shared_sandbox(where.sandbox_port, where.demo_callback)
        store = CredentialStore(kind=SANDBOX)
        credentials, token, using = _practice_app(store, profile, sandbox)
        return Session(
            SANDBOX, choice.reason, credentials, token, store, sandbox.base_url, sandbox=sandbox, using=using, **common
        )
    base_url = live_base_url()
    found = choice.found
    session = Session(
        LIVE,
        choice.reason,
        found.credentials,
        found.token,
        CredentialStore(kind=LIVE),
        base_url,
        persist_tokens=found.source.startswith("file"),
        **common,
    )
    if check:
        session.reachability = preflight.check_reachable(base_url=base_url, timeout=5)
    return session


# -- Client ID and Secret --------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialsCheck:
    """What checking a Client ID found: ``accepted`` True (yes), False (refused) or None (could not ask)."""

    accepted: Optional[bool]
    sentence: str
    where: str


def _is_practice_app(session: Session, credentials: Credentials) -> bool:
    return (
        session.mode == SANDBOX
        and session.sandbox is not None
        and session.sandbox.app(credentials.client_id) is not None
    )


def _ask(credentials: Credentials, base_url: str) -> dict:
    with ImgurClient(credentials, base_url=base_url, retries=0, timeout=10) as client:
        return client.credits()


def _unreachable_words(error: ImgurError, base_url: str) -> str:
    """Why Imgur could not check the keys, as a clause (worded once, in :mod:`imgur_kit.preflight`)."""
    return preflight.why_unanswered(error, urlsplit(base_url).netloc)


def check_credentials(session: Session, credentials: Credentials) -> CredentialsCheck:
    """Ask whether ``credentials`` are accepted, where they belong: the sandbox for its
    practice apps, the real Imgur for a person's own keys. Raises nothing for a refusal."""
    if session.mode == SANDBOX:
        if not _is_practice_app(session, credentials):
            return CredentialsCheck(None, PRACTICE_ONLY.format(masked=mask(credentials.client_id)), SANDBOX)
        credits = _ask(credentials, session.base_url)
        return CredentialsCheck(
            True, f"The sandbox knows practice app {mask(credentials.client_id)}: {credits_sentence(credits)}", SANDBOX
        )
    base_url = live_base_url()
    try:
        credits = _ask(credentials, base_url)
    except AuthError as error:
        return CredentialsCheck(False, str(error), LIVE)
    except ImgurError as error:
        return CredentialsCheck(
            None,
            f"The kit could not check Client ID {mask(credentials.client_id)}: "
            f"{_unreachable_words(error, base_url)}. You can still save it; it is then "
            "kept unverified.",
            LIVE,
        )
    return CredentialsCheck(
        True, f"Imgur accepted Client ID {mask(credentials.client_id)}: {credits_sentence(credits)}", LIVE
    )


@dataclass(frozen=True)
class SavedCredentials:
    """What saving keys did: which store (``kind``), whether Imgur ``verified`` them, and the sentence."""

    kind: str
    verified: bool
    path: Path
    sentence: str


def save_credentials(session: Session, credentials: Credentials) -> SavedCredentials:
    """Save keys where they belong, and from then on use them.

    A practice app the sandbox knows goes to the sandbox store. Anything else is a
    person's own key: it is checked with the real Imgur and saved to the live store;
    when Imgur cannot be reached it is saved unverified, and the sentence says so.
    A key Imgur refuses is not saved (:class:`~imgur_kit.errors.AuthError`). The
    session moves to live mode, unless sandbox mode was forced.
    """
    if _is_practice_app(session, credentials):
        path = session.store_credentials(credentials)
        return SavedCredentials(
            SANDBOX,
            True,
            path,
            f"Saved practice app {credentials_words(credentials.client_id, credentials.client_secret)} to "
            f"{display_path(path)}, a file only your user account can read; the sandbox uses it "
            "from now on (the real Imgur does not know practice apps).",
        )
    base_url = live_base_url()
    verified, why = True, ""
    try:
        _ask(credentials, base_url)
    except AuthError:
        raise  # Imgur itself refused the Client ID: nothing is saved
    except ImgurError as error:
        verified, why = False, _unreachable_words(error, base_url)
    store = CredentialStore(kind=LIVE)
    path = store.save(credentials, profile=session.profile)
    stored = store.load(session.profile)
    keys = credentials_words(credentials.client_id, credentials.client_secret)
    if verified:
        sentence = (
            f"Imgur accepted {keys}; they are saved in {display_path(path)}, a file only your user account can read."
        )
    else:
        sentence = (
            f"Saved {keys} in {display_path(path)} unverified, because {why}; check them later with "
            "'python -m imgur_kit status'."
        )
    in_use = resolve(profile=session.profile)
    if in_use.credentials is not None and in_use.credentials.client_id != credentials.client_id:
        sentence += (
            f" Note: the kit looks at {in_use.source} first, which holds Client ID "
            f"{mask(in_use.credentials.client_id)}; remove that to use the keys you saved."
        )
    if session.mode == SANDBOX and session.forced:
        sentence += (
            f" This session stays in the sandbox because {session.reason}; without that, the kit "
            "now uses the real Imgur."
        )
    else:
        session.switch(LIVE, "you saved your own Client ID", base_url=base_url, store=store)
        session.use(credentials, stored.token if stored is not None else None)
        sentence += " From now on the kit uses the real Imgur (live mode)."
    return SavedCredentials(LIVE, verified, path, sentence)


# -- authorizing -------------------------------------------------------------------------------


def finish_authorization(session: Session, pasted: str, state: Optional[str]) -> tuple[Token, str]:
    """Read whatever the browser ended on, turn it into a token, store it; return (token, sentence).

    Accepts the address the browser landed on, or any text that carries its
    ``state=`` and the token or code (see :func:`imgur_kit.oauth.parse_redirect`), or
    the PIN shown by the PIN page; a code or PIN is exchanged at once. With a
    ``state`` expected, a paste without it is refused, so a link someone else made
    cannot sign you in. A denial or a ``state`` that does not match raises
    :class:`~imgur_kit.errors.AuthorizationError` with a sentence saying so.
    """
    found = oauth.parse_redirect(pasted, expected_state=state)
    if isinstance(found, Token):
        token, how = found, "Found an access token"
    else:
        token = oauth.exchange(session.credentials, found, base_url=session.base_url)
        what = "an authorization code" if found.kind == "code" else "a PIN"
        how = f"Found {what} and exchanged it for an access token"
    path = session.store_token(token)
    return token, f"{token_sentence(token, how=how)} Saved to {display_path(path)}."


def who_am_i(session: Session) -> str:
    """Who the stored token signs in as (``GET /3/account/me``) and when it expires."""
    if session.token is None:
        raise AuthorizationError(NO_TOKEN)
    client = session.client
    account = client.account()
    name = account.get("url") or (client.token.account_username if client.token else None) or "?"
    expiry = expiry_words(client.token.expires_at) if client.token is not None else "there is no token"
    return f"Signed in as {name} (account id {account.get('id', '?')}); the access token {expiry}."


def refresh_now(session: Session) -> str:
    """Refresh the access token now (the kit also does it by itself when needed) and say the new expiry."""
    if session.token is None:
        raise AuthorizationError(NO_TOKEN)
    token = session.client.refresh()
    stored = "it was stored for next time" if session.persist_tokens else "it is used until this session ends"
    return f"Refreshed: a new access token {mask(token.access_token)} that {expiry_words(token.expires_at)}; {stored}."


# -- uploading ------------------------------------------------------------------------------------


def bundled_picture() -> Path:
    """The path of the picture that ships with the kit (``imgur_kit/assets/hello-imgur.png``)."""
    return Path(str(resources.files("imgur_kit") / "assets" / BUNDLED_PICTURE))


def upload_picture(
    session: Session, image, *, title: Optional[str] = None, name: Optional[str] = None, progress=None
) -> dict:
    """Upload ``image`` (a path, bytes or binary file) with the session's client; return Imgur's image data.

    ``progress`` is called as ``progress(sent_bytes, total_bytes)`` while the body streams out.
    """
    client = session.client if isinstance(session, Session) else session
    return client.upload(image, title=title or None, name=name, progress=progress)


# -- the status check ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusReport:
    """The status check's findings, where they were asked, and a heading that says so."""

    findings: list[preflight.Finding]
    rehearsal: bool
    base_url: str

    @property
    def heading(self) -> str:
        """One sentence: the real Imgur, or a rehearsal against the sandbox."""
        if self.rehearsal:
            return f"Rehearsal: these answers come from the local sandbox at {self.base_url}, not from the real Imgur."
        return f"The real Imgur, asked just now at {self.base_url}:"

    @property
    def problems(self) -> bool:
        """True when any check found a problem."""
        return any(f.status == preflight.PROBLEM for f in self.findings)

    @property
    def unreachable(self) -> bool:
        """True when the host did not answer at all."""
        return bool(self.findings) and self.findings[0].unreachable

    def __str__(self) -> str:
        return self.heading + "\n" + preflight.summarize(self.findings)


def status(session: Optional[Session] = None, *, rehearsal: bool = False, timeout: float = 10) -> StatusReport:
    """The status check: the real Imgur by default; the session's sandbox only when ``rehearsal`` is asked.

    Live, the credentials checked are the live ones (argument, environment, live
    store); a session in sandbox mode asked for a rehearsal checks its sandbox app.
    """
    if rehearsal:
        if session is None or session.mode != SANDBOX:
            session = open_session(SANDBOX, asked_by="the rehearsal", check=False)
        findings = preflight.run_all(session.credentials, session.token, base_url=session.base_url, timeout=timeout)
        return StatusReport(findings, True, session.base_url)
    if session is None or session.mode != LIVE:
        found = choose_mode(LIVE).found
        credentials, token = found.credentials, found.token
    else:
        credentials, token = session.credentials, session.token
    base_url = live_base_url()
    return StatusReport(preflight.run_all(credentials, token, base_url=base_url, timeout=timeout), False, base_url)
