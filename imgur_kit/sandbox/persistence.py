"""The sandbox's state file: one JSON file, read and written under a lock between processes.

Writes are atomic (a temporary file in the same folder, written in full and
synced, then ``os.replace``) so a sandbox killed mid-write never leaves a
half-written state behind, and a restarted sandbox (notebook 02, then 03, then
04) finds what the last one made. Several sandboxes may share one folder (two
kernels, or a kernel and ``python -m imgur_kit sandbox``): each read-modify-write
holds :meth:`Store.locked`, an exclusive lock between processes.

Folders the sandbox creates are private (0700), because the state holds Client
Secrets and tokens; a folder that already existed keeps its mode, and one that
others can write is named in a warning. Files are opened without following a
symbolic link, and only regular files are read (:mod:`.files`): a FIFO at the state
file is a sentence and not a hang, and a planted link at the lock file changes nothing.
The pictures' files, one per image, are :mod:`.blobs`.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from .blobs import Blobs
from .errors import SandboxError
from .files import (
    NOFOLLOW,
    SAFE_READ,
    atomic_write,
    file_kind,
    is_symlink_refusal,
    make_private_folder,
    warn_if_others_can_write,
)
from .spool import PIECE, SPILL_PREFIX

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
#: An upload's file this old (seconds) was left by a sandbox that stopped mid-upload.
ABANDONED_AFTER = 3600
#: Larger than any state file the sandbox writes (a record is a few hundred bytes).
MAX_STATE_BYTES = 64 * 1024 * 1024


class Store:
    """Reads and writes the state of one sandbox under ``directory``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        # No I/O here: the folder is made on the first write.
        self.directory = Path(directory)
        #: Sentences about files set aside, for whoever runs the sandbox to show.
        self.notices: list[str] = []
        self._lock_fd: Optional[int] = None
        self._folder_checked = False
        #: The images: one file per image, in the folder ``images``.
        self.blobs = Blobs(self._images_folder, self._folder_problem)

    def _images_folder(self) -> Path:
        folder = self.directory / IMAGES_DIR
        make_private_folder(folder)
        return folder

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
        except SandboxError:
            raise
        except OSError as exc:
            raise self._folder_problem(exc) from None
        if not self._folder_checked:  # once per store: a sandbox that runs for hours warns once
            self._folder_checked = True
            warn_if_others_can_write(self.directory)
            self._remove_abandoned_uploads()
        fd = self._open_lock_file()
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

    def _remove_abandoned_uploads(self) -> None:
        """Remove what a sandbox killed mid-upload left in the images folder. Only files an hour
        old: another sandbox on this folder may be receiving an upload right now."""
        folder = self.directory / IMAGES_DIR
        cutoff = time.time() - ABANDONED_AFTER
        try:
            leftovers = [p for p in folder.glob(f"{SPILL_PREFIX}*") if p.lstat().st_mtime < cutoff]
        except OSError:
            return
        for path in leftovers:
            try:
                path.unlink()
            except OSError:
                pass

    def _open_lock_file(self) -> int:
        """The lock file, opened without following a link: a planted link or a second name
        (hard link) of another file must not have that file's start overwritten by the
        generation mark, and a FIFO must not be waited on."""
        path = self.directory / LOCK_FILE
        flags = os.O_RDWR | os.O_CREAT | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            if is_symlink_refusal(exc):
                raise SandboxError(
                    f"The sandbox's lock file {path} is a symbolic link, so the sandbox did not open it "
                    f"(it would write into the file it points to). Remove the link (rm {path}); the sandbox "
                    "makes its own lock file there."
                ) from None
            raise self._folder_problem(exc) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            os.close(fd)
            what = file_kind(info.st_mode) if not stat.S_ISREG(info.st_mode) else "a second name of another file"
            raise SandboxError(
                f"The sandbox's lock file {path} is {what}, so the sandbox did not use it. "
                f"Remove it (rm {path}); the sandbox makes its own lock file there."
            )
        return fd

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
        raw = self._read_state_file()
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.set_aside("it is not UTF-8 text")
            return None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            self.set_aside("it is not valid JSON")
            return None
        if not isinstance(data, dict):
            self.set_aside("it does not hold a JSON object")
            return None
        return data

    def _read_state_file(self) -> Optional[bytes]:
        """The state file's bytes (None: there is none), read only from a regular file of a sane size."""
        path = self.state_path
        try:
            fd = os.open(path, SAFE_READ)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if is_symlink_refusal(exc):
                raise SandboxError(
                    f"The sandbox's state file {path} is a symbolic link, so the sandbox did not read it. "
                    f"Remove the link (rm {path}), or choose another state folder; the sandbox writes a "
                    "regular file there."
                ) from None
            raise self._folder_problem(exc) from None
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise SandboxError(
                    f"{path} is a folder, but the sandbox keeps its state in a file of that name. "
                    "Move that folder away, or choose another state folder."
                )
            if not stat.S_ISREG(info.st_mode):
                raise SandboxError(
                    f"The sandbox's state file {path} is {file_kind(info.st_mode)}, not a regular file, so the "
                    f"sandbox did not read it (reading it could hang). Remove it (rm {path}), or choose another "
                    "state folder; the sandbox writes a regular file there."
                )
            chunks, size = [], 0
            while size <= MAX_STATE_BYTES:
                chunk = os.read(fd, PIECE)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except SandboxError:
            raise
        except OSError as exc:
            raise self._folder_problem(exc) from None
        finally:
            os.close(fd)
        if size > MAX_STATE_BYTES:
            raise SandboxError(
                f"The sandbox's state file {path} is larger than {MAX_STATE_BYTES // 2**20} MB, far larger than "
                "any state the sandbox writes, so it did not read it. Move it away, or choose another state folder."
            )
        return b"".join(chunks)

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
