"""Form bodies: multipart/form-data, application/x-www-form-urlencoded and JSON.

``cgi`` is gone in Python 3.13, so multipart bodies are read with the email
package, which already understands MIME boundaries, RFC 2231 filenames and
binary parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from typing import Dict, List, Optional
from urllib.parse import parse_qs


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

    def __init__(self, fields: Optional[Dict[str, List[Part]]] = None) -> None:
        self.fields: Dict[str, List[Part]] = fields or {}

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

    def list(self, name: str) -> List[str]:
        """All values of ``name[]`` and ``name``, also splitting "a,b" lists."""
        values: List[str] = []
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
    form = Form()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    for name, values in parse_qs(text, keep_blank_values=True).items():
        for value in values:
            form.add(name, Part(value.encode("utf-8")))
    return form


def _json(body: bytes) -> Form:
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise FormError("The JSON body could not be read.") from exc
    if not isinstance(data, dict):
        raise FormError("The JSON body must be an object.")
    form = Form()
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            form.add(name, Part(str(item).encode("utf-8")))
    return form


def _multipart(content_type: str, body: bytes) -> Form:
    if "boundary=" not in content_type:
        raise FormError("multipart/form-data without a boundary.")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise FormError("The multipart body could not be read.")
    form = Form()
    for item in message.iter_parts():
        name = item.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = item.get_payload(decode=True)
        if payload is None:
            payload = b""
        filename = item.get_filename()
        part_type = item.get_content_type() if item.get("Content-Type") else None
        form.add(str(name), Part(payload, filename, part_type))
    return form
