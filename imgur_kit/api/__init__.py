"""The whole Imgur API from Python: requests grouped as the docs group them, answers as typed models.

``client.api.gallery.section("hot")`` and its siblings are in :mod:`.groups`; the models
(``GalleryItem``, ``Comment``, ``Tag``...) in :mod:`.models`. Anything not covered has one
documented way: ``client.request("GET", "/3/...")``.
"""

from imgur_kit.api.groups import AccountApi, AlbumApi, Api, CommentApi, GalleryApi, ImageApi
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

__all__ = [
    "Account",
    "AccountApi",
    "AccountSettings",
    "Album",
    "AlbumApi",
    "Api",
    "Comment",
    "CommentApi",
    "GalleryApi",
    "GalleryItem",
    "Image",
    "ImageApi",
    "Notification",
    "Tag",
    "TagVote",
    "Votes",
]
