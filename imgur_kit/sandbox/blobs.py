"""The pictures' files: one per image, kept from an upload and served only while it is the one written.

In the state folder's ``images/``, or, for a sandbox without a state folder, in a private
temporary folder that goes when the sandbox does: pictures never live in memory.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Callable, Optional

from .errors import SandboxError
from .files import NOFOLLOW, SAFE_READ
from .spool import PIECE, Value

#: Larger than any picture the sandbox keeps (the upload limit is 20 MB).
MAX_BLOB_BYTES = 64 * 1024 * 1024


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
            folder_fd = os.open(self.folder(), os.O_RDONLY | NOFOLLOW | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None
        try:
            fd = os.open(image_id, SAFE_READ, dir_fd=folder_fd)
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
