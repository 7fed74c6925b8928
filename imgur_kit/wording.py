"""Numbers and lengths of time, read from answers and said to people, one way everywhere.

:func:`number` and :func:`reset_time` read what a header, JSON value or text says;
:func:`counted` and :func:`duration_words` put a count or a length of time into words.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

__all__ = ["counted", "duration_words", "number", "reset_time"]


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
