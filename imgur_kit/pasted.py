"""What people paste: the one place pasted text is cleaned and checked.

Copying from web pages, e-mails and chat apps brings along whitespace, quotes, invisible
characters, full-width digits, labels such as ``Client ID:`` and whole table rows.
:func:`normalized` and :func:`clean_pasted` take those away; :func:`unsendable` and
:func:`checked_client_id` / :func:`checked_secret` refuse what can still not be right,
in a sentence that never repeats the value. Pastes longer than :data:`MAX_PASTE`
characters are refused before any pattern reads them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from .errors import CredentialsError

__all__ = [
    "MAX_PASTE",
    "checked_client_id",
    "checked_secret",
    "clean_pasted",
    "form_text",
    "normalized",
    "unsendable",
]

SETTINGS_URL = "https://imgur.com/account/settings/apps"
#: The longest paste read. A settings-page row or a browser address is far shorter.
MAX_PASTE = 16 * 1024

# Characters people bring along when copying from web pages and chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
WRAPPERS = "\"'`\u2018\u2019\u201c\u201d<>()[]{}"
# "Client ID: x", "client_id=x", "Client-ID x", "Client secret  x", "Authorization: Client-ID x"
_LABELLED = re.compile(r"(?i)\b(client[\s_-]?id|client[\s_-]?secret)\b\s*[:=]?\s*[\"'`<]?([^\s\"'`<>&,;]+)")
_PREFIX = re.compile(r"(?i)^(authorization\s*:\s*)?(client[\s_-]?id|bearer)\s*[:=]?\s+")
HEX15 = re.compile(r"^[0-9a-f]{15}$")
HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")


def form_text(value: object) -> str:
    """``value`` as text that can be sent as UTF-8 (a title, a description, a file name).

    A file name or a command-line argument in an older encoding (Latin-1, say) reaches
    Python with its undecodable bytes as lone surrogates, which no encoder accepts: the
    upload would fail half-way. Those bytes are read as UTF-8 when they are, else as
    Latin-1 (so ``café`` stays ``café``); any other lone surrogate becomes ``?``.
    """
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def normalized(text: str) -> str:
    """``text`` without invisible characters, with full-width letters and digits and no-break spaces made plain."""
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE))


def unwrapped(text: str) -> str:
    """``text`` :func:`normalized`, without the whitespace, quotes and brackets around it (however deep)."""
    text = normalized(text)
    previous = None
    while text != previous:
        previous = text
        text = text.strip(" \t\r\n" + WRAPPERS)
    return text


def unsendable(value: str) -> Optional[str]:
    """What makes ``value`` unfit for an HTTP header, in words (never the value), or None.

    Imgur's Client IDs, secrets and tokens are visible ASCII; a line break, a space,
    a control character or a non-ASCII letter inside one is a copying accident, and
    would otherwise fail deep inside the HTTP library with the value in the message.
    """
    for position, char in enumerate(value, start=1):
        if "\x21" <= char <= "\x7e":
            continue
        if char in "\r\n":
            kind = "a line break"
        elif char.isspace():
            kind = "a space"
        elif ord(char) < 32 or ord(char) == 127:
            kind = "a control character"
        else:
            kind = "a non-ASCII character"
        return f"{kind} (character {position} of {len(value)})"
    return None


def clean_pasted(text: str, *, field: Optional[str] = None) -> str:
    """The value inside whatever a person pasted.

    Strips whitespace, invisible characters, quotes and brackets, a ``Client-ID ``
    or ``Bearer `` prefix, and labels such as ``Client ID:`` or ``client_id=``. From a
    line holding several labelled values (a row copied from the settings page, or an
    authorize URL), ``field`` ("client_id" or "client_secret") picks the one wanted.
    """
    if text is None:
        return ""
    text = str(text)
    if len(text) > MAX_PASTE:
        raise CredentialsError(
            f"The pasted text is {len(text):,} characters long; a Client ID, Secret or token is under 100. "
            f"Copy just the value from {SETTINGS_URL} and paste it again."
        )
    text = normalized(text).strip()
    labelled: dict[str, str] = {}
    for match in _LABELLED.finditer(text):
        key = "client_secret" if "secret" in match.group(1).lower() else "client_id"
        labelled.setdefault(key, match.group(2))
    if labelled:
        if field in labelled or field is None:
            text = labelled.get(field or "") or next(iter(labelled.values()))
        else:
            # The wanted value is not labelled: it is what is left once the labelled parts go.
            shape = HEX40 if field == "client_secret" else HEX15
            rest = [w.strip(WRAPPERS) for w in _LABELLED.sub(" ", text).split()]
            fitting = [w for w in rest if shape.match(w)]
            text = fitting[0] if fitting else next(iter(labelled.values()))
    previous = None
    while text != previous:
        previous = text
        text = _PREFIX.sub("", text.strip()).strip().strip(WRAPPERS).strip()
    parts = text.split()
    if len(parts) > 1:
        # A whole row copied from a page: keep the word shaped like what we want.
        wanted = HEX40 if field == "client_secret" else HEX15 if field == "client_id" else None
        fitting = [p.strip(WRAPPERS) for p in parts if wanted and wanted.match(p.strip(WRAPPERS))]
        if fitting:
            text = fitting[0]
    return text


def checked_client_id(text: Optional[str]) -> str:
    """The Client ID in ``text`` (cleaned as pasted), or a :class:`CredentialsError` saying what is wrong.

    Format oddities are left to warnings, except a 40-character hex value: that is the
    shape of a secret or token, and refusing it keeps it out of reprs and headers.
    """
    if text is not None and not isinstance(text, str):
        raise CredentialsError(f"The Client ID must be text, not {type(text).__name__}. Copy it from {SETTINGS_URL}.")
    client_id = clean_pasted(text or "", field="client_id")
    if not client_id:
        raise CredentialsError(
            f"The Client ID is empty. Copy it from {SETTINGS_URL} (or the email Imgur sent when "
            "you registered the application) and paste it again."
        )
    problem = unsendable(client_id)
    if problem:
        raise CredentialsError(
            f"The Client ID contains {problem}, which Imgur's Client IDs never have. Copy it again from "
            f"{SETTINGS_URL}, exactly as shown."
        )
    if HEX40.match(client_id):
        raise CredentialsError(
            "The Client ID field holds a 40-character value: that is the shape of a Client Secret (or a "
            f"token), not of a Client ID (15 characters). Paste the Client ID from {SETTINGS_URL} here, "
            "and the Secret in its own field."
        )
    return client_id


def checked_secret(text: Optional[str]) -> Optional[str]:
    """The Client Secret in ``text`` (cleaned as pasted), None when empty, or a :class:`CredentialsError`."""
    if text is not None and not isinstance(text, str):
        raise CredentialsError("The Client Secret must be text. Copy it again from the settings page.")
    secret = clean_pasted(text, field="client_secret") if text else None
    problem = unsendable(secret) if secret else None
    if problem:
        raise CredentialsError(
            f"The Client Secret contains {problem}, which Imgur's secrets never have. Copy it again from "
            f"{SETTINGS_URL} (or generate a new one there)."
        )
    return secret or None
