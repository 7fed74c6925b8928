"""The kit's files: the config folder, and the one atomic, private writer.

Every file the kit keeps (credentials, checklist progress, a Postman export) is
written by :func:`write_private_file`: file 0600, written in full and fsynced,
renamed into place, under a lock shared with other processes (:func:`locked`,
filelock). Folders the kit creates are 0700; a folder a person chose keeps its mode.
Outside the sandbox, only this module and :mod:`.store` (which moves a damaged file
aside) touch the file system; ``tests/test_layering.py`` holds that.
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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from imgur_kit.errors import CredentialsError


def config_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    """The folder for stored credentials: ``IMGUR_KIT_CONFIG_DIR`` if set, else the user's config folder."""
    environ = os.environ if environ is None else environ
    override = (environ.get("IMGUR_KIT_CONFIG_DIR") or "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only needed when no override is set

    return Path(platformdirs.user_config_dir("imgur-kit", appauthor=False))


class FolderPermissionWarning(UserWarning):
    """The folder chosen for the kit's files can be changed by other users."""


# One lock for every store in the process (token refreshes may save from several
# threads); a file lock beside each file extends it to other processes.
_WRITE_LOCK = threading.RLock()
_HELD = threading.local()
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


def reason_of(exc: BaseException) -> str:
    """Why an OS call failed, in a few words ("Permission denied"), for a sentence."""
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
        if missing and probe.is_dir():
            _refuse_if_owner_locked(probe)  # the folder the new ones would go in
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                continue  # made by someone else meanwhile: theirs, so left as it is
            os.chmod(folder, 0o700)  # mkdir's mode is filtered by umask; make it exact
        if not directory.is_dir():
            raise CredentialsError(
                f"{display_path(directory)} is a file, not a folder, so nothing was saved. Move the file away, "
                "or set IMGUR_KIT_CONFIG_DIR to a folder."
            )
        info = directory.stat()
    except CredentialsError:
        raise
    except (OSError, ValueError) as exc:
        raise CredentialsError(
            f"Could not create the folder {display_path(directory)} ({reason_of(exc)}), so nothing was saved. "
            "Set IMGUR_KIT_CONFIG_DIR to a folder you can write to."
        ) from None
    if directory in missing:
        return
    mode = stat.S_IMODE(info.st_mode)
    _refuse_if_owner_locked(directory)
    if mode & 0o022:
        sticky = (
            " (only file owners may remove files there, but others can see their names)"
            if mode & stat.S_ISVTX
            else ", so they could replace the kit's files"
        )
        warnings.warn(
            f"The folder {display_path(directory)} can be changed by other users (mode {mode:04o}){sticky}. "
            f"The kit's files in it are readable by you alone; for secrets, prefer a private folder "
            f"(chmod 700 {directory}, or set IMGUR_KIT_CONFIG_DIR).",
            FolderPermissionWarning,
            stacklevel=4,
        )


def _refuse_if_owner_locked(directory: Path) -> None:
    # Root could write anyway; a folder its owner made read-only is still respected.
    info = directory.stat()
    mode = stat.S_IMODE(info.st_mode)
    owner_locked_out = info.st_uid == _uid() and (mode & 0o300) != 0o300
    if owner_locked_out or not os.access(directory, os.W_OK | os.X_OK):
        raise CredentialsError(
            f"The folder {display_path(directory)} is not writable (mode {mode:04o}), so nothing was saved. "
            f"The kit does not change a folder you chose: make it writable (chmod u+w {directory}) or set "
            "IMGUR_KIT_CONFIG_DIR to another folder."
        )


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
    try:
        prepare_folder(lock_file.parent)
    except CredentialsError:
        if lock_beside:
            raise
        # A read-only home (or config folder) must not stop a file written elsewhere:
        # its lock moves to a private folder of this user under the system's temp folder.
        lock_file = _temp_lock_folder() / lock_file.name
    lock = FileLock(str(lock_file), timeout=LOCK_TIMEOUT, mode=0o600)
    with _WRITE_LOCK:
        try:
            lock.acquire()
        except Timeout:
            raise CredentialsError(
                f"Another program has been saving {display_path(path)} for over {LOCK_TIMEOUT:g} seconds, so "
                "nothing was saved. Close other notebooks or commands using the kit, then try again."
            ) from None
        except OSError as exc:
            raise CredentialsError(
                f"Could not lock {display_path(path)} for saving ({reason_of(exc)}), so nothing was saved. Check the "
                "folder's permissions, or set IMGUR_KIT_CONFIG_DIR to a folder you can write to."
            ) from None
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            lock.release()


def _temp_lock_folder() -> Path:
    """``imgur-kit-locks-UID`` in the system's temp folder: made 0700, and used only if it is ours.

    The temp folder is shared by every user, so the folder is checked like a key file:
    a real folder (not a symlink), owned by this user, writable by nobody else.
    """
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"imgur-kit-locks-{_uid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise CredentialsError(
            f"Could not make a folder for the kit's lock files ({reason_of(exc)}), so nothing was saved. "
            "Set IMGUR_KIT_CONFIG_DIR to a folder you can write to."
        ) from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != _uid() or info.st_mode & 0o077:
        raise CredentialsError(
            f"{folder} is not a private folder of yours (someone else made it, or others can use it), so the "
            "kit will not keep a lock file there and nothing was saved. Set IMGUR_KIT_CONFIG_DIR to a folder "
            "you can write to."
        )
    return folder


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
        _refuse_unless_regular(path)
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
                f"Could not write {display_path(path)} ({reason_of(exc)}); the previous file, if any, is unchanged. "
                "Check the folder's permissions and free space, or set IMGUR_KIT_CONFIG_DIR."
            ) from None
        _sync_directory(directory)
    return path


def _refuse_unless_regular(path: Path) -> None:
    # Only a new file or a regular one is replaced: a FIFO, a device or a folder at the
    # path is someone's (a planted pipe would otherwise become a file of secrets, and a
    # device node would be swapped for one). A symlink is replaced as a link (os.replace
    # never writes through it), so the file it points to is untouched.
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CredentialsError(
            f"Could not look at {display_path(path)} ({reason_of(exc)}), so nothing was written."
        ) from None
    if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
        return
    kind = "a folder" if stat.S_ISDIR(info.st_mode) else _file_kind(info.st_mode)
    raise CredentialsError(
        f"{display_path(path)} is {kind}, not a regular file, so nothing was written there. "
        "Move it away, or choose another name for the file."
    )


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


def read_small_file(path: Path, *, mine_only: bool = False) -> bytes:
    """The bytes of one of the kit's files, read only if it is what it claims to be.

    A regular file, at most :data:`MAX_FILE_BYTES` (more raises ValueError). A FIFO, device
    or socket is never read (a FIFO would hang every command): that is a
    :class:`CredentialsError` naming the path. With ``mine_only`` (keys and tokens), a file
    that belongs to another user is refused too, as ssh refuses another user's key: whoever
    planted it would choose the app the person signs in to. A missing file or a folder raise
    the usual OSError (FileNotFoundError, IsADirectoryError).
    """
    path = Path(path)
    # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise CredentialsError(
                f"{display_path(path)} is {_file_kind(info.st_mode)}, not a regular file, so the kit did not read it "
                f"(reading it could hang or leak). Remove it (rm {path}); the kit writes a regular file there."
            )
        if mine_only and info.st_uid != _uid() and _uid() != -1:
            raise CredentialsError(
                f"{display_path(path)} belongs to {_user_name(info.st_uid)}, not to you, so the kit did not use the "
                "keys in it: someone else's keys would sign you in to their app. If the file is yours, take it "
                f"back (chown {_user_name(_uid())} {path}); if not, remove it and save your own keys."
            )
        chunks = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 64 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise ValueError("larger than any file the kit writes")
    return b"".join(chunks)


def warn_if_others_can_write(directory: Path) -> None:
    """A :class:`FolderPermissionWarning` when users other than the owner may change files in ``directory``."""
    try:
        mode = stat.S_IMODE(os.stat(directory).st_mode)
    except OSError:
        return
    if mode & 0o022 and not mode & stat.S_ISVTX:
        warnings.warn(
            f"The folder {display_path(directory)} can be changed by other users (mode {mode:04o}), so the keys "
            f"in it could have been put there by someone else. Make it yours alone (chmod 700 {directory}), or "
            "set IMGUR_KIT_CONFIG_DIR to a private folder.",
            FolderPermissionWarning,
            stacklevel=4,
        )


def _file_kind(mode: int) -> str:
    for test, words in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return words
    return "not a file"


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user #{uid}"


def parse_json(raw: bytes) -> Any:
    """JSON from bytes, or ValueError for anything unreadable (including nesting too deep to read)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None
