"""The records the sandbox keeps: applications, tokens, grants, images, albums.

They are plain dataclasses so the state file can be written with ``asdict``
and read back with ``cls(**fields)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional, Union, get_args, get_origin, get_type_hints

from .ids import mask

#: The one user who is always signed in to the sandbox's pages.
USERNAME = "sandbox-user"
#: That user's numeric account id (live ids are integers).
ACCOUNT_ID = 84251317

AUTH_TYPES = ("callback", "no-callback", "anonymous")


def registration_problem(
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
