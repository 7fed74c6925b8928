"""Opening and writing the sandbox's files safely: only regular files, atomic writes, private folders.

Files are opened without following a symbolic link and without waiting on a FIFO, and
only regular files are read; a file is written as a new 0600 file that replaces the
old one whole; a folder the sandbox makes is 0700. :mod:`.persistence` (the state file),
:mod:`.blobs` (the pictures) and :mod:`.address` (the address file) build on these.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import warnings
from pathlib import Path
from typing import Optional

from .errors import SandboxError, StateFolderWarning

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a FIFO with no writer must not wait for one.
SAFE_READ = os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
SAFE_READ |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)


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


def is_symlink_refusal(exc: OSError) -> bool:
    # O_NOFOLLOW on a symbolic link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
    return exc.errno in (errno.ELOOP, errno.EMLINK)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (for small records).

    Never through a symbolic link and never waiting on a FIFO: anything else raises OSError
    (FileNotFoundError when nothing is there).
    """
    fd = os.open(path, SAFE_READ)
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
