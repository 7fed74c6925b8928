"""The live status check: is Imgur open for what you want to do today?

Imgur has closed doors at times (registration reported closed since mid-2025, an
"Error (1024)" on the authorize page, whole regions blocked). Each probe below asks
one question with one small request and answers with a :class:`Finding`: ``ok``,
``problem`` or ``unknown``, a one-line summary, and advice in plain words.

Probes never raise: a probe that cannot decide says ``unknown`` and why.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

import requests

from imgur_kit import oauth
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials
from imgur_kit.errors import (
    AuthError,
    ImgurError,
    NetworkError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)
from imgur_kit.responses import error_from_response
from imgur_kit.tokens import Token

OK = "ok"
PROBLEM = "problem"
UNKNOWN = "unknown"

#: What a person can still do when registration or authorization is closed.
CLIENT_ID_ONLY_ADVICE = (
    "If you already have a Client ID, anonymous uploads with it keep working: "
    "use ImgurClient(Credentials(client_id=...)) without a token."
)


@dataclasses.dataclass(frozen=True)
class Finding:
    """The answer of one probe: a status, a one-line summary and what to do."""

    name: str
    status: str
    summary: str
    advice: str = ""

    @property
    def ok(self) -> bool:
        """True when the probe found nothing wrong."""
        return self.status == OK

    def __str__(self) -> str:
        mark = {OK: "ok", PROBLEM: "PROBLEM", UNKNOWN: "unknown"}[self.status]
        text = f"[{mark}] {self.name}: {self.summary}"
        return f"{text} {self.advice}".rstrip() if self.advice else text


def _finding_for_error(name: str, error: ImgurError) -> Finding:
    """Turn an error met by a probe into a finding; the error's sentence is the advice."""
    if isinstance(error, NetworkError):
        return Finding(name, PROBLEM, "the API host could not be reached.", str(error))
    if isinstance(error, RegionBlockedError):
        return Finding(name, PROBLEM, "Imgur is blocked in this region.", str(error))
    if isinstance(error, ServiceUnavailableError):
        return Finding(name, PROBLEM, "Imgur says it is over capacity or unavailable.", str(error))
    if isinstance(error, RateLimitError):
        return Finding(name, PROBLEM, "the rate limit is reached.", str(error))
    return Finding(name, PROBLEM, f"Imgur answered with an error (HTTP {getattr(error, 'status', '?')}).", str(error))


def _get_page(session: Optional[requests.Session], url: str, timeout: float) -> requests.Response:
    """GET a page without following redirects, through ``session`` if given; failures become NetworkError."""
    try:
        return (session or requests).get(url, allow_redirects=False, timeout=timeout,
                           headers={"Accept": "text/html"})
    except requests.RequestException as exc:
        host = urlsplit(url).netloc
        raise NetworkError(
            f"Could not reach {host} ({type(exc).__name__}). Check your internet connection, "
            "a proxy or firewall, or rehearse in sandbox mode (IMGUR_KIT_MODE=sandbox)."
        ) from None


def check_reachable(*, base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> Finding:
    """Can the API host be reached at all? Any HTTP answer counts as reachable."""
    name = "API host reachable"
    try:
        response = _get_page(session, base_url.rstrip("/") + "/3/credits", timeout)
    except NetworkError as error:
        return _finding_for_error(name, error)
    refusal = error_from_response(response) if response.status_code >= 400 else None
    if isinstance(refusal, (RegionBlockedError, ServiceUnavailableError)):
        return _finding_for_error(name, refusal)
    return Finding(name, OK, reachable_words(urlsplit(base_url).netloc, response.status_code))


def reachable_words(host: str, status: int) -> str:
    """The host answered: say so, and say that a refusal of this probe is the expected answer.

    The probe asks ``/3/credits`` with no Client ID on purpose (it needs none to tell
    "up" from "down"), so Imgur answers 401 or 403; a bare "(HTTP 401)" beside "[ok]"
    reads like a failure.
    """
    if status in (401, 403):
        return (f"{host} is up: it answered the probe, sent on purpose without a Client ID, with the "
                f"expected refusal (HTTP {status}).")
    return f"{host} is up: it answered the probe (HTTP {status})."


def check_registration(*, base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> Finding:
    """Does the addclient page still serve its form, or redirect away (registration closed)?"""
    name = "Application registration"
    url = base_url.rstrip("/") + "/oauth2/addclient"
    try:
        response = _get_page(session, url, timeout)
    except NetworkError as error:
        return _finding_for_error(name, error)
    if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
        # A relative Location (the sandbox's "../") reads better resolved.
        target = urljoin(url, response.headers["Location"]) if response.headers.get("Location") else "elsewhere"
        if "login" in target or "signin" in target:
            return Finding(name, OK, "the form asks you to sign in first, as it should.",
                           "Sign in to Imgur in your browser, then open the form again.")
        return Finding(
            name, PROBLEM, f"the registration page redirects away (to {target}).",
            "New applications cannot be registered right now; this has been reported since mid-2025. "
            + CLIENT_ID_ONLY_ADVICE,
        )
    if response.status_code >= 400:
        return _finding_for_error(name, error_from_response(response))
    if "Application name" in response.text or "addclient" in response.text:
        return Finding(name, OK, "the registration form is served.")
    return Finding(name, UNKNOWN, "the page answered but does not look like the registration form.",
                   f"Open {url} in your browser and see what it shows.")


def check_authorize_page(client_id: Optional[str], *, base_url: str = oauth.DEFAULT_BASE_URL,
                         session=None, timeout: float = 10) -> Finding:
    """Does the OAuth authorize page answer for this Client ID, or show "Error (1024)"?"""
    name = "Authorize page"
    if not client_id:
        return Finding(name, UNKNOWN, "not checked: no Client ID is configured.",
                       "Save your Client ID first (imgur_kit.login() or python -m imgur_kit configure).")
    url = oauth.authorize_url(client_id, base_url=base_url)
    try:
        response = _get_page(session, url, timeout)
    except NetworkError as error:
        return _finding_for_error(name, error)
    text = response.text
    if "Error (1024)" in text:
        return Finding(
            name, PROBLEM, 'the authorize page shows "Error (1024)".',
            "Imgur's OAuth consent page has failed like this since mid-2025 for many apps; you cannot "
            "get a user token today. " + CLIENT_ID_ONLY_ADVICE,
        )
    if "information you sent wasn't quite correct" in text or "Invalid client" in text:
        return Finding(name, PROBLEM, "the authorize page does not recognise this Client ID.",
                       "Check the Client ID at https://imgur.com/account/settings/apps and save it again.")
    if response.status_code >= 400:
        return _finding_for_error(name, error_from_response(response))
    return Finding(name, OK, "the consent page answers for this Client ID.")


def _ask_with_client(name: str, client: ImgurClient, call: Callable[[ImgurClient], object],
                     refused: str, owned: bool):
    """Run one API call for a probe: its answer, or the Finding that explains the failure."""
    try:
        return call(client)
    except AuthError as error:
        return Finding(name, PROBLEM, refused, str(error))
    except ImgurError as error:
        return _finding_for_error(name, error)
    finally:
        if owned:
            client.close()


def check_client_id(credentials: Optional[Credentials], *, base_url: str = oauth.DEFAULT_BASE_URL,
                    session=None, timeout: float = 10) -> Finding:
    """Is this Client ID accepted, and how many of today's credits remain?"""
    name = "Client ID accepted"
    if credentials is None:
        return Finding(name, UNKNOWN, "not checked: no Client ID is configured.",
                       "Save your Client ID first (imgur_kit.login() or python -m imgur_kit configure).")
    client = ImgurClient(credentials, base_url=base_url, session=session, timeout=timeout, retries=0)
    answer = _ask_with_client(name, client, ImgurClient.credits, "Imgur refused this Client ID.",
                              owned=session is None)
    if isinstance(answer, Finding):
        return answer
    return Finding(name, OK, f"accepted; {client.rate_limits.summary()}")


def check_token(credentials: Optional[Credentials], token: Optional[Token], *,
                base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> Finding:
    """Is the stored user token accepted (refreshing it if it has expired)?"""
    name = "User token accepted"
    if credentials is None or token is None:
        return Finding(name, UNKNOWN, "not checked: no user token is stored.",
                       "Sign in to get one (imgur_kit.login() or python -m imgur_kit login); "
                       "anonymous calls work without it.")
    client = ImgurClient(credentials, token, base_url=base_url, session=session, timeout=timeout, retries=0)
    account = _ask_with_client(name, client, ImgurClient.account, "Imgur refused the stored token.",
                               owned=session is None)
    if isinstance(account, Finding):
        return account
    return Finding(name, OK, f"signed in as {account.get('url', 'an unnamed account')}.")


def _api_answer_error(base_url: str, session, timeout: float):
    """The error an anonymous API call meets: an ApiError, a NetworkError, or None.

    The region and capacity probes both read the edge's answer to the cheapest call;
    neither needs credentials, since a block or an overload comes before any auth.
    """
    try:
        response = _get_page(session, base_url.rstrip("/") + "/3/credits", timeout)
    except NetworkError as error:
        return error
    return error_from_response(response) if response.status_code >= 400 else None


def check_region(*, base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> Finding:
    """Is Imgur refusing this region (as it has the UK since 2025-09-30)?"""
    name = "Region"
    error = _api_answer_error(base_url, session, timeout)
    if isinstance(error, NetworkError):
        return Finding(name, UNKNOWN, "not checked: the API host could not be reached.", str(error))
    if isinstance(error, RegionBlockedError):
        return Finding(
            name, PROBLEM, "Imgur is not available in your region.",
            "Nothing in the kit can get around a regional block; rehearse in sandbox mode, "
            "or run your code from a server in a region Imgur serves.",
        )
    return Finding(name, OK, "no regional block seen.")


def check_capacity(*, base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> Finding:
    """Is Imgur answering "over capacity" right now?"""
    name = "Service capacity"
    error = _api_answer_error(base_url, session, timeout)
    if isinstance(error, NetworkError):
        return Finding(name, UNKNOWN, "not checked: the API host could not be reached.", str(error))
    if isinstance(error, ServiceUnavailableError):
        return Finding(name, PROBLEM, "Imgur says it is over capacity or unavailable.",
                       "This is usually brief: wait a few minutes and run the check again.")
    return Finding(name, OK, "no sign of overload.")


def run_all(credentials: Optional[Credentials] = None, token: Optional[Token] = None, *,
            base_url: str = oauth.DEFAULT_BASE_URL, session=None, timeout: float = 10) -> list[Finding]:
    """Run every probe in a sensible order and return their findings.

    When the host cannot be reached the remaining probes are reported as unknown
    rather than each waiting for its own timeout.
    """
    owned = session is None
    session = requests.Session() if owned else session  # one connection pool for all probes
    try:
        reachable = check_reachable(base_url=base_url, session=session, timeout=timeout)
        if reachable.status == PROBLEM and "could not be reached" in reachable.summary:
            skipped = ("Region", "Service capacity", "Application registration", "Authorize page",
                       "Client ID accepted", "User token accepted")
            return [reachable] + [Finding(name, UNKNOWN, "not checked: the API host could not be reached.")
                                  for name in skipped]
        probes: list[Callable[[], Finding]] = [
            lambda: check_region(base_url=base_url, session=session, timeout=timeout),
            lambda: check_capacity(base_url=base_url, session=session, timeout=timeout),
            lambda: check_registration(base_url=base_url, session=session, timeout=timeout),
            lambda: check_authorize_page(credentials.client_id if credentials else None,
                                         base_url=base_url, session=session, timeout=timeout),
            lambda: check_client_id(credentials, base_url=base_url, session=session, timeout=timeout),
            lambda: check_token(credentials, token, base_url=base_url, session=session, timeout=timeout),
        ]
        return [reachable] + [probe() for probe in probes]
    finally:
        if owned:
            session.close()


def summarize(findings: list[Finding]) -> str:
    """The findings as plain text, one per line, problems first."""
    order = {PROBLEM: 0, UNKNOWN: 1, OK: 2}
    return "\n".join(str(f) for f in sorted(findings, key=lambda f: order[f.status]))
