"""The address behind a widget's link, as a browser would follow it (shared by the widget tests).

Imported by name (``from widget_links import link_of``): pytest puts this folder on the path.
"""

from __future__ import annotations

from html import unescape


def link_in(html_value: str) -> str:
    """The first link's address in a piece of widget HTML, its entities (``&amp;``) undone."""
    return unescape(html_value.split('href="', 1)[1].split('"', 1)[0])


def link_of(widget) -> str:
    """The address of a widget's ``link`` part (the authorize panel's, the quick login's)."""
    return link_in(widget.link.value)
