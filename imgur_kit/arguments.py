"""What a caller hands the client, checked where it enters: credentials, a base URL, an id
that goes into a path, a page number. Each refuses bad input with a sentence (ImgurError)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .addresses import base_url_problem, without_userinfo
from .credentials import Credentials
from .errors import ImgurError

__all__ = ["checked_base_url", "client_credentials", "page_number", "path_segment"]


def client_credentials(value: Any) -> Credentials:
    """``value`` as checked Credentials: a Credentials, a bare Client ID, or anything with ``client_id``."""
    if isinstance(value, Credentials):
        return value
    if isinstance(value, str) or value is None:
        return Credentials(value)  # type: ignore[arg-type]  # raises CredentialsError saying what to paste
    client_id = getattr(value, "client_id", None)
    if client_id is None:
        raise ImgurError(f"ImgurClient needs Credentials (or a Client ID), not {type(value).__name__}.")
    # Rebuilt so that the same checks apply: nothing unsendable reaches a header.
    return Credentials(client_id, getattr(value, "client_secret", None))


def checked_base_url(base_url: Any) -> str:
    """``base_url`` without user info or a trailing slash, if the kit can call it."""
    problem = base_url_problem(base_url)
    if problem:
        raise ImgurError(
            f"The base URL is not usable ({problem}). Use https://api.imgur.com, or the address the "
            "sandbox printed (such as http://127.0.0.1:8700)."
        )
    return without_userinfo(base_url.strip()).rstrip("/")


def path_segment(value: Any) -> str:
    """``value`` quoted as one path segment of an API address."""
    # Ids go into the path as one segment: no "/" or "?" can redirect the call elsewhere.
    text = str(value).strip()
    if not text:
        raise ImgurError("An id is needed here (it was empty).")
    return quote(text, safe="")


def page_number(page: Any) -> int:
    """``page`` as a whole number from 0."""
    try:
        number = int(page)
    except (TypeError, ValueError, OverflowError):
        number = -1
    if number < 0:
        raise ImgurError(f"The page must be a whole number from 0, not {page!r}.")
    return number
