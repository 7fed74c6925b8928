"""Addresses and settings checked where they enter: a base URL the kit may call, whether an
address is this computer, and a secret never sent in clear text to anywhere else.

A base URL comes from a person, an environment variable or a server's link; each is read
here once, so the client, the mode rule and the token endpoint agree on what is usable.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Optional
from urllib.parse import urlsplit

import requests

from .errors import ImgurError
from .responses import host_of

__all__ = [
    "MAX_SECONDS",
    "base_url_problem",
    "is_loopback",
    "refuse_secret_in_clear",
    "seconds_setting",
    "without_userinfo",
]

#: The longest wait a setting may ask for: a week.
MAX_SECONDS = 7 * 24 * 3600


def seconds_setting(value: Any, name: str) -> float:
    """``value`` as a number of seconds for the setting ``name``, or an ImgurError in a sentence.

    Every wait has a bound: None, zero, a negative number, infinity, or more than a week
    (which no clock of the network layer can hold exactly) is refused.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= MAX_SECONDS:
        return float(value)
    raise ImgurError(
        f"{name} must be a number of seconds above 0 and at most {MAX_SECONDS} (such as 30), not {value!r}."
    )


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this computer itself: 127.0.0.0/8, ::1, ``localhost`` (or ``*.localhost``).

    Such an address is the sandbox, a capture listener or a test server: it is never sent
    through a proxy (which could not reach the person's own 127.0.0.1 anyway).
    """
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except (TypeError, ValueError):
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problem(url: Any) -> Optional[str]:
    """Why ``url`` cannot be a base URL (a few words), or None when it can.

    An ``http(s)://`` address with a host name a resolver would take: every label 1 to 63
    characters and the whole name at most 253, as DNS allows (a longer one would fail deep
    inside urllib3, after a call had started). A port must be a number.
    """
    if not isinstance(url, str):
        return f"it is {type(url).__name__}, not text"
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "it cannot be read as an address"
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "it does not start with http:// or https:// and a host name"
    if ":" not in host:  # not an IPv6 literal such as [::1], which urlsplit has already read
        name = host.rstrip(".")
        if not name or any(ord(char) <= 32 or ord(char) == 127 for char in name):
            return "its host name is empty or holds spaces or control characters"
        try:
            encoded = name.encode("idna")
        except UnicodeError:
            return "its host name has a part that is empty or longer than 63 characters"
        if len(encoded) > 253:
            return "its host name is longer than 253 characters"
    try:
        # The HTTP layer's own reading of the address, so that nothing it would refuse
        # later, half-way through a call, gets past this point.
        requests.Request("GET", url.strip()).prepare()
    except (requests.RequestException, ValueError, UnicodeError):
        return "the HTTP library cannot read it as an address"
    return None


def without_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part, which the kit never sends, shows or keeps.

    Imgur authenticates with the Authorization header the client sets, so a name and password in
    a base URL do nothing but leak: into the status report, the sign-in link and error sentences.
    The base URL is cleaned once, where it enters the kit, and nothing after that can show it.
    """
    try:
        parts = urlsplit(url)
    except (TypeError, ValueError):
        return url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl()


def refuse_secret_in_clear(url: str, what: str) -> None:
    """Raise an :class:`ImgurError` before ``what`` (a secret) would travel unencrypted to another computer.

    Plain ``http://`` is fine on loopback (the sandbox, a test server): nothing leaves the
    machine. Anywhere else it would hand the secret to every network in between, so a typo
    such as ``IMGUR_KIT_BASE_URL=http://api.imgur.com`` is stopped with a sentence.
    """
    try:
        scheme = urlsplit(url).scheme.lower()
    except (TypeError, ValueError):
        return  # the request itself will fail with its own sentence
    if scheme == "http" and not is_loopback(url):
        raise ImgurError(
            f"The kit did not send {what} to {host_of(url)}, because the address starts with http:// and the "
            "secret would cross the network unencrypted. Use https:// (for the real Imgur, https://api.imgur.com; "
            "check IMGUR_KIT_BASE_URL if you set it)."
        )
