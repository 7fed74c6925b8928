"""Notebook 00's question "do widgets show here?": a number box and a label that follows it."""

from __future__ import annotations

import ipywidgets as widgets

from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr


class WidgetCheck(PlainRepr, widgets.HBox):
    """A number box (``number``) and a label (``echo``) linked in the browser, not in the kernel.

    The link is a ``jslink``: the label follows only when the front end draws
    widgets, which is exactly what the check is about.
    """

    _title = "a number box, and beside it a label that repeats the number as you change it"

    def __init__(self, value: int = 3):
        self.number = widgets.BoundedIntText(
            value=value, min=0, max=10, description="Type a number:", style=LABEL_STYLE
        )
        self.echo = widgets.Label(description="The number you typed:")
        widgets.jslink((self.number, "value"), (self.echo, "value"))
        super().__init__(children=[self.number, self.echo])


def widget_check(value: int = 3) -> WidgetCheck:
    """The widget check of notebook 00: does this front end draw widgets?

    No widgets? Then this shows as a sentence instead of a box; notebook 00 says what helps.
    """
    return WidgetCheck(value)
