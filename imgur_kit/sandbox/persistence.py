"""The sandbox's own files: one JSON state file plus one file per image.

Writes are atomic (a temporary file in the same folder, written in full and
synced, then ``os.replace``) so a sandbox killed mid-write never leaves a
half-written state behind, and a restarted sandbox (notebook 02, then 03, then
04) finds what the last one made. Several sandboxes may share one folder (two
kernels, or a kernel and ``python -m imgur_kit sandbox``): each read-modify-write
holds :meth:`Store.locked`, an exclusive lock between processes.

Folders the sandbox creates are private (0700), because the state holds Client
Secrets and tokens; a folder that already existed keeps its mode, and one that
others can write is named in a warning. Files are opened without following a
symbolic link, and only regular files are read: an image's file is served only
when it is the one the sandbox wrote (:class:`Blobs`), a FIFO at the state file is
a sentence and not a hang, and a planted link at the lock file changes nothing.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Optional

from .errors import SandboxError, StateFolderWarning
from .spool import PIECE, SPILL_PREFIX, Value

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
#: Larger than any picture the sandbox keeps (the upload limit is 20 MB).
MAX_BLOB_BYTES = 64 * 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a FIFO with no writer must not wait for one.
_SAFE_READ = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_SAFE_READ |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)


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


def warn_if_others_can_write(folder: Path) -> Optional[str]:
    """A StateFolderWarning when users other than the owner may change files in ``folder``
    (a folder with the sticky bit, such as /tmp, is safe); returns its sentence, else None."""
    try:
        mode = stat.S_IMODE(os.stat(folder).st_mode)
    except OSError:
        return None
    if not mode & 0o022 or mode & stat.S_ISVTX:
        return None
    sentence = (
        f"The sandbox's state folder {folder} can be changed by other users (mode {mode:04o}), so the apps, "
        "tokens and pictures in it could have been put there or replaced by someone else. Make it yours "
        f"alone (chmod 700 {folder}), or choose a private state folder (--state-dir)."
    )
    warnings.warn(sentence, StateFolderWarning, stacklevel=4)
    return sentence


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def _is_symlink_refusal(exc: OSError) -> bool:
    # O_NOFOLLOW on a symbolic link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
    return exc.errno in (errno.ELOOP, errno.EMLINK)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (for small records).

    Never through a symbolic link and never waiting on a FIFO: anything else raises OSError
    (FileNotFoundError when nothing is there).
    """
    fd = os.open(path, _SAFE_READ)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(errno.EINVAL, f"{path} is not a regular file of at most {limit} bytes")
        os.set_blocking(fd, True)
        return os.read(fd, limit + 1)[:limit]
    finally:
        os.close(fd)


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
        flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            if _is_symlink_refusal(exc):
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
            fd = os.open(path, _SAFE_READ)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if _is_symlink_refusal(exc):
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


class BlobFile:
    """An image's file, opened for serving: read in pieces, then closed."""

    def __init__(self, fd: int, size: int) -> None:
        self._fd: Optional[int] = fd
        self.size = size

    def pieces(self) -> Iterator[bytes]:
        """The file's bytes, PIECE at a time (at most ``size`` of them)."""
        offset = 0
        while offset < self.size and self._fd is not None:
            piece = os.pread(self._fd, min(PIECE, self.size - offset), offset)
            if not piece:
                return
            offset += len(piece)
            yield piece

    def read(self) -> bytes:
        """The whole file (then closed)."""
        try:
            return b"".join(self.pieces())
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the file; safe to call more than once."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class Blobs:
    """The images' files, one per image, in one folder.

    A file is kept from an upload's :class:`~.spool.Value` (renamed into place, never
    copied through memory), and served only while it is the file the sandbox wrote: a
    regular file of the recorded size, owned by this user, with no second name, opened
    without following a link in the folder or at the file. Anything else put in its
    place (a link to ``~/.ssh/id_rsa``, a hard link, a FIFO) is not served.
    """

    def __init__(self, folder: Callable[[], Path], problem: Callable[[OSError], SandboxError]) -> None:
        self._folder = folder
        self._problem = problem

    def folder(self) -> Path:
        """The folder (made private on first need); uploads are written here as they arrive."""
        try:
            return self._folder()
        except OSError as exc:
            raise self._problem(exc) from None

    def keep(self, image_id: str, content: Value) -> None:
        """Make ``content`` the file of ``image_id``."""
        try:
            content.keep_as(self.folder() / image_id)
        except OSError as exc:
            raise self._problem(exc) from None

    def open(self, image_id: str, size: int) -> Optional[BlobFile]:
        """The file of ``image_id`` for serving, or None when it is gone or not the one written."""
        if not image_id or image_id.startswith(".") or "/" in image_id or size > MAX_BLOB_BYTES:
            return None
        try:
            folder_fd = os.open(self.folder(), os.O_RDONLY | _NOFOLLOW | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None
        try:
            fd = os.open(image_id, _SAFE_READ, dir_fd=folder_fd)
        except OSError:  # gone, or a symbolic link (refused by O_NOFOLLOW)
            return None
        finally:
            os.close(folder_fd)
        info = os.fstat(fd)
        ours = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
        if stat.S_ISREG(info.st_mode) and ours and info.st_nlink == 1 and info.st_size == size:
            return BlobFile(fd, size)
        os.close(fd)
        return None

    def delete(self, image_id: str) -> None:
        """Forget an image's file."""
        try:
            (self.folder() / image_id).unlink()
        except FileNotFoundError:
            pass


class TemporaryFolder:
    """A private folder made on first use, removed with this object or when the process ends.

    Where a sandbox without a state folder keeps its pictures, so they do not live in memory.
    """

    def __init__(self) -> None:
        self._path: Optional[Path] = None
        self._lock = threading.Lock()

    def __call__(self) -> Path:
        with self._lock:
            if self._path is None or not self._path.is_dir():
                self._path = Path(tempfile.mkdtemp(prefix="imgur-sandbox-"))  # 0700
                weakref.finalize(self, shutil.rmtree, self._path, ignore_errors=True)
            return self._path


def temporary_folder_problem(exc: OSError) -> SandboxError:
    """The sentence for a temporary folder the sandbox cannot use."""
    return SandboxError(
        f"The sandbox could not keep a picture in its temporary folder ({exc.strerror or exc}). "
        "Free some disk space, or give the sandbox a state folder (--state-dir)."
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
