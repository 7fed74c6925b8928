"""The seeded public gallery: a few hundred items made here, the same for one seed on every machine.

Nothing is downloaded. Titles, descriptions, authors, tags, subreddits, votes and
comments come from ``random.Random(seed)`` over the word lists below; each picture is
a small PNG drawn from its own colours on first request (:func:`picture`). The items
carry datetimes before :data:`SEED_NOW`, and their sort windows ("day", "week") are
measured from that moment, not from the wall clock, so the same request returns the
same page on every machine, today and next year. The seed is kept in the state
folder and can be chosen (``Sandbox(seed=N)``, ``--seed N``).

Generating it takes a few milliseconds and happens on the first gallery request.
"""

from __future__ import annotations

import functools
import random
import struct
import zlib
from dataclasses import dataclass

#: The seed used unless one is chosen.
DEFAULT_SEED = 2025
#: The seeded gallery's "now": 2025-12-01T00:00:00Z. Its items are older, and its windows start here.
SEED_NOW = 1764547200
ITEMS = 320
#: (name, display name, description) of the tags the seeded items carry.
TAGS = (
    ("cats", "Cats", "Cats being cats."),
    ("dogs", "Dogs", "Good dogs, all of them."),
    ("aww", "Aww", "Things that make you go aww."),
    ("funny", "Funny", "Jokes, mostly."),
    ("nature", "Nature", "Mountains, rivers and the sky."),
    ("space", "Space", "Stars, planets and rockets."),
    ("food", "Food", "Things to eat."),
    ("art", "Art", "Made by hand."),
    ("science", "Science", "How things work."),
    ("gaming", "Gaming", "Games of every kind."),
    ("history", "History", "What happened before."),
    ("travel", "Travel", "Places to go."),
    ("diy", "DIY", "Made at home."),
    ("wholesome", "Wholesome", "The good side of the internet."),
    ("architecture", "Architecture", "Buildings and bridges."),
    ("birds", "Birds", "Feathered friends."),
)
SUBREDDITS = ("aww", "earthporn", "pics", "space", "food")
TOPICS = ("Funny", "Aww", "Science and Tech", "Gaming", "Eat What You Want", "Creativity", "The Great Outdoors")
USERS = (
    "ada-lovelace", "grace-hopper", "alan-turing", "katherine-j", "linus-pauling", "marie-curie",
    "nikola-t", "rosalind-f", "carl-sagan", "hedy-lamarr", "emmy-noether", "tim-bl",
    "barbara-liskov", "dennis-r", "margaret-h", "john-vn", "radia-p", "ken-t",
)  # fmt: skip
_ADJECTIVES = (
    "Sleepy", "Tiny", "Golden", "Quiet", "Brave", "Curious", "Ancient", "Bright", "Hidden", "Happy",
    "Wild", "Gentle", "Frozen", "Lucky", "Misty", "Proud",
)  # fmt: skip
_NOUNS = (
    "cat", "puppy", "mountain", "sunset", "robot", "lighthouse", "forest", "galaxy", "pancake", "owl",
    "bridge", "river", "castle", "garden", "comet", "fox",
)  # fmt: skip
_ENDINGS = (
    "I found today", "at dawn", "in the rain", "after a long day", "on my desk", "that made my week",
    "nobody asked for", "from my trip", "in four steps", "under the stars",
)  # fmt: skip
_REMARKS = (
    "This made my day.", "Came here to say this.", "How did you take this?", "Absolutely lovely.",
    "I need this on a poster.", "Take my upvote.", "The colours are unreal.", "Underrated post.",
    "Saving this one.", "My cat does the same thing.", "Where is this?", "Ten out of ten.",
)  # fmt: skip
_SIZES = ((160, 120), (120, 160), (200, 120), (128, 128), (240, 160))


@dataclass(frozen=True)
class SeedImage:
    """One picture of the seeded gallery (its bytes are drawn on request)."""

    id: str
    width: int
    height: int
    colour: tuple[int, int, int]
    stripe: tuple[int, int, int]
    datetime: int
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SeedItem:
    """A gallery image or album of the seeded gallery."""

    id: str
    is_album: bool
    title: str
    description: str | None
    datetime: int
    author: str
    viral: bool
    subreddit: str | None
    tags: tuple[str, ...]
    topic: str
    ups: int
    downs: int
    views: int
    nsfw: bool
    images: tuple[SeedImage, ...]


@dataclass(frozen=True)
class SeedComment:
    """A comment on a seeded item (``parent_id`` 0 for a top-level one)."""

    id: int
    item_id: str
    author: str
    text: str
    datetime: int
    ups: int
    downs: int
    parent_id: int


@dataclass(frozen=True)
class SeededGallery:
    """Everything one seed makes, with look-ups by id."""

    seed: int
    items: tuple[SeedItem, ...]
    comments: tuple[SeedComment, ...]

    @functools.cached_property
    def by_id(self) -> dict[str, SeedItem]:
        """Items by their id."""
        return {item.id: item for item in self.items}

    @functools.cached_property
    def images(self) -> dict[str, tuple[SeedImage, SeedItem]]:
        """Every picture by its id, with the item it belongs to."""
        return {image.id: (image, item) for item in self.items for image in item.images}

    @functools.cached_property
    def comments_of(self) -> dict[str, tuple[SeedComment, ...]]:
        """The comments of each item, oldest first."""
        found: dict[str, list[SeedComment]] = {}
        for comment in self.comments:
            found.setdefault(comment.item_id, []).append(comment)
        return {key: tuple(value) for key, value in found.items()}

    @functools.cached_property
    def comment_by_id(self) -> dict[int, SeedComment]:
        """Comments by their number."""
        return {comment.id: comment for comment in self.comments}


_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _new_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        made = "".join(rng.choice(_ALPHABET) for _ in range(7))
        if made not in taken:
            taken.add(made)
            return made


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(40, 230), rng.randrange(40, 230), rng.randrange(40, 230))


@functools.lru_cache(maxsize=4)
def gallery(seed: int = DEFAULT_SEED) -> SeededGallery:
    """The seeded gallery of ``seed`` (made once per process and seed)."""
    # One generator drawn in a fixed order: the same seed gives the same gallery everywhere.
    rng = random.Random(seed)
    taken: set[str] = set()
    items: list[SeedItem] = []
    comments: list[SeedComment] = []
    first_comment = 1_900_000_000 + (seed % 1000) * 100_000
    for n in range(ITEMS):
        item = _seed_item(rng, taken, n, seed)
        items.append(item)
        comments += _seed_comments(rng, item, first_comment + len(comments))
    return SeededGallery(seed, tuple(items), tuple(comments))


def _seed_item(rng: random.Random, taken: set[str], n: int, seed: int) -> SeedItem:
    """The ``n``-th item of the gallery: an image, or (every fourth) an album of two to four."""
    age = int(rng.expovariate(1 / (45 * 86400)))  # most items recent, a long tail over the years
    when = SEED_NOW - 60 - min(age, 6 * 365 * 86400)
    title = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.choice(_ENDINGS)}"
    is_album = n % 4 == 3
    images = _seed_images(rng, taken, when, rng.randint(2, 4) if is_album else 1, is_album)
    ups = int(rng.paretovariate(1.3) * 20)
    item_id = _new_id(rng, taken) if is_album else images[0].id
    tags = tuple(sorted(rng.sample([t[0] for t in TAGS], rng.randint(1, 3))))
    return SeedItem(
        id=item_id,
        is_album=is_album,
        title=title,
        description=rng.choice([None, f"{title}. Made by the sandbox, seed {seed}."]),
        datetime=when,
        author=rng.choice(USERS),
        viral=ups > 120 or n % 9 == 0,
        subreddit=rng.choice(SUBREDDITS) if n % 5 == 1 and not is_album else None,
        tags=tags,
        topic=rng.choice(TOPICS),
        ups=ups,
        downs=rng.randint(0, max(1, ups // 8)),
        views=ups * rng.randint(20, 60) + rng.randint(0, 500),
        nsfw=n % 37 == 5,
        images=images,
    )


def _seed_images(rng: random.Random, taken: set[str], when: int, count: int, is_album: bool) -> tuple[SeedImage, ...]:
    """The ``count`` pictures of an item made at ``when``."""
    images = []
    for k in range(count):
        width, height = rng.choice(_SIZES)
        images.append(
            SeedImage(
                id=_new_id(rng, taken),
                width=width,
                height=height,
                colour=_colour(rng),
                stripe=_colour(rng),
                datetime=when,
                description=f"Picture {k + 1} of {count}." if is_album else None,
            )
        )
    return tuple(images)


def _seed_comments(rng: random.Random, item: SeedItem, last_id: int) -> list[SeedComment]:
    """Zero to six comments on ``item``, some replying to the one before; ids follow ``last_id``."""
    comments: list[SeedComment] = []
    for c in range(rng.randint(0, 6)):
        parent = comments[-1].id if c and rng.random() < 0.3 else 0
        comments.append(
            SeedComment(
                id=last_id + c + 1,
                item_id=item.id,
                author=rng.choice(USERS),
                text=rng.choice(_REMARKS),
                datetime=item.datetime + 60 * (c + 1) * rng.randint(1, 90),
                ups=rng.randint(0, 80),
                downs=rng.randint(0, 6),
                parent_id=parent,
            )
        )
    return comments


def picture(image: SeedImage) -> bytes:
    """A PNG of ``image``: its colour with a diagonal stripe of the other (drawn, never downloaded)."""
    width, height = image.width, image.height
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            on_stripe = abs((x - y * width // height) % width) < width // 6
            row += bytes(image.stripe if on_stripe else image.colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )
