"""Every error imgur-kit raises, and the one function that reads a failed response.

The tree (one root, so ``except ImgurError`` catches everything the kit raises)::

    ImgurError
    ├── CredentialsError        (also a ValueError) missing/bad Client ID, unreadable store
    ├── AuthorizationError      redirect that cannot be read, state mismatch, denied, invalid grant
    ├── NetworkError            connection refused or reset, timeout
    └── ApiError                Imgur answered with an error   .status .message .request .method
        ├── AuthError           401/403 auth: invalid Client ID, invalid or expired token
        ├── NotFoundError       404
        ├── RateLimitError      429 (and 403 "credits exceeded")   .reset_at .retry_after
        ├── ServiceUnavailableError  5xx, "over capacity", an HTML page where JSON was due
        └── RegionBlockedError  "not available in your region"

``str(error)`` is always a whole sentence: what happened, then what to do. No message
ever contains a secret: server text is passed through :func:`redact` first.
"""
from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

import requests

__all__ = [
    "ApiError",
    "AuthError",
    "AuthorizationError",
    "CredentialsError",
    "ImgurError",
    "NetworkError",
    "NotFoundError",
    "RateLimitError",
    "RegionBlockedError",
    "ServiceUnavailableError",
    "error_from_response",
    "network_error",
    "read_json",
    "redact",
    "reset_time",
    "response_text",
]


class ImgurError(Exception):
    """The root of every error imgur-kit raises; ``str(e)`` says what happened and what to do."""


class CredentialsError(ImgurError, ValueError):
    """Credentials are missing or malformed, or the credentials file cannot be read."""


class AuthorizationError(ImgurError):
    """The OAuth step failed: unreadable redirect, state mismatch, access denied, invalid grant."""


class NetworkError(ImgurError):
    """Imgur (or the sandbox) could not be reached: refused, reset, or timed out."""


class ApiError(ImgurError):
    """Imgur answered with an error.

    ``status`` is the HTTP status, ``message`` the server's own words (secrets removed),
    ``request`` and ``method`` what the server says was asked, when it says so.
    """

    def __init__(self, text: str, *, status: int = 0, message: str = "",
                 request: Optional[str] = None, method: Optional[str] = None) -> None:
        super().__init__(text)
        self.status = status
        self.message = message
        self.request = request
        self.method = method

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, message={self.message!r})"


class AuthError(ApiError):
    """401/403 about authentication: an invalid Client ID or an invalid/expired access token.

    ``token_invalid`` is True when Imgur says the access token is invalid or expired,
    the case where refreshing the token may help.
    """

    token_invalid: bool = False


class NotFoundError(ApiError):
    """404: no such image, album or account."""


class RateLimitError(ApiError):
    """Too many requests. ``reset_at`` (UTC) and ``retry_after`` (seconds) when known."""

    def __init__(self, text: str, *, reset_at: Optional[datetime] = None,
                 retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.reset_at = reset_at
        self.retry_after = retry_after


class ServiceUnavailableError(ApiError):
    """Imgur is down or over capacity, or sent a web page where data was due."""


class RegionBlockedError(ApiError):
    """Imgur says it is not available in the caller's region."""


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


# --- rate-limit times ----------------------------------------------------------------

def reset_time(value: Any, *, now: Optional[datetime] = None) -> Optional[datetime]:
    """When a rate limit resets, from a header or /3/credits value.

    Imgur documents ``X-RateLimit-UserReset`` as an epoch time, but a 2025 header dump
    shows seconds-until-reset (``3600``). Values below 10**9 (before 2001 as an epoch)
    are therefore read as seconds from ``now``.
    """
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    if number != number or number < 0 or number > 1e11:  # NaN, negative, absurd
        return None
    now = now or datetime.now(timezone.utc)
    if number < 1e9:
        return now + timedelta(seconds=number)
    return datetime.fromtimestamp(number, tz=timezone.utc)


def _seconds(value: Any) -> Optional[float]:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 1e9 else None


_WAIT = re.compile(r"(?i)wait\s+(\d+(?:\.\d+)?)\s*(?:more\s+)?(second|minute|hour)")


def _retry_after(text: str, headers: Mapping[str, str], method: Optional[str]) -> Optional[float]:
    match = _WAIT.search(text)
    if match:
        unit = {"second": 1, "minute": 60, "hour": 3600}[match.group(2).lower()]
        return float(match.group(1)) * unit
    seconds = _seconds(headers.get("Retry-After"))
    if seconds is not None:
        return seconds
    # The POST limit's reset says nothing about a GET: use it only when uploads are what ran out.
    post_spent = str(headers.get("X-Post-Rate-Limit-Remaining", "")).strip() == "0"
    if method == "POST" or post_spent:
        return _seconds(headers.get("X-Post-Rate-Limit-Reset"))
    return None


# --- reading a response --------------------------------------------------------------

_REGION = re.compile(r"(?i)not\s+available\s+in\s+your\s+(region|country|area|location)")
_CAPACITY = re.compile(r"(?i)over\s*capacity")
_TOKEN_INVALID = re.compile(r"(?i)(access\s*token|token).{0,40}(invalid|expired|revoked)|(invalid|expired)\s+(access\s*)?token")
_CLIENT_ID = re.compile(r"(?i)invalid\s+client[\s_-]?id|client[\s_-]?id.{0,20}invalid")
_CREDITS = re.compile(r"(?i)credits|rate\s*limit|too\s+many\s+requests|exceeded|uploading\s+too\s+fast")
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
    body = body[:MAX_PAGE_CHARS]
    lowered = body.lower()
    heading = ""
    start = lowered.find("<title")
    if start >= 0:
        opened = lowered.find(">", start)
        end = lowered.find("</title", opened) if opened >= 0 else -1
        if end >= 0:
            heading = " ".join(html.unescape(body[opened + 1:end]).split())
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


def error_from_response(response: requests.Response) -> ApiError:
    """The right :class:`ApiError` for a failed (or unreadable) Imgur response.

    Never raises: whatever the body holds (JSON in any known shape, an HTML page,
    garbage, nothing), an ApiError subclass comes back, with a message that says what
    happened and what to do, and no secret in it.
    """
    try:
        return _translate(response)
    except Exception:  # the translator must never be the thing that fails
        status = _status_of(response)
        return ApiError(f"Imgur answered with HTTP {status} and a reply the kit could not read. "
                        "Try again in a moment; if it persists, check the live status.", status=status)


def _status_of(response: Any) -> int:
    try:
        return int(response.status_code)
    except Exception:
        return 0


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


def _translate(response: requests.Response) -> ApiError:
    status = _status_of(response)
    headers = response.headers if response.headers is not None else {}
    content_type = (headers.get("Content-Type") or "").lower()
    text = response_text(response)
    stripped = text.lstrip()

    body: Any = None
    is_html = False
    if "json" in content_type or stripped[:1] in ("{", "["):
        body = read_json(text)
    if body is None and ("html" in content_type or stripped[:1] == "<"):
        is_html = True

    if is_html:
        message = _page_text(text)
        request = method = None
    elif body is not None:
        message, request, method = _read_json_error(body)
        if isinstance(body, dict) and type(body.get("status")) is int and status < 400:
            status = body["status"]  # a 200 whose envelope says it failed
    else:
        message, request, method = text, None, None
    message = _short(redact(_head(message)))
    request = _short(redact(request)) if request else None
    if request is None:
        request = _path_of(response)
    if method is None:
        method = _method_of(response)
    said = f": {message}" if message else ""
    where = f"HTTP {status}{said}"
    kw = dict(status=status, message=message, request=request, method=method)

    if _REGION.search(message):
        return RegionBlockedError(
            f"Imgur says its service is not available in your region ({where}). "
            "This is a block on Imgur's side (the UK has been blocked since 2025-09-30) and the kit "
            "cannot get around it: rehearse with the sandbox, or use Imgur from a region where it is available.",
            **kw)
    if _CAPACITY.search(message) and (status in (403, 429) or status >= 500):
        return ServiceUnavailableError(
            f"Imgur is temporarily unavailable or over capacity ({where}). "
            "The problem is on Imgur's side: wait a few minutes and try again.",
            **kw)
    if is_html:
        return ServiceUnavailableError(
            f"Imgur answered with a web page where data was expected ({where}). "
            "Imgur may be down, or something between you and Imgur (a proxy or captive portal) answered "
            "instead: check that the base URL is right and try again in a few minutes.",
            **kw)
    if status == 429 or (status == 403 and _CREDITS.search(message)):
        headers_map = headers
        reset_at = reset_time(headers_map.get("X-RateLimit-UserReset")) if headers_map.get("X-RateLimit-UserReset") else None
        if reset_at is None and headers_map.get("X-RateLimit-ClientReset"):
            reset_at = reset_time(headers_map.get("X-RateLimit-ClientReset"))
        retry_after = _retry_after(message, headers_map, method)
        when = ""
        if retry_after is not None:
            when = f" Wait about {_duration(retry_after)} and try again."
        elif reset_at is not None:
            when = f" The limit resets at {reset_at:%Y-%m-%d %H:%M} UTC; try again after that."
        else:
            when = " Wait a while (limits reset hourly for users, daily for an app) and try again."
        return RateLimitError(
            f"Imgur's rate limit was reached ({where}).{when} If this happens on every request, the "
            "Client ID's daily credits are spent (common with a shared Client ID): register and use your own.",
            reset_at=reset_at, retry_after=retry_after, **kw)
    if status in (401, 403):
        if _CLIENT_ID.search(message):
            return AuthError(
                f"Imgur does not recognise this Client ID ({where}). Check the Client ID: copy it again "
                "from https://imgur.com/account/settings/apps, exactly as shown, without spaces or a 'Client-ID' prefix.",
                **kw)
        if _TOKEN_INVALID.search(message):
            error = AuthError(
                f"Imgur says the access token is invalid ({where}): it has expired or was revoked "
                "(logging in to the same app elsewhere also revokes it). Authorize again to get a new token.",
                **kw)
            error.token_invalid = True
            return error
        if status == 401:
            error = AuthError(
                f"Imgur needs authorization for this call ({where}). Authorize (OAuth) so calls carry "
                "an access token, or check that the Client ID is right.",
                **kw)
            error.token_invalid = True  # a 401 may well be an expired token (PyImgur refreshes on it)
            return error
        return AuthError(
            f"Imgur refused access ({where}). Check the Client ID and that the account may do this; "
            "if you are authorized, authorize again to get a fresh token.",
            **kw)
    if status == 404:
        return NotFoundError(
            f"Imgur found nothing there ({where}). Check the id or deletehash; a deleted image or album is gone for good.",
            **kw)
    if not 100 <= status <= 599:
        return ApiError(
            f"The server answered with HTTP {status}, which is not a status HTTP defines ({where}). Check that "
            "the base URL points at the Imgur API (not a proxy or another service), then try again.",
            **kw)
    if status >= 500:
        return ServiceUnavailableError(
            f"Imgur had an internal problem ({where}). This is on Imgur's side: try again in a few minutes.",
            **kw)
    if 200 <= status < 300:
        return ApiError(
            f"Imgur answered without the data the kit expected ({where}). Check that the base URL "
            "points at the Imgur API, then try again.",
            **kw)
    return ApiError(
        f"Imgur refused the request ({where}). Check the values sent (an upload must be a "
        "supported image under the size limit); the message above says what Imgur disliked.",
        **kw)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600, 1)} hours"


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

def network_error(exc: BaseException, url: str, *, timeout: Optional[float] = None) -> NetworkError:
    """A :class:`NetworkError` for a requests/urllib3 failure reaching ``url``.

    Names the host and what to check; never includes the URL's query or any header.
    """
    try:
        parts = urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1] or url
    except Exception:
        host = "the server"
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        limit = f" within {timeout:g} seconds" if timeout else ""
        return NetworkError(
            f"{host} did not answer{limit}. The service may be slow or down, or the network is flaky: "
            "try again, or allow more time with a larger timeout.")
    return NetworkError(
        f"Could not reach {host} (the connection failed or was dropped). Check your internet connection, "
        "any proxy or firewall, and that the base URL is right; then try again.")
