"""How the widgets say things: errors as sentences (secrets redacted), messages as HTML.

Plain functions with no ipywidgets import. An error's sentence is
:func:`imgur_kit.steps.explaining.explain`, the same one the command line prints. Times in words come from
:mod:`imgur_kit.steps.words`; showing a secret as ``abcd…wxyz`` is
:func:`imgur_kit.tokens.mask`; removing secrets from free text is
:func:`imgur_kit.redaction.redact`.
"""

from __future__ import annotations

import html

from imgur_kit.screen import plain_text, web_link


def ok_html(text: str) -> str:
    """*text* (plain) as HTML marked as good news."""
    return f'<span class="imgur-kit-ok">&#10004; {_escaped(text)}</span>'


def problem_html(text: str) -> str:
    """*text* (plain) as HTML marked as a problem, in words too (not only colour)."""
    shown = _escaped(text)
    return f'<span class="imgur-kit-problem" style="color:#b00020">&#10008; Problem: {shown}</span>'


def _escaped(text: str) -> str:
    # Outside text is data: control codes removed, then HTML-escaped.
    return html.escape(plain_text(text), quote=False)


#: Labels shown in full beside their inputs (ipywidgets cuts long descriptions otherwise).
LABEL_STYLE = {"description_width": "initial"}


def link_html(url: str, text: str) -> str:
    """A link that opens in a new tab and looks like a link; only a web address becomes one.

    JupyterLab draws links inside widget HTML in the text colour without an
    underline, so the theme's link colour is asked for explicitly. An address a server
    chose may be ``javascript:...``: that one is shown as text, never made clickable.
    """
    target = web_link(url)
    if target is None:
        return note_html(f"{text} (the server gave no web address for it: {url})")
    return (
        f'<a href="{html.escape(target)}" target="_blank" rel="noopener noreferrer" '
        f'style="color: var(--jp-content-link-color, #1976d2); text-decoration: underline">'
        f"{_escaped(text)}</a>"
    )


def note_html(text: str) -> str:
    """*text* (plain) as neutral HTML."""
    return f'<span class="imgur-kit-note">{_escaped(text)}</span>'


#: What a widget's saved text says about the widget itself; true wherever the text is read.
STANDS_IN = "It takes the place of this text when the cell runs in JupyterLab or another front end that draws widgets."


class PlainRepr:
    """Mix-in giving a widget a text that makes sense where widgets cannot be drawn.

    A widget's ``text/plain`` output is what GitHub, nbviewer, a terminal or a
    front end without the widget extension shows in its place, what JupyterLab shows
    in a saved notebook before the cell runs, and what nbval compares. So it is a
    sentence that is true in all of those places: which widget this is, that it
    appears when the cell runs (:data:`STANDS_IN`, not "run it in JupyterLab",
    which a person reading it in JupyterLab takes for a fault), and the
    plain-Python way to do the same. It holds nothing volatile (ports, states,
    times) and nothing secret. ``_title`` is a noun phrase ("the credentials form,
    ..."), ``_alternative`` the plain way.
    """

    _title = "an imgur-kit control"
    _alternative = ""

    def __repr__(self) -> str:
        text = f"A widget: {self._title}. {STANDS_IN}"
        return f"{text} No widgets? {self._alternative}" if self._alternative else text

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets cuts text/plain at 110 characters; the fallback sentence must stay whole.
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]  # the widget class, mixed in after
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
        return bundle
