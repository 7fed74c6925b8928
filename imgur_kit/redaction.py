"""Secrets out of any text the kit shows: :func:`redact`.

A server's message, an exception's words or a pasted address may carry a token, a code or a
secret; every message that quotes outside text passes it through :func:`redact` first.
"""

from __future__ import annotations

import re

__all__ = ["redact"]

# Labelled values (access_token=..., Bearer ...) are hidden whatever their shape; other
# runs by their shape (see _secret_shaped). Client IDs (15 hex) are not secret and stay readable.
_LABELLED = re.compile(
    r"(?i)\b(access_token|refresh_token|client_secret|code|pin|password|secret|token)"
    r"(\s*[=:]\s*|\"\s*:\s*\")([^\s&\"',;]+)"
)
_SCHEME = re.compile(r"(?i)\b(Bearer|Client-ID)\s+([^\s\"',;]+)")
# Runs of token characters, matched whole and judged by code: a pattern that looked
# ahead from every position took seconds on long server bodies (quadratic).
_RUN = re.compile(r"[A-Za-z0-9_\-]+")
_HEX = frozenset("0123456789abcdefABCDEF")


def _secret_shaped(run: str) -> bool:
    # Why these shapes: Imgur tokens, codes and secrets are 40 hex characters; other
    # services' tokens are long runs mixing letters and digits.
    if len(run) >= 32 and "-" not in run and "_" not in run and set(run) <= _HEX:
        return True
    return len(run) >= 24 and any(c.isdigit() for c in run) and any(c.isalpha() for c in run)


def redact(text: str) -> str:
    """``text`` with anything that looks like a token or secret replaced by ``…``.

    Linear in the length of ``text``, whatever it holds.
    """
    text = _LABELLED.sub(lambda m: f"{m.group(1)}{m.group(2)}…", text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)} …" if m.group(1).lower() == "bearer" else m.group(0), text)
    return _RUN.sub(lambda m: "…" if _secret_shaped(m.group(0)) else m.group(0), text)
