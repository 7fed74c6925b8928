"""The public gallery as the API shows it: seeded items and what users shared, with their votes, tags and comments.

:func:`entries` is the one list every gallery, tag, subreddit and search request starts
from; :func:`item_json` and :func:`comment_json` give the documented models (Gallery
Image, Gallery Album, Comment, Tag, Tag Vote). Seeded items are measured against the
seeded gallery's own clock (:data:`.seeded.SEED_NOW`) and shared ones against the
sandbox's, so sort windows of the seeded gallery never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .context import Context
from .models import Comment, account_id_of
from .seeded import SEED_NOW, TAGS, SeedComment, SeedImage, SeedItem, gallery

PER_PAGE = 60
WINDOWS = {"day": 86400, "week": 7 * 86400, "month": 31 * 86400, "year": 365 * 86400, "all": None}
_TAG_INFO = {name: (display, about) for name, display, about in TAGS}


@dataclass(frozen=True)
class Picture:
    """One image of a gallery item, seeded or uploaded."""

    id: str
    width: int
    height: int
    type: str
    size: int
    animated: bool
    datetime: int
    title: Optional[str]
    description: Optional[str]
    views: int


@dataclass(frozen=True)
class Entry:
    """A gallery item with everything the models need."""

    id: str
    is_album: bool
    title: str
    description: Optional[str]
    datetime: int
    author: str
    viral: bool
    subreddit: Optional[str]
    tags: tuple[str, ...]
    topic: str
    ups: int
    downs: int
    views: int
    nsfw: bool
    pictures: tuple[Picture, ...]
    seeded: bool
    #: The moment its age is measured from (the seeded gallery's clock, or the sandbox's).
    clock: int

    @property
    def points(self) -> int:
        """Ups minus downs."""
        return self.ups - self.downs

    @property
    def age(self) -> int:
        """Seconds since it entered the gallery, on its own clock."""
        return max(0, self.clock - self.datetime)

    @property
    def score(self) -> int:
        """The viral ranking: points, and views a little, fading with age."""
        return int((self.points * 10 + self.views // 50) * 86400 / (86400 + self.age / 4))

    @property
    def section(self) -> str:
        """Where it shows: "hot" when viral, else "user" (the subreddit for subreddit posts)."""
        return self.subreddit or ("hot" if self.viral else "user")


def _seed_picture(image: SeedImage) -> Picture:
    # Size as stored: a small PNG; its exact byte count is only known once drawn.
    return Picture(
        image.id, image.width, image.height, "image/png", image.width * image.height // 4, False,
        image.datetime, image.title, image.description, 0,
    )  # fmt: skip


def _entry_of_seed(ctx: Context, item: SeedItem) -> Entry:
    ups, downs = ctx.state.vote_counts(f"item:{item.id}")
    tags = ctx.state.item_tags(item.id)
    return Entry(
        id=item.id,
        is_album=item.is_album,
        title=item.title,
        description=item.description,
        datetime=item.datetime,
        author=item.author,
        viral=item.viral,
        subreddit=item.subreddit,
        tags=tuple(tags) if tags is not None else item.tags,
        topic=item.topic,
        ups=item.ups + ups,
        downs=item.downs + downs,
        views=item.views,
        nsfw=item.nsfw,
        pictures=tuple(_seed_picture(image) for image in item.images),
        seeded=True,
        clock=SEED_NOW,
    )


def _shared_entry(ctx: Context, item_id: str) -> Optional[Entry]:
    shared = ctx.state.submission(item_id)
    if shared is None:
        return None
    if shared.is_album:
        album = ctx.state.album(item_id)
        if album is None:
            return None
        images = ctx.state.images_in(album.image_ids)
        description, views = album.description, album.views
    else:
        image = ctx.state.image(item_id)
        if image is None:
            return None
        images, description, views = [image], image.description, image.views
    pictures = tuple(
        Picture(i.id, i.width, i.height, i.type, i.size, i.animated, i.datetime, i.title, i.description, i.views)
        for i in images
    )
    ups, downs = ctx.state.vote_counts(f"item:{item_id}")
    tags = ctx.state.item_tags(item_id)
    return Entry(
        id=item_id,
        is_album=shared.is_album,
        title=shared.title,
        description=description,
        datetime=shared.datetime,
        author=shared.owner,
        viral=False,
        subreddit=None,
        tags=tuple(tags if tags is not None else shared.tags),
        topic=shared.topic,
        ups=ups,
        downs=downs,
        views=views,
        nsfw=shared.mature,
        pictures=pictures,
        seeded=False,
        clock=int(ctx.state.now()),
    )


def entries(ctx: Context) -> list[Entry]:
    """Every item in the gallery: the seeded ones, then what users shared."""
    found = [_entry_of_seed(ctx, item) for item in gallery(ctx.state.seed).items]
    for shared in ctx.state.submissions():
        entry = _shared_entry(ctx, shared.id)
        if entry is not None:
            found.append(entry)
    return found


def entry(ctx: Context, item_id: str) -> Optional[Entry]:
    """One gallery item by its id, or None when it is not in the gallery."""
    seeded = gallery(ctx.state.seed).by_id.get(item_id)
    if seeded is not None:
        return _entry_of_seed(ctx, seeded)
    return _shared_entry(ctx, item_id)


def seeded_picture(ctx: Context, image_id: str) -> Optional[SeedImage]:
    """A picture of the seeded gallery by its id, or None."""
    found = gallery(ctx.state.seed).images.get(image_id)
    return found[0] if found else None


# -- sorting, windows, pages ------------------------------------------------------------


def in_window(entry: Entry, window: str) -> bool:
    """Whether the item entered the gallery within ``window`` (day, week, month, year, all)."""
    span = WINDOWS.get(window)
    return span is None or entry.age <= span


def ordered(found: list[Entry], sort: str) -> list[Entry]:
    """Items in the order of ``sort``: viral, top, time or rising (ties by id, so pages are stable)."""
    keys = {
        "viral": lambda e: (-e.score, e.id),
        "top": lambda e: (-e.points, e.id),
        "time": lambda e: (-e.datetime, e.id),
        "rising": lambda e: (-(e.points * 86400) // (e.age + 3600), e.id),
    }
    return sorted(found, key=keys.get(sort, keys["viral"]))


def page_of(found: list, page: Optional[str]) -> list:
    """One page (60 items) of ``found``; page numbers start at 0."""
    try:
        number = max(0, int(page or 0))
    except ValueError:
        number = 0
    return found[number * PER_PAGE : (number + 1) * PER_PAGE]


# -- the models ---------------------------------------------------------------------------


def tag_json(ctx: Context, name: str, who: Optional[str], *, total: Optional[int] = None) -> dict:
    """The Tag model."""
    display, about = _TAG_INFO.get(name, (name, ""))
    if total is None:
        total = sum(1 for e in entries(ctx) if name in e.tags)
    seeded_followers = 1000 + 37 * len(name) * (1 + sum(map(ord, name)) % 50)
    return {
        "name": name,
        "display_name": display,
        "followers": seeded_followers + ctx.state.followers(name),
        "total_items": total,
        "following": ctx.state.follows(who, name),
        "is_whitelisted": False,
        "background_hash": "",
        "thumbnail_hash": None,
        "accent": "",
        "background_is_animated": False,
        "thumbnail_is_animated": False,
        "is_promoted": False,
        "description": about,
        "logo_hash": None,
        "logo_destination_url": None,
        "description_annotations": {},
    }


def _picture_json(picture: Picture, base_url: str, entry: Entry) -> dict:
    return {
        "id": picture.id,
        "title": picture.title,
        "description": picture.description,
        "datetime": picture.datetime,
        "type": picture.type,
        "animated": picture.animated,
        "width": picture.width,
        "height": picture.height,
        "size": picture.size,
        "views": picture.views,
        "bandwidth": picture.size * picture.views,
        "vote": None,
        "favorite": False,
        "nsfw": None,
        "section": None,
        "account_url": None,
        "account_id": None,
        "is_ad": False,
        "in_most_viral": False,
        "has_sound": False,
        "tags": [],
        "ad_type": 0,
        "ad_url": "",
        "edited": "0",
        "in_gallery": False,
        "link": f"{base_url}/i/{picture.id}.{picture.type.rsplit('/', 1)[-1].replace('jpeg', 'jpg')}",
    }


def tag_totals(found: list[Entry]) -> dict[str, int]:
    """How many items carry each tag."""
    totals: dict[str, int] = {}
    for item in found:
        for name in item.tags:
            totals[name] = totals.get(name, 0) + 1
    return totals


def item_json(
    ctx: Context, entry: Entry, base_url: str, who: Optional[str], *, with_images: bool, totals: dict[str, int]
) -> dict:
    """The Gallery Image or Gallery Album model of an item, as ``who`` sees it (their vote, their favorite).

    ``totals`` is :func:`tag_totals` of the whole gallery (counted once per request).
    """
    shared = _shared_fields(ctx, entry, who, totals)
    if not entry.is_album:
        picture = entry.pictures[0]
        data = _picture_json(picture, base_url, entry)
        data.update(shared)
        data["views"] = entry.views
        data["bandwidth"] = picture.size * entry.views
        if entry.subreddit:
            data["reddit_comments"] = f"/r/{entry.subreddit}/comments/{entry.id.lower()}"
        return data
    cover = entry.pictures[0]
    data = {
        **shared,
        "cover": cover.id,
        "cover_width": cover.width,
        "cover_height": cover.height,
        "privacy": "public",
        "layout": "blog",
        "link": f"{base_url}/a/{entry.id}",
        "images_count": len(entry.pictures),
        "include_album_ads": False,
    }
    if with_images:
        data["images"] = [_picture_json(p, base_url, entry) for p in entry.pictures]
    return data


def _shared_fields(ctx: Context, entry: Entry, who: Optional[str], totals: dict[str, int]) -> dict[str, Any]:
    """The fields a Gallery Image and a Gallery Album share, as ``who`` sees them."""
    comments = len([c for c in comments_of(ctx, entry.id) if not c.deleted])
    return {
        "id": entry.id,
        "title": entry.title,
        "description": entry.description,
        "datetime": entry.datetime,
        "views": entry.views,
        "vote": ctx.state.vote_of(who, f"item:{entry.id}"),
        "favorite": ctx.state.is_favorite(who, entry.id),
        "nsfw": entry.nsfw,
        "section": entry.section,
        "account_url": entry.author,
        "account_id": account_id_of(entry.author),
        "is_ad": False,
        "in_most_viral": entry.viral,
        "has_sound": False,
        "tags": [tag_json(ctx, name, who, total=totals.get(name, 0)) for name in entry.tags],
        "ad_type": 0,
        "ad_url": "",
        "edited": "0",
        "in_gallery": True,
        "topic": entry.topic,
        "topic_id": 1 + sum(map(ord, entry.topic)) % 30,
        "comment_count": comments,
        "favorite_count": entry.ups // 3,
        "ups": entry.ups,
        "downs": entry.downs,
        "points": entry.points,
        "score": entry.score,
        "is_album": entry.is_album,
    }


# -- comments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentView:
    """A comment, seeded or written in the sandbox, with the votes users gave it."""

    id: int
    item_id: str
    author: str
    text: str
    datetime: int
    ups: int
    downs: int
    parent_id: int
    on_album: bool
    deleted: bool


def _view(ctx: Context, comment: SeedComment | Comment) -> CommentView:
    ups, downs = ctx.state.vote_counts(f"comment:{comment.id}")
    if isinstance(comment, SeedComment):
        return CommentView(
            comment.id, comment.item_id, comment.author, comment.text, comment.datetime,
            comment.ups + ups, comment.downs + downs, comment.parent_id, False, False,
        )  # fmt: skip
    return CommentView(
        comment.id, comment.item_id, comment.author, "[deleted]" if comment.deleted else comment.text,
        comment.datetime, ups, downs, comment.parent_id, comment.on_album, comment.deleted,
    )  # fmt: skip


def comments_of(ctx: Context, item_id: str) -> list[CommentView]:
    """Every comment on an item (seeded and written here), oldest first."""
    seeded = gallery(ctx.state.seed).comments_of.get(item_id, ())
    return [_view(ctx, c) for c in seeded] + [_view(ctx, c) for c in ctx.state.comments_on(item_id)]


def comment(ctx: Context, number: int) -> Optional[CommentView]:
    """One comment by its number, or None."""
    seeded = gallery(ctx.state.seed).comment_by_id.get(number)
    if seeded is not None:
        return _view(ctx, seeded)
    written = ctx.state.comment(number)
    return _view(ctx, written) if written is not None else None


def comment_json(ctx: Context, view: CommentView, who: Optional[str], *, children: list[dict]) -> dict:
    """The Comment model (``children`` are replies, already as models)."""
    album_cover = None
    found = entry(ctx, view.item_id)
    if found is not None and found.is_album:
        album_cover = found.pictures[0].id
    return {
        "id": view.id,
        "image_id": view.item_id,
        "comment": view.text,
        "author": view.author,
        "author_id": account_id_of(view.author),
        "on_album": album_cover is not None,
        "album_cover": album_cover,
        "ups": view.ups,
        "downs": view.downs,
        "points": view.ups - view.downs,
        "datetime": view.datetime,
        "parent_id": view.parent_id,
        "deleted": view.deleted,
        "vote": ctx.state.vote_of(who, f"comment:{view.id}"),
        "platform": "api",
        "has_admin_badge": False,
        "children": children,
    }


def comment_tree(ctx: Context, views: list[CommentView], who: Optional[str], parent: int = 0) -> list[dict]:
    """The comments under ``parent`` with their replies nested, as Comment models."""
    return [
        comment_json(ctx, view, who, children=comment_tree(ctx, views, who, view.id))
        for view in views
        if view.parent_id == parent
    ]


def sort_comments(views: list[CommentView], sort: str) -> list[CommentView]:
    """best/top (points), new/newest (time), oldest, worst: as the comment requests name them."""
    keys = {
        "best": lambda c: (-(c.ups - c.downs), c.id),
        "top": lambda c: (-(c.ups - c.downs), c.id),
        "worst": lambda c: (c.ups - c.downs, c.id),
        "new": lambda c: (-c.datetime, -c.id),
        "newest": lambda c: (-c.datetime, -c.id),
        "oldest": lambda c: (c.datetime, c.id),
    }
    return sorted(views, key=keys.get(sort, keys["best"]))
