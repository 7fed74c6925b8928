"""The sandbox's own files: one JSON state file plus one file per image.

Writes are atomic (a temporary file in the same folder, written in full and
synced, then ``os.replace``) so a sandbox killed mid-write never leaves a
half-written state behind, and a restarted sandbox (notebook 02, then 03, then
04) finds what the last one made. Several sandboxes may share one folder (two
kernels, or a kernel and ``python -m imgur_kit sandbox``): each read-modify-write
holds :meth:`Store.locked`, an exclusive lock between processes.

Folders the sandbox creates are private (0700), because the state holds Client
Secrets and tokens; a folder that already existed keeps its mode.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from .errors import SandboxError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

STATE_FILE = "sandbox-state.json"
IMAGES_DIR = "images"
LOCK_FILE = ".sandbox-state.lock"
#: How long a read-modify-write waits for another sandbox on the same folder.
LOCK_TIMEOUT = 10.0
GENERATION_BYTES = 16
#: The largest state file read (the sandbox's own state is far smaller).
MAX_STATE_BYTES = 64 * 1024 * 1024
#: The largest image file read back (uploads are at most 200 MB, as on Imgur).
MAX_BLOB_BYTES = 256 * 1024 * 1024
# Opened without following a symlink and without waiting on a FIFO: whatever was put at a
# path the sandbox owns is looked at before a byte of it is read or served.
_SAFE_OPEN = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFile(OSError):
    """Something other than a regular file (a symlink, FIFO, device or socket) is at a path the sandbox uses."""


def _kind(mode: int) -> str:
    for test, words in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o600) -> int:
    """A file descriptor for ``path`` only if it is a regular file (never through a symlink, never a FIFO).

    Raises :class:`NotRegularFile` naming what is there instead, FileNotFoundError when
    nothing is (and ``flags`` does not create it).
    """
    try:
        fd = os.open(path, flags | _SAFE_OPEN, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):  # a symlink; a FIFO or socket for writing
            raise NotRegularFile(exc.errno, f"{path} is {_kind(os.lstat(path).st_mode)}") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, f"{path} is {_kind(info.st_mode)}")
    return fd


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (see :func:`open_regular`), at most ``limit`` of them."""
    fd = open_regular(path)
    try:
        if os.fstat(fd).st_size > limit:
            raise NotRegularFile(errno.EFBIG, f"{path} is larger than {limit} bytes")
        os.set_blocking(fd, True)
        chunks = []
        while piece := os.read(fd, 1024 * 1024):
            chunks.append(piece)
        return b"".join(chunks)
    finally:
        os.close(fd)


def others_can_write(folder: Path) -> bool:
    """True when users other than the owner may change ``folder`` (group or world writable)."""
    try:
        return bool(os.stat(folder).st_mode & 0o022)
    except OSError:
        return False


def make_private_folder(folder: Path) -> None:
    """Make ``folder`` (and missing parents) with mode 0700; an existing folder keeps its mode."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise SandboxError(
            f"{probe} is a file, not a folder, so the sandbox cannot keep its state "
            "under it. Choose a folder (--state-dir) that is not a file."
        )
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by someone else meanwhile: theirs, keep its mode
        os.chmod(path, 0o700)  # exactly 0700, whatever the umask


def atomic_write(path: Path, content: bytes | memoryview) -> None:
    """Write ``content`` to ``path`` as a new 0600 file that replaces the old one whole."""
    make_private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            view = memoryview(content)
            while view:  # a short write must never pass for the whole file
                written = handle.write(view)
                view = view[written:]
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class Store:
    """Reads and writes the state of one sandbox under ``directory``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        # No I/O here: the folder is made on the first write.
        self.directory = Path(directory)
        #: Sentences about files set aside, for whoever runs the sandbox to show.
        self.notices: list[str] = []
        self._lock_fd: Optional[int] = None

    @property
    def state_path(self) -> Path:
        """The JSON state file."""
        return self.directory / STATE_FILE

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock between processes (at most LOCK_TIMEOUT seconds of waiting).

        While it is held, :meth:`generation` and :meth:`save` may be used.
        """
        try:
            make_private_folder(self.directory)
            fd = open_regular(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT)
        except SandboxError:
            raise
        except NotRegularFile as exc:
            raise SandboxError(
                f"{exc.strerror}, not the sandbox's lock file, so the sandbox did not touch it. "
                "Move it away, or choose another state folder (--state-dir)."
            ) from None
        except OSError as exc:
            raise self._folder_problem(exc) from None
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while not _try_lock(fd):
                if time.monotonic() > deadline:
                    raise SandboxError(
                        f"Another sandbox has held the state folder {self.directory} for more than "
                        f"{LOCK_TIMEOUT:.0f} seconds. Stop the other sandbox, or choose another state folder."
                    )
                time.sleep(0.01)
            self._lock_fd = fd
            try:
                yield
            finally:
                self._lock_fd = None
                _unlock(fd)
        finally:
            os.close(fd)

    def generation(self) -> bytes:
        """A mark that changes with every save by any sandbox on this folder (lock held).

        Kept in the lock file rather than read off the state file's size and time,
        which two quick saves of the same size can leave unchanged.
        """
        fd = self._held()
        os.lseek(fd, 0, os.SEEK_SET)
        mark = os.read(fd, GENERATION_BYTES)
        exists = self.state_path.exists()
        return mark + (b"+" if exists else b"-")

    def load(self) -> Optional[dict]:
        """The saved state, or None when there is none (an unreadable file is set aside)."""
        self._warn_if_others_can_write()
        try:
            text = read_regular(self.state_path, MAX_STATE_BYTES).decode("utf-8")
        except FileNotFoundError:
            return None
        except NotRegularFile as exc:
            if self.state_path.is_dir() and not self.state_path.is_symlink():
                raise SandboxError(
                    f"{self.state_path} is a folder, but the sandbox keeps its state in a file of that name. "
                    "Move that folder away, or choose another state folder."
                ) from None
            raise SandboxError(
                f"{exc.strerror}, not the sandbox's state file, so the sandbox did not read it. "
                "Move it away, or choose another state folder (--state-dir)."
            ) from None
        except IsADirectoryError:
            raise SandboxError(
                f"{self.state_path} is a folder, but the sandbox keeps its state in a file of that name. "
                "Move that folder away, or choose another state folder."
            ) from None
        except UnicodeDecodeError:
            self.set_aside("it is not UTF-8 text")
            return None
        except OSError as exc:
            raise self._folder_problem(exc) from None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            self.set_aside("it is not valid JSON")
            return None
        if not isinstance(data, dict):
            self.set_aside("it does not hold a JSON object")
            return None
        return data

    def set_aside(self, why: str) -> Path:
        """Move an unusable state file out of the way (kept for inspection) and note it."""
        backup = self.state_path.with_name(f"{STATE_FILE}.corrupt-{time.time_ns()}")
        os.replace(self.state_path, backup)
        notice = (
            f"The sandbox state file was unreadable ({why}); it was moved to {backup} "
            "and the sandbox starts with a fresh state."
        )
        self.notices.append(notice)
        warnings.warn(notice, RuntimeWarning, stacklevel=2)
        return backup

    def save(self, data: dict) -> None:
        """Write the state atomically and mark a new generation (lock held)."""
        fd = self._held()
        try:
            atomic_write(self.state_path, json.dumps(data, indent=1, sort_keys=True).encode())
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, os.urandom(GENERATION_BYTES))
        except OSError as exc:
            raise self._folder_problem(exc) from None

    def _held(self) -> int:
        if self._lock_fd is None:
            raise RuntimeError("The state folder's lock must be held (Store.locked()).")
        return self._lock_fd

    def write_blob(self, image_id: str, content: bytes | memoryview) -> None:
        """Keep an image's bytes."""
        try:
            atomic_write(self.directory / IMAGES_DIR / image_id, content)
        except OSError as exc:
            raise self._folder_problem(exc) from None

    def read_blob(self, image_id: str) -> Optional[bytes]:
        """An image's bytes, or None when the file is gone or is not the regular file the sandbox wrote.

        A blob replaced by a symlink (to ``~/.ssh/id_rsa``, say) is never served to whoever
        asks on localhost, and a FIFO cannot hang the thread that serves it.
        """
        try:
            return read_regular(self.directory / IMAGES_DIR / image_id, MAX_BLOB_BYTES)
        except (FileNotFoundError, IsADirectoryError, NotRegularFile):
            return None
        except OSError as exc:
            raise self._folder_problem(exc) from None

    def _warn_if_others_can_write(self) -> None:
        # The state holds Client Secrets and tokens; anyone who can change the folder can
        # swap the files in it. Said once per store, as the kit's credential store does.
        if getattr(self, "_warned", False) or not others_can_write(self.directory):
            return
        self._warned = True
        notice = (
            f"The sandbox's state folder {self.directory} can be changed by other users, who could replace "
            f"its files (apps, tokens, images). Make it private (chmod 700 {self.directory}) or choose "
            "another folder (--state-dir)."
        )
        self.notices.append(notice)
        warnings.warn(notice, RuntimeWarning, stacklevel=3)

    def delete_blob(self, image_id: str) -> None:
        """Forget an image's bytes."""
        try:
            (self.directory / IMAGES_DIR / image_id).unlink()
        except FileNotFoundError:
            pass

    def _folder_problem(self, exc: OSError) -> SandboxError:
        if isinstance(exc, SandboxError):
            return exc
        if exc.errno in (errno.ENOTDIR, errno.EEXIST) or self.directory.is_file():
            return SandboxError(
                f"The sandbox's state folder {self.directory} is a file, not a folder. "
                "Choose a folder for its state (--state-dir)."
            )
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return SandboxError(
                f"The sandbox cannot write to its state folder {self.directory} "
                f"({exc.strerror}). Choose a folder you can write to (--state-dir)."
            )
        return SandboxError(
            f"The sandbox could not use its state folder {self.directory} "
            f"({exc.strerror or exc}). Check the folder, or choose another (--state-dir)."
        )


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            # flock, not lockf: two sandboxes in one process must exclude each other too.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
