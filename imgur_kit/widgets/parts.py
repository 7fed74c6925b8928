"""Parts the sign-in widgets share: a secret field, a paste box and a redirect listener.

Each is built once here and composed by the widgets that need it (the credentials
form, the quick login, the authorize panel), so a fix to one reaches them all.
"""

from __future__ import annotations

from typing import Callable, Optional

import ipywidgets as widgets

from imgur_kit.steps.loopback_capture import LoopbackCapture, busy_port_advice
from imgur_kit.tokens import mask
from imgur_kit.widgets.phrasing import LABEL_STYLE

__all__ = ["SECRET_PLACEHOLDER", "PasteBox", "SecretField", "start_listener"]

SECRET_PLACEHOLDER = "40 characters; emptied once read"
RECEIVED_ADDRESS = 'Received an address; press "Use it".'


class SecretField:
    """A Password box whose value moves into the kernel the moment it arrives.

    A value left in the widget would be written into the notebook file whenever widget
    state is saved ("Save Widget State Automatically"), even if no button were ever
    pressed; only its masked form stays visible, in the placeholder. ``box`` is the
    widget. The secret goes to *on_received* when one is given, else it waits for
    :meth:`take`.
    """

    def __init__(
        self,
        layout: widgets.Layout,
        *,
        hint_after: str = "",
        on_received: Optional[Callable[[str], None]] = None,
    ):
        self._hint_after = hint_after
        self._on_received = on_received
        self._received: str | None = None
        # continuous_update=False: the secret reaches the kernel once, whole (on Enter or
        # when the field loses focus), and is taken out of the widget at that moment.
        self.box = widgets.Password(
            description="Client Secret:",
            placeholder=SECRET_PLACEHOLDER,
            style=LABEL_STYLE,
            layout=layout,
            continuous_update=False,
        )
        self.box.observe(self._arrived, names="value")

    def _arrived(self, change) -> None:
        secret = change["new"]
        if not secret:
            return
        self.box.value = ""
        self.box.placeholder = f"received {mask(secret)}{self._hint_after}"
        if self._on_received is not None:
            self._on_received(secret)
        else:
            self._received = secret

    def take(self) -> str | None:
        """The secret received since the last call (or None); the box shows its first hint again."""
        secret, self._received = self._received, None
        self.box.placeholder = SECRET_PLACEHOLDER
        return secret


class PasteBox:
    """A box for the address the browser ended on and its "Use it" button.

    The address carries the token, so it leaves the widget the moment it arrives (saved
    widget state must never hold it). A click can reach the kernel before the box's value
    does (ipywidgets holds state updates back while the kernel is busy, yet sends a click at
    once): then *on_empty* says so, and the address is used as soon as it arrives.
    *on_address* receives the address. The box's hint says "Received an address" until the
    widget that owns it sets ``text.placeholder`` again. ``text``, ``use_button`` and ``row`` are the widgets.
    """

    def __init__(
        self,
        *,
        placeholder: str,
        tooltip: str,
        layout: widgets.Layout,
        on_address: Callable[[str], None],
        on_empty: Callable[[], None],
    ):
        self._on_address = on_address
        self._on_empty = on_empty
        self._received: str | None = None
        self._click_waiting = False
        # continuous_update=False: the address arrives whole (Enter, or leaving the box).
        self.text = widgets.Text(
            description="Paste where your browser ended:",
            placeholder=placeholder,
            style=LABEL_STYLE,
            layout=layout,
            continuous_update=False,
        )
        self.use_button = widgets.Button(description="Use it", icon="sign-in", tooltip=tooltip)
        self.row = widgets.HBox([self.text, self.use_button])
        self.text.observe(self._arrived, names="value")
        self.use_button.on_click(lambda _b: self.use())

    def _arrived(self, change) -> None:
        if change["new"]:
            self._received = change["new"]
            self.text.value = ""
            self.text.placeholder = RECEIVED_ADDRESS
            if self._click_waiting:  # "Use it" was pressed before the address arrived
                self.use()

    def use(self) -> None:
        """Hand the pasted address on, or say the box is empty and wait for it."""
        text, self._received = self._received or "", None
        if not text.strip():
            self._click_waiting = True
            self._on_empty()
            return
        self._click_waiting = False
        self._on_address(text)

    def answered(self) -> None:
        """The answer arrived another way (the listener caught it): a click waiting here is over."""
        self._click_waiting = False


def start_listener(
    target: tuple[int, str], *, on_result: Callable[[str], None], state_of: Callable[[], str | None]
) -> tuple[LoopbackCapture | None, str]:
    """A started listener for Imgur's redirect at *target* (port, path) taking answers with the
    state *state_of* gives now; or None and the sentence saying the port is taken and what to do."""
    port, path = target
    try:
        return LoopbackCapture(port, path=path, on_result=on_result, state=state_of).start(), ""
    except OSError:
        return None, busy_port_advice(port, path)
