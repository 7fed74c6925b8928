"""Everything the sandbox remembers, behind one lock.

The HTTP handlers run on many threads at once; each method here takes the
lock for the whole read-modify-write, and saves to the store (when there is
one) before letting go, so a restart sees exactly what clients were told.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Dict, List, Optional, Tuple

from . import ids
from .models import (AccessToken, Album, App, Grant, Image, RefreshToken,
                     from_plain, to_plain)
from .persistence import Store

DEFAULT_APP_NAME = "sandbox-demo"
DEFAULT_CALLBACK = "http://localhost:8765/callback"


class State:
    """Apps, tokens, grants, images and albums of one sandbox."""

    def __init__(self, store: Optional[Store] = None, *, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self._store = store
        self._clock = clock
        self.apps: Dict[str, App] = {}
        self.default_client_id: Optional[str] = None
        self.access: Dict[str, AccessToken] = {}
        self.refresh: Dict[str, RefreshToken] = {}
        self.grants: Dict[str, Grant] = {}
        self.images: Dict[str, Image] = {}
        self.albums: Dict[str, Album] = {}
        self._blobs: Dict[str, bytes] = {}

    # -- lifecycle ---------------------------------------------------------

    def load(self) -> None:
        """Read the saved state (if any) and make sure the default app exists."""
        with self.lock:
            data = self._store.load() if self._store else None
            if data:
                self.apps = {d["client_id"]: from_plain(App, d) for d in data.get("apps", [])}
                self.default_client_id = data.get("default_client_id")
                self.access = {d["token"]: from_plain(AccessToken, d) for d in data.get("access", [])}
                self.refresh = {d["token"]: from_plain(RefreshToken, d) for d in data.get("refresh", [])}
                self.grants = {d["value"]: from_plain(Grant, d) for d in data.get("grants", [])}
                self.images = {d["id"]: from_plain(Image, d) for d in data.get("images", [])}
                self.albums = {d["id"]: from_plain(Album, d) for d in data.get("albums", [])}
            if self.default_client_id not in self.apps:
                app = self.register(DEFAULT_APP_NAME, "callback", DEFAULT_CALLBACK,
                                    email="you@example.com",
                                    description="Pre-registered application of the sandbox")
                self.default_client_id = app.client_id
                self._save()

    def _save(self) -> None:
        if self._store is None:
            return
        self._store.save({
            "version": 1,
            "default_client_id": self.default_client_id,
            "apps": [to_plain(a) for a in self.apps.values()],
            "access": [to_plain(t) for t in self.access.values()],
            "refresh": [to_plain(t) for t in self.refresh.values()],
            "grants": [to_plain(g) for g in self.grants.values()],
            "images": [to_plain(i) for i in self.images.values()],
            "albums": [to_plain(a) for a in self.albums.values()],
        })

    def now(self) -> float:
        """The sandbox's clock (seconds since the epoch)."""
        return self._clock()

    # -- applications ------------------------------------------------------

    def register(self, name: str, auth_type: str, callback_url: str, *, email: str = "",
                 description: str = "", website: str = "") -> App:
        """Issue a new Client ID and secret for an application."""
        with self.lock:
            client_id = ids.client_id()
            while client_id in self.apps:
                client_id = ids.client_id()
            app = App(name=name, auth_type=auth_type, callback_url=callback_url,
                      client_id=client_id, client_secret=ids.hex40(), email=email,
                      description=description, website=website)
            self.apps[client_id] = app
            self._save()
            return app

    def app(self, client_id: Optional[str]) -> Optional[App]:
        """The app with this Client ID, or None."""
        with self.lock:
            return self.apps.get(client_id or "")

    @property
    def default_app(self) -> App:
        """The pre-registered application."""
        with self.lock:
            return self.apps[self.default_client_id]

    # -- tokens and grants -------------------------------------------------

    def issue_tokens(self, client_id: str, username: str, lifetime: int) -> AccessToken:
        """A fresh access token with a fresh refresh token."""
        with self.lock:
            refresh = RefreshToken(ids.hex40(), client_id, username)
            self.refresh[refresh.token] = refresh
            access = AccessToken(ids.hex40(), client_id, username, self.now() + lifetime, refresh.token)
            self.access[access.token] = access
            self._save()
            return access

    def refresh_access(self, client_id: str, refresh_token: str, lifetime: int) -> Tuple[Optional[AccessToken], str]:
        """(new access token, "") for a valid refresh token of this client, else (None, why).

        ``why`` is "unknown" or "other-client". The refresh token itself stays
        the same, as the live service often does.
        """
        with self.lock:
            record = self.refresh.get(refresh_token)
            if record is None:
                return None, "unknown"
            if record.client_id != client_id:
                return None, "other-client"
            access = AccessToken(ids.hex40(), client_id, record.username, self.now() + lifetime, record.token)
            self.access[access.token] = access
            self._save()
            return access, ""

    def valid_access(self, token: str) -> Optional[AccessToken]:
        """The access token record if it is known and not expired."""
        with self.lock:
            record = self.access.get(token)
            if record is None or record.expires_at <= self.now():
                return None
            return record

    def expire(self, token: str) -> None:
        """Make an access token expired, as if its lifetime had run out."""
        with self.lock:
            record = self.access.get(token)
            if record is None:
                raise KeyError("The sandbox never issued this access token.")
            record.expires_at = self.now() - 1
            self._save()

    def revoke(self, client_id: Optional[str] = None) -> int:
        """Forget the access and refresh tokens of one client (or all); how many went."""
        with self.lock:
            def keep(record) -> bool:
                return client_id is not None and record.client_id != client_id

            before = len(self.access) + len(self.refresh)
            self.access = {k: v for k, v in self.access.items() if keep(v)}
            self.refresh = {k: v for k, v in self.refresh.items() if keep(v)}
            self._save()
            return before - len(self.access) - len(self.refresh)

    def new_grant(self, kind: str, client_id: str, username: str) -> str:
        """A one-time code (40 hex) or PIN (10 hex)."""
        with self.lock:
            value = ids.hex40() if kind == "code" else ids.pin()
            self.grants[value] = Grant(value, kind, client_id, username)
            self._save()
            return value

    def take_grant(self, kind: str, value: str, client_id: str) -> Optional[Grant]:
        """Use up a code or PIN issued to this client; None when unknown or used."""
        with self.lock:
            grant = self.grants.get(value)
            if grant is None or grant.kind != kind or grant.client_id != client_id:
                return None
            del self.grants[value]
            self._save()
            return grant

    # -- images ------------------------------------------------------------

    def add_image(self, content: bytes, **fields) -> Image:
        """Keep an uploaded image and its bytes."""
        with self.lock:
            image_id = self._fresh_id()
            image = Image(id=image_id, deletehash=ids.deletehash(), datetime=int(self.now()),
                          size=len(content), **fields)
            if self._store is not None:
                self._store.write_blob(image_id, content)
            else:
                self._blobs[image_id] = content
            self.images[image_id] = image
            self._save()
            return image

    def find_image(self, id_or_deletehash: str) -> Tuple[Optional[Image], bool]:
        """(image, found_by_deletehash) for an id or a deletehash."""
        with self.lock:
            if id_or_deletehash in self.images:
                return self.images[id_or_deletehash], False
            for image in self.images.values():
                if image.deletehash == id_or_deletehash:
                    return image, True
            return None, False

    def image_bytes(self, image_id: str, *, count_view: bool = True) -> Optional[bytes]:
        """The bytes of an image (and count a view, as serving it does live)."""
        with self.lock:
            image = self.images.get(image_id)
            if image is None:
                return None
            content = self._store.read_blob(image_id) if self._store else self._blobs.get(image_id)
            if content is not None and count_view:
                image.views += 1
            return content

    def delete_image(self, image_id: str) -> None:
        """Remove an image, its bytes, and its place in albums."""
        with self.lock:
            self.images.pop(image_id, None)
            self._blobs.pop(image_id, None)
            if self._store is not None:
                self._store.delete_blob(image_id)
            for album in self.albums.values():
                if image_id in album.image_ids:
                    album.image_ids.remove(image_id)
                if album.cover == image_id:
                    album.cover = album.image_ids[0] if album.image_ids else None
            self._save()

    def images_of(self, username: str) -> List[Image]:
        """A user's images, newest first."""
        with self.lock:
            mine = [i for i in self.images.values() if i.owner == username]
            return sorted(mine, key=lambda i: i.datetime, reverse=True)

    # -- albums ------------------------------------------------------------

    def add_album(self, image_ids: List[str], **fields) -> Album:
        """Make an album of existing images."""
        with self.lock:
            album = Album(id=self._fresh_id(), deletehash=ids.deletehash(),
                          datetime=int(self.now()), image_ids=list(image_ids), **fields)
            if album.cover not in album.image_ids:
                album.cover = album.image_ids[0] if album.image_ids else None
            self.albums[album.id] = album
            self._save()
            return album

    def find_album(self, id_or_deletehash: str) -> Tuple[Optional[Album], bool]:
        """(album, found_by_deletehash) for an id or a deletehash."""
        with self.lock:
            if id_or_deletehash in self.albums:
                return self.albums[id_or_deletehash], False
            for album in self.albums.values():
                if album.deletehash == id_or_deletehash:
                    return album, True
            return None, False

    def add_to_album(self, album: Album, image_id: str) -> None:
        """Append an image to an album."""
        with self.lock:
            if image_id not in album.image_ids:
                album.image_ids.append(image_id)
            if album.cover is None:
                album.cover = image_id
            self._save()

    def delete_album(self, album_id: str) -> None:
        """Remove an album (its images stay)."""
        with self.lock:
            self.albums.pop(album_id, None)
            self._save()

    def _fresh_id(self) -> str:
        # Images and albums share one id space, as on imgur.com.
        while True:
            candidate = ids.short_id()
            if candidate not in self.images and candidate not in self.albums:
                return candidate
