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
from imgur_kit.pasted import SETTINGS_URL
from imgur_kit.responses import error_from_response
from imgur_kit.tokens import Token
from imgur_kit.transport import new_http, pool_for, send

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
    #: The error the probe met, when one decided the finding (a NetworkError: not reached).
    error: Optional[ImgurError] = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def unreachable(self) -> bool:
        """True when the probe could not reach the host at all."""
        return isinstance(self.error, NetworkError)

    @property
    def ok(self) -> bool:
        """True when the probe found nothing wrong."""
        return self.status == OK

    def __str__(self) -> str:
        mark = {OK: "ok", PROBLEM: "PROBLEM", UNKNOWN: "unknown"}[self.status]
        text = f"[{mark}] {self.name}: {self.summary}"
        return f"{text} {self.advice}".rstrip() if self.advice else text


#: What each kind of error met by a probe means, said once: a finding's summary (the error's
#: own sentence is then the advice), and a clause on why ``{host}`` could not answer.
_ERROR_WORDS: tuple[tuple[type[ImgurError], str, str], ...] = (
    (NetworkError, "the API host could not be reached.", "{host} could not be reached from this computer"),
    (RegionBlockedError, "Imgur is not available in your region.", "{host} says Imgur is not available in this region"),
    (
        ServiceUnavailableError,
        "Imgur says it is over capacity or unavailable.",
        "{host} says it is over capacity or unavailable",
    ),
    (RateLimitError, "the rate limit is reached.", "{host} says the rate limit is reached"),
)
_SUMMARY = {kind: summary for kind, summary, _clause in _ERROR_WORDS}
NOT_CHECKED_UNREACHABLE = "not checked: the API host could not be reached."
NOT_CHECKED_NO_CLIENT_ID = "not checked: no Client ID is configured."
SAVE_CLIENT_ID_FIRST = "Save your Client ID first (imgur_kit.login() or python -m imgur_kit configure)."

# The probes' names, in the order run_all reports them.
REACHABLE = "API host reachable"
REGION = "Region"
CAPACITY = "Service capacity"
REGISTRATION = "Application registration"
AUTHORIZE_PAGE = "Authorize page"
CLIENT_ID = "Client ID accepted"
USER_TOKEN = "User token accepted"


def _finding_for_error(name: str, error: ImgurError) -> Finding:
    """Turn an error met by a probe into a finding; the error's sentence is the advice."""
    for kind, summary, _clause in _ERROR_WORDS:
        if isinstance(error, kind):
            return Finding(name, PROBLEM, summary, str(error), error)
    return Finding(
        name, PROBLEM, f"Imgur answered with an error (HTTP {getattr(error, 'status', '?')}).", str(error), error
    )


def why_unanswered(error: ImgurError, host: str) -> str:
    """Why ``host`` could not answer, as a clause: "api.imgur.com could not be reached from this computer"."""
    for kind, _summary, clause in _ERROR_WORDS:
        if isinstance(error, kind):
            return clause.format(host=host)
    return f"{host} answered with an error (HTTP {getattr(error, 'status', '?')})"


def _get_page(http: Optional[requests.Session], url: str, timeout: float) -> requests.Response:
    """GET a page without following redirects, within ``timeout`` in all; failures become NetworkError."""
    with pool_for(http) as pool:
        return send(pool, "GET", url, timeout=timeout, allow_redirects=False, headers={"Accept": "text/html"})


@dataclasses.dataclass(frozen=True)
class HostAnswer:
    """What the API host did with one anonymous ``GET /3/credits``: the host probes all read this one answer.

    ``status`` is the HTTP status when the host answered; ``error`` the kit's error for
    it (a :class:`NetworkError` when the host was not reached, the edge's refusal such as
    :class:`RegionBlockedError` when it answered 4xx/5xx, None otherwise).
    """

    host: str
    status: Optional[int] = None
    error: Optional[ImgurError] = None

    @property
    def reached(self) -> bool:
        """True when the host answered at all."""
        return not isinstance(self.error, NetworkError)


def ask_host(
    *, base_url: str = oauth.DEFAULT_BASE_URL, http: Optional[requests.Session] = None, timeout: float = 10
) -> HostAnswer:
    """Send the one anonymous probe request and say what came back; never raises.

    ``/3/credits`` without a Client ID is the cheapest call: it needs no credentials to
    tell "up" from "down", and a regional block or an overload comes before any auth.
    """
    host = urlsplit(base_url).netloc
    try:
        response = _get_page(http, base_url.rstrip("/") + "/3/credits", timeout)
    except ImgurError as unreached:
        return HostAnswer(host, error=unreached)
    refusal = error_from_response(response) if response.status_code >= 400 else None
    return HostAnswer(host, response.status_code, refusal)


def reachable_finding(answer: HostAnswer) -> Finding:
    """Was the host reached, and did it answer rather than refuse everyone?"""
    if isinstance(answer.error, (NetworkError, RegionBlockedError, ServiceUnavailableError)):
        return _finding_for_error(REACHABLE, answer.error)
    return Finding(REACHABLE, OK, reachable_words(answer.host, answer.status))


def region_finding(answer: HostAnswer) -> Finding:
    """Is Imgur refusing this region (as it has the UK since 2025-09-30)?"""
    if not answer.reached:
        return Finding(REGION, UNKNOWN, NOT_CHECKED_UNREACHABLE, str(answer.error))
    if isinstance(answer.error, RegionBlockedError):
        return Finding(
            REGION,
            PROBLEM,
            _SUMMARY[RegionBlockedError],
            "Nothing in the kit can get around a regional block; rehearse in sandbox mode, "
            "or run your code from a server in a region Imgur serves.",
        )
    return Finding(REGION, OK, "no regional block seen.")


def capacity_finding(answer: HostAnswer) -> Finding:
    """Is Imgur answering "over capacity" right now?"""
    if not answer.reached:
        return Finding(CAPACITY, UNKNOWN, NOT_CHECKED_UNREACHABLE, str(answer.error))
    if isinstance(answer.error, ServiceUnavailableError):
        return Finding(
            CAPACITY,
            PROBLEM,
            _SUMMARY[ServiceUnavailableError],
            "This is usually brief: wait a few minutes and run the check again.",
        )
    return Finding(CAPACITY, OK, "no sign of overload.")


def check_reachable(*, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10) -> Finding:
    """Can the API host be reached at all? Any HTTP answer counts as reachable."""
    return reachable_finding(ask_host(base_url=base_url, http=http, timeout=timeout))


def check_region(*, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10) -> Finding:
    """Is Imgur refusing this region? One anonymous request (:func:`ask_host`)."""
    return region_finding(ask_host(base_url=base_url, http=http, timeout=timeout))


def check_capacity(*, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10) -> Finding:
    """Is Imgur over capacity? One anonymous request (:func:`ask_host`)."""
    return capacity_finding(ask_host(base_url=base_url, http=http, timeout=timeout))


def reachable_words(host: str, status: Optional[int]) -> str:
    """The host answered: say so, and say that a refusal of this probe is the expected answer.

    The probe asks ``/3/credits`` with no Client ID on purpose (it needs none to tell
    "up" from "down"), so Imgur answers 401 or 403; a bare "(HTTP 401)" beside "[ok]"
    reads like a failure.
    """
    if status in (401, 403):
        return (
            f"{host} is up: it answered the probe, sent on purpose without a Client ID, with the "
            f"expected refusal (HTTP {status})."
        )
    return f"{host} is up: it answered the probe (HTTP {status})."


def check_registration(*, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10) -> Finding:
    """Does the addclient page still serve its form, or redirect away (registration closed)?"""
    name = REGISTRATION
    url = base_url.rstrip("/") + "/oauth2/addclient"
    try:
        response = _get_page(http, url, timeout)
    except NetworkError as error:
        return _finding_for_error(name, error)
    if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
        # A relative Location (the sandbox's "../") reads better resolved.
        target = urljoin(url, response.headers["Location"]) if response.headers.get("Location") else "elsewhere"
        if "login" in target or "signin" in target:
            return Finding(
                name,
                OK,
                "the form asks you to sign in first, as it should.",
                "Sign in to Imgur in your browser, then open the form again.",
            )
        return Finding(
            name,
            PROBLEM,
            f"the registration page redirects away (to {target}).",
            "New applications cannot be registered right now; this has been reported since mid-2025. "
            + CLIENT_ID_ONLY_ADVICE,
        )
    if response.status_code >= 400:
        return _finding_for_error(name, error_from_response(response))
    if "Application name" in response.text or "addclient" in response.text:
        return Finding(name, OK, "the registration form is served.")
    return Finding(
        name,
        UNKNOWN,
        "the page answered but does not look like the registration form.",
        f"Open {url} in your browser and see what it shows.",
    )


def check_authorize_page(
    client_id: Optional[str], *, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10
) -> Finding:
    """Does the OAuth authorize page answer for this Client ID, or show "Error (1024)"?"""
    name = AUTHORIZE_PAGE
    if not client_id:
        return Finding(name, UNKNOWN, NOT_CHECKED_NO_CLIENT_ID, SAVE_CLIENT_ID_FIRST)
    url = oauth.authorize_url(client_id, base_url=base_url)
    try:
        response = _get_page(http, url, timeout)
    except NetworkError as error:
        return _finding_for_error(name, error)
    text = response.text
    if "Error (1024)" in text:
        return Finding(
            name,
            PROBLEM,
            'the authorize page shows "Error (1024)".',
            "Imgur's OAuth consent page has failed like this since mid-2025 for many apps; you cannot "
            "get a user token today. " + CLIENT_ID_ONLY_ADVICE,
        )
    if "information you sent wasn't quite correct" in text or "Invalid client" in text:
        return Finding(
            name,
            PROBLEM,
            "the authorize page does not recognise this Client ID.",
            f"Check the Client ID at {SETTINGS_URL} and save it again.",
        )
    if response.status_code >= 400:
        return _finding_for_error(name, error_from_response(response))
    return Finding(name, OK, "the consent page answers for this Client ID.")


def _ask_with_client(name: str, client: ImgurClient, call: Callable[[ImgurClient], object], refused: str, owned: bool):
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


def check_client_id(
    credentials: Optional[Credentials], *, base_url: str = oauth.DEFAULT_BASE_URL, http=None, timeout: float = 10
) -> Finding:
    """Is this Client ID accepted, and how many of today's credits remain?"""
    name = CLIENT_ID
    if credentials is None:
        return Finding(name, UNKNOWN, NOT_CHECKED_NO_CLIENT_ID, SAVE_CLIENT_ID_FIRST)
    client = ImgurClient(credentials, base_url=base_url, http=http, timeout=timeout, retries=0)
    answer = _ask_with_client(name, client, ImgurClient.credits, "Imgur refused this Client ID.", owned=http is None)
    if isinstance(answer, Finding):
        return answer
    return Finding(name, OK, f"accepted; {client.rate_limits.summary()}")


def check_token(
    credentials: Optional[Credentials],
    token: Optional[Token],
    *,
    base_url: str = oauth.DEFAULT_BASE_URL,
    http=None,
    timeout: float = 10,
) -> Finding:
    """Is the stored user token accepted (refreshing it if it has expired)?"""
    name = USER_TOKEN
    if credentials is None or token is None:
        return Finding(
            name,
            UNKNOWN,
            "not checked: no user token is stored.",
            "Sign in to get one (imgur_kit.login() or python -m imgur_kit login); anonymous calls work without it.",
        )
    client = ImgurClient(credentials, token, base_url=base_url, http=http, timeout=timeout, retries=0)
    account = _ask_with_client(name, client, ImgurClient.account, "Imgur refused the stored token.", owned=http is None)
    if isinstance(account, Finding):
        return account
    return Finding(name, OK, f"signed in as {account.get('url', 'an unnamed account')}.")


def run_all(
    credentials: Optional[Credentials] = None,
    token: Optional[Token] = None,
    *,
    base_url: str = oauth.DEFAULT_BASE_URL,
    http=None,
    timeout: float = 10,
) -> list[Finding]:
    """Run every probe in a sensible order and return their findings.

    The host, region and capacity findings read one anonymous request (:func:`ask_host`).
    When the host cannot be reached the remaining probes are reported as unknown
    rather than each waiting for its own timeout.
    """
    owned = http is None
    http = new_http() if owned else http  # one connection pool for all probes
    try:
        answer = ask_host(base_url=base_url, http=http, timeout=timeout)
        if not answer.reached:
            skipped = (REGION, CAPACITY, REGISTRATION, AUTHORIZE_PAGE, CLIENT_ID, USER_TOKEN)
            return [reachable_finding(answer)] + [Finding(name, UNKNOWN, NOT_CHECKED_UNREACHABLE) for name in skipped]
        client_id = credentials.client_id if credentials else None
        return [
            reachable_finding(answer),
            region_finding(answer),
            capacity_finding(answer),
            check_registration(base_url=base_url, http=http, timeout=timeout),
            check_authorize_page(client_id, base_url=base_url, http=http, timeout=timeout),
            check_client_id(credentials, base_url=base_url, http=http, timeout=timeout),
            check_token(credentials, token, base_url=base_url, http=http, timeout=timeout),
        ]
    finally:
        if owned:
            http.close()


def summarize(findings: list[Finding]) -> str:
    """The findings as plain text, one per line, problems first."""
    order = {PROBLEM: 0, UNKNOWN: 1, OK: 2}
    return "\n".join(str(f) for f in sorted(findings, key=lambda f: order[f.status]))
