"""The rate-limit meter: what Imgur last said about the credits left (RateLimits).

Every answer carries the numbers in its headers (``X-RateLimit-*``, ``X-Post-Rate-Limit-*``),
and ``GET /3/credits`` in its data; the client reads both into one frozen value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Optional

from .wording import number, reset_time

__all__ = ["CREDITS_NAMES", "HEADER_NAMES", "RateLimits"]

HEADER_NAMES = {
    "user_limit": "X-RateLimit-UserLimit",
    "user_remaining": "X-RateLimit-UserRemaining",
    "user_reset": "X-RateLimit-UserReset",
    "client_limit": "X-RateLimit-ClientLimit",
    "client_remaining": "X-RateLimit-ClientRemaining",
    "post_limit": "X-Post-Rate-Limit-Limit",
    "post_remaining": "X-Post-Rate-Limit-Remaining",
    "post_reset": "X-Post-Rate-Limit-Reset",
}
CREDITS_NAMES = {
    "user_limit": "UserLimit",
    "user_remaining": "UserRemaining",
    "user_reset": "UserReset",
    "client_limit": "ClientLimit",
    "client_remaining": "ClientRemaining",
}


def _int(value: Any) -> Optional[int]:
    found = number(value)
    return int(found) if found is not None else None


@dataclass(frozen=True)
class RateLimits:
    """What Imgur last said about the remaining credits. Every field is None until seen.

    ``user_reset`` is when the per-user (IP) limit resets (UTC); ``post_reset`` is seconds
    until the upload (POST) limit resets.
    """

    user_limit: Optional[int] = None
    user_remaining: Optional[int] = None
    user_reset: Optional[datetime] = None
    client_limit: Optional[int] = None
    client_remaining: Optional[int] = None
    post_limit: Optional[int] = None
    post_remaining: Optional[int] = None
    post_reset: Optional[float] = None

    def updated(
        self, source: Mapping[str, Any], names: Mapping[str, str], *, now: Optional[datetime] = None
    ) -> RateLimits:
        """A copy with the fields found in ``source`` (headers or /3/credits data) replaced."""
        changes: dict[str, Any] = {}
        for field_name, key in names.items():
            raw = source.get(key)
            if raw is None or raw == "":
                continue
            value: Any
            if field_name == "user_reset":
                value = reset_time(raw, now=now)
            elif field_name == "post_reset":
                value = number(raw)
            else:
                value = _int(raw)
            if value is not None:
                changes[field_name] = value
        return replace(self, **changes) if changes else self

    def summary(self) -> str:
        """One line for a meter.

        For example ``"requests 488/500 (resets 14:05 UTC) · app 12488/12500 · uploads 1240/1250"``.
        """
        parts = []
        if self.user_remaining is not None or self.user_limit is not None:
            reset = f" (resets {self.user_reset:%H:%M} UTC)" if self.user_reset else ""
            parts.append(f"requests {_of(self.user_remaining, self.user_limit)}{reset}")
        if self.client_remaining is not None or self.client_limit is not None:
            parts.append(f"app {_of(self.client_remaining, self.client_limit)}")
        if self.post_remaining is not None or self.post_limit is not None:
            reset = f" (resets in {round(self.post_reset / 60)} min)" if self.post_reset else ""
            parts.append(f"uploads {_of(self.post_remaining, self.post_limit)}{reset}")
        if not parts:
            return "No rate-limit information yet: it appears after the first API call."
        return " · ".join(parts)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))


def _of(remaining: Optional[int], limit: Optional[int]) -> str:
    return f"{'?' if remaining is None else remaining}/{'?' if limit is None else limit}"
