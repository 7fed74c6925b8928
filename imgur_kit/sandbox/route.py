"""What one line of the sandbox's route table is: a page or a /3/ endpoint, and the two ways to write one.

Kept apart from the table (:mod:`.routes`), which imports every handler module, so that
:mod:`.api` (which charges a request by its route's cost) can name a route without
importing the table: the sandbox has no import loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from .messages import Response

__all__ = ["ANY", "Route", "endpoint", "page"]

ANY = "*"


@dataclass(frozen=True)
class Route:
    """One page or endpoint: its method, its path, who answers, and (for /3/) what it costs."""

    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., Response]
    cost: Optional[int] = None  # None: a page, not an API endpoint


def page(pattern: str, handler: Callable[..., Response], method: str = ANY) -> Route:
    """A page a browser opens."""
    return Route(method, re.compile(pattern), handler)


def endpoint(method: str, pattern: str, handler: Callable[..., Response], cost: int = 1) -> Route:
    """A /3/ API endpoint (``pattern`` is what follows /3/) and its cost in credits."""
    return Route(method, re.compile(f"/3/(?:{pattern})"), handler, cost)
