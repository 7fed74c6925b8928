"""What may be uploaded: a regular file (never a pipe or a device), in a format Imgur takes.

The command line asks :func:`picture_file_size` before it starts anything; the client opens
what ``upload()`` was given with :func:`open_image` and names its type with :func:`picture_type`,
from the first bytes rather than from the file name.
"""

from __future__ import annotations

import io
import mimetypes
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO, Optional

from .errors import ImgurError

__all__ = ["picture_file_size", "regular_file_size", "open_image", "picture_type", "remaining_size", "shown_path"]

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"BM", "image/bmp", ".bmp"),
    (b"II*\x00", "image/tiff", ".tiff"),
    (b"MM\x00*", "image/tiff", ".tiff"),
)


_VIDEO_MAGIC = (
    (b"\x1aE\xdf\xa3", "video/webm", ".webm"),  # Matroska/WebM
    (b"FLV", "video/x-flv", ".flv"),
    (b"\x00\x00\x01\xba", "video/mpeg", ".mpg"),
    (b"\x00\x00\x01\xb3", "video/mpeg", ".mpg"),
    (b"0&\xb2u\x8ef\xcf\x11", "video/x-ms-wmv", ".wmv"),  # ASF
)


def picture_type(head: bytes, filename: Optional[str], *, shown: Optional[str] = None) -> tuple:
    """(content type, extension) of a picture or video from its first bytes (else its file name).

    Anything else is an ImgurError, raised before anything leaves the computer: a mistyped
    path (a key file, a notebook) would otherwise be sent whole to a public host, only to be
    refused there. ``shown`` names it in the sentence.
    """
    content_type, extension = _sniff(head, filename)
    if not content_type.startswith(("image/", "video/")):
        raise ImgurError(
            f"{shown or 'What was given'} does not look like a picture or a video (it does not start the way "
            "a PNG, JPEG, GIF, WebP, BMP, TIFF, MP4, WebM or other format Imgur takes does), so nothing was "
            "sent. Check the file name, or save the picture in one of those formats."
        )
    return content_type, extension


def _sniff(head: bytes, filename: Optional[str]) -> tuple:
    """(content type, extension) from the first bytes, else from the file name."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo", ".avi"
    if head[4:8] == b"ftyp":
        return "video/mp4", ".mp4"
    for magic, kind, ext in _MAGIC + _VIDEO_MAGIC:
        if head.startswith(magic):
            return kind, ext
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or "application/octet-stream", ""


def remaining_size(stream: BinaryIO, start: int) -> int:
    try:
        end = stream.seek(0, io.SEEK_END)
        stream.seek(start)
        return max(0, end - start)
    except (OSError, ValueError):
        return 0


def shown_path(path: Path) -> str:
    """``path`` as a sentence shows it: a very long one is shortened in the middle."""
    text = str(path)
    return text if len(text) <= 200 else text[:100] + "…" + text[-60:]


def regular_file_size(path: Path) -> int:
    """The size of the regular file at ``path``; an ImgurError saying what it is otherwise.

    Nothing is opened: opening a named pipe would wait for a writer forever, and a
    device or folder is no picture. The command line asks this before it starts.
    """
    shown = shown_path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImgurError(
            f"There is no file at {shown}. Check the path (relative paths start from {Path.cwd()})."
        ) from None
    except (OSError, ValueError) as exc:
        raise ImgurError(
            f"The file {shown} cannot be used ({getattr(exc, 'strerror', None) or exc}). Check the path and try again."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ImgurError(f"{shown} is a folder, not an image file.")
    if not stat.S_ISREG(info.st_mode):
        raise ImgurError(
            f"{shown} is not a regular file (it is a pipe, socket or device), so it cannot be "
            "uploaded. Save the picture to a file and upload that."
        )
    return info.st_size


def picture_file_size(path: Path) -> int:
    """The size of the picture or video file at ``path``; an ImgurError saying what is wrong otherwise.

    :func:`regular_file_size`, then its first bytes (:func:`picture_type`): what the
    command line asks before it starts a sandbox or a progress bar.
    """
    size = regular_file_size(path)
    with _open_path(path) as stream:
        picture_type(stream.read(16), path.name, shown=shown_path(path))
    return size


def _open_path(path: Path) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file (:func:`regular_file_size`)."""
    regular_file_size(path)
    shown = shown_path(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise ImgurError(
            f"The file {shown} cannot be read ({exc.strerror or type(exc).__name__}). Check its "
            "permissions and try again."
        ) from None
    if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # replaced between the check and the open
        stream.close()
        raise ImgurError(f"{shown} is not a regular file, so it cannot be uploaded.")
    return stream


def open_image(image: Any, name: Optional[str]) -> tuple:
    """(seekable binary stream, file name, whether we must close it)."""
    if isinstance(image, (str, os.PathLike)):
        try:
            path = Path(image).expanduser()
        except (TypeError, ValueError, RuntimeError) as exc:
            raise ImgurError(f"upload() cannot read this path ({exc}).") from None
        return _open_path(path), path.name, True
    if isinstance(image, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(image)), name or "", True
    if hasattr(image, "read"):
        filename = os.path.basename(str(getattr(image, "name", "") or "")) or name or ""
        try:
            position = image.tell()
            seekable = image.seekable() if hasattr(image, "seekable") else True
            has_fileno = True
            image.fileno()
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            seekable, has_fileno, position = False, False, None
        if seekable and has_fileno and position == 0:
            return image, filename, False  # stream straight from the caller's file
        content = image.read()
        if isinstance(content, str):
            raise ImgurError("upload() needs a file opened in binary mode ('rb'), not text mode.")
        return io.BytesIO(content), filename, True
    raise ImgurError(f"upload() takes a path, bytes or a binary file, not {type(image).__name__}.")
