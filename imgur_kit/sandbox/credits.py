"""Rate limits: the credits every /3/ call spends, and the headers that say so.

Live figures (docs/imgur-facts.md, "Rate limits"): about 12,500 requests a day per
client, a per-user (per-IP) allowance reset hourly (500 in a 2025 header
dump), and 1,250 POSTs an hour. A call costs 1 credit, an upload 10.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

CLIENT_LIMIT = 12500
USER_LIMIT = 500
POST_LIMIT = 1250
CLIENT_PERIOD = 86400
USER_PERIOD = 3600
POST_PERIOD = 3600
UPLOAD_COST = 10
#: What spend() returns when the app's or the user's credits are spent.
TOO_MANY = "Too Many Requests"


@dataclass
class _Bucket:
    limit: int
    remaining: int
    period: int
    reset_at: float

    def roll(self, now: float) -> None:
        # A spent allowance comes back whole when its period is over.
        if now >= self.reset_at:
            self.remaining = self.limit
            self.reset_at = now + self.period


@dataclass(frozen=True)
class Snapshot:
    """The limits as one response reports them."""

    user_limit: int
    user_remaining: int
    user_reset: int  # epoch seconds, as the docs and /3/credits say
    client_limit: int
    client_remaining: int
    client_reset: int  # seconds from now, as the live header gives it
    post_limit: int
    post_remaining: int
    post_reset: int  # seconds from now

    def headers(self, *, is_post: bool) -> dict[str, str]:
        """The X-RateLimit-* headers, and on a POST answer the X-Post-Rate-Limit-* ones.

        The docs say "each POST request" carries the post limit, and every captured header
        dump with it is a POST's; ``X-RateLimit-ClientReset`` (seconds to the daily reset) is
        in every dump since 2019 though the docs do not name it.
        """
        headers = {
            "X-RateLimit-UserLimit": str(self.user_limit),
            "X-RateLimit-UserRemaining": str(self.user_remaining),
            "X-RateLimit-UserReset": str(self.user_reset),
            "X-RateLimit-ClientLimit": str(self.client_limit),
            "X-RateLimit-ClientRemaining": str(self.client_remaining),
            "X-RateLimit-ClientReset": str(self.client_reset),
        }
        if is_post:
            headers.update(
                {
                    "X-Post-Rate-Limit-Limit": str(self.post_limit),
                    "X-Post-Rate-Limit-Remaining": str(self.post_remaining),
                    "X-Post-Rate-Limit-Reset": str(self.post_reset),
                }
            )
        return headers

    def credits(self) -> dict:
        """The body of /3/credits."""
        return {
            "UserLimit": self.user_limit,
            "UserRemaining": self.user_remaining,
            "UserReset": self.user_reset,
            "ClientLimit": self.client_limit,
            "ClientRemaining": self.client_remaining,
        }


class Credits:
    """Per-client daily credits, one user (loopback is one IP) and one POST allowance."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._clients: dict[str, _Bucket] = {}
        self._user: Optional[_Bucket] = None
        self._post: Optional[_Bucket] = None

    def _buckets(self, client_id: Optional[str]) -> tuple[float, Optional[_Bucket], _Bucket, _Bucket]:
        now = self._clock()
        if self._user is None or self._post is None:
            self._user = _Bucket(USER_LIMIT, USER_LIMIT, USER_PERIOD, now + USER_PERIOD)
            self._post = _Bucket(POST_LIMIT, POST_LIMIT, POST_PERIOD, now + POST_PERIOD)
        client = None
        if client_id is not None:
            client = self._clients.get(client_id)
            if client is None:
                client = self._clients[client_id] = _Bucket(
                    CLIENT_LIMIT, CLIENT_LIMIT, CLIENT_PERIOD, now + CLIENT_PERIOD
                )
            client.roll(now)
        self._user.roll(now)
        self._post.roll(now)
        return now, client, self._user, self._post

    def spend(self, client_id: Optional[str], cost: int, *, is_post: bool) -> Optional[str]:
        """Take ``cost`` credits; return why they cannot be taken, else None.

        The app's or the user's credits spent answer "Too Many Requests" (the live service's
        newer shape since 2019); the POST limit keeps the words that say how long to wait.
        """
        with self._lock:
            now, client, user, post = self._buckets(client_id)
            if client is not None and client.remaining < cost:
                return TOO_MANY
            if user.remaining < cost:
                return TOO_MANY
            if is_post and post.remaining < 1:
                minutes = max(1, math.ceil((post.reset_at - now) / 60))
                return f"You are uploading too fast. Please wait {minutes} more minutes."
            if client is not None:
                client.remaining -= cost
            user.remaining -= cost
            if is_post:
                post.remaining -= 1
            return None

    def snapshot(self, client_id: Optional[str]) -> Snapshot:
        """The current figures for one client."""
        with self._lock:
            now, client, user, post = self._buckets(client_id)
            return Snapshot(
                user_limit=user.limit,
                user_remaining=user.remaining,
                user_reset=int(user.reset_at),
                client_limit=client.limit if client else CLIENT_LIMIT,
                client_remaining=client.remaining if client else CLIENT_LIMIT,
                client_reset=max(0, int(client.reset_at - now)) if client else CLIENT_PERIOD,
                post_limit=post.limit,
                post_remaining=post.remaining,
                post_reset=max(0, int(post.reset_at - now)),
            )

    def set(
        self,
        *,
        client_remaining: Optional[int] = None,
        user_remaining: Optional[int] = None,
        post_remaining: Optional[int] = None,
        client_ids=(),
    ) -> None:
        """Set what is left (for every known client, and the given ones)."""
        with self._lock:
            _, _, user, post = self._buckets(None)
            for client_id in client_ids:
                self._buckets(client_id)
            if client_remaining is not None:
                for bucket in self._clients.values():
                    bucket.remaining = client_remaining
            if user_remaining is not None:
                user.remaining = user_remaining
            if post_remaining is not None:
                post.remaining = post_remaining
