"""The records the sandbox keeps: applications, tokens, grants, images, albums.

They are plain dataclasses so the state file can be written with ``asdict``
and read back with ``cls(**fields)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional

from .ids import mask

#: The one user who is always signed in to the sandbox's pages.
USERNAME = "sandbox-user"
#: That user's numeric account id (live ids are integers).
ACCOUNT_ID = 84251317

AUTH_TYPES = ("callback", "no-callback", "anonymous")


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
    image_ids: list = field(default_factory=list)
    views: int = 0


def to_plain(record: Any) -> dict:
    """A record as a JSON-ready dict."""
    return asdict(record)


def from_plain(cls: type, data: dict) -> Any:
    """Rebuild a record, ignoring keys a newer or older sandbox wrote."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
