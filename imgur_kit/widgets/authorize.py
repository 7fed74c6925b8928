"""Widgets for OAuth: the authorize panel (link, paste box, local capture) and the token panel."""

from __future__ import annotations

import ipywidgets as widgets

from imgur_kit import steps
from imgur_kit.steps import BINDER, COLAB, HUB, LOCAL, REMOTE, Session
from imgur_kit.steps.explaining import explain
from imgur_kit.steps.loopback_capture import LoopbackCapture
from imgur_kit.tokens import Token
from imgur_kit.widgets.parts import PasteBox, start_listener
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, link_html, note_html, ok_html, problem_html

WIDE = widgets.Layout(width="40em")

PASTE_PLACEHOLDER = "http://…#access_token=… or a code"
CAPTURE_LABEL = "Callback URL registered for your app:"


def _why_paste(environment: str) -> str:
    place = {BINDER: "on Binder", COLAB: "on Colab", HUB: "on a JupyterHub", REMOTE: "on a remote server"}.get(
        environment, f"in a {environment} environment"
    )
    return (
        f"This notebook runs {place}, not on your own computer. After you press Allow, Imgur sends "
        'your browser to the callback address; "localhost" there means your computer, where no '
        "listener of this notebook can hear it. So copy the whole address your browser ends on "
        "(even if the page says it cannot be reached) and paste it below."
    )


def _why_capture(session: Session) -> str:
    if session.environment == HUB:
        return (
            "Your browser reaches this notebook through the JupyterHub, so the kit can catch the redirect "
            f"at {session.callback_url()}, your own server's address, which only you can open: press "
            '"Capture automatically", then open the link and press Allow.'
        )
    return (
        "Your browser and this notebook share a computer, so the kit can catch the redirect "
        'itself: press "Capture automatically", then open the link and press Allow.'
    )


def _callback_shape(session: Session) -> str:
    if session.environment == HUB:
        return "your own server's address on this hub, then proxy/, a port and a path"
    return "http, localhost and a port"


class AuthorizePanel(PlainRepr, widgets.VBox):
    """Authorize link with a fresh state, a paste box, and (locally) an automatic capture.

    Parts: ``link`` (HTML), ``new_link_button``, ``paste`` (Text, emptied once read:
    the address holds the token), ``use_button``, ``message`` (HTML), ``state``, ``url``
    (the authorize URL as the kit made it; the link shows ``session.browser_url(url)``,
    which on Binder goes through jupyter-server-proxy); on a
    local kernel also ``capture_url`` (Text), ``capture_button``, ``capture_status``
    (HTML) and ``capture`` (the running :class:`LoopbackCapture`, or None).
    """

    _title = "the authorize panel, with the link to Imgur's consent page and a box for the address you land on"
    _alternative = "url, state = kit.authorize_url(), then imgur_kit.steps.finish_authorization(kit, pasted, state)"

    def __init__(self, session: Session, response_type: str = "token"):
        self.session = session
        self.response_type = response_type
        self.state: str | None = None
        self.url: str | None = None
        self.token: Token | None = None
        self.capture: LoopbackCapture | None = None
        self.link = widgets.HTML()
        self.new_link_button = widgets.Button(
            description="New link", icon="refresh", tooltip="Make a new authorize link with a fresh state"
        )
        self.paste_box = PasteBox(
            placeholder=PASTE_PLACEHOLDER,
            tooltip="Read the pasted address and store the token",
            layout=WIDE,
            on_address=self.use,
            on_empty=self._say_paste_is_empty,
        )
        self.paste, self.use_button = self.paste_box.text, self.paste_box.use_button
        self.message = widgets.HTML()
        self.new_link_button.on_click(lambda _b: self.new_link())
        children = [widgets.HBox([self.link, self.new_link_button]), self.paste_box.row, self.message]
        # Capture where a listener of this kernel can receive the redirect: on the person's own
        # computer, or on a JupyterHub through the hub to the learner's own server.
        self.local = session.capture_target(session.callback_url()) is not None
        children += self._capture_control() if self.local else self._why_paste_note()
        super().__init__(children=children)
        self.new_link()

    def _capture_control(self) -> list:
        """The callback field, the "Capture automatically" button and its status line."""
        self.capture_url = widgets.Text(
            value=self._default_callback(),
            description=CAPTURE_LABEL,
            style=LABEL_STYLE,
            layout=WIDE,
            continuous_update=False,
        )
        self.capture_button = widgets.Button(
            description="Capture automatically",
            icon="magnet",
            tooltip="Listen on this computer for Imgur's redirect",
            layout=widgets.Layout(width="auto"),
        )
        self.capture_status = widgets.HTML(note_html(_why_capture(self.session)))
        self.capture_button.on_click(lambda _b: self.start_capture())
        return [widgets.HBox([self.capture_url, self.capture_button]), self.capture_status]

    def _why_paste_note(self) -> list:
        """Why this kernel cannot catch the redirect, as the status line."""
        # Without a proxy the sandbox's pages may not open in a remote browser: say so.
        note = " ".join(filter(None, [_why_paste(self.session.environment), self.session.browser_note]))
        self.capture_status = widgets.HTML(note_html(note))
        return [self.capture_status]

    def _default_callback(self) -> str:
        """The app's registered callback when the sandbox knows it; else the kit's capture port.

        Live, only the person knows what they registered (the field is editable), so the
        kit suggests the callback its own chooser recommends.
        """
        sandbox, creds = self.session.sandbox, self.session.credentials
        app = sandbox.app(creds.client_id) if sandbox is not None and creds is not None else None
        if app is not None and app.callback_url:
            return app.callback_url
        return self.session.callback_url()

    # -- link ----------------------------------------------------------------------------
    def new_link(self) -> None:
        """Make a fresh authorize link (and state); the previous state stops being accepted."""
        try:
            self.url, self.state = self.session.authorize_url(self.response_type)
        except Exception as exc:  # noqa: BLE001
            self.url = self.state = None
            self.link.value = problem_html(explain(exc))
            return
        # The state checked on return is in self.url either way; only the address the
        # person's browser can reach differs (the sandbox through Binder's proxy).
        shown = self.session.browser_url(self.url)
        self.link.value = link_html(shown, "Open Imgur's authorize page (a new tab)")

    # -- paste ---------------------------------------------------------------------------
    def use(self, text: str | None = None) -> None:
        """Read the pasted address (or *text*), store the token, and say what was found."""
        if text is None:
            self.paste_box.use()  # hands the pasted address back here, or says the box is empty
            return
        self.paste_box.answered()
        self.paste.placeholder = PASTE_PLACEHOLDER  # the address is being read: the first hint again
        try:
            self.token, sentence = steps.finish_authorization(self.session, text, self.state)
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            return
        self.message.value = ok_html(sentence)
        if self.capture is not None and self.capture.result is None:
            self.stop_capture()  # the answer came by paste: nothing left to listen for
            self.capture_status.value = note_html("Stopped listening: the answer arrived through the paste box.")
        self.new_link()  # a state is good for one answer only

    def _say_paste_is_empty(self) -> None:
        self.message.value = problem_html(
            "The paste box is empty. Open the authorize link, press Allow, then copy the whole "
            "address your browser ends on and paste it here."
        )

    # -- local capture -------------------------------------------------------------------
    def start_capture(self) -> None:
        """Listen on the loopback port of the registered callback URL for one redirect."""
        self.stop_capture()
        typed = self.capture_url.value.strip()
        target = self.session.capture_target(typed)
        if target is None:
            self.capture_status.value = problem_html(
                f"Automatic capture needs a callback like {self.session.callback_url()} "
                f"({_callback_shape(self.session)}). Enter the callback URL your app is registered with, "
                "or paste instead."
            )
            return
        capture, problem = start_listener(target, on_result=self._captured, state_of=lambda: self.state)
        if capture is None:
            self.capture_status.value = problem_html(problem)
            return
        self.capture = capture
        # On a hub the browser reaches the listener at the hub address, not at localhost.
        shown = capture.url if self.session.environment == LOCAL else typed
        self.capture_status.value = note_html(
            f"Listening on {shown} for {round(capture.timeout / 60)} minutes. "
            "Now open the authorize link and press Allow; "
            "this panel fills itself in."
        )

    def _captured(self, url: str) -> None:
        """Runs in the listener's thread once the browser has handed the address back."""
        self.capture_status.value = note_html("Imgur's redirect arrived; the listener has stopped.")
        self.use(url)

    def stop_capture(self) -> None:
        """Stop a running listener (also safe when none runs)."""
        if self.capture is not None:
            self.capture.stop()
            self.capture = None


def authorize_panel(session: Session, response_type: str = "token") -> AuthorizePanel:
    """The authorize link, the paste box, and on a local kernel the automatic capture.

    No widgets? ``url, state = session.authorize_url()``, open *url*, then
    ``imgur_kit.steps.finish_authorization(session, "<address you ended on>", state)``.
    """
    return AuthorizePanel(session, response_type)


class TokenPanel(PlainRepr, widgets.VBox):
    """Who the token signs in as, when it expires, and a Refresh button.

    Parts: ``status`` (HTML), ``check_button``, ``refresh_button``, ``message`` (HTML).
    """

    _title = "the token panel, saying who is signed in and refreshing the token"
    _alternative = "imgur_kit.steps.who_am_i(kit) and imgur_kit.steps.refresh_now(kit)"

    def __init__(self, session: Session):
        self.session = session
        self.status = widgets.HTML()
        self.check_button = widgets.Button(
            description="Check again", icon="user", tooltip="Ask Imgur who this token belongs to"
        )
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh", tooltip="Get a new access token with the refresh token"
        )
        self.message = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.refresh_button.on_click(lambda _b: self.refresh())
        super().__init__(children=[self.status, widgets.HBox([self.check_button, self.refresh_button]), self.message])
        self.check()

    def check(self) -> None:
        """Ask who is signed in and show it with the token's expiry."""
        try:
            self.status.value = ok_html(steps.who_am_i(self.session))
        except Exception as exc:  # noqa: BLE001
            self.status.value = problem_html(explain(exc))

    def refresh(self) -> None:
        """Refresh the access token now and show the new expiry."""
        try:
            self.message.value = ok_html(steps.refresh_now(self.session))
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            return
        self.check()


def token_panel(session: Session) -> TokenPanel:
    """Who you are, when the token expires, and a Refresh button.

    No widgets? ``print(imgur_kit.steps.who_am_i(kit))`` and
    ``print(imgur_kit.steps.refresh_now(kit))``.
    """
    return TokenPanel(session)
