"""Form bodies: multipart/form-data, application/x-www-form-urlencoded and JSON, read as they arrive.

A :class:`FormReader` is fed the body in pieces straight off the socket. Multipart
parts and urlencoded values are written to :class:`~.spool.Value` objects as their
bytes arrive (a large one moves to a private file in the state folder), so reading
an upload holds a piece or two of it in memory, never the whole. ``cgi`` is gone in
Python 3.13: the boundary is looked for here, with ``bytes.find`` over the few pieces
at hand, and the email package reads each part's few header lines (RFC 2231
filenames and all). JSON bodies (never an upload in practice) are read whole, within
the server's limit on a body.

The server reads every body this way before routing; a handler calls
``parse_form(req.content_type, req.body)`` and gets the form, or the FormError met
while reading it. ``parse_form`` also reads a body given as bytes.
"""

from __future__ import annotations

import binascii
import builtins
import json
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import HeaderParser
from typing import Optional, Union
from urllib.parse import unquote_to_bytes

from .spool import PIECE, Spool, Value

#: More fields than any form or upload has; beyond it the body is refused.
MAX_FIELDS = 1000
#: A field name, or a multipart part's header lines, longer than this is refused.
MAX_NAME = 8 * 1024
_BASE64_KEEP = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_BASE64_DROP = bytes(b for b in range(256) if b not in _BASE64_KEEP)


class FormError(ValueError):
    """The body could not be read as the form its Content-Type claims."""


class Part:
    """One form field: its content (bytes, or a Value read as it arrived), and for a file,
    its filename and type."""

    __slots__ = ("content", "filename", "content_type")

    def __init__(
        self, content: Union[Value, bytes], filename: Optional[str] = None, content_type: Optional[str] = None
    ) -> None:
        self.content = content if isinstance(content, Value) else Value.of(bytes(content))
        self.filename = filename
        self.content_type = content_type

    @property
    def value(self) -> bytes:
        """The whole value as bytes (read back from its file when it was large)."""
        return self.content.read()

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


@dataclass(frozen=True)
class ReadBody:
    """A request body as the server read it: its form, or why it is not one."""

    form: Optional[Form]
    error: Optional[FormError]
    size: int


def parse_form(content_type: str, body: Union[bytes, ReadBody]) -> Form:
    """The form of a request body (raises FormError): one the server read, or bytes."""
    if isinstance(body, ReadBody):
        if body.error is not None:
            raise body.error
        return body.form or Form()
    reader = FormReader(content_type, Spool())
    view = memoryview(body)
    for start in range(0, len(view), PIECE):  # as the server does: unescaping a piece at a time stays small
        reader.feed(bytes(view[start : start + PIECE]))
    return reader.close()


class FormReader:
    """Reads a body fed in pieces (``feed``) as the form its Content-Type names (``close``).

    After a FormError the rest of the body is still taken (and dropped), so the
    connection stays in step; ``close`` raises the error.
    """

    def __init__(self, content_type: str, spool: Spool) -> None:
        kind = content_type.split(";", 1)[0].strip().lower()
        self.size = 0
        self._error: Optional[FormError] = None
        self._parser: Union[_Multipart, _Json, _Urlencoded]
        try:
            if kind == "multipart/form-data":
                self._parser = _Multipart(_boundary(content_type), spool)
            elif kind == "application/json":
                self._parser = _Json()
            else:  # urlencoded, or no type at all (curl -d sends urlencoded by default)
                self._parser = _Urlencoded(spool)
        except FormError as exc:
            self._error = exc

    def feed(self, data: bytes) -> None:
        """Take the next piece of the body."""
        self.size += len(data)
        if self._error is None and data:
            try:
                self._parser.feed(data)
            except FormError as exc:
                self._error = exc

    def close(self) -> Form:
        """The form, once the whole body was fed (raises FormError)."""
        if self._error is None:
            try:
                return self._parser.close()
            except FormError as exc:
                self._error = exc
        raise self._error

    def read_body(self) -> ReadBody:
        """What was read, as the server hands it to the handlers."""
        try:
            return ReadBody(self.close(), None, self.size)
        except FormError as exc:
            return ReadBody(None, exc, self.size)


class _Fields:
    """Counts fields as they are added, to refuse a body of thousands."""

    def __init__(self) -> None:
        self.form = Form()
        self.count = 0

    def add(self, name: str, part: Part) -> None:
        self.count += 1
        if self.count > MAX_FIELDS:
            raise FormError(f"The form has more than {MAX_FIELDS} fields.")
        self.form.add(name, part)


class _Unescaper:
    """Undoes form encoding (``+`` and ``%XX``) piece by piece, never cutting an escape in two."""

    def __init__(self, into: Value) -> None:
        self.into = into
        self._pending = b""

    def feed(self, data: bytes) -> None:
        data = self._pending + data
        cut = len(data)
        if data[-1:] == b"%":
            cut -= 1
        elif data[-2:-1] == b"%":
            cut -= 2
        self._pending = data[cut:]
        self.into.write(unquote_to_bytes(data[:cut].replace(b"+", b" ")))

    def close(self) -> Value:
        self.into.write(unquote_to_bytes(self._pending.replace(b"+", b" ")))
        self._pending = b""
        self.into.finish()
        return self.into


class _Urlencoded:
    """``a=1&b=%2F``: names kept in memory (short), values written to Values as they come."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._fields = _Fields()
        self._name = bytearray()
        self._value: Optional[_Unescaper] = None
        self._started = False  # this field has a byte (empty fields, "a=1&&b=2", are skipped)

    def feed(self, data: bytes) -> None:
        pos = 0
        while pos < len(data):
            self._started = True
            amp = data.find(b"&", pos)
            end = len(data) if amp < 0 else amp
            if self._value is None:
                equals = data.find(b"=", pos, end)
                self._name += data[pos : end if equals < 0 else equals]
                if len(self._name) > MAX_NAME:
                    raise FormError(f"A field name of the form is longer than {MAX_NAME} bytes.")
                if equals >= 0:
                    self._value = _Unescaper(self._spool.value())
                    self._value.feed(data[equals + 1 : end])
            else:
                self._value.feed(data[pos:end])
            if amp < 0:
                return
            self._end_field()
            pos = amp + 1

    def _end_field(self) -> None:
        if self._started:
            name = unquote_to_bytes(bytes(self._name).replace(b"+", b" ")).decode("utf-8", "replace")
            content = self._value.close() if self._value is not None else Value.of(b"")
            self._fields.add(name, Part(content))
        self._name = bytearray()
        self._value = None
        self._started = False

    def close(self) -> Form:
        self._end_field()
        return self._fields.form


class _Json:
    def __init__(self) -> None:
        self._body = bytearray()

    def feed(self, data: bytes) -> None:
        self._body += data

    def close(self) -> Form:
        try:
            data = json.loads(bytes(self._body) or b"{}")
        except (ValueError, RecursionError) as exc:
            raise FormError("The JSON body could not be read.") from exc
        if not isinstance(data, dict):
            raise FormError("The JSON body must be an object.")
        fields = _Fields()
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                fields.add(name, Part(str(item).encode("utf-8")))
        return fields.form


def _boundary(content_type: str) -> bytes:
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary or len(boundary) > 200:
        raise FormError("multipart/form-data without a boundary.")
    return boundary.encode("latin-1", "replace")


class _Multipart:
    """Splits a multipart body at its boundary as the pieces come.

    States: before the first boundary ("preamble"), the rest of a boundary line
    ("line"), a part's header lines ("head"), its value ("value"), after the
    closing boundary ("done"). Only what could still be the start of a boundary
    is held back between pieces.
    """

    def __init__(self, boundary: bytes, spool: Spool) -> None:
        self._delimiter = b"--" + boundary
        self._next = b"\n" + self._delimiter  # a boundary inside the body starts a line
        self._spool = spool
        self._fields = _Fields()
        self._buffer = bytearray()
        self._state = "preamble"
        self._part: Optional[tuple[Optional[str], Optional[str], Optional[str], str, Value]] = None

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while self._step():
            pass

    def _step(self) -> bool:
        """Handle what the buffer holds; True when it should be called again."""
        buffer = self._buffer
        if self._state == "preamble":
            found = buffer.find(self._delimiter)
            if found < 0:
                del buffer[: max(0, len(buffer) - len(self._delimiter))]
                return False
            del buffer[: found + len(self._delimiter)]
            self._state = "line"
            return True
        if self._state == "line":
            if len(buffer) < 2:
                return False
            if buffer.startswith(b"--"):  # "--boundary--" closes the body
                self._state = "done"
                return True
            end = buffer.find(b"\n")
            if end < 0:
                if len(buffer) > MAX_NAME:
                    raise FormError("The multipart body could not be read (a boundary line never ends).")
                return False
            del buffer[: end + 1]
            self._state = "head"
            return True
        if self._state == "head":
            return self._head()
        if self._state == "value":
            return self._value()
        buffer.clear()  # "done": the epilogue is ignored
        return False

    def _head(self) -> bool:
        buffer = self._buffer
        start, gap = _blank_line(buffer)
        boundary = buffer.find(self._next)
        if start < 0 or (0 <= boundary < start):
            if boundary >= 0:
                raise FormError("The multipart body could not be read (a part has no blank line after its headers).")
            if len(buffer) > MAX_NAME:
                raise FormError(f"A part of the multipart body has more than {MAX_NAME} bytes of header lines.")
            return False
        headers = HeaderParser(policy=policy.HTTP).parsestr(bytes(buffer[:start]).decode("utf-8", "replace"))
        del buffer[: start + gap]
        name = headers.get_param("name", header="content-disposition")
        encoding = (headers.get("Content-Transfer-Encoding") or "").strip().lower()
        part_type = headers.get_content_type() if headers.get("Content-Type") else None
        name_text = str(name) if name else None
        self._part = (name_text, headers.get_filename(), part_type, encoding, self._spool.value())
        self._state = "value"
        return True

    def _value(self) -> bool:
        assert self._part is not None
        buffer, value = self._buffer, self._part[4]
        found = buffer.find(self._next)
        if found < 0:
            # Keep what could be the start of "\r\n--boundary"; the rest is the value's for sure.
            keep = len(self._next) + 1
            if len(buffer) > keep:
                value.write(memoryview(buffer)[: len(buffer) - keep])
                del buffer[: len(buffer) - keep]
            return False
        end = found - 1 if buffer[found - 1 : found] == b"\r" else found
        value.write(memoryview(buffer)[:end])
        del buffer[: found + len(self._next)]
        self._end_part()
        self._state = "line"
        return True

    def _end_part(self) -> None:
        assert self._part is not None
        name, filename, part_type, encoding, value = self._part
        self._part = None
        value.finish()
        if not name:
            value.discard()
            return
        if encoding == "base64":
            decoded = self._spool.value()
            try:
                base64_decode(value, decoded)
            except (binascii.Error, ValueError) as exc:
                raise FormError("A base64 part of the multipart body could not be read.") from exc
            finally:
                value.discard()
            value = decoded
        self._fields.add(name, Part(value, filename, part_type))

    def close(self) -> Form:
        if self._state == "preamble":
            raise FormError("The multipart body could not be read (its boundary is missing).")
        if self._state != "done":
            raise FormError("The multipart body could not be read (it is not closed by its boundary).")
        return self._fields.form


def _blank_line(buffer: bytearray) -> tuple[int, int]:
    """(where the header lines end, the blank line's length), or (-1, 0) when not there yet."""
    if buffer.startswith(b"\r\n"):
        return 0, 2  # no header lines at all
    if buffer.startswith(b"\n"):
        return 0, 1
    crlf = buffer.find(b"\r\n\r\n")
    lf = buffer.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf <= lf):
        return crlf, 4
    if lf >= 0:
        return lf, 2
    return -1, 0


def base64_decode(source: Value, into: Value, start: int = 0) -> None:
    """Decode base64 text (from byte ``start`` of ``source``) into ``into``, a piece at a time.

    As ``base64.b64decode`` without ``validate``: characters outside the alphabet are
    skipped and decoding ends at padding; raises binascii.Error when the text cannot
    be decoded. Each piece is decoded on a four-character boundary, so the result is
    the same as decoding the whole at once.
    """
    carry = b""
    for piece in source.pieces(start):
        carry += piece.translate(None, _BASE64_DROP)
        if b"=" in carry:
            # Padding: decoding stops there. Held until the end unless the text goes on and on.
            if len(carry) <= 4096:
                continue
            into.write(binascii.a2b_base64(carry))
            carry = b""
            break
        cut = len(carry) - len(carry) % 4
        into.write(binascii.a2b_base64(carry[:cut]))
        carry = carry[cut:]
    if carry:
        into.write(binascii.a2b_base64(carry))
    into.finish()
