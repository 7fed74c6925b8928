"""The OAuth token as a small value: where it came from, when it expires, how to show it.

Imgur's ``expires_in`` has been 3600, 2419200 and 315360000 seconds at different times
(docs/imgur-facts.md, "OAuth 2.0"), so nothing here assumes a lifetime: it is read from the
response and honoured whatever its size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Optional, Protocol

from .errors import AuthorizationError, CredentialsError
from .pasted import unsendable
from .wording import number

__all__ = ["Token", "TokenKeeper", "mask"]

# Past this many seconds an expiry is "never" in practice; it also keeps datetime
# arithmetic clear of OverflowError for absurd values.
_MAX_LIFETIME = 200 * 365 * 24 * 3600


def mask(secret: Optional[str]) -> str:
    """``"abcd…wxyz"`` for a secret; short values (under 12 characters) fully hidden as ``"…"``."""
    if not secret:
        return ""
    secret = str(secret)
    if len(secret) < 12:
        return "…"
    return f"{secret[:4]}…{secret[-4:]}"


def _checked(value: Any, what: str, *, optional: bool) -> Optional[str]:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise CredentialsError(
            f"The {what} must be text, not {type(value).__name__}. Authorize again to get a new token."
        )
    problem = unsendable(value)
    if problem:
        raise CredentialsError(
            f"The {what} contains {problem}, which Imgur's tokens never have: it was probably "
            "copied with something extra. Copy it again, in one piece, or authorize again."
        )
    return value


def _first(value: Any) -> Any:
    # Redirect parameters parsed with parse_qs arrive as lists.
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def _text(value: Any) -> Optional[str]:
    value = _first(value)
    if value is None or isinstance(value, (dict, list, tuple, set, bool)):
        return None  # a structure where a word was due is no value at all
    value = str(value).strip()
    return value or None


def _lifetime(value: Any) -> Optional[float]:
    seconds = number(_first(value))
    if seconds is None or seconds < 0:  # unknown
        return None
    return min(seconds, _MAX_LIFETIME)


def _utc(moment: Optional[datetime]) -> Optional[datetime]:
    if moment is None:
        return None
    if moment.tzinfo is None:  # naive values are taken as UTC, the only zone we store
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        # At the calendar's edge (9999-12-31 with a negative offset) UTC falls outside what
        # datetime holds: the edge itself is as far as "never" or "long ago" can go.
        edge = datetime.max if moment.year > 1 else datetime.min
        return edge.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, repr=False)
class Token:
    """An Imgur OAuth token. Frozen; ``repr`` masks the access and refresh tokens.

    ``expires_at`` is a UTC-aware datetime, or None when the lifetime is unknown.
    """

    access_token: str
    refresh_token: Optional[str] = None
    expires_at: Optional[datetime] = None
    token_type: str = "bearer"
    account_username: Optional[str] = None
    account_id: Optional[str] = None
    scope: Optional[str] = None

    def __post_init__(self) -> None:
        # Checked here so that no header is ever built from a value that cannot be sent.
        _checked(self.access_token, "access token", optional=False)
        _checked(self.refresh_token, "refresh token", optional=True)
        if self.expires_at is not None and not isinstance(self.expires_at, datetime):
            raise CredentialsError("A token's expires_at must be a datetime (or None).")
        object.__setattr__(self, "expires_at", _utc(self.expires_at))
        if self.account_id is not None and not isinstance(self.account_id, str):
            object.__setattr__(self, "account_id", str(self.account_id))

    @classmethod
    def from_response(cls, data: Mapping[str, Any], *, now: Optional[datetime] = None) -> Token:
        """A token from the token endpoint's JSON or from redirect parameters.

        Accepts single values or the lists ``parse_qs`` makes. Raises
        :class:`AuthorizationError` when there is no access token in ``data``.
        """
        if not isinstance(data, Mapping):
            raise AuthorizationError("The token answer was not a set of fields. Authorize again to get a new token.")
        raw_access = _first(data.get("access_token"))
        if raw_access is not None and not isinstance(raw_access, str):
            raise AuthorizationError(
                f"The token answer's access_token is {type(raw_access).__name__}, not text, so it is not a token. "
                "Check that the base URL points at Imgur (or the sandbox), then authorize again."
            )
        access = _text(raw_access)
        if not access:
            raise AuthorizationError(
                "No access token was found in the answer. Authorize again and copy the whole address "
                "the browser ends on, including the part after '#'."
            )
        now = _utc(now) or datetime.now(timezone.utc)
        lifetime = _lifetime(data.get("expires_in"))
        expires_at = now + timedelta(seconds=lifetime) if lifetime is not None else None
        try:
            return cls(
                access_token=access,
                refresh_token=_text(data.get("refresh_token")),
                expires_at=expires_at,
                token_type=(_text(data.get("token_type")) or "bearer").lower(),
                account_username=_text(data.get("account_username")),
                account_id=_text(data.get("account_id")),
                scope=_text(data.get("scope")),
            )
        except CredentialsError as exc:
            raise AuthorizationError(f"The token answer cannot be used: {exc}") from None

    def expires_in(self, now: Optional[datetime] = None) -> Optional[float]:
        """Seconds until expiry (negative once expired), or None when unknown."""
        if self.expires_at is None:
            return None
        now = _utc(now) or datetime.now(timezone.utc)
        return (self.expires_at - now).total_seconds()

    def is_expired(self, *, leeway: float = 60, now: Optional[datetime] = None) -> bool:
        """True when the token expires within ``leeway`` seconds (refresh ahead of time)."""
        remaining = self.expires_in(now)
        return remaining is not None and remaining <= leeway

    def merged_with(self, newer: Token) -> Token:
        """``newer``, keeping this token's refresh token, username and id where ``newer`` lacks them.

        Imgur's refresh answer may omit the refresh token; the old one stays valid then.
        """
        return replace(
            newer,
            refresh_token=newer.refresh_token or self.refresh_token,
            account_username=newer.account_username or self.account_username,
            account_id=newer.account_id or self.account_id,
        )

    def to_dict(self) -> dict:
        """Plain JSON-ready fields, ``expires_at`` as ISO-8601 (for the credentials store)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "token_type": self.token_type,
            "account_username": self.account_username,
            "account_id": self.account_id,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Token:
        """The inverse of :meth:`to_dict`; raises :class:`AuthorizationError` on an unusable dict."""
        if not isinstance(d, Mapping) or not isinstance(d.get("access_token"), str):
            raise AuthorizationError("The stored token is incomplete. Authorize again to get a new token.")
        expires_at = d.get("expires_at")
        if isinstance(expires_at, str) and expires_at:
            try:
                expires_at = datetime.fromisoformat(expires_at)
            except ValueError:
                expires_at = None
        elif not isinstance(expires_at, datetime):
            expires_at = None
        try:
            return cls(
                access_token=d["access_token"],
                refresh_token=_text(d.get("refresh_token")),
                expires_at=expires_at,
                token_type=_text(d.get("token_type")) or "bearer",
                account_username=_text(d.get("account_username")),
                account_id=_text(d.get("account_id")),
                scope=_text(d.get("scope")),
            )
        except CredentialsError as exc:
            raise AuthorizationError(f"The stored token cannot be used: {exc}") from None

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat(timespec="seconds") if self.expires_at else None
        refresh = f"'{mask(self.refresh_token)}'" if self.refresh_token else "None"
        return (
            f"Token(access_token='{mask(self.access_token)}', refresh_token={refresh}, "
            f"expires_at={expires!r}, account_username={self.account_username!r})"
        )

    __str__ = __repr__


class TokenKeeper(Protocol):
    """Where a client's token is kept for other programs too (one app's slot in a store).

    Several programs may share one stored token (two notebooks and a terminal). A
    client given a keeper asks it for the stored token before refreshing, so a token
    another program already refreshed is used rather than refreshed again, and writes
    the new token back only in place of the one it replaced, so that a sign-out or a
    newly saved app elsewhere wins.
    """

    def latest(self) -> Optional[Token]:
        """The token stored for this app now; None when none is (signed out, or another app saved)."""
        ...

    def replace(self, old: Token, new: Token) -> bool:
        """Store ``new`` if the store still holds ``old`` for this app; True when it was stored."""
        ...
