"""Request values as they arrive: in memory while small, in a private file once large.

An upload's picture is written to the sandbox's images folder piece by piece as the
request body comes off the socket, so the sandbox holds a few tens of kilobytes of
it at any moment, whatever its size. A finished :class:`Value` is either kept (its
file renamed into place as an image's blob, see :meth:`Value.keep_as`) or discarded;
:class:`Spool` remembers every value of one request, so a request that fails, or a
client that goes away mid-upload, leaves no file behind (:meth:`Spool.discard_all`).

Files here are 0600, made with ``O_EXCL`` under a name starting with a dot (never a
blob's name), and read back without following a symbolic link.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Callable, Optional

#: A value larger than this moves from memory to a file.
SPILL_AT = 64 * 1024
#: How much is read or written at a time.
PIECE = 64 * 1024
#: Names of files being written start with this (a blob's name never does).
SPILL_PREFIX = ".upload-"

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NEW_FLAGS = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
) | getattr(os, "O_BINARY", 0)


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """Write all of ``data``: a short write must never pass for the whole."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Value:
    """One value of a request, written in pieces (``write``), then ``finish``-ed.

    It stays in memory up to SPILL_AT bytes; beyond that it moves to a file in the
    spool's folder and only that file grows. Once finished it is read back in pieces
    (``pieces``, ``head``, or ``read`` for values known to be small), then either kept
    (``keep_as``) or discarded.
    """

    def __init__(self, folder: Optional[Callable[[], Path]] = None) -> None:
        # folder: where a large value goes (made on first need); None keeps it in memory.
        self._folder = folder
        self._memory = bytearray()
        self._fd: Optional[int] = None
        self.path: Optional[Path] = None
        self.size = 0

    @classmethod
    def of(cls, data: bytes) -> Value:
        """A finished in-memory value holding ``data``."""
        value = cls()
        value.write(data)
        return value

    @property
    def in_file(self) -> bool:
        """True when the value has moved to a file."""
        return self.path is not None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Append ``data``."""
        if not data:
            return
        self.size += len(data)
        if self.path is None:
            if self._folder is None or len(self._memory) + len(data) <= SPILL_AT:
                self._memory += data
                return
            self._move_to_file()
        assert self._fd is not None, "a finished value was written to"
        write_all(self._fd, data)

    def _move_to_file(self) -> None:
        assert self._folder is not None
        folder = self._folder()
        while True:
            path = folder / f"{SPILL_PREFIX}{secrets.token_hex(8)}"
            try:
                self._fd = os.open(path, _NEW_FLAGS, 0o600)
                break
            except FileExistsError:
                continue
        self.path = path
        write_all(self._fd, self._memory)
        self._memory = bytearray()

    def finish(self) -> None:
        """No more writes: the file (if any) is closed, so a request holds no descriptor per value."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def pieces(self, start: int = 0, size: int = PIECE) -> Iterator[bytes]:
        """The value from ``start`` on, in pieces of at most ``size`` bytes."""
        if self.path is None:
            for offset in range(start, len(self._memory), size):
                yield bytes(self._memory[offset : offset + size])
            return
        fd = self._open()
        try:
            offset = start
            while True:
                piece = os.pread(fd, size, offset)
                if not piece:
                    return
                offset += len(piece)
                yield piece
        finally:
            os.close(fd)

    def head(self, count: int) -> bytes:
        """The first ``count`` bytes (fewer when the value is shorter)."""
        if self.path is None:
            return bytes(self._memory[:count])
        fd = self._open()
        try:
            return os.pread(fd, count, 0)
        finally:
            os.close(fd)

    def at(self, offset: int, count: int) -> bytes:
        """Up to ``count`` bytes from ``offset`` on."""
        return next(self.pieces(offset, count), b"") if count > 0 else b""

    def read(self) -> bytes:
        """The whole value; for values that are small by nature (a title, a token), not a picture."""
        return b"".join(self.pieces())

    def _open(self) -> int:
        assert self.path is not None
        fd = os.open(self.path, _READ_FLAGS)
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # only our own regular file, never what replaced it
            os.close(fd)
            raise OSError(f"{self.path} is no longer the file the sandbox wrote.")
        return fd

    def keep_as(self, target: Path) -> None:
        """Make the value the file ``target`` (0600): a file is synced and renamed into place
        (the spool's folder is target's folder), a value in memory is written to a new file."""
        if self.path is None:
            self._folder = lambda: target.parent
            self._move_to_file()
        self.finish()
        assert self.path is not None
        fd = self._open()
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.path, target)
        self.path = None
        self._memory = bytearray()

    def discard(self) -> None:
        """Forget the value and remove its file (a kept value's file stays where it went)."""
        self.finish()
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None
        self._memory = bytearray()


class Spool:
    """Makes the values of one request in ``folder`` and discards them all when it is over."""

    def __init__(self, folder: Optional[Callable[[], Path]] = None) -> None:
        self._folder = folder
        self._values: list[Value] = []

    def value(self) -> Value:
        """A new, empty value that :meth:`discard_all` will remove unless it was kept."""
        made = Value(self._folder)
        self._values.append(made)
        return made

    def discard_all(self) -> None:
        """Remove every value's file that was not kept; safe to call more than once."""
        values, self._values = self._values, []
        for value in values:
            try:
                value.discard()
            except OSError:
                pass  # the folder went away: nothing left to remove
