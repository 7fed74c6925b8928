"""Where keys and tokens are kept: one JSON file per kind (live, sandbox), named profiles inside.

A corrupt file is an error naming the file; a later save moves it aside first, so
nothing is lost. Every write goes through :func:`.files.write_private_file`.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from imgur_kit.credentials.files import (
    config_dir,
    locked,
    parse_json,
    read_small_file,
    reason_of,
    warn_if_others_can_write,
    write_private_file,
)
from imgur_kit.credentials.values import Credentials
from imgur_kit.errors import AuthorizationError, CredentialsError
from imgur_kit.tokens import Token

_FORMAT = 1


@dataclass(frozen=True)
class StoredProfile:
    """What one profile of the store holds: credentials and/or a token (either may be None)."""

    credentials: Optional[Credentials]
    token: Optional[Token]


class CorruptStoreWarning(UserWarning):
    """A credentials file could not be read and was moved aside before saving."""


class _DamagedStore(CredentialsError):
    """The store file exists but does not hold the JSON the kit writes (moved aside on the next save)."""


class CredentialStore:
    """One JSON file of named profiles in :func:`config_dir` (or ``directory``).

    ``kind="live"`` uses ``credentials.json``, ``kind="sandbox"`` uses
    ``sandbox-credentials.json``, so sandbox credentials never mix with live ones.
    The constructor does no I/O.
    """

    def __init__(self, directory: Optional[Path] = None, *, kind: str = "live") -> None:
        if kind not in ("live", "sandbox"):
            raise CredentialsError(f"The store kind must be 'live' or 'sandbox', not {kind!r}.")
        self.kind = kind
        self._directory = Path(directory).expanduser() if directory is not None else None
        self.last_backup: Optional[Path] = None

    @property
    def directory(self) -> Path:
        """The folder holding the file (read from the environment when not given)."""
        return self._directory if self._directory is not None else config_dir()

    @property
    def path(self) -> Path:
        """The JSON file of this store."""
        name = "credentials.json" if self.kind == "live" else "sandbox-credentials.json"
        return self.directory / name

    def __repr__(self) -> str:
        return f"CredentialStore({str(self.path)!r}, kind={self.kind!r})"

    # -- reading ---------------------------------------------------------------------

    def _read(self) -> dict:
        path = self.path
        try:
            raw = read_small_file(path, mine_only=True)
        except (FileNotFoundError, NotADirectoryError):
            # Nothing stored yet (a file in the way of the folder is reported when saving).
            return {"format": _FORMAT, "profiles": {}}
        except IsADirectoryError:
            raise CredentialsError(
                f"{path} is a folder, not a credentials file. Move it away and save again."
            ) from None
        except OSError as exc:
            raise CredentialsError(
                f"The credentials file {path} cannot be read ({reason_of(exc)}). "
                f"Check its permissions (it should belong to you, mode 0600)."
            ) from None
        except CredentialsError:
            raise  # not a regular file, or someone else's: the sentence says so
        except ValueError:
            data = None
        else:
            warn_if_others_can_write(path.parent)
            try:
                data = parse_json(raw)
            except ValueError:
                data = None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", {}), dict):
            raise _DamagedStore(
                f"The credentials file {path} is damaged (not the JSON the kit writes). Saving credentials "
                "again will move it aside (nothing is lost) and start a fresh file; or fix or delete it by hand."
            )
        data.setdefault("profiles", {})
        return data

    def load(self, profile: str = "default") -> Optional[StoredProfile]:
        """The stored credentials and token of ``profile``, or None when nothing is stored."""
        entry = self._read()["profiles"].get(profile)
        if not isinstance(entry, dict):
            return None
        credentials = token = None
        if isinstance(entry.get("client_id"), str) and entry["client_id"].strip():
            secret = entry.get("client_secret") if isinstance(entry.get("client_secret"), str) else None
            try:
                credentials = Credentials(entry["client_id"], secret or None)
            except CredentialsError as exc:
                raise CredentialsError(
                    f"The credentials file {self.path} (profile {profile!r}) holds values "
                    f"the kit cannot use: {exc} Then save them again."
                ) from None
        if isinstance(entry.get("token"), dict):
            try:
                token = Token.from_dict(entry["token"])
            except AuthorizationError:
                token = None  # an incomplete token is as good as none: authorize again
        if credentials is None and token is None:
            return None
        return StoredProfile(credentials, token)

    def profiles(self) -> list:
        """Names of the stored profiles, sorted."""
        return sorted(self._read()["profiles"])

    # -- writing ---------------------------------------------------------------------

    def _read_for_update(self) -> dict:
        try:
            return self._read()
        except _DamagedStore:
            if not self.path.is_file():
                raise
        # Unreadable content: keep it (renamed) rather than overwrite what may be a user's only copy.
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, backup)
        except OSError as exc:
            raise CredentialsError(
                f"The credentials file {self.path} is damaged and could not be moved aside "
                f"({reason_of(exc)}). Move or delete it by hand, then save again."
            ) from None
        self.last_backup = backup
        warnings.warn(
            f"The credentials file {self.path} was damaged; it was moved to {backup} (nothing lost) "
            "and a fresh file was started.",
            CorruptStoreWarning,
            stacklevel=3,
        )
        return {"format": _FORMAT, "profiles": {}}

    def _write(self, data: dict) -> Path:
        data["format"] = _FORMAT
        payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        return write_private_file(self.path, payload)

    def save(self, credentials: Credentials, *, profile: str = "default") -> Path:
        """Store ``credentials`` under ``profile``; returns the file's path.

        A stored token is kept when the Client ID is unchanged (it belongs to that app)
        and dropped otherwise.
        """
        if not isinstance(credentials, Credentials):
            raise CredentialsError("save() takes a Credentials object, e.g. Credentials(client_id, client_secret).")
        with locked(self.path):
            data = self._read_for_update()
            old = data["profiles"].get(profile)
            entry = {"client_id": credentials.client_id, "client_secret": credentials.client_secret}
            if isinstance(old, dict) and old.get("client_id") == credentials.client_id and old.get("token"):
                entry["token"] = old["token"]
            data["profiles"][profile] = entry
            return self._write(data)

    def save_token(self, token: Token, *, profile: str = "default", credentials: Optional[Credentials] = None) -> Path:
        """Store ``token`` under ``profile`` (next to its credentials); returns the file's path.

        With ``credentials`` (the app the token belongs to), the app is stored with it in the same
        locked write when the profile holds another app or none: a token is never kept beside an
        app it does not belong to.
        """
        if not isinstance(token, Token):
            raise CredentialsError("save_token() takes a Token object.")
        with locked(self.path):
            data = self._read_for_update()
            entry = data["profiles"].get(profile)
            entry = dict(entry) if isinstance(entry, dict) else {}
            if credentials is not None and entry.get("client_id") != credentials.client_id:
                entry = {"client_id": credentials.client_id, "client_secret": credentials.client_secret}
            entry["token"] = token.to_dict()
            data["profiles"][profile] = entry
            return self._write(data)

    def token_for(self, client_id: str, *, profile: str = "default") -> Optional[Token]:
        """The token stored under ``profile`` for the app ``client_id``; None if none, or if another app is stored."""
        stored = self.load(profile)
        if stored is None or stored.credentials is None or stored.credentials.client_id != client_id:
            return None
        return stored.token

    def replace_token(self, old: Token, new: Token, *, client_id: str, profile: str = "default") -> bool:
        """Store ``new`` in place of ``old``, only if ``old`` is still what is stored for ``client_id``.

        Compare-and-swap under the file lock, so that another program's sign-out, newer
        token or newly saved app is never overwritten by a token refreshed from an older
        copy. Returns True when ``new`` was stored.
        """
        if not isinstance(old, Token) or not isinstance(new, Token):
            raise CredentialsError("replace_token() takes two Token objects.")
        with locked(self.path):
            data = self._read_for_update()
            entry = data["profiles"].get(profile)
            if not isinstance(entry, dict) or entry.get("client_id") != client_id:
                return False
            held = entry.get("token")
            if not isinstance(held, dict) or held.get("access_token") != old.access_token:
                return False
            entry["token"] = new.to_dict()
            self._write(data)
            return True

    def slot(self, client_id: str, *, profile: str = "default") -> TokenSlot:
        """The :class:`~imgur_kit.tokens.TokenKeeper` for the app ``client_id`` under ``profile``."""
        return TokenSlot(self, client_id, profile)

    def delete_token(self, profile: str = "default") -> bool:
        """Log out locally: forget the token of ``profile``, keep its credentials. True if one was removed."""
        if not self.path.exists():
            return False
        with locked(self.path):
            data = self._read_for_update() if self.path.exists() else None
            entry = data["profiles"].get(profile) if data else None
            if data is None or not isinstance(entry, dict) or "token" not in entry:
                return False
            del entry["token"]
            if not entry.get("client_id"):
                del data["profiles"][profile]
            self._write(data)
            return True

    def delete(self, profile: str = "default") -> bool:
        """Forget ``profile`` entirely (credentials and token). True if it existed."""
        if not self.path.exists():
            return False
        with locked(self.path):
            data = self._read_for_update() if self.path.exists() else None
            if not data or profile not in data["profiles"]:
                return False
            del data["profiles"][profile]
            self._write(data)
            return True


@dataclass(frozen=True)
class TokenSlot:
    """One app's token in a :class:`CredentialStore`: the keeper a client consults around a refresh."""

    store: CredentialStore
    client_id: str
    profile: str = "default"

    def latest(self) -> Optional[Token]:
        """The token stored for this app now (None: signed out, or another app was saved)."""
        return self.store.token_for(self.client_id, profile=self.profile)

    def replace(self, old: Token, new: Token) -> bool:
        """Store ``new`` if ``old`` is still the stored token of this app; True when stored."""
        return self.store.replace_token(old, new, client_id=self.client_id, profile=self.profile)
