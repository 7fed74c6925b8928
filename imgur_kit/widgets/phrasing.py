"""How the widgets say things: errors as sentences, times as words, secrets masked.

Plain functions with no ipywidgets import, shared by the widgets and by the
plain-Python steps in :mod:`imgur_kit.widgets.actions`.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

from imgur_kit.errors import ImgurError, redact

# A second line of defence for messages we did not write ourselves (an unexpected
# exception): our own errors never carry secrets, but a library's might.
scrub = redact


def explain(exc: BaseException) -> str:
    """One sentence about *exc* for a person, never a traceback.

    The kit's own errors already say what happened and what to do; anything
    else gets a plain sentence with the kind of error and its (scrubbed) message.
    """
    if isinstance(exc, ImgurError):
        return str(exc)
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc) or type(exc).__name__
        return f"The computer refused the operation ({scrub(detail)}). Check the address, port or folder and try again."
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = f": {scrub(detail)}" if detail else ""
    return (f"Something unexpected went wrong ({type(exc).__name__}{detail}). "
            "Try again; if it keeps happening, please report it with the steps that led here.")


def duration_words(seconds: float) -> str:
    """A rough, friendly length of time: "45 seconds", "3 hours", "10 years"."""
    seconds = abs(float(seconds))
    units = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
    for name, size in units:
        if seconds >= size:
            # Round, not floor: a ten-year token is 3650 days, which is "10 years" to a person.
            count = max(1, round(seconds / size))
            return f"{count} {name}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def expiry_words(expires_at: datetime | None, *, now: datetime | None = None) -> str:
    """When a token expires, in words: "expires in 10 years (2036-11-25 18:00 UTC)".

    ``None`` means the server did not say ("no expiry was given").
    """
    if expires_at is None:
        return "no expiry time was given"
    now = now or datetime.now(timezone.utc)
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=timezone.utc)
    stamp = expires_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    left = (expires_at - now).total_seconds()
    if left <= 0:
        return f"expired {duration_words(left)} ago ({stamp})"
    return f"expires in {duration_words(left)} ({stamp})"


def ok_html(text: str) -> str:
    """*text* (plain) as HTML marked as good news."""
    return f'<span class="imgur-kit-ok">&#10004; {html.escape(text, quote=False)}</span>'


def problem_html(text: str) -> str:
    """*text* (plain) as HTML marked as a problem, in words too (not only colour)."""
    return f'<span class="imgur-kit-problem" style="color:#b00020">&#10008; Problem: {html.escape(text, quote=False)}</span>'


#: Labels shown in full beside their inputs (ipywidgets cuts long descriptions otherwise).
LABEL_STYLE = {"description_width": "initial"}


def link_html(url: str, text: str) -> str:
    """A link that opens in a new tab and looks like a link.

    JupyterLab draws links inside widget HTML in the text colour without an
    underline, so the theme's link colour is asked for explicitly.
    """
    return (f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer" '
            f'style="color: var(--jp-content-link-color, #1976d2); text-decoration: underline">'
            f'{html.escape(text, quote=False)}</a>')


def note_html(text: str) -> str:
    """*text* (plain) as neutral HTML."""
    return f'<span class="imgur-kit-note">{html.escape(text, quote=False)}</span>'


class PlainRepr:
    """Mix-in giving a widget a short, stable ``repr``.

    A widget's ``repr`` is its ``text/plain`` output: what nbval compares, and
    what a front end without widgets shows instead of the widget. So it names
    the widget and its plain-Python alternative, and holds nothing volatile
    (ports, states, times) and nothing secret.
    """

    _title = "imgur-kit widget"
    _alternative = ""

    def __repr__(self) -> str:
        alternative = f" No widgets? {self._alternative}" if self._alternative else ""
        return f"<{self._title}.{alternative}>"
