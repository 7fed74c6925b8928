"""Reading what a server answered: the one translator from a failed response to the right error.

- :func:`error_from_response` reads any answer (JSON in every shape Imgur has used, an
  HTML page, garbage, nothing) into an :class:`Answer`, then takes the first row of
  :data:`RULES` that fits: which error class, and the sentence that says what happened
  and what to do. Adding a case is adding a row.
- :func:`network_error` does the same for a request that got no answer at all.
- Server text is bounded (:data:`~imgur_kit.answer_text.MAX_PAGE_CHARS`), read in linear time
  (:mod:`imgur_kit.answer_text`), and passed
  through :func:`~imgur_kit.redaction.redact` before it appears in any message.
- Numbers and times are read by :mod:`imgur_kit.wording`, secrets removed by
  :mod:`imgur_kit.redaction`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import requests

from .answer_text import MAX_PAGE_CHARS, head_of, page_text, read_json, read_json_error, response_text
from .errors import (
    ApiError,
    AuthError,
    AuthorizationError,
    CredentialsError,
    ImgurError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)
from .pasted import SETTINGS_URL
from .redaction import redact
from .wording import duration_words, number, reset_time

__all__ = [
    "MAX_PAGE_CHARS",
    "RULES",
    "TOKEN_RULES",
    "error_from_response",
    "network_error",
    "read_json",
    "response_text",
    "token_error",
]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- when to try again ------------------------------------------------------------------


def _wait_seconds(value: Any) -> Optional[float]:
    seconds = number(value)
    return seconds if seconds is not None and 0 <= seconds < 1e9 else None


_WAIT = re.compile(r"(?i)wait\s+(\d+(?:\.\d+)?)\s*(?:more\s+)?(second|minute|hour)")


def _retry_after(text: str, headers: Mapping[str, str], method: Optional[str]) -> Optional[float]:
    match = _WAIT.search(text)
    if match:
        unit = {"second": 1, "minute": 60, "hour": 3600}[match.group(2).lower()]
        return float(match.group(1)) * unit
    seconds = _wait_seconds(headers.get("Retry-After"))
    if seconds is not None:
        return seconds
    # The POST limit's reset says nothing about a GET: use it only when uploads are what ran out.
    post_spent = str(headers.get("X-Post-Rate-Limit-Remaining", "")).strip() == "0"
    if method == "POST" or post_spent:
        return _wait_seconds(headers.get("X-Post-Rate-Limit-Reset"))
    return None


# --- the translator: one record per answer, one table of rules -------------------------

_REGION = re.compile(r"(?i)not\s+available\s+in\s+your\s+(region|country|area|location)")
_CAPACITY = re.compile(r"(?i)over\s*capacity")
_TOKEN_INVALID = re.compile(
    r"(?i)(access\s*token|token).{0,40}(invalid|expired|revoked)|(invalid|expired)\s+(access\s*)?token"
)
_CLIENT_ID = re.compile(r"(?i)invalid[\s_-]*client[\s_-]*id|client[\s_-]*id.{0,20}invalid")
_CREDITS = re.compile(r"(?i)credits|rate\s*limit|too\s+many\s+requests|exceeded|uploading\s+too\s+fast")


@dataclass(frozen=True)
class Answer:
    """What a failed answer said, read once: status, the server's words (redacted), and its shape."""

    status: int
    message: str
    request: Optional[str]
    method: Optional[str]
    is_html: bool
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``HTTP 403: Invalid client_id`` for messages."""
        return f"HTTP {self.status}: {self.message}" if self.message else f"HTTP {self.status}"


def read_answer(response: requests.Response) -> Answer:
    """The :class:`Answer` in ``response``, whatever its body holds."""
    status = _status_of(response)
    headers = response.headers if response.headers is not None else {}
    content_type = (headers.get("Content-Type") or "").lower()
    text = response_text(response)
    stripped = text.lstrip()
    body: Any = None
    if "json" in content_type or stripped[:1] in ("{", "["):
        body = read_json(text)
    is_html = body is None and ("html" in content_type or stripped[:1] == "<")
    request = method = None
    if is_html:
        message = page_text(text)
    elif body is not None:
        message, request, method = read_json_error(body)
        if isinstance(body, dict) and type(body.get("status")) is int and status < 400:
            status = body["status"]  # a 200 whose envelope says it failed
    else:
        message = text
    return Answer(
        status=status,
        message=_short(redact(head_of(message))),
        request=_short(redact(request)) if request else _path_of(response),
        method=method or _method_of(response),
        is_html=is_html,
        headers=headers,
    )


def _rate_limit_details(answer: Answer) -> dict:
    headers = answer.headers
    reset_at = reset_time(headers.get("X-RateLimit-UserReset")) if headers.get("X-RateLimit-UserReset") else None
    if reset_at is None and headers.get("X-RateLimit-ClientReset"):
        reset_at = reset_time(headers.get("X-RateLimit-ClientReset"))
    return {"reset_at": reset_at, "retry_after": _retry_after(answer.message, headers, answer.method)}


def _when_to_retry(details: dict) -> str:
    if details["retry_after"] is not None:
        return f"Wait about {duration_words(details['retry_after'])} and try again."
    if details["reset_at"] is not None:
        return f"The limit resets at {details['reset_at']:%Y-%m-%d %H:%M} UTC; try again after that."
    return "Wait a while (limits reset hourly for users, daily for an app) and try again."


@dataclass(frozen=True)
class Rule:
    """One row of the translator: when it applies, which error, and the sentence (``{where}``, ``{when}``)."""

    applies: Callable[[Answer], Any]
    error: type
    sentence: str
    token_invalid: bool = False
    details: Optional[Callable[[Answer], dict]] = None


#: First match wins; the order encodes precedence (a region block beats a 403, a web page beats its status).
RULES = (
    Rule(
        lambda a: _REGION.search(a.message),
        RegionBlockedError,
        "Imgur says its service is not available in your region ({where}). This is a block on Imgur's side "
        "(the UK has been blocked since 2025-09-30) and the kit cannot get around it: rehearse with the "
        "sandbox, or use Imgur from a region where it is available.",
    ),
    Rule(
        lambda a: _CAPACITY.search(a.message) and (a.status in (403, 429) or a.status >= 500),
        ServiceUnavailableError,
        "Imgur is temporarily unavailable or over capacity ({where}). The problem is on Imgur's side: "
        "wait a few minutes and try again.",
    ),
    Rule(
        lambda a: a.is_html,
        ServiceUnavailableError,
        "Imgur answered with a web page where data was expected ({where}). Imgur may be down, or something "
        "between you and Imgur (a proxy or captive portal) answered instead: check that the base URL is "
        "right and try again in a few minutes.",
    ),
    Rule(
        lambda a: a.status == 429 or (a.status == 403 and _CREDITS.search(a.message)),
        RateLimitError,
        "Imgur's rate limit was reached ({where}). {when} If this happens on every request, the Client ID's "
        "daily credits are spent (common with a shared Client ID): register and use your own.",
        details=_rate_limit_details,
    ),
    Rule(
        lambda a: a.status in (401, 403) and _CLIENT_ID.search(a.message),
        AuthError,
        "Imgur does not recognise this Client ID ({where}). Check the Client ID: copy it again from "
        f"{SETTINGS_URL}, exactly as shown, without spaces or a 'Client-ID' prefix.",
    ),
    Rule(
        lambda a: a.status in (401, 403) and _TOKEN_INVALID.search(a.message),
        AuthError,
        "Imgur says the access token is invalid ({where}): it has expired or was revoked (logging in to the "
        "same app elsewhere also revokes it). Authorize again to get a new token.",
        token_invalid=True,
    ),
    # A bare 401 may well be an expired token (PyImgur refreshes on it).
    Rule(
        lambda a: a.status == 401,
        AuthError,
        "Imgur needs authorization for this call ({where}). Authorize (OAuth) so calls carry an access "
        "token, or check that the Client ID is right.",
        token_invalid=True,
    ),
    Rule(
        lambda a: a.status == 403,
        AuthError,
        "Imgur refused access ({where}). Check the Client ID and that the account may do this; if you are "
        "authorized, authorize again to get a fresh token.",
    ),
    Rule(
        lambda a: a.status == 404,
        NotFoundError,
        "Imgur found nothing there ({where}). Check the id or deletehash; a deleted image or album is gone for good.",
    ),
    Rule(
        lambda a: not 100 <= a.status <= 599,
        ApiError,
        "The server answered with HTTP {status}, which is not a status HTTP defines ({where}). Check that the "
        "base URL points at the Imgur API (not a proxy or another service), then try again.",
    ),
    Rule(
        lambda a: a.status >= 500,
        ServiceUnavailableError,
        "Imgur had an internal problem ({where}). This is on Imgur's side: try again in a few minutes.",
    ),
    Rule(
        lambda a: 200 <= a.status < 300,
        ApiError,
        "Imgur answered without the data the kit expected ({where}). Check that the base URL points at the "
        "Imgur API, then try again.",
    ),
    Rule(
        lambda a: True,
        ApiError,
        "Imgur refused the request ({where}). Check the values sent (an upload must be a supported image "
        "under the size limit); the message above says what Imgur disliked.",
    ),
)


def error_from_response(response: requests.Response) -> ApiError:
    """The right :class:`~imgur_kit.errors.ApiError` for a failed (or unreadable) Imgur response.

    Never raises: whatever the body holds, an ApiError subclass comes back, with a
    message that says what happened and what to do, and no secret in it.
    """
    try:
        answer = read_answer(response)
        rule = next(rule for rule in RULES if rule.applies(answer))
        details = rule.details(answer) if rule.details else {}
        text = rule.sentence.format(
            where=answer.where, status=answer.status, when=_when_to_retry(details) if rule.details else ""
        )
        error = rule.error(
            text, status=answer.status, message=answer.message, request=answer.request, method=answer.method, **details
        )
        if rule.token_invalid:
            error.token_invalid = True
        return error
    except Exception:  # the translator must never be the thing that fails
        status = _status_of(response)
        return ApiError(
            f"Imgur answered with HTTP {status} and a reply the kit could not read. "
            "Try again in a moment; if it persists, check the live status.",
            status=status,
        )


def _status_of(response: Any) -> int:
    try:
        return int(response.status_code)
    except Exception:
        return 0


def _path_of(response: Any) -> Optional[str]:
    try:
        return urlsplit(response.request.url).path or None
    except Exception:
        return None


def _method_of(response: Any) -> Optional[str]:
    try:
        return response.request.method
    except Exception:
        return None


# --- the token endpoint's refusals -----------------------------------------------------

_CLIENT_SECRET = re.compile(r"(?i)invalid[\s_-]*client(?![\s_-]*id)|client[\s_-]*secret")
_REFRESH_REFUSED = re.compile(
    r"(?i)invalid\s+refresh|refresh\s+token.{0,40}(invalid|doesn't exist|does not exist|expired)|invalid_grant"
)


@dataclass(frozen=True)
class TokenRule:
    """One row of the token endpoint's refusals: when it applies, which error, and the sentence.

    ``applies(said, message, grant)`` sees what the server said (its message with the OAuth
    error code), the message alone, and the grant ("code", "pin" or "refresh"). The sentence
    may use ``{status}``, ``{message}``, ``{reason}`` (the message, or "no reason given"),
    ``{grant}`` and ``{settings}``.
    """

    applies: Callable[[str, str, str], Any]
    error: type
    sentence: str
    statuses: tuple = (400, 401, 403)


#: First match wins. A Client ID or Secret problem comes first: authorizing again would not help.
TOKEN_RULES = (
    TokenRule(
        lambda said, message, grant: _CLIENT_ID.search(said),
        CredentialsError,
        "Imgur does not recognise the Client ID (HTTP {status}: {message}). Copy it again from {settings}, "
        "exactly as shown, and save it.",
    ),
    TokenRule(
        lambda said, message, grant: _CLIENT_SECRET.search(said),
        CredentialsError,
        "Imgur did not accept the Client Secret (HTTP {status}: {message}). Copy the Client Secret again from "
        "{settings} (or generate a new one there) and save it with the Client ID; then try again.",
    ),
    TokenRule(
        lambda said, message, grant: grant == "refresh" and _REFRESH_REFUSED.search(message),
        AuthorizationError,
        "Imgur no longer accepts the refresh token (HTTP {status}: {message}); this happens after logging in "
        "to the app elsewhere or revoking access. Authorize again; your Client ID and Secret are kept.",
    ),
    TokenRule(
        lambda said, message, grant: grant in ("code", "pin"),
        AuthorizationError,
        "Imgur did not accept the {grant} (HTTP 400: {reason}): it may have been used already, expired, or be "
        "for another application. Authorize again for a fresh {grant}.",
        statuses=(400,),
    ),
    TokenRule(
        lambda said, message, grant: grant == "refresh",
        AuthorizationError,
        "Imgur refused to refresh the token (HTTP 400: {reason}). Authorize again; your Client ID and Secret are kept.",
        statuses=(400,),
    ),
)


def token_error(response: requests.Response, grant: str) -> ImgurError:
    """The error for a token request Imgur refused: the first row of :data:`TOKEN_RULES` that fits,
    else what :func:`error_from_response` makes of the answer."""
    error = error_from_response(response)
    payload = read_json(response_text(response))
    # The OAuth code ("invalid_client") may sit beside a description the translator chose instead.
    said = f"{error.message} {payload.get('error') if isinstance(payload, dict) else ''}"
    for rule in TOKEN_RULES:
        if response.status_code in rule.statuses and rule.applies(said, error.message, grant):
            reason = error.message or "no reason given"
            return rule.error(
                rule.sentence.format(
                    status=error.status, message=error.message, reason=reason, grant=grant, settings=SETTINGS_URL
                )
            )
    return error


# --- network failures ----------------------------------------------------------------


def host_of(url: str) -> str:
    """The host (and port) of ``url`` as a sentence names it: never a user name, password or query."""
    try:
        return urlsplit(url).netloc.rsplit("@", 1)[-1] or "the server"
    except (TypeError, ValueError):  # not text, or an unreadable address (http://[::1)
        return "the server"


def network_error(exc: BaseException, url: str, *, timeout: Optional[float] = None) -> NetworkError:
    """A :class:`NetworkError` for a requests/urllib3 failure reaching ``url``.

    Names the host and what to check; never includes the URL's query or any header.
    """
    host = host_of(url)
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        limit = f" within {timeout:g} second{'' if timeout == 1 else 's'}" if timeout else ""
        return NetworkError(
            f"{host} did not answer{limit}. The service may be slow or down, or the network is flaky: "
            "try again, or allow more time with a larger timeout."
        )
    return NetworkError(
        f"Could not reach {host} (the connection failed or was dropped). Check your internet connection, "
        "any proxy or firewall, and that the base URL is right; then try again."
    )
