"""Everything the sandbox remembers, behind one lock, reached only through these methods.

The HTTP handlers run on many threads at once; each method here holds the
lock for its whole read-modify-write. With a store, the lock also spans
processes (several sandboxes may share one state folder): a method first
catches up with what another sandbox saved, then saves its own change before
letting go, so a restart, or a second sandbox, sees exactly what clients were told.
Handlers go through these methods, never through the dictionaries themselves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Optional

from . import ids
from .blobs import Blobs, TemporaryFolder, temporary_folder_problem
from .media_state import MediaState
from .models import (
    USERNAME,
    AccessToken,
    Account,
    Album,
    App,
    Grant,
    Image,
    RefreshToken,
    account_id_of,
    default_account,
    from_plain,
    to_plain,
)
from .persistence import Store
from .social_state import SocialState

DEFAULT_APP_NAME = "sandbox-demo"
DEFAULT_CALLBACK = "http://localhost:8765/callback"


class State(MediaState, SocialState):
    """Apps, tokens, grants and accounts of one sandbox; images and albums (from MediaState), and what
    users do in its gallery (from SocialState)."""

    def __init__(
        self,
        store: Optional[Store] = None,
        *,
        clock: Callable[[], float] = time.time,
        demo_callback: Optional[str] = None,
    ) -> None:
        self._lock = threading.RLock()
        # The demo app's callback when one is asked for (a learner's own address on a hub);
        # None keeps the saved one, and gives a new demo app the kit's capture port.
        self._demo_callback = demo_callback
        self._store = store
        self._clock = clock
        self._depth = 0  # how many transactions this thread has open (the lock is re-entrant)
        self._dirty = False
        self._seen: Optional[bytes] = None  # the generation of the state file held in memory
        self._reset()
        # Pictures live in files, never in memory: in the state folder, or without one
        # in a private temporary folder that goes when the sandbox does.
        self._blobs = store.blobs if store is not None else Blobs(TemporaryFolder(), temporary_folder_problem)

    def _reset(self) -> None:
        self._apps: dict[str, App] = {}
        self._default_client_id: Optional[str] = None
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._grants: dict[str, Grant] = {}
        self._images: dict[str, Image] = {}
        self._albums: dict[str, Album] = {}
        self._accounts: dict[str, Account] = {}
        self._reset_social()

    # -- lifecycle ---------------------------------------------------------

    def load(self) -> None:
        """Read the saved state (if any) and make sure the default app exists."""
        with self._transaction():
            self._ensure_default_app()

    def _ensure_default_app(self) -> str:
        """The default app's Client ID, registering the app first if it is missing, and
        moving its callback to the one this sandbox was given, if any (as its settings page would)."""
        wanted = self._demo_callback
        if wanted is not None and self._default_client_id is not None and self._default_client_id in self._apps:
            app = self._apps[self._default_client_id]
            if app.callback_url != wanted:
                self._apps[app.client_id] = replace(app, callback_url=wanted)
                self._changed()
        if self._default_client_id is None or self._default_client_id not in self._apps:
            app = self.register(
                DEFAULT_APP_NAME,
                "callback",
                wanted or DEFAULT_CALLBACK,
                email="you@example.com",
                description="Pre-registered application of the sandbox",
            )
            self._default_client_id = app.client_id
            self._changed()
        return self._default_client_id

    @property
    def notices(self) -> list[str]:
        """Sentences about state files that were unreadable and set aside."""
        return list(self._store.notices) if self._store else []

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Hold the lock (and the folder's lock between processes) around one read-modify-write."""
        with self._lock:
            if self._store is None or self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            store = self._store
            self._depth += 1
            try:
                with store.locked():
                    self._catch_up(store)
                    yield
                    if self._dirty:
                        store.save(self._plain())
                        self._seen = store.generation()
            finally:
                self._depth -= 1
                self._dirty = False

    def _catch_up(self, store: Store) -> None:
        # Another sandbox on the same folder may have saved since we last looked.
        if store.generation() == self._seen:
            return
        data = store.load()
        if data is None:
            # No file (a first start, or removed by hand): what is in memory stands, and is saved.
            if self._apps:
                self._changed()
        else:
            try:
                self._apply(data)
            except (TypeError, KeyError, ValueError, AttributeError):
                store.set_aside("a record in it has the wrong shape")
                self._reset()
        self._seen = store.generation()
        self._ensure_default_app()

    def _apply(self, data: dict[str, Any]) -> None:
        def listed(key: str, cls: type) -> list:
            items = data.get(key, [])
            if not isinstance(items, list):
                raise TypeError(f"{key} is not a list")
            return [from_plain(cls, item) for item in items]

        def records(key: str, cls: type, name: str) -> dict[str, Any]:
            return {getattr(record, name): record for record in listed(key, cls)}

        default = data.get("default_client_id")
        if default is not None and not isinstance(default, str):
            raise TypeError("default_client_id is not text")
        fresh = (
            records("apps", App, "client_id"),
            records("access", AccessToken, "token"),
            records("refresh", RefreshToken, "token"),
            records("grants", Grant, "value"),
            records("images", Image, "id"),
            records("albums", Album, "id"),
        )
        accounts = records("accounts", Account, "username")
        social = self._read_social(data, listed)
        # Only once every record has been read: a damaged file changes nothing.
        self._apps, self._access, self._refresh, self._grants, self._images, self._albums = fresh
        self._accounts = accounts
        self._apply_social(social)
        self._default_client_id = default

    def _changed(self) -> None:
        """Mark the state as changed: the open transaction saves it before letting go."""
        self._dirty = True

    def _plain(self) -> dict[str, Any]:
        return {
            "version": 1,
            "default_client_id": self._default_client_id,
            "apps": [to_plain(a) for a in self._apps.values()],
            "access": [to_plain(t) for t in self._access.values()],
            "refresh": [to_plain(t) for t in self._refresh.values()],
            "grants": [to_plain(g) for g in self._grants.values()],
            "images": [to_plain(i) for i in self._images.values()],
            "albums": [to_plain(a) for a in self._albums.values()],
            "accounts": [to_plain(a) for a in self._accounts.values()],
            **self._plain_social(),
        }

    def now(self) -> float:
        """The sandbox's clock (seconds since the epoch)."""
        return self._clock()

    # -- applications ------------------------------------------------------

    def register(
        self, name: str, auth_type: str, callback_url: str, *, email: str = "", description: str = "", website: str = ""
    ) -> App:
        """Issue a new Client ID and secret for an application."""
        with self._transaction():
            client_id = ids.client_id()
            while client_id in self._apps:
                client_id = ids.client_id()
            app = App(
                name=name,
                auth_type=auth_type,
                callback_url=callback_url,
                client_id=client_id,
                client_secret=ids.hex40(),
                email=email,
                description=description,
                website=website,
            )
            self._apps[client_id] = app
            self._changed()
            return app

    def app(self, client_id: Optional[str]) -> Optional[App]:
        """The app with this Client ID, or None."""
        with self._transaction():
            return self._apps.get(client_id or "")

    def client_ids(self) -> list[str]:
        """The Client IDs of every registered application."""
        with self._transaction():
            return list(self._apps)

    @property
    def default_app(self) -> App:
        """The pre-registered application."""
        with self._transaction():
            return self._apps[self._ensure_default_app()]

    # -- tokens and grants -------------------------------------------------

    def issue_tokens(self, client_id: str, username: str, lifetime: int) -> AccessToken:
        """A fresh access token with a fresh refresh token."""
        with self._transaction():
            refresh = RefreshToken(ids.hex40(), client_id, username)
            self._refresh[refresh.token] = refresh
            access = AccessToken(ids.hex40(), client_id, username, self.now() + lifetime, refresh.token)
            self._access[access.token] = access
            self._changed()
            return access

    def refresh_access(
        self, client_id: str, refresh_token: str, lifetime: int, *, rotate: bool = False
    ) -> tuple[Optional[AccessToken], str]:
        """(new access token, "") for a valid refresh token of this client, else (None, why).

        ``why`` is "unknown" or "other-client". The refresh token itself stays
        the same, as the live service often does; with ``rotate`` it is replaced by a
        new one and stops working, as OAuth 2.1 requires of servers.
        """
        with self._transaction():
            record = self._refresh.get(refresh_token)
            if record is None:
                return None, "unknown"
            if record.client_id != client_id:
                return None, "other-client"
            if rotate:
                del self._refresh[record.token]
                record = RefreshToken(ids.hex40(), client_id, record.username)
                self._refresh[record.token] = record
            access = AccessToken(ids.hex40(), client_id, record.username, self.now() + lifetime, record.token)
            self._access[access.token] = access
            self._changed()
            return access, ""

    def valid_access(self, token: str) -> Optional[AccessToken]:
        """The access token record if it is known and not expired."""
        with self._transaction():
            record = self._access.get(token)
            if record is None or record.expires_at <= self.now():
                return None
            return record

    def expire(self, token: str) -> None:
        """Make an access token expired, as if its lifetime had run out."""
        with self._transaction():
            record = self._access.get(token)
            if record is None:
                raise KeyError("The sandbox never issued this access token.")
            record.expires_at = self.now() - 1
            self._changed()

    def revoke(self, client_id: Optional[str] = None) -> int:
        """Forget the access and refresh tokens of one client (or all); how many went."""
        with self._transaction():

            def keep(record) -> bool:
                return client_id is not None and record.client_id != client_id

            before = len(self._access) + len(self._refresh)
            self._access = {k: v for k, v in self._access.items() if keep(v)}
            self._refresh = {k: v for k, v in self._refresh.items() if keep(v)}
            self._changed()
            return before - len(self._access) - len(self._refresh)

    def new_grant(self, kind: str, client_id: str, username: str) -> str:
        """A one-time code (40 hex) or PIN (10 hex)."""
        with self._transaction():
            value = ids.hex40() if kind == "code" else ids.pin()
            self._grants[value] = Grant(value, kind, client_id, username)
            self._changed()
            return value

    def take_grant(self, kind: str, value: str, client_id: str) -> Optional[Grant]:
        """Use up a code or PIN issued to this client; None when unknown or used."""
        with self._transaction():
            grant = self._grants.get(value)
            if grant is None or grant.kind != kind or grant.client_id != client_id:
                return None
            del self._grants[value]
            self._changed()
            return grant

    # -- accounts ----------------------------------------------------------

    def account(self, username: str) -> Optional[Account]:
        """The account of this name (any case), or None when no such user exists.

        The sandbox user always exists; so does anyone who owns an image or an album.
        """
        with self._transaction():
            wanted = username.lower()
            for name, record in self._accounts.items():
                if name.lower() == wanted:
                    return record
            owners = {USERNAME} | {i.owner for i in self._images.values() if i.owner}
            owners |= {a.owner for a in self._albums.values() if a.owner}
            for name in owners:
                if name.lower() == wanted:
                    return default_account(name)
            return None

    def update_account(self, username: str, changes: dict[str, Any]) -> Account:
        """Change an account's bio or settings (the record is made on its first change)."""
        with self._transaction():
            record = self._accounts.get(username) or default_account(username)
            for name, value in changes.items():
                if name == "username" or not hasattr(record, name):
                    raise KeyError(f"An account has no setting {name!r}.")
                setattr(record, name, value)
            self._accounts[username] = record
            self._changed()
            return record

    def account_by_id(self, number: str) -> Optional[Account]:
        """The account whose numeric id is ``number`` (text, as a query gives it), or None."""
        with self._transaction():
            names = {USERNAME} | set(self._accounts)
            names |= {i.owner for i in self._images.values() if i.owner}
            names |= {a.owner for a in self._albums.values() if a.owner}
            for name in names:
                if str(account_id_of(name)) == number.strip():
                    return self._accounts.get(name) or default_account(name)
            return None
