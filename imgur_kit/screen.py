"""What may reach a person's screen from outside: text without control codes, links only to the web.

A server chooses much of what the kit shows (error words, titles, account names, links,
deletehashes), and so does whoever wrote a file the kit reads. In a terminal, an escape
sequence in such text can retitle the window, clear the screen or draw a fake hyperlink;
in a widget, a ``javascript:`` link would run code when clicked. So every front end passes
outside text through :func:`plain_text`, and makes a link only from :func:`web_link`.
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = ["plain_text", "web_link"]

# ESC sequences first (CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \\", and any other
# "ESC x"), so that no stray parameters are left behind; then the control characters
# themselves: C0 but tab and newline, DEL, C1 (which terminals also obey, e.g. U+009B as CSI),
# and the bidirectional overrides that can make text read other than it is.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\x20-\x7e]?|\x9b[0-?]*[ -/]*[@-~]?"
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A lone surrogate is how Python carries a byte that did not decode (a file name or argument in
# another encoding); no stream can encode it, so it is shown as the replacement character.
_SURROGATES = re.compile("[\ud800-\udfff]")


def plain_text(text: str, *, keep_carriage_return: bool = False) -> str:
    """``text`` with every escape sequence and control character removed (tab and newline stay).

    ``keep_carriage_return`` keeps a leading ``\\r``: the kit's own progress bar redraws its line
    with it. Anywhere else a carriage return could hide what came before it, so it goes.
    """
    if not isinstance(text, str):
        text = str(text)
    lead = "\r" if keep_carriage_return and text.startswith("\r") else ""
    return lead + _SURROGATES.sub("\ufffd", _CONTROLS.sub("", _SEQUENCES.sub("", text)))


def web_link(url: object) -> Optional[str]:
    """``url`` when it is a web address (``http://`` or ``https://``, or a path on this page), else None.

    A ``javascript:``, ``data:`` or ``file:`` address from a server never becomes a link.
    """
    if not isinstance(url, str):
        return None
    cleaned = plain_text(url).strip()
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if scheme is None:
        # No scheme: a path on the page's own origin (the proxy links on Binder), unless it
        # is protocol-relative ("//evil.example") or could be read as one.
        return cleaned if cleaned.startswith("/") and not cleaned.startswith(("//", "/\\")) else None
    return cleaned if scheme.group(1).lower() in ("http", "https") else None
