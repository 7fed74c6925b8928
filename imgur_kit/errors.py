"""Every error imgur-kit raises: the exception classes only.

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

``str(error)`` is always a whole sentence: what happened, then what to do. The
sentences for answers Imgur sends are made in one place, :mod:`imgur_kit.responses`
(its table of rules), where server text is passed through ``redact`` first, so no
message ever contains a secret.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

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
]


class ImgurError(Exception):
    """The root of every error imgur-kit raises; ``str(e)`` says what happened and what to do."""

    @property
    def kind(self) -> str:
        """The public class name a front end shows before the sentence (never a private subclass's)."""
        return next(cls.__name__ for cls in type(self).__mro__ if not cls.__name__.startswith("_"))

    def _render_traceback_(self) -> list[str]:
        """What IPython and Jupyter show for this error: its sentence, not a traceback.

        IPython's protocol for exceptions that render themselves (``showtraceback`` asks for it).
        The sentence already says what happened and what to do; a traceback around it only
        hides that from a beginner. Plain Python still prints the usual traceback.
        """
        return [f"{self.kind}: {self}"]


class CredentialsError(ImgurError, ValueError):
    """Credentials are missing or malformed, or the credentials file cannot be read."""


class AuthorizationError(ImgurError):
    """Signing in (the OAuth step) failed: unreadable redirect, state mismatch, access denied, invalid grant.

    Not an :class:`AuthError`: that one is an API call refused for the credentials it
    carried. This one means no usable token came out of signing in; authorize again.
    """


class NetworkError(ImgurError):
    """Imgur (or the sandbox) could not be reached: refused, reset, or timed out."""


class ApiError(ImgurError):
    """Imgur answered with an error.

    ``status`` is the HTTP status, ``message`` the server's own words (secrets removed),
    ``request`` and ``method`` what the server says was asked, when it says so.
    """

    def __init__(
        self,
        text: str,
        *,
        status: int = 0,
        message: str = "",
        request: Optional[str] = None,
        method: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.status = status
        self.message = message
        self.request = request
        self.method = method

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, message={self.message!r})"


class AuthError(ApiError):
    """401/403 about authentication: an invalid Client ID or an invalid/expired access token.

    An API call refused for the credentials it carried, unlike :class:`AuthorizationError`
    (signing in failed). The fix is in the stored keys, or a refresh of the token.

    ``token_invalid`` is True when Imgur says the access token is invalid or expired,
    the case where refreshing the token may help.
    """

    token_invalid: bool = False


class NotFoundError(ApiError):
    """404: no such image, album or account."""


class RateLimitError(ApiError):
    """Too many requests. ``reset_at`` (UTC) and ``retry_after`` (seconds) when known."""

    def __init__(
        self, text: str, *, reset_at: Optional[datetime] = None, retry_after: Optional[float] = None, **kwargs: Any
    ) -> None:
        super().__init__(text, **kwargs)
        self.reset_at = reset_at
        self.retry_after = retry_after


class ServiceUnavailableError(ApiError):
    """Imgur is down or over capacity, or sent a web page where data was due."""


class RegionBlockedError(ApiError):
    """Imgur says it is not available in the caller's region."""
