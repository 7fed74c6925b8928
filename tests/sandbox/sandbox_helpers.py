"""Helpers for the sandbox tests: image bytes made here, URL pieces."""

from __future__ import annotations

import struct
import zlib
from urllib.parse import parse_qs, urlsplit


def png(width: int = 3, height: int = 2) -> bytes:
    """A real, decodable RGB PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x1b\xb7\x6e" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def gif(width: int = 4, height: int = 5, frames: int = 1) -> bytes:
    """A GIF with ``frames`` frames (more than one makes it animated)."""
    head = b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = (
        b"\x21\xf9\x04\x00\x0a\x00\x00\x00"
        + b","
        + struct.pack("<HHHH", 0, 0, width, height)
        + b"\x00\x02\x02\x44\x01\x00"
    )
    return head + frame * frames + b";"


def jpeg(width: int = 7, height: int = 6) -> bytes:
    """JPEG markers up to a baseline frame header (enough to be recognised and sized)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def webp(width: int = 9, height: int = 8, animated: bool = False) -> bytes:
    """An extended-format (VP8X) WEBP header."""
    payload = (
        bytes([0x02 if animated else 0, 0, 0, 0])
        + (width - 1).to_bytes(3, "little")
        + (height - 1).to_bytes(3, "little")
    )
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def redirect_parts(url: str):
    """(query dict, fragment dict) of a URL, first values only."""
    parts = urlsplit(url)
    first = lambda text: {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}  # noqa: E731
    return first(parts.query), first(parts.fragment)


def authorize_url(sandbox, app, response_type="token", state="s1"):
    """An authorize link as a client would build it."""
    url = f"{sandbox.base_url}/oauth2/authorize?client_id={app.client_id}&response_type={response_type}"
    return url + (f"&state={state}" if state is not None else "")
