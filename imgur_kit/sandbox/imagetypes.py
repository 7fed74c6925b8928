"""Recognise uploaded images by their first bytes, and read their size.

The live service refuses what is not an image with a 400; the sandbox does
the same by magic bytes (PNG, JPEG, GIF, WEBP), never by filename or the
declared content type, which clients get wrong.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class ImageInfo:
    """What the upload response reports about the picture itself."""

    mime: str
    ext: str
    width: int
    height: int
    animated: bool


def sniff(data: bytes) -> Optional[ImageInfo]:
    """ImageInfo for PNG/JPEG/GIF/WEBP bytes, else None."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data.startswith(b"\xff\xd8\xff"):
            return _jpeg(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (struct.error, IndexError):
        return None  # the magic matched but the file is truncated: not an image
    return None


def _png(data: bytes) -> ImageInfo:
    if data[12:16] != b"IHDR":
        raise IndexError("no IHDR")
    width, height = struct.unpack(">II", data[16:24])
    # An APNG declares its animation (acTL) before the first image data.
    idat = data.find(b"IDAT")
    actl = data.find(b"acTL")
    animated = actl != -1 and (idat == -1 or actl < idat)
    return ImageInfo("image/png", "png", width, height, animated)


def _gif(data: bytes) -> ImageInfo:
    width, height = struct.unpack("<HH", data[6:10])
    # Good enough for the sandbox: the looping extension or several frames
    # (graphic control blocks) mean an animation.
    animated = b"NETSCAPE2.0" in data or data.count(b"\x21\xf9\x04") > 1
    return ImageInfo("image/gif", "gif", width, height, animated)


def _jpeg(data: bytes) -> ImageInfo:
    # Walk the marker segments up to a start-of-frame, which holds the size.
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("image/jpeg", "jpg", width, height, False)
        pos += 2 + length
    # A JPEG whose frame header we did not reach is still a JPEG.
    return ImageInfo("image/jpeg", "jpg", 0, 0, False)


def _webp(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8X":
        flags = data[20]
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return ImageInfo("image/webp", "webp", width, height, bool(flags & 0x02))
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("image/webp", "webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, False)
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("image/webp", "webp", width & 0x3FFF, height & 0x3FFF, False)
    raise IndexError("no known WEBP chunk")
