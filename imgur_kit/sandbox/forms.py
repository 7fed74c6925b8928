"""Form bodies: multipart/form-data, application/x-www-form-urlencoded and JSON.

``cgi`` is gone in Python 3.13. Multipart bodies are split at their boundary
here, with ``bytes.find`` over the body as it is, so an upload costs one copy
of the picture and not the ten that feeding the whole body to the email parser
did; the email package still reads each part's few header lines (RFC 2231
filenames and all).
"""

from __future__ import annotations

import base64
import binascii
import builtins
import io
import json
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import HeaderParser
from typing import Optional
from urllib.parse import unquote_to_bytes

#: More fields than any form or upload has; beyond it the body is refused.
MAX_FIELDS = 1000
_UNESCAPE_PIECE = 1 << 20


class FormError(ValueError):
    """The body could not be read as the form its Content-Type claims."""


@dataclass(frozen=True)
class Part:
    """One form field: its bytes, and for a file, its filename and type."""

    value: bytes
    filename: Optional[str] = None
    content_type: Optional[str] = None

    @property
    def text(self) -> str:
        """The value as text (undecodable bytes replaced)."""
        return self.value.decode("utf-8", "replace")


class Form:
    """Fields by name; a name may repeat (``ids[]=a&ids[]=b``)."""

    def __init__(self, fields: Optional[dict[str, builtins.list[Part]]] = None) -> None:
        self.fields: dict[str, list[Part]] = fields or {}

    def add(self, name: str, part: Part) -> None:
        """Append a value to a field."""
        self.fields.setdefault(name, []).append(part)

    def part(self, name: str) -> Optional[Part]:
        """The first part of a field, or None."""
        parts = self.fields.get(name)
        return parts[0] if parts else None

    def text(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of a field as text."""
        part = self.part(name)
        return part.text if part is not None else default

    def list(self, name: str) -> builtins.list[str]:
        """All values of ``name[]`` and ``name``, also splitting "a,b" lists."""
        values: list[str] = []
        for key in (f"{name}[]", name):
            for part in self.fields.get(key, []):
                values.extend(v.strip() for v in part.text.split(",") if v.strip())
        return values


def parse_form(content_type: str, body: bytes) -> Form:
    """Read a request body by its Content-Type."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "multipart/form-data":
        return _multipart(content_type, body)
    if kind == "application/json":
        return _json(body)
    # urlencoded, or no type at all (curl -d sends urlencoded by default)
    return _urlencoded(body)


def _urlencoded(body: bytes) -> Form:
    """``a=1&b=%2F``: split with ``find`` and unescaped in pieces, so a large base64
    field costs about one copy of itself, not the twenty that ``parse_qs`` on text made."""
    form = Form()
    view = memoryview(body)
    start, count = 0, 0
    while start <= len(body):
        end = body.find(b"&", start)
        end = len(body) if end < 0 else end
        if end > start:  # empty fields ("a=1&&b=2") are skipped, as parse_qs does
            count += 1
            if count > MAX_FIELDS:
                raise FormError(f"The form has more than {MAX_FIELDS} fields.")
            equals = body.find(b"=", start, end)
            name_end, value_start = (end, end) if equals < 0 else (equals, equals + 1)
            name = _unescape(view[start:name_end]).decode("utf-8", "replace")
            form.add(name, Part(_unescape(view[value_start:end])))
        start = end + 1
    return form


def _unescape(view: memoryview) -> bytes:
    """Undo form encoding (``+`` and ``%XX``) a piece at a time, never cutting an escape in two."""
    out = io.BytesIO()
    start = 0
    while start < len(view):
        end = min(len(view), start + _UNESCAPE_PIECE)
        if end < len(view):
            cut = bytes(view[end - 2 : end]).rfind(b"%")
            if cut >= 0:
                end -= 2 - cut
        out.write(unquote_to_bytes(bytes(view[start:end]).replace(b"+", b" ")))
        start = end
    return out.getvalue()


def _json(body: bytes) -> Form:
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise FormError("The JSON body could not be read.") from exc
    if not isinstance(data, dict):
        raise FormError("The JSON body must be an object.")
    form = Form()
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            form.add(name, Part(str(item).encode("utf-8")))
    return form


def _boundary(content_type: str) -> bytes:
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary or len(boundary) > 200:
        raise FormError("multipart/form-data without a boundary.")
    return boundary.encode("latin-1", "replace")


def _multipart(content_type: str, body: bytes) -> Form:
    delimiter = b"--" + _boundary(content_type)
    start = body.find(delimiter)
    if start < 0:
        raise FormError("The multipart body could not be read (its boundary is missing).")
    form = Form()
    position = start + len(delimiter)
    count = 0
    while not body.startswith(b"--", position):  # "--boundary--" closes the body
        line_end = body.find(b"\n", position)  # the rest of the boundary line
        following = body.find(b"\n" + delimiter, line_end)
        if line_end < 0 or following < 0:
            raise FormError("The multipart body could not be read (it is not closed by its boundary).")
        count += 1
        if count > MAX_FIELDS:
            raise FormError(f"The form has more than {MAX_FIELDS} fields.")
        end = following - 1 if body[following - 1 : following] == b"\r" else following
        _add_part(form, body, line_end + 1, end)
        position = following + 1 + len(delimiter)
    return form


def _add_part(form: Form, body: bytes, start: int, end: int) -> None:
    """One part: header lines, a blank line, then the value (sliced once, never re-parsed)."""
    head_end, gap = _blank_line(body, start, end)
    head = body[start:head_end].decode("utf-8", "replace")
    headers = HeaderParser(policy=policy.HTTP).parsestr(head)
    name = headers.get_param("name", header="content-disposition")
    if not name:
        return
    value = body[head_end + gap : end]
    encoding = (headers.get("Content-Transfer-Encoding") or "").strip().lower()
    if encoding == "base64":
        try:
            value = base64.b64decode(value)
        except (binascii.Error, ValueError) as exc:
            raise FormError("A base64 part of the multipart body could not be read.") from exc
    filename = headers.get_filename()
    part_type = headers.get_content_type() if headers.get("Content-Type") else None
    form.add(str(name), Part(value, filename, part_type))


def _blank_line(body: bytes, start: int, end: int) -> tuple[int, int]:
    """(where the header lines end, the blank line's length) within body[start:end]."""
    if body.startswith(b"\r\n", start):
        return start, 2  # no header lines at all
    if body.startswith(b"\n", start):
        return start, 1
    crlf = body.find(b"\r\n\r\n", start, end)
    lf = body.find(b"\n\n", start, end)
    if crlf >= 0 and (lf < 0 or crlf <= lf):
        return crlf, 4
    if lf >= 0:
        return lf, 2
    raise FormError("The multipart body could not be read (a part has no blank line after its headers).")
