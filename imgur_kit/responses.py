"""Reading what a server answered: the one translator from a failed response to the right error.

- :func:`error_from_response` reads any answer (JSON in every shape Imgur has used, an
  HTML page, garbage, nothing) into an :class:`Answer`, then takes the first row of
  :data:`RULES` that fits: which error class, and the sentence that says what happened
  and what to do. Adding a case is adding a row.
- :func:`network_error` does the same for a request that got no answer at all.
- Server text is bounded (:data:`MAX_PAGE_CHARS`), read in linear time, and passed
  through :func:`redact` before it appears in any message.
- :func:`number`, :func:`reset_time` and :func:`duration_words` are the one way the kit
  reads numbers and times from answers and says a length of time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import requests

from .errors import (
    ApiError,
    AuthError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)
from .pasted import SETTINGS_URL

__all__ = [
    "MAX_PAGE_CHARS",
    "RULES",
    "duration_words",
    "error_from_response",
    "network_error",
    "number",
    "read_json",
    "redact",
    "reset_time",
    "response_text",
]

# --- secrets out of any text we show -------------------------------------------------

# Labelled values (access_token=..., Bearer ...) are hidden whatever their shape; other
# runs by their shape (see _secret_shaped). Client IDs (15 hex) are not secret and stay readable.
_LABELLED = re.compile(
    r"(?i)\b(access_token|refresh_token|client_secret|code|pin|password|secret|token)"
    r"(\s*[=:]\s*|\"\s*:\s*\")([^\s&\"',;]+)"
)
_SCHEME = re.compile(r"(?i)\b(Bearer|Client-ID)\s+([^\s\"',;]+)")
# Runs of token characters, matched whole and judged by code: a pattern that looked
# ahead from every position took seconds on long server bodies (quadratic).
_RUN = re.compile(r"[A-Za-z0-9_\-]+")
_HEX = frozenset("0123456789abcdefABCDEF")


def _secret_shaped(run: str) -> bool:
    # Why these shapes: Imgur tokens, codes and secrets are 40 hex characters; other
    # services' tokens are long runs mixing letters and digits.
    if len(run) >= 32 and "-" not in run and "_" not in run and set(run) <= _HEX:
        return True
    return len(run) >= 24 and any(c.isdigit() for c in run) and any(c.isalpha() for c in run)


def redact(text: str) -> str:
    """``text`` with anything that looks like a token or secret replaced by ``…``.

    Linear in the length of ``text``, whatever it holds.
    """
    text = _LABELLED.sub(lambda m: f"{m.group(1)}{m.group(2)}…", text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)} …" if m.group(1).lower() == "bearer" else m.group(0), text)
    return _RUN.sub(lambda m: "…" if _secret_shaped(m.group(0)) else m.group(0), text)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- numbers and times in answers ------------------------------------------------------


def number(value: Any) -> Optional[float]:
    """A finite number from a header, JSON value or text (``"3600"``, ``3600``, ``" 1e3 "``), else None."""
    if isinstance(value, bool):
        return None  # JSON true/false is no count
    try:
        result = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def reset_time(value: Any, *, now: Optional[datetime] = None) -> Optional[datetime]:
    """When a rate limit resets, from a header or /3/credits value.

    Imgur documents ``X-RateLimit-UserReset`` as an epoch time, but a 2025 header dump
    shows seconds-until-reset (``3600``). Values below 10**9 (before 2001 as an epoch)
    are therefore read as seconds from ``now``.
    """
    seconds = number(value)
    if seconds is None or seconds < 0 or seconds > 1e11:  # unreadable, negative, absurd
        return None
    now = now or datetime.now(timezone.utc)
    if seconds < 1e9:
        return now + timedelta(seconds=seconds)
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def counted(count: int, noun: str) -> str:
    """*count* and *noun*, the noun plural unless the count is one: "1 character", "15 characters"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def duration_words(seconds: float) -> str:
    """A rough, friendly length of time: "45 seconds", "2 minutes", "3 hours", "10 years"."""
    seconds = abs(float(seconds))
    units = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
    for name, size in units:
        if seconds >= size:
            # Round, not floor: a ten-year token is 3650 days, which is "10 years" to a person.
            count = max(1, round(seconds / size))
            return counted(count, name)
    return counted(int(seconds), "second")


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


# --- the body of an answer -----------------------------------------------------------------


def response_text(response: Any) -> str:
    """A response's body as text: its declared charset, else UTF-8, undecodable bytes replaced.

    Why not ``response.text``: without a declared charset it guesses one by reading the
    whole body with a detector, slow on a large hostile body.
    """
    try:
        content = response.content or b""
    except Exception:  # a body that broke off while being read
        return ""
    if isinstance(content, str):
        return content
    try:
        return content.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", errors="replace")


def read_json(text: Any) -> Any:
    """JSON from a server's text, or None when it is not JSON (including JSON nested too deep to read)."""
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return None


#: Only the start of an HTML page is read for a message: enough for any title and notice.
MAX_PAGE_CHARS = 64 * 1024
_TAG = re.compile(r"<[^<>]*>")  # stops at the next '<', so unclosed tags cost nothing extra


def _without_blocks(body: str, name: str) -> str:
    """``body`` without ``<name>...</name>`` blocks; an unclosed one runs to the end. One pass."""
    lowered = body.lower()
    kept, position = [], 0
    while True:
        start = lowered.find(f"<{name}", position)
        if start < 0:
            kept.append(body[position:])
            return " ".join(kept)
        kept.append(body[position:start])
        end = lowered.find(f"</{name}", start)
        if end < 0:
            return " ".join(kept)
        close = lowered.find(">", end)
        position = len(body) if close < 0 else close + 1


def _head(text: str) -> str:
    """The first :data:`MAX_PAGE_CHARS` of ``text``, never ending in a cut word (half a secret is still one)."""
    if len(text) <= MAX_PAGE_CHARS:
        return text
    end = MAX_PAGE_CHARS
    while end > 0 and (text[end - 1].isalnum() or text[end - 1] in "_-"):
        end -= 1
    return text[:end]


def _page_text(body: str) -> str:
    """The readable words of an HTML page (title first), for messages and matching. Linear time."""
    import html  # only an answer that is a web page needs it (its entity table is large)

    body = body[:MAX_PAGE_CHARS]
    lowered = body.lower()
    heading = ""
    start = lowered.find("<title")
    if start >= 0:
        opened = lowered.find(">", start)
        end = lowered.find("</title", opened) if opened >= 0 else -1
        if end >= 0:
            heading = " ".join(html.unescape(body[opened + 1 : end]).split())
    for name in ("title", "script", "style"):
        body = _without_blocks(body, name)
    words = " ".join(html.unescape(_TAG.sub(" ", body)).split())
    if heading and not words.startswith(heading):
        words = f"{heading}: {words}"
    return words


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _read_json_error(body: Any) -> tuple[str, Optional[str], Optional[str]]:
    """(message, request, method) from any of the error shapes Imgur has used."""
    if not isinstance(body, dict):
        return _as_text(body), None, None
    data = body.get("data")
    if isinstance(data, dict):
        error = data.get("error")
        request = data.get("request") if isinstance(data.get("request"), str) else None
        method = data.get("method") if isinstance(data.get("method"), str) else None
        if isinstance(error, dict):
            # ShareX#3171, PyImgur#35: {code, message, type: "ImgurException", exception}
            message = error.get("message") or error.get("exception") or error.get("type") or error
            return _as_text(message), request, method
        if error is not None:
            return _as_text(error), request, method
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        # 2024+ 429 shape: {"errors": [{"id", "code", "status", "detail"}]}
        first = errors[0]
        if isinstance(first, dict):
            return _as_text(first.get("detail") or first.get("status") or first.get("code") or first), None, None
        return _as_text(first), None, None
    for key in ("error_description", "error", "message", "detail"):
        if body.get(key):
            return _as_text(body[key]), None, None
    if isinstance(data, str) and data:
        return data, None, None
    return "", None, None


# --- the translator: one record per answer, one table of rules -------------------------

_REGION = re.compile(r"(?i)not\s+available\s+in\s+your\s+(region|country|area|location)")
_CAPACITY = re.compile(r"(?i)over\s*capacity")
_TOKEN_INVALID = re.compile(
    r"(?i)(access\s*token|token).{0,40}(invalid|expired|revoked)|(invalid|expired)\s+(access\s*)?token"
)
_CLIENT_ID = re.compile(r"(?i)invalid\s+client[\s_-]?id|client[\s_-]?id.{0,20}invalid")
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
        message = _page_text(text)
    elif body is not None:
        message, request, method = _read_json_error(body)
        if isinstance(body, dict) and type(body.get("status")) is int and status < 400:
            status = body["status"]  # a 200 whose envelope says it failed
    else:
        message = text
    return Answer(
        status=status,
        message=_short(redact(_head(message))),
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
