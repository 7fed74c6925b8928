"""Random identifiers shaped like the live service's.

Every known public example shows a 15-character lowercase hex Client ID and
40-character hex secrets, tokens and codes; image and album ids are 7
alphanumeric characters and deletehashes 15. Matching those shapes lets the
client's format warnings be tested against something realistic.
"""

from __future__ import annotations

import secrets
import string

_ALNUM = string.ascii_letters + string.digits


def client_id() -> str:
    """A Client ID: 15 lowercase hex characters."""
    return secrets.token_hex(8)[:15]


def hex40() -> str:
    """A secret, token or authorization code: 40 lowercase hex characters."""
    return secrets.token_hex(20)


def pin() -> str:
    """A PIN as shown on the PIN page: 10 lowercase hex characters."""
    return secrets.token_hex(5)


def short_id(length: int = 7) -> str:
    """An image or album id: ``length`` letters and digits."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def deletehash() -> str:
    """A deletehash: 15 letters and digits."""
    return short_id(15)


def mask(secret: str) -> str:
    """Show only the ends of a secret ("abcd…wxyz"), so reprs never leak it."""
    if len(secret) < 12:
        return "…"
    return f"{secret[:4]}…{secret[-4:]}"
