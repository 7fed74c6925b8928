"""What people do in the sandbox's gallery: comments, votes, favorites, shares, tags, follows, reports.

A part of :class:`~.state.State` (mixed in), kept in its own file because it is its own
subject: the seeded gallery is made from the seed each time, and only what users do to
it (and to their own uploads) is remembered here and saved in the state file. Every
method holds the state's transaction, like the rest of State.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Callable, Optional

from .models import Comment, Favorite, Follow, ItemTags, Notification, Report, Submission, Vote
from .seeded import DEFAULT_SEED

#: Where the numbers of comments written in the sandbox start (seeded ones are below).
FIRST_COMMENT_ID = 2_000_000_001

#: (state file key, record class, key attribute or None for a plain list).
SOCIAL_RECORDS: tuple[tuple[str, type, Optional[str]], ...] = (
    ("comments", Comment, "id"),
    ("votes", Vote, None),
    ("favorites", Favorite, None),
    ("submissions", Submission, "id"),
    ("item_tags", ItemTags, "item_id"),
    ("follows", Follow, None),
    ("reports", Report, None),
    ("notifications", Notification, "id"),
)


class SocialState:
    """The gallery half of the sandbox's memory (see the module docstring)."""

    _transaction: Callable[[], AbstractContextManager[None]]
    _changed: Callable[[], None]
    now: Callable[[], float]

    def _reset_social(self) -> None:
        self._seed: int = DEFAULT_SEED
        self._comments: dict[int, Comment] = {}
        self._votes: list[Vote] = []
        self._favorites: list[Favorite] = []
        self._submissions: dict[str, Submission] = {}
        self._item_tags: dict[str, ItemTags] = {}
        self._follows: list[Follow] = []
        self._reports: list[Report] = []
        self._notifications: dict[int, Notification] = {}

    def _read_social(self, data: dict[str, Any], listed: Callable[[str, type], list]) -> dict[str, Any]:
        """The social records of a saved state, checked (raises TypeError for a damaged file)."""
        found: dict[str, Any] = {}
        for key, cls, name in SOCIAL_RECORDS:
            records = listed(key, cls)
            found[key] = {getattr(r, name): r for r in records} if name else records
        seed = data.get("seed", DEFAULT_SEED)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError("seed is not a whole number")
        found["seed"] = seed
        return found

    def _apply_social(self, found: dict[str, Any]) -> None:
        self._seed = found["seed"]
        self._comments = found["comments"]
        self._votes = found["votes"]
        self._favorites = found["favorites"]
        self._submissions = found["submissions"]
        self._item_tags = found["item_tags"]
        self._follows = found["follows"]
        self._reports = found["reports"]
        self._notifications = found["notifications"]

    def _plain_social(self) -> dict[str, Any]:
        from .models import to_plain

        plain: dict[str, Any] = {"seed": self._seed}
        for key, _cls, name in SOCIAL_RECORDS:
            held = getattr(self, f"_{key}")
            plain[key] = [to_plain(r) for r in (held.values() if name else held)]
        return plain

    # -- the seed ------------------------------------------------------------------------

    @property
    def seed(self) -> int:
        """The seed of this sandbox's public gallery."""
        with self._transaction():
            return self._seed

    def choose_seed(self, seed: int) -> None:
        """Make the public gallery the one of ``seed`` (kept in the state folder)."""
        with self._transaction():
            if self._seed != seed:
                self._seed = seed
                self._changed()

    # -- comments ------------------------------------------------------------------------

    def add_comment(
        self, item_id: str, author: str, text: str, *, parent_id: int = 0, on_album: bool = False
    ) -> Comment:
        """Keep a new comment (or reply) and return it."""
        with self._transaction():
            number = max(self._comments, default=FIRST_COMMENT_ID - 1) + 1
            comment = Comment(number, item_id, author, text, int(self.now()), parent_id, on_album)
            self._comments[number] = comment
            self._changed()
            return comment

    def comment(self, number: int) -> Optional[Comment]:
        """A comment written in the sandbox, or None."""
        with self._transaction():
            return self._comments.get(number)

    def comments_on(self, item_id: str) -> list[Comment]:
        """The comments written on an item, oldest first (deleted ones included, marked)."""
        with self._transaction():
            return [c for c in self._comments.values() if c.item_id == item_id]

    def comments_by(self, username: str) -> list[Comment]:
        """What a user wrote, oldest first (deleted comments left out)."""
        with self._transaction():
            return [c for c in self._comments.values() if c.author == username and not c.deleted]

    def delete_comment(self, number: int) -> None:
        """Mark a comment deleted (its replies stay, as on Imgur)."""
        with self._transaction():
            self._comments[number].deleted = True
            self._changed()

    # -- votes ---------------------------------------------------------------------------

    def vote(self, username: str, target: str, vote: str) -> None:
        """Record ``vote`` ("up", "down", or "veto" to take one back) of a user on a target."""
        with self._transaction():
            self._votes = [v for v in self._votes if (v.username, v.target) != (username, target)]
            if vote in ("up", "down"):
                self._votes.append(Vote(username, target, vote))
            self._changed()

    def vote_of(self, username: Optional[str], target: str) -> Optional[str]:
        """The user's vote on a target ("up", "down"), or None."""
        with self._transaction():
            for v in self._votes:
                if v.username == username and v.target == target:
                    return v.vote
            return None

    def vote_counts(self, target: str) -> tuple[int, int]:
        """(ups, downs) users gave a target in the sandbox."""
        with self._transaction():
            votes = [v.vote for v in self._votes if v.target == target]
            return votes.count("up"), votes.count("down")

    # -- favorites -----------------------------------------------------------------------

    def toggle_favorite(self, username: str, kind: str, item_id: str) -> bool:
        """Favorite an image or album, or take the favorite back; True when it is now a favorite."""
        with self._transaction():
            kept = [f for f in self._favorites if (f.username, f.kind, f.id) != (username, kind, item_id)]
            now_favorite = len(kept) == len(self._favorites)
            if now_favorite:
                kept.append(Favorite(username, kind, item_id, int(self.now())))
            self._favorites = kept
            self._changed()
            return now_favorite

    def favorites_of(self, username: str) -> list[Favorite]:
        """A user's favorites, oldest first."""
        with self._transaction():
            return [f for f in self._favorites if f.username == username]

    def is_favorite(self, username: Optional[str], item_id: str) -> bool:
        """Whether the user favorited the image or album ``item_id``."""
        with self._transaction():
            return any(f.username == username and f.id == item_id for f in self._favorites)

    # -- the gallery: shares, tags, follows, reports ---------------------------------------

    def share(self, submission: Submission) -> None:
        """Put an image or album of its owner into the gallery (again, if it was there)."""
        with self._transaction():
            self._submissions[submission.id] = submission
            self._changed()

    def unshare(self, item_id: str) -> None:
        """Take an item out of the gallery (the image or album itself stays)."""
        with self._transaction():
            self._submissions.pop(item_id, None)
            self._changed()

    def submission(self, item_id: str) -> Optional[Submission]:
        """The share of ``item_id``, or None when it is not in the gallery."""
        with self._transaction():
            return self._submissions.get(item_id)

    def submissions(self) -> list[Submission]:
        """Every item users shared, oldest first."""
        with self._transaction():
            return list(self._submissions.values())

    def set_item_tags(self, item_id: str, tags: list[str]) -> None:
        """Replace the tags of a gallery item."""
        with self._transaction():
            self._item_tags[item_id] = ItemTags(item_id, tags)
            self._changed()

    def item_tags(self, item_id: str) -> Optional[list[str]]:
        """The tags a user set on an item, or None when nobody changed them."""
        with self._transaction():
            found = self._item_tags.get(item_id)
            return list(found.tags) if found else None

    def follow(self, username: str, tag: str, following: bool) -> None:
        """Follow a tag, or stop following it."""
        with self._transaction():
            self._follows = [f for f in self._follows if (f.username, f.tag) != (username, tag)]
            if following:
                self._follows.append(Follow(username, tag))
            self._changed()

    def follows(self, username: Optional[str], tag: str) -> bool:
        """Whether the user follows ``tag``."""
        with self._transaction():
            return any(f.username == username and f.tag == tag for f in self._follows)

    def followers(self, tag: str) -> int:
        """How many sandbox users follow ``tag``."""
        with self._transaction():
            return sum(1 for f in self._follows if f.tag == tag)

    def report(self, username: str, target: str, reason: int) -> None:
        """Keep a report (nobody reviews it: the sandbox only remembers it was made)."""
        with self._transaction():
            self._reports.append(Report(username, target, reason, int(self.now())))
            self._changed()

    def reports(self) -> list[Report]:
        """Every report made, oldest first."""
        with self._transaction():
            return list(self._reports)

    # -- reply notifications -------------------------------------------------------------

    def notify(self, username: str, comment_id: int) -> Notification:
        """Tell ``username`` about a reply (the comment ``comment_id``)."""
        with self._transaction():
            number = max(self._notifications, default=0) + 1
            notice = Notification(number, username, comment_id)
            self._notifications[number] = notice
            self._changed()
            return notice

    def notifications_of(self, username: str, *, new_only: bool) -> list[Notification]:
        """A user's reply notifications, newest first (only unread ones with ``new_only``)."""
        with self._transaction():
            mine = [n for n in self._notifications.values() if n.username == username]
            return [n for n in reversed(mine) if not (new_only and n.viewed)]

    def mark_viewed(self, numbers: Iterator[int]) -> None:
        """Mark notifications as read."""
        with self._transaction():
            for number in numbers:
                if number in self._notifications:
                    self._notifications[number].viewed = True
            self._changed()
