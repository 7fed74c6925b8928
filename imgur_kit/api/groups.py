"""The API's requests grouped as Imgur's documentation groups them: account, comment, album, gallery, image.

Each method is one line over :meth:`ImgurClient.request <imgur_kit.client.ImgurClient.request>`
(so auth, refresh, deadline, retries, typed errors and the rate-limit meter all apply) and
returns a model of :mod:`.models`. Reach them through ``client.api``::

    hot = client.api.gallery.section("hot")          # list[GalleryItem]
    client.api.gallery.vote(hot[0].id, "up")          # needs a signed-in user
    client.api.comment.create(hot[0].id, "Lovely!")   # the new comment's number
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional, Protocol
from urllib.parse import quote

from imgur_kit.api.models import (
    Account,
    AccountSettings,
    Album,
    Comment,
    GalleryItem,
    Image,
    Notification,
    Tag,
    TagVote,
    Votes,
)
from imgur_kit.errors import ImgurError

__all__ = ["AccountApi", "AlbumApi", "Api", "CommentApi", "GalleryApi", "ImageApi", "Requester"]

VOTES = ("up", "down", "veto")


class Requester(Protocol):
    """What the groups need: one way to make any request (the client's :meth:`request`)."""

    def request(
        self, method: str, path: str, *, params: Optional[dict] = None, data: Any = None, files: Optional[dict] = None
    ) -> Any:
        """Make one request of the API and return the answer's ``data``."""
        ...


def seg(value: Any, what: str = "id") -> str:
    """``value`` as one path segment (no "/" or "?" can lead the call elsewhere)."""
    text = str(value).strip()
    if not text:
        raise ImgurError(f"The {what} is empty: give the {what} of what you mean (such as 'a1B2c3D').")
    return quote(text, safe="")


def _vote(vote: str) -> str:
    if vote not in VOTES:
        raise ImgurError(f"A vote is 'up', 'down' or 'veto' (to take a vote back), not {vote!r}.")
    return vote


def _items(data: Any) -> list[GalleryItem]:
    return [GalleryItem.from_json(d) for d in data or []]


class _Group:
    def __init__(self, api: Requester) -> None:
        self._api = api


class AccountApi(_Group):
    """/3/account/...: an account, its settings, uploads, albums, comments, favorites, replies and tags."""

    def get(self, username: str = "me") -> Account:
        """An account's public face ("me" needs a token)."""
        return Account.from_json(self._api.request("GET", f"/3/account/{seg(username, 'username')}"))

    def settings(self) -> AccountSettings:
        """Your account settings (needs a token)."""
        return AccountSettings.from_json(self._api.request("GET", "/3/account/me/settings"))

    def change_settings(self, **changes: Any) -> bool:
        """Change settings, e.g. ``change_settings(bio="Hello", show_mature=False)`` (needs a token)."""
        form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in changes.items()}
        return bool(self._api.request("PUT", "/3/account/me/settings", data=form))

    def images(self, page: int = 0) -> list[Image]:
        """Your uploads, newest first (needs a token)."""
        return [Image.from_json(d) for d in self._api.request("GET", f"/3/account/me/images/{int(page)}")]

    def albums(self, username: str = "me", page: int = 0) -> list[Album]:
        """An account's albums (others see only public ones)."""
        data = self._api.request("GET", f"/3/account/{seg(username, 'username')}/albums/{int(page)}")
        return [Album.from_json(d) for d in data]

    def comments(self, username: str = "me", sort: str = "newest", page: int = 0) -> list[Comment]:
        """An account's comments (sort: best, worst, oldest, newest)."""
        path = f"/3/account/{seg(username, 'username')}/comments/{seg(sort, 'sort')}/{int(page)}"
        return [Comment.from_json(d) for d in self._api.request("GET", path)]

    def submissions(self, username: str = "me", page: int = 0) -> list[GalleryItem]:
        """What an account shared with the gallery, newest first."""
        return _items(self._api.request("GET", f"/3/account/{seg(username, 'username')}/submissions/{int(page)}"))

    def favorites(self, page: int = 0, sort: str = "newest") -> list[GalleryItem]:
        """Your favorites (needs a token; sort: newest, oldest)."""
        return _items(self._api.request("GET", f"/3/account/me/favorites/{int(page)}/{seg(sort, 'sort')}"))

    def gallery_favorites(self, username: str, page: int = 0, sort: str = "newest") -> list[GalleryItem]:
        """An account's public favorites in the gallery."""
        path = f"/3/account/{seg(username, 'username')}/gallery_favorites/{int(page)}/{seg(sort, 'sort')}"
        return _items(self._api.request("GET", path))

    def replies(self, *, new: bool = True) -> list[Notification]:
        """Replies to your comments (only unread ones unless ``new=False``; needs a token)."""
        data = self._api.request("GET", "/3/account/me/notifications/replies", params={"new": str(new).lower()})
        return [Notification.from_json(d) for d in data]

    def follow_tag(self, tag: str) -> bool:
        """Follow a tag (needs a token); True when you now follow it."""
        return bool(self._api.request("POST", f"/3/account/me/follow/tag/{seg(tag, 'tag')}").get("status"))

    def unfollow_tag(self, tag: str) -> bool:
        """Stop following a tag (needs a token); True when you no longer follow it."""
        return not self._api.request("DELETE", f"/3/account/me/follow/tag/{seg(tag, 'tag')}").get("status")


class CommentApi(_Group):
    """/3/comment/...: read, write, reply, vote, report, delete."""

    def get(self, comment_id: int) -> Comment:
        """One comment."""
        return Comment.from_json(self._api.request("GET", f"/3/comment/{int(comment_id)}"))

    def with_replies(self, comment_id: int) -> Comment:
        """A comment with its replies in ``children``."""
        return Comment.from_json(self._api.request("GET", f"/3/comment/{int(comment_id)}/replies"))

    def create(self, item_id: str, text: str, *, parent_id: Optional[int] = None) -> int:
        """Comment on a gallery item (or reply, with ``parent_id``); the new comment's number (needs a token)."""
        form = {"image_id": item_id, "comment": text, **({"parent_id": str(int(parent_id))} if parent_id else {})}
        return int(self._api.request("POST", "/3/comment", data=form)["id"])

    def reply(self, comment_id: int, item_id: str, text: str) -> int:
        """Reply to a comment; the reply's number (needs a token)."""
        data = {"image_id": item_id, "comment": text}
        return int(self._api.request("POST", f"/3/comment/{int(comment_id)}", data=data)["id"])

    def delete(self, comment_id: int) -> bool:
        """Delete your comment (needs a token)."""
        return bool(self._api.request("DELETE", f"/3/comment/{int(comment_id)}"))

    def vote(self, comment_id: int, vote: str) -> bool:
        """Vote on a comment: "up", "down" or "veto" (needs a token)."""
        return bool(self._api.request("POST", f"/3/comment/{int(comment_id)}/vote/{_vote(vote)}"))

    def report(self, comment_id: int, reason: int) -> bool:
        """Report a comment (reason 1-5, as Imgur numbers them; needs a token)."""
        return bool(self._api.request("POST", f"/3/comment/{int(comment_id)}/report", data={"reason": str(reason)}))


class AlbumApi(_Group):
    """/3/album/...: read, change, add and remove images, favorite, delete."""

    def get(self, album_id: str) -> Album:
        """An album with its images."""
        return Album.from_json(self._api.request("GET", f"/3/album/{seg(album_id)}"))

    def images(self, album_id: str) -> list[Image]:
        """An album's images."""
        return [Image.from_json(d) for d in self._api.request("GET", f"/3/album/{seg(album_id)}/images")]

    def update(self, id_or_deletehash: str, **changes: Any) -> bool:
        """Change title, description, privacy or cover (anonymous albums by deletehash)."""
        form = {k: str(v) for k, v in changes.items() if v is not None}
        return bool(self._api.request("PUT", f"/3/album/{seg(id_or_deletehash)}", data=form))

    def add(self, id_or_deletehash: str, image_ids: Iterable[str]) -> bool:
        """Add images to an album."""
        form = [("ids[]", str(i)) for i in image_ids]
        return bool(self._api.request("POST", f"/3/album/{seg(id_or_deletehash)}/add", data=form))

    def remove(self, id_or_deletehash: str, image_ids: Iterable[str]) -> bool:
        """Take images out of an album (they stay uploaded)."""
        form = [("ids[]", str(i)) for i in image_ids]
        return bool(self._api.request("POST", f"/3/album/{seg(id_or_deletehash)}/remove_images", data=form))

    def delete(self, id_or_deletehash: str) -> bool:
        """Delete an album (its images stay)."""
        return bool(self._api.request("DELETE", f"/3/album/{seg(id_or_deletehash)}"))

    def favorite(self, album_id: str) -> bool:
        """Favorite an album, or take the favorite back; True when it is now a favorite (needs a token)."""
        return self._api.request("POST", f"/3/album/{seg(album_id)}/favorite") == "favorited"


class ImageApi(_Group):
    """/3/image/...: read, change, favorite, delete (uploading is ``client.upload``)."""

    def get(self, image_id: str) -> Image:
        """An image."""
        return Image.from_json(self._api.request("GET", f"/3/image/{seg(image_id)}"))

    def update(self, id_or_deletehash: str, *, title: Optional[str] = None, description: Optional[str] = None) -> bool:
        """Change the title and description (anonymous uploads by deletehash)."""
        form = {k: v for k, v in (("title", title), ("description", description)) if v is not None}
        return bool(self._api.request("POST", f"/3/image/{seg(id_or_deletehash)}", data=form))

    def delete(self, id_or_deletehash: str) -> bool:
        """Delete an image."""
        return bool(self._api.request("DELETE", f"/3/image/{seg(id_or_deletehash)}"))

    def favorite(self, image_id: str) -> bool:
        """Favorite an image, or take the favorite back; True when it is now a favorite (needs a token)."""
        return self._api.request("POST", f"/3/image/{seg(image_id)}/favorite") == "favorited"


class GalleryApi(_Group):
    """/3/gallery/... and /3/tags: browse, search, open, vote, comment, tag, share and take back."""

    def section(
        self,
        section: str = "hot",
        sort: str = "viral",
        window: str = "day",
        page: int = 0,
        *,
        show_viral: bool = True,
        mature: bool = False,
        album_previews: bool = False,
    ) -> list[GalleryItem]:
        """A page of the gallery: section hot, top or user; sort viral, top, time or rising; window for top."""
        path = f"/3/gallery/{seg(section, 'section')}/{seg(sort, 'sort')}/{seg(window, 'window')}/{int(page)}"
        params = {"showViral": show_viral, "mature": mature, "album_previews": album_previews}
        return _items(self._api.request("GET", path, params={k: str(v).lower() for k, v in params.items()}))

    def search(
        self, q: Optional[str] = None, *, sort: str = "time", window: str = "all", page: int = 0, **advanced: str
    ) -> list[GalleryItem]:
        """Search: ``q`` (words, OR, NOT, tag:, user:), or the advanced fields (q_all=, q_type="album", ...)."""
        params = {k: v for k, v in advanced.items() if k.startswith("q_") and v}
        if q:
            params["q"] = q
        path = f"/3/gallery/search/{seg(sort, 'sort')}/{seg(window, 'window')}/{int(page)}"
        return _items(self._api.request("GET", path, params=params))

    def item(self, item_id: str, *, album: bool = False) -> GalleryItem:
        """One gallery image (or album, with ``album=True``)."""
        kind = "album" if album else "image"
        return GalleryItem.from_json(self._api.request("GET", f"/3/gallery/{kind}/{seg(item_id)}"))

    def comments(self, item_id: str, sort: str = "best") -> list[Comment]:
        """An item's comments, replies nested (sort: best, top, new)."""
        data = self._api.request("GET", f"/3/gallery/{seg(item_id)}/comments/{seg(sort, 'sort')}")
        return [Comment.from_json(d) for d in data]

    def comment(self, item_id: str, text: str) -> int:
        """Comment on an item; the new comment's number (needs a token)."""
        return int(self._api.request("POST", f"/3/gallery/{seg(item_id)}/comment", data={"comment": text})["id"])

    def votes(self, item_id: str) -> Votes:
        """An item's ups and downs."""
        return Votes.from_json(self._api.request("GET", f"/3/gallery/{seg(item_id)}/votes"))

    def vote(self, item_id: str, vote: str) -> bool:
        """Vote on an item: "up", "down" or "veto" (needs a token)."""
        return bool(self._api.request("POST", f"/3/gallery/{seg(item_id)}/vote/{_vote(vote)}"))

    def tags(self) -> list[Tag]:
        """The default tags."""
        return [Tag.from_json(d) for d in self._api.request("GET", "/3/tags").get("tags", [])]

    def tag(self, name: str, sort: str = "viral", window: str = "week", page: int = 0) -> Tag:
        """A tag with a page of its ``items``."""
        path = f"/3/gallery/t/{seg(name, 'tag')}/{seg(sort, 'sort')}/{seg(window, 'window')}/{int(page)}"
        return Tag.from_json(self._api.request("GET", path))

    def tag_info(self, name: str) -> Tag:
        """One tag's metadata."""
        return Tag.from_json(self._api.request("GET", f"/3/gallery/tag_info/{seg(name, 'tag')}"))

    def item_tags(self, item_id: str) -> list[TagVote]:
        """An item's tags with their votes."""
        data = self._api.request("GET", f"/3/gallery/{seg(item_id)}/tags")
        return [TagVote.from_json(d) for d in data.get("tags", [])]

    def set_tags(self, item_id: str, tags: Iterable[str]) -> bool:
        """Replace an item's tags (needs a token)."""
        return bool(self._api.request("POST", f"/3/gallery/tags/{seg(item_id)}", data={"tags": ",".join(tags)}))

    def subreddit(self, name: str, sort: str = "time", window: str = "week", page: int = 0) -> list[GalleryItem]:
        """A subreddit's gallery."""
        path = f"/3/gallery/r/{seg(name, 'subreddit')}/{seg(sort, 'sort')}/{seg(window, 'window')}/{int(page)}"
        return _items(self._api.request("GET", path))

    def share(
        self,
        item_id: str,
        title: str,
        *,
        album: bool = False,
        topic: Optional[str] = None,
        mature: bool = False,
        tags: Iterable[str] = (),
    ) -> bool:
        """Share your image (or album) with the community; you accept the gallery terms (needs a token)."""
        form = {"title": title, "terms": "1", "mature": "1" if mature else "0", "tags": ",".join(tags)}
        if topic:
            form["topic"] = topic
        kind = "album" if album else "image"
        return bool(self._api.request("POST", f"/3/gallery/{kind}/{seg(item_id)}", data=form))

    def remove(self, item_id: str) -> bool:
        """Take your item out of the gallery (the upload itself stays; needs a token)."""
        return bool(self._api.request("DELETE", f"/3/gallery/{seg(item_id)}"))

    def report(self, item_id: str, reason: int) -> bool:
        """Report an item (reason 1-5; needs a token)."""
        data = {"reason": str(reason)}
        return bool(self._api.request("POST", f"/3/gallery/image/{seg(item_id)}/report", data=data))


class Api:
    """Every group, over one client: ``client.api.gallery``, ``.account``, ``.comment``, ``.album``, ``.image``."""

    def __init__(self, client: Requester) -> None:
        self.account = AccountApi(client)
        self.comment = CommentApi(client)
        self.album = AlbumApi(client)
        self.gallery = GalleryApi(client)
        self.image = ImageApi(client)
