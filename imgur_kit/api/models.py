"""Typed results: Imgur's data models as dataclasses a reader and an editor can follow.

Each model has the fields of Imgur's "Data Models" documentation that a script uses
(``image.link``, ``item.points``, ``comment.children``), built by :meth:`from_json` from an
answer's ``data``; the whole answer stays at hand as ``raw`` (every field, including those
the documentation does not list). Unknown or missing fields never fail: a missing one is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Optional, TypeVar

__all__ = [
    "Account",
    "AccountSettings",
    "Album",
    "Comment",
    "GalleryItem",
    "Image",
    "Model",
    "Notification",
    "Tag",
    "TagVote",
    "Votes",
]

M = TypeVar("M", bound="Model")


@dataclass(frozen=True)
class Model:
    """The shared part: ``raw`` is the answer's ``data`` as Imgur sent it."""

    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls: type[M], data: Any) -> M:
        """The model of ``data`` (a dict from an answer); fields it lacks are None."""
        source = data if isinstance(data, Mapping) else {}
        values = {f.name: _convert(f.name, source.get(f.name)) for f in fields(cls) if f.name != "raw"}
        return cls(raw=dict(source), **values)


def _convert(name: str, value: Any) -> Any:
    # Nested models: comments' replies, albums' images, items' tags.
    if name == "children" and isinstance(value, list):
        return [Comment.from_json(v) for v in value]
    if name == "images" and isinstance(value, list):
        return [Image.from_json(v) for v in value]
    if name == "tags" and isinstance(value, list):
        return [Tag.from_json(v) if isinstance(v, Mapping) else Tag.from_json({"name": v}) for v in value]
    if name == "content" and isinstance(value, Mapping):
        return Comment.from_json(value)
    if name == "items" and isinstance(value, list):
        return [GalleryItem.from_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Image(Model):
    """An image (``deletehash`` only for its owner)."""

    id: Optional[str] = None
    title: Optional[str] = None
    description: Optional[str] = None
    datetime: Optional[int] = None
    type: Optional[str] = None
    animated: Optional[bool] = None
    width: Optional[int] = None
    height: Optional[int] = None
    size: Optional[int] = None
    views: Optional[int] = None
    link: Optional[str] = None
    deletehash: Optional[str] = None
    account_url: Optional[str] = None
    favorite: Optional[bool] = None
    nsfw: Optional[bool] = None
    in_gallery: Optional[bool] = None


@dataclass(frozen=True)
class Album(Model):
    """An album with its images (``deletehash`` only for its owner)."""

    id: Optional[str] = None
    title: Optional[str] = None
    description: Optional[str] = None
    datetime: Optional[int] = None
    cover: Optional[str] = None
    account_url: Optional[str] = None
    privacy: Optional[str] = None
    views: Optional[int] = None
    link: Optional[str] = None
    deletehash: Optional[str] = None
    images_count: Optional[int] = None
    images: Optional[list[Image]] = None


@dataclass(frozen=True)
class Tag(Model):
    """A tag: its name, followers, how many items carry it; ``items`` in a tag's gallery."""

    name: Optional[str] = None
    display_name: Optional[str] = None
    followers: Optional[int] = None
    total_items: Optional[int] = None
    following: Optional[bool] = None
    description: Optional[str] = None
    items: Optional[list[GalleryItem]] = None


@dataclass(frozen=True)
class GalleryItem(Model):
    """A post of the gallery: a Gallery Image or a Gallery Album (``is_album`` says which)."""

    id: Optional[str] = None
    title: Optional[str] = None
    description: Optional[str] = None
    datetime: Optional[int] = None
    is_album: Optional[bool] = None
    link: Optional[str] = None
    account_url: Optional[str] = None
    ups: Optional[int] = None
    downs: Optional[int] = None
    points: Optional[int] = None
    score: Optional[int] = None
    views: Optional[int] = None
    comment_count: Optional[int] = None
    vote: Optional[str] = None
    favorite: Optional[bool] = None
    nsfw: Optional[bool] = None
    section: Optional[str] = None
    topic: Optional[str] = None
    cover: Optional[str] = None
    images_count: Optional[int] = None
    images: Optional[list[Image]] = None
    tags: Optional[list[Tag]] = None

    @property
    def picture_link(self) -> Optional[str]:
        """A link to a picture of it: the image itself, or an album's cover."""
        if not self.is_album:
            return self.link
        if self.images:
            return self.images[0].link
        if self.cover and self.link:
            return self.link.split("/a/", 1)[0] + f"/i/{self.cover}.png"
        return None


@dataclass(frozen=True)
class Comment(Model):
    """A comment with its replies (``children``)."""

    id: Optional[int] = None
    image_id: Optional[str] = None
    comment: Optional[str] = None
    author: Optional[str] = None
    ups: Optional[int] = None
    downs: Optional[int] = None
    points: Optional[int] = None
    datetime: Optional[int] = None
    parent_id: Optional[int] = None
    deleted: Optional[bool] = None
    vote: Optional[str] = None
    children: Optional[list[Comment]] = None


@dataclass(frozen=True)
class Account(Model):
    """An account's public face."""

    id: Optional[int] = None
    url: Optional[str] = None
    bio: Optional[str] = None
    avatar: Optional[str] = None
    reputation: Optional[float] = None
    reputation_name: Optional[str] = None
    created: Optional[int] = None


@dataclass(frozen=True)
class AccountSettings(Model):
    """What only the account's owner sees and may change."""

    account_url: Optional[str] = None
    email: Optional[str] = None
    public_images: Optional[bool] = None
    album_privacy: Optional[str] = None
    accepted_gallery_terms: Optional[bool] = None
    messaging_enabled: Optional[bool] = None
    show_mature: Optional[bool] = None


@dataclass(frozen=True)
class TagVote(Model):
    """A tag on a gallery item, with the votes it got."""

    name: Optional[str] = None
    ups: Optional[int] = None
    downs: Optional[int] = None
    author: Optional[str] = None


@dataclass(frozen=True)
class Votes(Model):
    """The ups and downs of a gallery item (Imgur's Vote model)."""

    ups: Optional[int] = None
    downs: Optional[int] = None


@dataclass(frozen=True)
class Notification(Model):
    """A reply to one of your comments; ``content`` is the reply."""

    id: Optional[int] = None
    viewed: Optional[bool] = None
    content: Optional[Comment] = None
