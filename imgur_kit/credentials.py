"""Client credentials, where they are kept, and the one place that decides which to use.

- :class:`Credentials` is a frozen value; pasted text is cleaned (:mod:`imgur_kit.pasted`),
  the secret is masked in ``repr``, format oddities only warn, values that cannot be
  sent in a header are refused.
- :class:`CredentialStore` keeps one JSON file per kind (live, sandbox) in the user's
  config folder, named profiles inside; :class:`ProgressStore` the account checklist.
  Every file is written by :func:`write_private_file`: file 0600, written in full and
  fsynced, renamed into place, under a lock shared with other processes
  (:func:`locked`, filelock). Folders the kit creates are 0700; a folder a person
  chose keeps its mode. A corrupt file is an error naming the file; a later save
  moves it aside first, so nothing is lost.
- :func:`resolve` owns the lookup order: argument, environment, file, nothing.

This is the only module of imgur_kit that touches files.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from .errors import AuthorizationError, CredentialsError
from .pasted import HEX15 as _HEX15
from .pasted import HEX40 as _HEX40
from .pasted import checked_client_id, checked_secret, clean_pasted
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


@dataclass(frozen=True, repr=False)
class Credentials:
    """An application's Client ID and (optional) Client Secret.

    Values are cleaned as pasted text; an empty Client ID is a :class:`CredentialsError`.
    ``repr`` shows the Client ID (not secret: it travels in every request) and masks the secret.
    """

    client_id: str
    client_secret: Optional[str] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "client_id", checked_client_id(self.client_id))
        object.__setattr__(self, "client_secret", checked_secret(self.client_secret))

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
        # A Client ID is not secret, but a long odd value may be something pasted in the wrong field.
        client_id = repr(self.client_id) if len(self.client_id) < 24 else f"'{mask(self.client_id)}'"
        return f"Credentials(client_id={client_id}, client_secret={secret})"

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


class _DamagedStore(CredentialsError):
    """The store file exists but does not hold the JSON the kit writes (moved aside on the next save)."""


class FolderPermissionWarning(UserWarning):
    """The folder chosen for the kit's files can be changed by other users."""


# One lock for every store in the process (token refreshes may save from several
# threads); a file lock beside each file extends it to other processes.
_WRITE_LOCK = threading.RLock()
_HELD = threading.local()
_FORMAT = 1
#: How long a save waits for another process that is saving the same file.
LOCK_TIMEOUT = 10.0
#: The kit's files are a few kilobytes; anything larger is not one of them.
MAX_FILE_BYTES = 1024 * 1024


def display_path(path: Path) -> str:
    """``path`` as a person reads it: ``~/.config/imgur-kit/credentials.json`` under the home folder."""
    path = Path(path)
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


def prepare_folder(directory: Path) -> None:
    """Make sure ``directory`` exists and may hold private files, changing only what the kit creates.

    Folders the kit creates are made 0700. A folder that already exists is the
    person's: its mode is never changed. When it is not writable that is a
    :class:`CredentialsError` (nothing is written); when other users may change it, a
    :class:`FolderPermissionWarning` says so (the files themselves are still 0600).
    """
    directory = Path(directory)
    missing = []
    probe = directory
    try:
        while not os.path.lexists(probe):
            missing.append(probe)
            if probe.parent == probe:
                break
            probe = probe.parent
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                continue  # made by someone else meanwhile: theirs, so left as it is
            os.chmod(folder, 0o700)  # mkdir's mode is filtered by umask; make it exact
        if not directory.is_dir():
            raise CredentialsError(
                f"{display_path(directory)} is a file, not a folder, so nothing was saved. Move the file away, "
                "or set IMGUR_KIT_CONFIG_DIR to a folder.")
        info = directory.stat()
    except CredentialsError:
        raise
    except (OSError, ValueError) as exc:
        raise CredentialsError(
            f"Could not create the folder {display_path(directory)} ({_why(exc)}), so nothing was saved. "
            "Set IMGUR_KIT_CONFIG_DIR to a folder you can write to.") from None
    if directory in missing:
        return
    mode = stat.S_IMODE(info.st_mode)
    owner_locked_out = info.st_uid == _uid() and (mode & 0o300) != 0o300
    if owner_locked_out or not os.access(directory, os.W_OK | os.X_OK):
        # Root could write anyway; a folder its owner made read-only is still respected.
        raise CredentialsError(
            f"The folder {display_path(directory)} is not writable (mode {mode:04o}), so nothing was saved. "
            f"The kit does not change a folder you chose: make it writable (chmod u+w {directory}) or set "
            "IMGUR_KIT_CONFIG_DIR to another folder.")
    if mode & 0o022:
        sticky = " (only file owners may remove files there, but others can see their names)" \
            if mode & stat.S_ISVTX else ", so they could replace the kit's files"
        warnings.warn(
            f"The folder {display_path(directory)} can be changed by other users (mode {mode:04o}){sticky}. "
            f"The kit's files in it are readable by you alone; for secrets, prefer a private folder "
            f"(chmod 700 {directory}, or set IMGUR_KIT_CONFIG_DIR).", FolderPermissionWarning, stacklevel=4)


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def lock_path(path: Path, *, beside: bool = True) -> Path:
    """The lock file that guards ``path``.

    Beside the file (``.NAME.lock``) for the kit's stores, which live in folders the
    kit keeps. A file written once into a folder the person chose (a Postman export)
    is locked from the config folder's ``locks/`` instead (``beside=False``), named
    after the file's full path, so nothing but the file is left in their folder.
    """
    path = Path(path).absolute()
    if beside:
        return path.parent / f".{path.name}.lock"
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return config_dir().absolute() / "locks" / f"{digest}.lock"


@contextmanager
def locked(path: Path, *, lock_beside: bool = True) -> Iterator[None]:
    """Hold the lock of ``path`` (threads and other processes) for a read-modify-write.

    Re-entrant within a thread. Waits at most :data:`LOCK_TIMEOUT` seconds. The lock
    file holds nothing and stays (removing it would race another process): see
    :func:`lock_path` for where.
    """
    path = Path(path)
    held = getattr(_HELD, "paths", None)
    if held is None:
        held = _HELD.paths = set()
    key = str(path.absolute())
    if key in held:
        yield
        return
    from filelock import FileLock, Timeout  # deferred: only saving needs it

    prepare_folder(path.parent)
    lock_file = lock_path(path, beside=lock_beside)
    prepare_folder(lock_file.parent)
    lock = FileLock(str(lock_file), timeout=LOCK_TIMEOUT, mode=0o600)
    with _WRITE_LOCK:
        try:
            lock.acquire()
        except Timeout:
            raise CredentialsError(
                f"Another program has been saving {display_path(path)} for over {LOCK_TIMEOUT:g} seconds, so "
                "nothing was saved. Close other notebooks or commands using the kit, then try again.") from None
        except OSError as exc:
            raise CredentialsError(
                f"Could not lock {display_path(path)} for saving ({_why(exc)}), so nothing was saved. Check the "
                "folder's permissions, or set IMGUR_KIT_CONFIG_DIR to a folder you can write to.") from None
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            lock.release()


def _temp_name_pattern(path: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(path.name)}\.[0-9a-f]{{16}}\.tmp$")


def _remove_stale_temps(path: Path) -> None:
    # Under the lock no other writer of this file is busy, so any temporary file of it
    # was left by a process that was killed mid-save; it may hold a secret.
    pattern = _temp_name_pattern(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if pattern.match(name):
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def _write_all(fd: int, payload: bytes) -> None:
    """Every byte of ``payload`` to ``fd``, or an OSError: a short write never passes for success."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def write_private_file(path: Path, payload: bytes, *, lock_beside: bool = True) -> Path:
    """Write ``payload`` to ``path`` atomically, readable by the owner alone.

    Under :func:`locked`: the bytes go to a temporary 0600 file in the same folder,
    written in full and flushed to disk, then renamed over ``path``, so a crash, a
    full disk or a killed process leaves the old file or the new one, never half of
    either, and no temporary file survives the next save. Every file the kit keeps
    (credentials, checklist progress) is written here.
    """
    path = Path(path)
    with locked(path, lock_beside=lock_beside):
        directory = path.parent
        _remove_stale_temps(path)
        temp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
        try:
            # O_EXCL + 0600 at creation: the secret is never world-readable, not even briefly.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, 0o600)
                _write_all(fd, payload)
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
                f"Could not write {display_path(path)} ({_why(exc)}); the previous file, if any, is unchanged. "
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


def read_small_file(path: Path) -> bytes:
    """The bytes of one of the kit's files; more than :data:`MAX_FILE_BYTES` raises ValueError."""
    with open(path, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError("larger than any file the kit writes")
    return raw


def parse_json(raw: bytes) -> Any:
    """JSON from bytes, or ValueError for anything unreadable (including nesting too deep to read)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


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

    def load(self) -> set[str]:
        """The keys of the steps saved as done."""
        try:
            data = parse_json(read_small_file(self.path))
        except (OSError, ValueError):
            return set()
        done = data.get("done", []) if isinstance(data, dict) else []
        return {key for key in done if isinstance(key, str)}

    def save(self, done: Iterable[str]) -> Path:
        """Record ``done`` (step keys) as the steps finished; returns the file's path."""
        payload = json.dumps({"done": sorted(set(done))}, indent=1).encode("utf-8") + b"\n"
        return write_private_file(self.path, payload)

    def mark(self, step: str, done: bool = True) -> Path:
        """Record one step as done (or not), keeping what other windows saved meanwhile."""
        with locked(self.path):
            steps = self.load()
            steps = steps | {step} if done else steps - {step}
            return self.save(steps)


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
            raw = read_small_file(path)
        except (FileNotFoundError, NotADirectoryError):
            # Nothing stored yet (a file in the way of the folder is reported when saving).
            return {"format": _FORMAT, "profiles": {}}
        except IsADirectoryError:
            raise CredentialsError(
                f"{path} is a folder, not a credentials file. Move it away and save again.") from None
        except OSError as exc:
            raise CredentialsError(
                f"The credentials file {path} cannot be read ({_why(exc)}). "
                f"Check its permissions (it should belong to you, mode 0600).") from None
        except ValueError:
            data = None
        else:
            try:
                data = parse_json(raw)
            except ValueError:
                data = None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", {}), dict):
            raise _DamagedStore(
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
            secret = entry.get("client_secret") if isinstance(entry.get("client_secret"), str) else None
            try:
                credentials = Credentials(entry["client_id"], secret or None)
            except CredentialsError as exc:
                raise CredentialsError(f"The credentials file {self.path} (profile {profile!r}) holds values "
                                       f"the kit cannot use: {exc} Then save them again.") from None
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
                f"({_why(exc)}). Move or delete it by hand, then save again.") from None
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
        with locked(self.path):
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
        with locked(self.path):
            data = self._read_for_update()
            entry = data["profiles"].get(profile)
            entry = dict(entry) if isinstance(entry, dict) else {}
            entry["token"] = token.to_dict()
            data["profiles"][profile] = entry
            return self._write(data)

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
    try:
        if access:
            return Token(access_token=clean_pasted(access), refresh_token=refresh and clean_pasted(refresh))
        if refresh:
            # Only a refresh token: an access token that is already expired, so the first call refreshes.
            return Token(access_token="", refresh_token=clean_pasted(refresh),
                         expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc))
    except CredentialsError as exc:
        raise CredentialsError(f"IMGUR_ACCESS_TOKEN / IMGUR_REFRESH_TOKEN: {exc} Set the variable again "
                               "(or unset it).") from None
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
        try:
            credentials = Credentials(env_id, environ.get("IMGUR_CLIENT_SECRET") or None)
        except CredentialsError as exc:
            raise CredentialsError(f"IMGUR_CLIENT_ID / IMGUR_CLIENT_SECRET: {exc} Then set the variable again "
                                   "(or unset it).") from None
        token = _token_from_env(environ) or stored_token_for(credentials)
        return Resolved(credentials, token, "environment (IMGUR_CLIENT_ID)", profile)
    stored = store.load(profile)
    if stored is not None and stored.credentials is not None:
        where = f"file {store.path}" + (f" (profile {profile!r})" if profile != "default" else "")
        return Resolved(stored.credentials, stored.token, where, profile)
    return Resolved(None, None, "nothing configured", profile)
