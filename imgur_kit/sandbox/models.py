"""The records the sandbox keeps: applications, tokens, grants, images, albums.

They are plain dataclasses so the state file can be written with ``asdict``
and read back with ``cls(**fields)``.
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional, Union, get_args, get_origin, get_type_hints

from .ids import mask

#: The one user who is always signed in to the sandbox's pages.
USERNAME = "sandbox-user"
#: That user's numeric account id (live ids are integers).
ACCOUNT_ID = 84251317

AUTH_TYPES = ("callback", "no-callback", "anonymous")


def unsafe_registration_fields(
    *, name: str, callback_url: str, email: str = "", website: str = "", description: str = ""
) -> Optional[str]:
    """The sentence that refuses a registration whose fields cannot be kept safely, or None.

    The callback URL is later sent in a ``Location`` header, and a line break there
    would end that header and start one of the sender's choosing; the other one-line
    fields are refused likewise. The description may have several lines.
    """
    one_line = {
        "Application name": name,
        "Authorization callback URL": callback_url,
        "Email": email,
        "Website": website,
    }
    for label, value in one_line.items():
        if has_control_characters(value):
            return f"ERROR: {label} holds a line break or another control character; type it on one line."
    if any(has_control_characters(line) for line in description.replace("\r\n", "\n").split("\n")):
        return "ERROR: Description holds a control character."
    return None


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control character (line breaks included) or a line separator."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in text)


@dataclass(frozen=True)
class App:
    """A registered application, as the addclient form issues it.

    ``client_id`` is 15 lowercase hex characters and ``client_secret`` 40 hex
    characters. The repr masks the secret.
    """

    name: str
    auth_type: str
    callback_url: str
    client_id: str
    client_secret: str
    email: str = ""
    description: str = ""
    website: str = ""
    owner: str = USERNAME

    def __repr__(self) -> str:
        return (
            f"App(name={self.name!r}, auth_type={self.auth_type!r}, "
            f"callback_url={self.callback_url!r}, client_id={self.client_id!r}, "
            f"client_secret={mask(self.client_secret)!r})"
        )


@dataclass
class AccessToken:
    """An issued access token and whom it speaks for."""

    token: str
    client_id: str
    username: str
    expires_at: float
    refresh_token: str


@dataclass
class RefreshToken:
    """A refresh token; it does not expire but can be revoked."""

    token: str
    client_id: str
    username: str


@dataclass
class Grant:
    """A one-time authorization code or PIN waiting to be exchanged."""

    value: str
    kind: str  # "code" or "pin"
    client_id: str
    username: str


@dataclass
class Image:
    """An uploaded image; the bytes are kept apart (memory or a file)."""

    id: str
    deletehash: str
    client_id: str
    owner: Optional[str]
    type: str
    width: int
    height: int
    size: int
    animated: bool
    datetime: int
    title: Optional[str] = None
    description: Optional[str] = None
    name: Optional[str] = None
    views: int = 0


@dataclass
class Album:
    """An album: an ordered list of image ids."""

    id: str
    deletehash: str
    client_id: str
    owner: Optional[str]
    datetime: int
    title: Optional[str] = None
    description: Optional[str] = None
    privacy: str = "hidden"
    cover: Optional[str] = None
    image_ids: list[str] = field(default_factory=list)
    views: int = 0


@dataclass
class Comment:
    """A comment someone wrote in the sandbox (seeded comments are made from the seed instead)."""

    id: int
    item_id: str
    author: str
    text: str
    datetime: int
    parent_id: int = 0
    on_album: bool = False
    deleted: bool = False


@dataclass
class Vote:
    """One user's vote on a gallery item (``item:ID``) or a comment (``comment:N``)."""

    username: str
    target: str
    vote: str  # "up" or "down"


@dataclass
class Favorite:
    """An image or album a user favorited."""

    username: str
    kind: str  # "image" or "album"
    id: str
    datetime: int


@dataclass
class Submission:
    """An image or album its owner shared with the gallery."""

    id: str
    is_album: bool
    owner: str
    title: str
    topic: str
    mature: bool
    tags: list[str]
    datetime: int


@dataclass
class ItemTags:
    """The tags of a gallery item, as a user last set them."""

    item_id: str
    tags: list[str]


@dataclass
class Follow:
    """A tag a user follows."""

    username: str
    tag: str


@dataclass
class Report:
    """A report of a comment or gallery item, with its reason (1 to 5)."""

    username: str
    target: str
    reason: int
    datetime: int


@dataclass
class Notification:
    """A reply to one of a user's comments."""

    id: int
    username: str
    comment_id: int
    viewed: bool = False


def to_plain(record: Any) -> dict:
    """A record as a JSON-ready dict."""
    return asdict(record)


def from_plain(cls: type, data: Any) -> Any:
    """Rebuild a record, ignoring keys a newer or older sandbox wrote.

    Raises ``TypeError`` when ``data`` is not an object, lacks a field, or holds
    a value of the wrong type (a damaged state file), so the caller can set it aside.
    """
    if not isinstance(data, dict):
        raise TypeError(f"a {cls.__name__} record is not an object")
    hints = get_type_hints(cls)
    kept = {}
    for item in fields(cls):
        if item.name in data:
            value = data[item.name]
            if not _fits(value, hints[item.name]):
                raise TypeError(f"{cls.__name__}.{item.name} has the wrong type")
            kept[item.name] = value
    return cls(**kept)


def _fits(value: Any, hint: Any) -> bool:
    allowed = get_args(hint) if get_origin(hint) is Union else (hint,)  # Optional[X] = Union[X, None]
    for kind in allowed:
        if get_origin(kind) is list:  # List[str]: a list of text
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if kind is type(None) and value is None:
            return True
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if kind is int and isinstance(value, bool):
            continue
        if isinstance(kind, type) and kind is not type(None) and isinstance(value, kind):
            return True
    return False


#: Album privacy values, as the docs name them.
ALBUM_PRIVACY = ("public", "hidden", "secret")


@dataclass
class Account:
    """What a user changed about their account: bio, settings, a verified email.

    A user who never changed anything has no record; :func:`default_account` stands in.
    """

    username: str
    bio: Optional[str] = None
    email: str = ""
    public_images: bool = False
    album_privacy: str = "hidden"
    high_quality: bool = False
    accepted_gallery_terms: bool = False
    messaging_enabled: bool = True
    show_mature: bool = False
    newsletter_subscribed: bool = False
    email_verified: bool = False
    avatar_name: str = "default/S"


def account_id_of(username: str) -> int:
    """The numeric id of an account: the sandbox user's fixed one, others' derived from the name."""
    if username == USERNAME:
        return ACCOUNT_ID
    return 10_000_000 + zlib.crc32(username.encode("utf-8")) % 90_000_000


def default_account(username: str) -> Account:
    """The account of a user who has changed nothing yet."""
    # Live default avatars are named after the user's first letter ("default/G" for ghostinspector).
    return Account(username=username, email=f"{username}@example.com", avatar_name=f"default/{username[:1].upper()}")


#: When the sandbox user "signed up": 2020-01-01.
ACCOUNT_CREATED = 1577836800


def account_json(account: Account, base_url: str) -> dict:
    """The Account model (the account base), as GET /3/account/{username} answers."""
    return {
        "id": account_id_of(account.username),
        "url": account.username,
        "bio": account.bio,
        "avatar": f"{base_url}/user/{account.username}/avatar?maxwidth=290",
        "avatar_name": account.avatar_name,
        "cover": f"{base_url}/user/{account.username}/cover?maxwidth=2560",
        "cover_name": "default/1-space",
        "reputation": 0,
        "reputation_name": "Neutral",
        "created": ACCOUNT_CREATED,
        "pro_expiration": False,
        "user_follow": {"status": False},
        "is_blocked": False,
    }


def settings_json(account: Account, base_url: str) -> dict:
    """The Account Settings model: only its owner ever sees it."""
    return {
        "account_url": account.username,
        "email": account.email,
        "public_images": account.public_images,
        "album_privacy": account.album_privacy,
        "high_quality": account.high_quality,
        "pro_expiration": False,
        "accepted_gallery_terms": account.accepted_gallery_terms,
        "active_emails": [],
        "messaging_enabled": account.messaging_enabled,
        "comment_replies": True,  # in a 2016 capture of this answer, not in the docs' model
        "blocked_users": [],
        "show_mature": account.show_mature,
        "newsletter_subscribed": account.newsletter_subscribed,
        "first_party": True,
    }


#: The avatars every account may choose from (name, as the live service names its defaults).
AVATAR_NAMES = ("default/S", "default/A", "default/N", "default/D", "default/B", "default/O", "default/X")


def available_avatars_json(username: str, base_url: str) -> dict:
    """What GET /3/account/{username}/available_avatars answers."""
    avatars = [{"name": name, "location": f"{base_url}/user/{username}/avatar?name={name}"} for name in AVATAR_NAMES]
    return {"available_avatars": avatars, "count": len(avatars)}


def avatar_json(account: Account, base_url: str) -> dict:
    """What GET /3/account/{username}/avatar answers: the avatar and its name."""
    # A 2018 capture of this request shows maxwidth=155 (the account base uses 290).
    return {"avatar": f"{base_url}/user/{account.username}/avatar?maxwidth=155", "avatar_name": account.avatar_name}
