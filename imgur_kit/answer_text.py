"""The body of an answer as text: bounded, decoded whatever it claims, and read in linear time.

:func:`response_text` and :func:`read_json` read what came back; :func:`page_text` keeps the
words of an HTML page (no scripts, styles or tags) and :func:`read_json_error` the message of
any JSON error shape Imgur has used. Nothing here decides what an answer means: that is
:mod:`imgur_kit.responses`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

__all__ = ["MAX_PAGE_CHARS", "head_of", "page_text", "read_json", "read_json_error", "response_text"]


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


def head_of(text: str) -> str:
    """The first :data:`MAX_PAGE_CHARS` of ``text``, never ending in a cut word (half a secret is still one)."""
    if len(text) <= MAX_PAGE_CHARS:
        return text
    end = MAX_PAGE_CHARS
    while end > 0 and (text[end - 1].isalnum() or text[end - 1] in "_-"):
        end -= 1
    return text[:end]


def page_text(body: str) -> str:
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


def read_json_error(body: Any) -> tuple[str, Optional[str], Optional[str]]:
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
