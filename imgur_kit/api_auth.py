"""Which Authorization header a request carries, and to which origin it may go.

The Client ID or the token travels only to the API's own origin (scheme, host and port):
an image link on another host never sees either, and a token never goes in clear text
to anything but this computer.
"""

from __future__ import annotations

from typing import Callable, Optional
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from .addresses import refuse_secret_in_clear
from .tokens import Token

__all__ = ["ImgurAuth", "origin"]


def origin(url: str) -> tuple:
    """(scheme, host, port) of ``url``, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


class ImgurAuth(AuthBase):
    """Decorates each request with the right Authorization header, refreshing first if due.

    ``fresh_token()`` returns the token to send (refreshed when due) or None; without one
    the request says ``Client-ID client_id``.
    """

    def __init__(
        self, api_origin: tuple, client_id: Callable[[], str], fresh_token: Callable[[], Optional[Token]]
    ) -> None:
        self._origin = api_origin
        self._client_id = client_id
        self._fresh_token = fresh_token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if origin(request.url or "") != self._origin:
            # The token and Client ID travel only to the API host.
            request.headers.pop("Authorization", None)
            return request
        token = self._fresh_token()
        if token is not None and token.access_token:
            refuse_secret_in_clear(request.url or "", "your access token")
            request.headers["Authorization"] = f"Bearer {token.access_token}"
        else:
            request.headers["Authorization"] = f"Client-ID {self._client_id()}"
        return request
