"""Client credentials, where they are kept, and the one place that decides which to use.

- :class:`Credentials` is a frozen value; pasted text is cleaned, the secret is masked in
  ``repr``, format oddities only warn.
- :class:`CredentialStore` keeps one JSON file per kind (live, sandbox) in the user's
  config folder: folder 0700, file 0600, written atomically, named profiles inside. A
  corrupt file is an error naming the file; a later save moves it aside first, so
  nothing is lost.
- :func:`resolve` owns the lookup order: argument, environment, file, nothing.

This is the only module of imgur_kit that touches files.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import threading
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Set

from .errors import AuthorizationError, CredentialsError
from .tokens import Token, mask

__all__ = [
    "CredentialStore",
    "Credentials",
    "Resolved",
    "StoredProfile",
    "clean_pasted",
    "config_dir",
    "resolve",
]

SETTINGS_URL = "https://imgur.com/account/settings/apps"

# Characters people bring along when copying from web pages and chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_WRAPPERS = "\"'`\u2018\u2019\u201c\u201d<>()[]{}"
# "Client ID: x", "client_id=x", "Client-ID x", "Client secret  x", "Authorization: Client-ID x"
_LABELLED = re.compile(
    r"(?i)\b(client[\s_-]?id|client[\s_-]?secret)\b\s*[:=]?\s*[\"'`<]?([^\s\"'`<>&,;]+)")
_PREFIX = re.compile(r"(?i)^(authorization\s*:\s*)?(client[\s_-]?id|bearer)\s*[:=]?\s+")
_HEX15 = re.compile(r"^[0-9a-f]{15}$")
_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")


def clean_pasted(text: str, *, field: Optional[str] = None) -> str:
    """The value inside whatever a person pasted.

    Strips whitespace, invisible characters, quotes and brackets, a ``Client-ID ``
    or ``Bearer `` prefix, and labels such as ``Client ID:`` or ``client_id=``. From a
    line holding several labelled values (a row copied from the settings page, or an
    authorize URL), ``field`` ("client_id" or "client_secret") picks the one wanted.
    """
    if text is None:
        return ""
    text = str(text).translate(_INVISIBLE).replace("\u00a0", " ").strip()
    labelled = {}
    for match in _LABELLED.finditer(text):
        key = "client_secret" if "secret" in match.group(1).lower() else "client_id"
        labelled.setdefault(key, match.group(2))
    if labelled:
        if field in labelled or field is None:
            text = labelled.get(field) or next(iter(labelled.values()))
        else:
            # The wanted value is not labelled: it is what is left once the labelled parts go.
            shape = _HEX40 if field == "client_secret" else _HEX15
            rest = [w.strip(_WRAPPERS) for w in _LABELLED.sub(" ", text).split()]
            fitting = [w for w in rest if shape.match(w)]
            text = fitting[0] if fitting else next(iter(labelled.values()))
    previous = None
    while text != previous:
        previous = text
        text = _PREFIX.sub("", text.strip()).strip().strip(_WRAPPERS).strip()
    parts = text.split()
    if len(parts) > 1:
        # A whole row copied from a page: keep the word shaped like what we want.
        shape = _HEX40 if field == "client_secret" else _HEX15 if field == "client_id" else None
        fitting = [p.strip(_WRAPPERS) for p in parts if shape and shape.match(p.strip(_WRAPPERS))]
        if fitting:
            text = fitting[0]
    return text


@dataclass(frozen=True, repr=False)
class Credentials:
    """An application's Client ID and (optional) Client Secret.

    Values are cleaned as pasted text; an empty Client ID is a :class:`CredentialsError`.
    ``repr`` shows the Client ID (not secret: it travels in every request) and masks the secret.
    """

    client_id: str
    client_secret: Optional[str] = None

    def __post_init__(self) -> None:
        if self.client_id is not None and not isinstance(self.client_id, str):
            raise CredentialsError(f"The Client ID must be text, not {type(self.client_id).__name__}. "
                                   f"Copy it from {SETTINGS_URL}.")
        client_id = clean_pasted(self.client_id or "", field="client_id")
        if not client_id:
            raise CredentialsError(
                f"The Client ID is empty. Copy it from {SETTINGS_URL} (or the email Imgur sent when "
                "you registered the application) and paste it again.")
        secret = self.client_secret
        if secret is not None and not isinstance(secret, str):
            raise CredentialsError("The Client Secret must be text. Copy it again from the settings page.")
        secret = clean_pasted(secret, field="client_secret") if secret else None
        object.__setattr__(self, "client_id", client_id)
        object.__setattr__(self, "client_secret", secret or None)

    def warnings(self) -> list:
        """Sentences about values that do not look like Imgur's usual format. Never refuses."""
        found = []
        if not _HEX15.match(self.client_id):
            found.append(
                f"The Client ID has {len(self.client_id)} characters; Imgur's are usually 15 lowercase "
                "hexadecimal characters (0-9, a-f). If calls fail with 'Invalid client_id', copy it again.")
        if self.client_secret is None:
            found.append("No Client Secret was given: anonymous calls work, but authorizing and refreshing "
                         "tokens need it.")
        elif not _HEX40.match(self.client_secret):
            found.append(
                f"The Client Secret has {len(self.client_secret)} characters; Imgur's are usually 40 "
                "hexadecimal characters. If refreshing fails, copy it again (or generate a new one).")
        if self.client_secret and self.client_secret == self.client_id:
            found.append("The Client ID and Client Secret are the same value; one was probably pasted twice.")
        return found

    def __repr__(self) -> str:
        secret = f"'{mask(self.client_secret)}'" if self.client_secret else "None"
        return f"Credentials(client_id={self.client_id!r}, client_secret={secret})"

    __str__ = __repr__


def config_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    """The folder for stored credentials: ``IMGUR_KIT_CONFIG_DIR`` if set, else the user's config folder."""
    environ = os.environ if environ is None else environ
    override = (environ.get("IMGUR_KIT_CONFIG_DIR") or "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only needed when no override is set

    return Path(platformdirs.user_config_dir("imgur-kit", appauthor=False))


@dataclass(frozen=True)
class StoredProfile:
    """What one profile of the store holds: credentials and/or a token (either may be None)."""

    credentials: Optional[Credentials]
    token: Optional[Token]


class CorruptStoreWarning(UserWarning):
    """A credentials file could not be read and was moved aside before saving."""


# One lock for every store in the process: token refreshes may save from several threads.
_WRITE_LOCK = threading.RLock()
_FORMAT = 1


def display_path(path: Path) -> str:
    """``path`` as a person reads it: ``~/.config/imgur-kit/credentials.json`` under the home folder."""
    path = Path(path)
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def write_private_file(path: Path, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` atomically, readable by the owner alone.

    The folder is made 0700 and the file 0600 from the moment it exists; the bytes go
    to a temporary file in the same folder, are flushed to disk, then renamed over
    ``path``, so a crash leaves the old file or the new one, never half of either.
    Every file the kit keeps (credentials, checklist progress) is written here.
    """
    directory = path.parent
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)  # mkdir's mode is filtered by umask; make it exact
    except OSError as exc:
        raise CredentialsError(
            f"Could not create the folder {directory} ({exc.strerror or type(exc).__name__}). "
            "Set IMGUR_KIT_CONFIG_DIR to a folder you can write to.") from None
    temp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        # O_EXCL + 0600 at creation: the secret is never world-readable, not even briefly.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        try:
            temp.unlink()
        except OSError:
            pass
        raise CredentialsError(
            f"Could not write {path} ({exc.strerror or type(exc).__name__}). "
            "Check the folder's permissions and free space, or set IMGUR_KIT_CONFIG_DIR.") from None
    _sync_directory(directory)
    return path


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; not available (or needed) everywhere.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class ProgressStore:
    """Which steps of the account checklist are done: a small private JSON file.

    It lives beside the credentials (``account-progress.json`` in :func:`config_dir`)
    and holds step keys only, nothing secret. Progress is a convenience, so an absent
    or unreadable file reads as "nothing done yet" rather than stopping anyone.
    The constructor does no I/O.
    """

    FILE_NAME = "account-progress.json"

    def __init__(self, directory: Optional[Path] = None) -> None:
        self._directory = Path(directory).expanduser() if directory is not None else None

    @property
    def path(self) -> Path:
        """The progress file (its folder read from the environment when not given)."""
        return (self._directory if self._directory is not None else config_dir()) / self.FILE_NAME

    def load(self) -> Set[str]:
        """The keys of the steps saved as done."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        done = data.get("done", []) if isinstance(data, dict) else []
        return {key for key in done if isinstance(key, str)}

    def save(self, done: Iterable[str]) -> Path:
        """Record ``done`` (step keys) as the steps finished; returns the file's path."""
        payload = json.dumps({"done": sorted(set(done))}, indent=1).encode("utf-8") + b"\n"
        return write_private_file(self.path, payload)


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
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            # Nothing stored yet (a file in the way of the folder is reported when saving).
            return {"format": _FORMAT, "profiles": {}}
        except IsADirectoryError:
            raise CredentialsError(f"{path} is a folder, not a credentials file. Move it away and save again.") from None
        except OSError as exc:
            raise CredentialsError(
                f"The credentials file {path} cannot be read ({exc.strerror or type(exc).__name__}). "
                f"Check its permissions (it should belong to you, mode 0600).") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", {}), dict):
            raise CredentialsError(
                f"The credentials file {path} is damaged (not the JSON the kit writes). Saving credentials "
                "again will move it aside (nothing is lost) and start a fresh file; or fix or delete it by hand.")
        data.setdefault("profiles", {})
        return data

    def load(self, profile: str = "default") -> Optional[StoredProfile]:
        """The stored credentials and token of ``profile``, or None when nothing is stored."""
        entry = self._read()["profiles"].get(profile)
        if not isinstance(entry, dict):
            return None
        credentials = token = None
        if isinstance(entry.get("client_id"), str) and entry["client_id"].strip():
            credentials = Credentials(entry["client_id"], entry.get("client_secret") or None)
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
        except CredentialsError:
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
                f"({exc.strerror or type(exc).__name__}). Move or delete it by hand, then save again.") from None
        self.last_backup = backup
        warnings.warn(
            f"The credentials file {self.path} was damaged; it was moved to {backup} (nothing lost) "
            "and a fresh file was started.", CorruptStoreWarning, stacklevel=3)
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
        with _WRITE_LOCK:
            data = self._read_for_update()
            old = data["profiles"].get(profile)
            entry = {"client_id": credentials.client_id, "client_secret": credentials.client_secret}
            if isinstance(old, dict) and old.get("client_id") == credentials.client_id and old.get("token"):
                entry["token"] = old["token"]
            data["profiles"][profile] = entry
            return self._write(data)

    def save_token(self, token: Token, *, profile: str = "default") -> Path:
        """Store ``token`` under ``profile`` (next to its credentials); returns the file's path."""
        if not isinstance(token, Token):
            raise CredentialsError("save_token() takes a Token object.")
        with _WRITE_LOCK:
            data = self._read_for_update()
            entry = data["profiles"].get(profile)
            entry = dict(entry) if isinstance(entry, dict) else {}
            entry["token"] = token.to_dict()
            data["profiles"][profile] = entry
            return self._write(data)

    def delete_token(self, profile: str = "default") -> bool:
        """Log out locally: forget the token of ``profile``, keep its credentials. True if one was removed."""
        with _WRITE_LOCK:
            data = self._read_for_update() if self.path.exists() else None
            entry = data["profiles"].get(profile) if data else None
            if not isinstance(entry, dict) or "token" not in entry:
                return False
            del entry["token"]
            if not entry.get("client_id"):
                del data["profiles"][profile]
            self._write(data)
            return True

    def delete(self, profile: str = "default") -> bool:
        """Forget ``profile`` entirely (credentials and token). True if it existed."""
        with _WRITE_LOCK:
            data = self._read_for_update() if self.path.exists() else None
            if not data or profile not in data["profiles"]:
                return False
            del data["profiles"][profile]
            self._write(data)
            return True


@dataclass(frozen=True)
class Resolved:
    """What :func:`resolve` found: credentials and token (either may be None), and where from.

    ``source`` is for people: "argument", "environment (IMGUR_CLIENT_ID)",
    "file /path/credentials.json", or "nothing configured".
    """

    credentials: Optional[Credentials]
    token: Optional[Token]
    source: str
    profile: str = field(default="default")


def _token_from_env(environ: Mapping[str, str]) -> Optional[Token]:
    access = (environ.get("IMGUR_ACCESS_TOKEN") or "").strip()
    refresh = (environ.get("IMGUR_REFRESH_TOKEN") or "").strip() or None
    if access:
        return Token(access_token=clean_pasted(access), refresh_token=refresh and clean_pasted(refresh))
    if refresh:
        # Only a refresh token: an access token that is already expired, so the first call refreshes.
        return Token(access_token="", refresh_token=clean_pasted(refresh),
                     expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc))
    return None


def resolve(client_id: Optional[str] = None, client_secret: Optional[str] = None, *,
            profile: str = "default", store: Optional[CredentialStore] = None,
            environ: Optional[Mapping[str, str]] = None) -> Resolved:
    """The credentials (and token) to use, and which source they came from.

    The lookup order, owned here and nowhere else:

    1. ``client_id``/``client_secret`` given as arguments;
    2. ``IMGUR_CLIENT_ID``/``IMGUR_CLIENT_SECRET`` (tokens from ``IMGUR_ACCESS_TOKEN``/``IMGUR_REFRESH_TOKEN``);
    3. the live store file, profile ``profile``;
    4. nothing (the caller may then start the sandbox).

    Sources are not mixed: a secret is taken only from the source that gave the ID.
    For 1 and 2 a token from the environment wins; otherwise a stored token of the same
    Client ID is used.
    """
    environ = os.environ if environ is None else environ
    store = store if store is not None else CredentialStore(kind="live")

    def stored_token_for(credentials: Credentials) -> Optional[Token]:
        try:
            stored = store.load(profile)
        except CredentialsError:
            return None  # a damaged file must not block credentials given another way
        if stored and stored.token and stored.credentials and stored.credentials.client_id == credentials.client_id:
            return stored.token
        return None

    if client_id is not None and clean_pasted(client_id, field="client_id"):
        credentials = Credentials(client_id, client_secret)
        token = _token_from_env(environ) or stored_token_for(credentials)
        return Resolved(credentials, token, "argument", profile)
    env_id = (environ.get("IMGUR_CLIENT_ID") or "").strip()
    if env_id and clean_pasted(env_id, field="client_id"):
        credentials = Credentials(env_id, environ.get("IMGUR_CLIENT_SECRET") or None)
        token = _token_from_env(environ) or stored_token_for(credentials)
        return Resolved(credentials, token, "environment (IMGUR_CLIENT_ID)", profile)
    stored = store.load(profile)
    if stored is not None and stored.credentials is not None:
        where = f"file {store.path}" + (f" (profile {profile!r})" if profile != "default" else "")
        return Resolved(stored.credentials, stored.token, where, profile)
    return Resolved(None, None, "nothing configured", profile)
