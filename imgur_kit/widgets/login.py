"""The quick login widget behind ``imgur_kit.login()`` in a notebook: keys in, signed in, first upload.

For people who already have a Client ID and Secret. Typing the keys is all the
setup: once the Client ID arrives they are checked with the real Imgur and saved
as your own (unverified, with a sentence, when Imgur cannot be reached), and the
sign-in link appears. Locally the kit listens for Imgur's redirect itself, so the
clicks are: the link, Allow, Upload. On Binder or a remote server you paste the
address your browser ends on and press "Use it" as well.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from imgur_kit import steps
from imgur_kit.credentials import Credentials
from imgur_kit.steps import LOCAL, Session
from imgur_kit.steps.explaining import explain
from imgur_kit.steps.loopback_capture import CAPTURE_PORT, LoopbackCapture, callback_url_for
from imgur_kit.steps.where import loopback_target
from imgur_kit.widgets.parts import PasteBox, SecretField, start_listener
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, link_html, note_html, ok_html, problem_html

WIDE = widgets.Layout(width="36em")


class LoginWidget(PlainRepr, widgets.VBox):
    """Client ID and Secret, the sign-in link, and (once signed in) a first upload.

    Parts: ``client_id`` (Text), ``secret`` (Password, emptied as soon as it is read),
    ``callback_url`` (Text: the callback registered for the app; locally the kit
    listens there), ``link`` (HTML), ``paste`` and ``use_button`` (the paste flow),
    ``upload_button`` (shown once signed in), ``message`` (HTML), ``session``,
    ``capture`` (the running :class:`LoopbackCapture`, or None), ``uploaded`` (image data).
    """

    _title = "the quick login, from Client ID to signed in"
    _alternative = "imgur_kit.login() in a terminal, or python -m imgur_kit login"
    children: Any  # the box's trait (ipywidgets has no type information); the paste row is shown in place

    def __init__(self, session: Session, client_id: str | None = None):
        self.session = session
        self.local = session.environment == LOCAL
        self.capture: LoopbackCapture | None = None
        self.state: str | None = None
        self.url: str | None = None
        self._link_for: tuple[str, str] | None = None  # (Client ID, API host) the link was made for
        self.uploaded: dict | None = None
        self._secret: str | None = None
        self._saving = False
        self._make_fields()
        children = [self.client_id, self.secret, self.callback_url, self.link]
        children += [] if self.local else [self.paste_row]
        super().__init__(children=[*children, self.message, self.upload_button])
        self._start_with(client_id)

    def _make_fields(self) -> None:
        self.client_id = widgets.Text(
            value="",
            description="Client ID:",
            style=LABEL_STYLE,
            layout=WIDE,
            continuous_update=False,
            placeholder="15 characters, from your app's settings",
        )
        self.secret = SecretField(WIDE, on_received=self._secret_arrived).box
        self.callback_url = widgets.Text(
            value=callback_url_for(CAPTURE_PORT),
            description="Callback URL of your app:",
            style=LABEL_STYLE,
            layout=WIDE,
            continuous_update=False,
        )
        self.link = widgets.HTML()
        self.paste_box = PasteBox(
            placeholder="http://…#access_token=… or a PIN",
            tooltip="Read the pasted address and sign in",
            layout=WIDE,
            on_address=self.use,
            on_empty=self._say_paste_is_empty,
        )
        self.paste, self.use_button, self.paste_row = self.paste_box.text, self.paste_box.use_button, self.paste_box.row
        self.upload_button = widgets.Button(
            description="Upload a first picture",
            icon="upload",
            tooltip="Upload the kit's own picture with your account",
            layout=widgets.Layout(width="auto", display="none"),
        )
        self.message = widgets.HTML()
        self.client_id.observe(lambda change: self._keys_changed(), names="value")
        self.callback_url.observe(lambda change: self._listen(), names="value")
        self.upload_button.on_click(lambda _b: self.upload())

    def _start_with(self, client_id: str | None) -> None:
        known = self.session.credentials
        if client_id is None and known is not None and (self.session.mode == steps.LIVE or self.session.forced):
            # The same choice as the terminal login: saved live keys (or, with the sandbox forced, its
            # practice app) are used as they are; the secret stays in the kernel, never in a field.
            client_id, self._secret = known.client_id, known.client_secret
        if client_id:
            self.client_id.value = client_id  # observed: saves the keys and shows the link

    # -- keys ----------------------------------------------------------------------------------
    def _secret_arrived(self, secret: str) -> None:
        self._secret = secret
        self._keys_changed()

    def _keys_changed(self) -> None:
        """Save the keys as they arrive (checked with Imgur) and offer the sign-in link."""
        if not self.client_id.value.strip() or self._saving:
            return
        self._saving = True
        try:
            self._save_and_link()
        finally:
            self._saving = False

    def _save_and_link(self) -> None:
        try:
            credentials = Credentials(client_id=self.client_id.value, client_secret=self._secret)
            saved = steps.save_credentials(self.session, credentials)
            link_for = (credentials.client_id, self.session.base_url)
            # A new link (and state) only for another app: the Client ID arrives first and the
            # secret a moment later, and a tab the person already opened from the link must
            # still be answered, not refused as stale.
            new_link = self.state is None or link_for != self._link_for
            if new_link:
                self.url, self.state = self.session.authorize_url()
                self._link_for = link_for
        except Exception as exc:  # noqa: BLE001 - a sentence, never a traceback
            self.link.value = ""
            self.state = self._link_for = None
            self.message.value = problem_html(explain(exc))
            return
        self.client_id.value = credentials.client_id
        self.message.value = (ok_html if saved.verified else note_html)(saved.sentence)
        if new_link:
            shown = self.session.browser_url(self.url or "")
            self.link.value = link_html(shown, "Sign in to Imgur and press Allow (a new tab)")
            self._listen()

    # -- the answer: caught locally, pasted elsewhere ---------------------------------------------
    def _listen(self) -> None:
        if not self.local or self.state is None:
            return
        self.stop()
        target = loopback_target(self.callback_url.value)
        if target is None:
            self._show_paste(
                "The callback URL is not on this computer (http://localhost:PORT/...), so the kit "
                "cannot catch Imgur's answer: paste the address your browser ends on instead."
            )
            return
        self.capture, problem = start_listener(target, on_result=self.use, state_of=lambda: self.state)
        if self.capture is None:
            self._show_paste(problem)

    def _show_paste(self, sentence: str) -> None:
        if self.paste_row not in self.children:
            self.children = [*self.children[:4], self.paste_row, *self.children[4:]]
        self.message.value += "<br>" + note_html(sentence)

    def _say_paste_is_empty(self) -> None:
        self.message.value = problem_html(
            "The paste box is empty: paste the whole address your browser ended on after Allow."
        )

    def use(self, text: str | None = None) -> None:
        """Finish signing in with the address the browser ended on (caught or pasted)."""
        if text is None:
            self.paste_box.use()  # hands the pasted address back here, or says the box is empty
            return
        self.paste_box.answered()
        try:
            steps.finish_authorization(self.session, text, self.state)
            who = steps.who_am_i(self.session)
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            return
        self.message.value = ok_html(who)
        self.upload_button.layout.display = None
        self.state = None  # a state is good for one answer only
        if self.capture is not None and self.capture.result is None:
            self.stop()

    def upload(self) -> None:
        """Upload the kit's own picture with the signed-in account and show its link."""
        try:
            uploaded = steps.upload_picture(self.session, steps.bundled_picture(), title="Hello from imgur-kit")
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            return
        self.uploaded = uploaded
        link = uploaded.get("link", "")
        shown = self.session.browser_url(link)
        self.message.value = ok_html(steps.upload_sentence(uploaded)) + "<br>" + link_html(shown, "See it")

    def stop(self) -> None:
        """Stop listening for the redirect (safe when not listening)."""
        if self.capture is not None:
            self.capture.stop()
            self.capture = None


def login_widget(session: Session, *, client_id: str | None = None) -> LoginWidget:
    """The quick login for people who have keys: type them, sign in, upload, in one widget.

    No widgets? ``imgur_kit.login()`` in a terminal asks with prompts, or ``python -m imgur_kit login``.
    """
    return LoginWidget(session, client_id)
