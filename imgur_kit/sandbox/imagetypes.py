"""Recognise uploaded images by their first bytes, and read their size.

The live service refuses what is not an image with a 400; the sandbox does
the same by magic bytes (PNG, JPEG, GIF, WEBP), never by filename or the
declared content type, which clients get wrong. An upload is read from its
file a piece at a time: the header fields lie in the first bytes, and the
signs of an animation are scanned for.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Callable, Optional

from .spool import Value


@dataclass(frozen=True)
class ImageInfo:
    """What the upload response reports about the picture itself."""

    mime: str
    ext: str
    width: int
    height: int
    animated: bool


def sniff(data: bytes | Value) -> Optional[ImageInfo]:
    """ImageInfo for PNG/JPEG/GIF/WEBP bytes (or an upload's Value, read a piece at a time), else None."""
    source = data if isinstance(data, Value) else Value.of(bytes(data))
    head = source.head(HEAD)
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(head, source)
        if head.startswith(b"\xff\xd8\xff"):
            return _jpeg(_Window(source))
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(head, source)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp(head)
    except (struct.error, IndexError):
        return None  # the magic matched but the file is truncated: not an image
    return None


#: Every header field read here lies in the first bytes; what lies further is scanned for.
HEAD = 64 * 1024


def _scan(source: Value, patterns: tuple[bytes, ...], enough: Callable[[dict[bytes, list[int]]], bool]) -> dict:
    """Where each pattern occurs (offsets, in order), read a piece at a time until ``enough`` says so.

    The last bytes of each piece are searched again with the next, so no match is missed
    across a cut, and none is counted twice.
    """
    found: dict[bytes, list[int]] = {pattern: [] for pattern in patterns}
    overlap = max(len(p) for p in patterns) - 1
    tail, offset = b"", 0  # tail: the end of the last piece, starting at ``offset``
    for piece in source.pieces():
        window = tail + piece
        for pattern in patterns:
            at = window.find(pattern)
            while at >= 0:
                where = offset + at
                if not found[pattern] or where > found[pattern][-1]:
                    found[pattern].append(where)
                at = window.find(pattern, at + 1)
        if enough(found):
            break
        keep = min(overlap, len(window))
        offset += len(window) - keep
        tail = window[len(window) - keep :]
    return found


class _Window:
    """Random access over a Value, reading a piece around what is asked for."""

    def __init__(self, source: Value) -> None:
        self._source = source
        self.size = source.size
        self._start, self._data = 0, b""

    def get(self, start: int, end: int) -> bytes:
        end = min(end, self.size)
        if not (self._start <= start and end <= self._start + len(self._data)):
            self._start, self._data = start, self._source.at(start, max(end - start, HEAD))
        return self._data[start - self._start : end - self._start]

    def byte(self, at: int) -> int:
        return self.get(at, at + 1)[0]


def _png(head: bytes, source: Value) -> ImageInfo:
    if head[12:16] != b"IHDR":
        raise IndexError("no IHDR")
    width, height = struct.unpack(">II", head[16:24])
    # An APNG declares its animation (acTL) before the first image data.
    found = _scan(source, (b"IDAT", b"acTL"), lambda seen: bool(seen[b"IDAT"] or seen[b"acTL"]))
    idat, actl = (found[name][0] if found[name] else -1 for name in (b"IDAT", b"acTL"))
    animated = actl != -1 and (idat == -1 or actl < idat)
    return ImageInfo("image/png", "png", width, height, animated)


def _gif(head: bytes, source: Value) -> ImageInfo:
    width, height = struct.unpack("<HH", head[6:10])
    # Good enough for the sandbox: the looping extension or several frames
    # (graphic control blocks) mean an animation.
    found = _scan(
        source,
        (b"NETSCAPE2.0", b"\x21\xf9\x04"),
        lambda seen: bool(seen[b"NETSCAPE2.0"]) or len(seen[b"\x21\xf9\x04"]) > 1,
    )
    animated = bool(found[b"NETSCAPE2.0"]) or len(found[b"\x21\xf9\x04"]) > 1
    return ImageInfo("image/gif", "gif", width, height, animated)


def _jpeg(data: _Window) -> ImageInfo:
    # Walk the marker segments up to a start-of-frame, which holds the size.
    pos = 2
    while pos + 4 <= data.size:
        if data.byte(pos) != 0xFF:
            pos += 1
            continue
        marker = data.byte(pos + 1)
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data.get(pos + 2, pos + 4))
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data.get(pos + 5, pos + 9))
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
