"""Widgets for registering an application: the authorization-type chooser and the credentials form."""

from __future__ import annotations

import html

import ipywidgets as widgets

from imgur_kit import steps
from imgur_kit.credentials import Credentials, clean_pasted
from imgur_kit.steps import HUB, LOCAL, REMOTE, SANDBOX, Session
from imgur_kit.steps.auth_types import PLACES, Recommendation, recommend_auth_type
from imgur_kit.steps.explaining import explain
from imgur_kit.steps.loopback_capture import CAPTURE_PORT, free_capture_port
from imgur_kit.widgets.parts import SecretField
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, link_html, note_html, ok_html, problem_html

# -- "Where will you run your code?" ---------------------------------------------------------


class AuthTypeChooser(PlainRepr, widgets.VBox):
    """Radio buttons for the place, and the answer. Parts: ``where`` (RadioButtons),
    ``answer`` (HTML), ``recommendation`` (the current :class:`Recommendation`)."""

    _title = "the authorization-type chooser, recommending the type and callback URL for where you run"
    _alternative = 'imgur_kit.steps.auth_types.recommend_auth_type("local")'

    def __init__(self, where: str, port: int, hub_callback: str | None = None):
        self.port = port
        self.hub_callback = hub_callback
        self.where = widgets.RadioButtons(
            options=[(label, key) for key, label in PLACES],
            value=where,
            description="Where will you run your code?",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.answer = widgets.HTML()
        self.recommendation: Recommendation | None = None
        self.where.observe(lambda change: self._show(), names="value")
        super().__init__(children=[self.where, self.answer])
        self._show()

    def _show(self) -> None:
        rec = recommend_auth_type(self.where.value, port=self.port, hub_callback=self.hub_callback)
        self.recommendation = rec
        self.answer.value = (
            f"<p>Authorization type: pick <b>{html.escape(rec.auth_type)}</b></p>"
            f"<p>Authorization callback URL: <code>{html.escape(rec.callback_url)}</code></p>"
            f"<p>{html.escape(rec.why)}</p>"
        )


def auth_type_chooser(
    where: str | None = None,
    *,
    environment: str | None = None,
    port: int | None = None,
    session: Session | None = None,
) -> AuthTypeChooser:
    """Ask where the code will run; answer with the authorization type and the exact callback URL.

    *where* preselects a place ("local", "hub", "remote", "postman", "script"); otherwise
    *environment* (``session.environment``) does: "jupyterhub" means hub, anything else
    but "local" remote. *port* is the capture port to advise; by default the usual one,
    or a free one near it when another program holds it (whatever holds it would receive
    the sign-in). With *session* (``kit``) its environment is used, and on a JupyterHub
    the learner's own port and callback (``kit.callback_url()``).
    No widgets? ``imgur_kit.steps.auth_types.recommend_auth_type("local")``.
    """
    hub_callback = None
    if session is not None:
        environment = session.environment
        if environment == HUB:
            port, hub_callback = session.capture_port, session.callback_url()
    if where is None:
        where = LOCAL if environment in (None, LOCAL) else "hub" if environment == HUB else REMOTE
    if port is None:
        port = free_capture_port(CAPTURE_PORT)
    return AuthTypeChooser(recommend_auth_type(where, port=port).where, port, hub_callback)


# -- the registration form's address -----------------------------------------------------------


class RegistrationLink(PlainRepr, widgets.HTML):
    """A link to the registration form: the sandbox's in sandbox mode, Imgur's in live mode.

    ``url`` is the form's address as the kit knows it; the link shows
    ``session.browser_url(url)``, which on Binder reaches the sandbox through
    jupyter-server-proxy. When no proxy can help, ``session.browser_note`` is shown too.
    """

    _title = "the link to the registration form"
    _alternative = 'print(kit.browser_url(kit.base_url + "/oauth2/addclient"))'

    def __init__(self, session: Session):
        self.session = session
        self.url = session.base_url + "/oauth2/addclient"
        what = (
            "the sandbox's registration form (a rehearsal)" if session.mode == SANDBOX else "Imgur's registration form"
        )
        value = link_html(session.browser_url(self.url), f"Open {what} (a new tab)")
        if session.browser_note:
            value += "<br>" + note_html(session.browser_note)
        super().__init__(value=value)


def registration_link(session: Session) -> RegistrationLink:
    """A link to the addclient form that opens in the person's browser, wherever Jupyter runs.

    No widgets? ``print(kit.browser_url(kit.base_url + "/oauth2/addclient"))``.
    """
    return RegistrationLink(session)


# -- Client ID and Client Secret --------------------------------------------------------------


class CredentialsForm(PlainRepr, widgets.VBox):
    """Client ID and Client Secret, checked, verified and stored.

    Parts: ``client_id`` (Text), ``secret`` (Password, emptied as soon as it is
    read), ``verify_button``, ``save_button``, ``message`` (HTML). The secret read
    last is kept only inside the form (``credentials``, whose repr masks it), so
    Verify then Save does not ask for it twice.
    """

    _title = "the credentials form, where you type, verify and save your Client ID and Client Secret"
    _alternative = "imgur_kit.steps.check_credentials(kit, creds) and imgur_kit.steps.save_credentials(kit, creds)"

    def __init__(self, session: Session):
        self.session = session
        self.credentials: Credentials | None = None
        # continuous_update=False, as for every field a button reads: while one keystroke's
        # update awaits the kernel, ipywidgets holds the next ones back, yet sends a click at
        # once, so a quick Verify could read a half-typed ID. Sent whole, when the field is left.
        self.client_id = widgets.Text(
            description="Client ID:",
            placeholder="15 characters, e.g. from the e-mail",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="32em"),
            continuous_update=False,
        )
        self.secret_field = SecretField(widgets.Layout(width="32em"), hint_after="; press Verify or Save")
        self.secret = self.secret_field.box
        self.verify_button = widgets.Button(
            description="Verify", tooltip="Ask Imgur whether it accepts this Client ID", icon="check"
        )
        self.save_button = widgets.Button(
            description="Save", tooltip="Store them in your config folder (0600)", icon="save"
        )
        self.message = widgets.HTML()
        self.verify_button.on_click(lambda _button: self.verify())
        self.save_button.on_click(lambda _button: self.save())
        super().__init__(
            children=[self.client_id, self.secret, widgets.HBox([self.verify_button, self.save_button]), self.message]
        )

    def _read(self) -> Credentials:
        """Build Credentials from the fields and the secret taken from the secret field.

        With no new secret, the secret read before for the same Client ID is kept.
        """
        secret = self.secret_field.take()
        client_id = self.client_id.value
        if (
            not secret
            and self.credentials is not None
            and self.credentials.client_id == clean_pasted(client_id, field="client_id")
        ):
            secret = self.credentials.client_secret
        creds = Credentials(client_id=client_id, client_secret=secret or None)
        # Show the cleaned Client ID, so a pasted "Client-ID abc..." visibly became "abc...".
        self.client_id.value = creds.client_id
        self.credentials = creds
        return creds

    def _warnings_html(self, creds: Credentials) -> str:
        warnings = creds.warnings()
        if not warnings:
            return ""
        return "".join(f"<br>{note_html('Note: ' + text)}" for text in warnings)

    def verify(self) -> None:
        """What the Verify button does: check the format, then ask whoever the keys belong to.

        A practice app is checked with the sandbox; anything else is a person's own key,
        checked with the real Imgur (see :func:`imgur_kit.steps.check_credentials`).
        """
        self.message.value = note_html("Asking…")
        try:
            creds = self._read()
            checked = steps.check_credentials(self.session, creds)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
            self.message.value = problem_html(explain(exc)) + self._maybe_warnings()
            return
        shown = ok_html if checked.accepted is True else problem_html if checked.accepted is False else note_html
        self.message.value = shown(checked.sentence) + self._warnings_html(creds)

    def save(self) -> None:
        """What the Save button does: practice apps to the sandbox store, your own keys to the live one."""
        self.message.value = note_html("Checking and saving…")
        try:
            creds = self._read()
            saved = steps.save_credentials(self.session, creds)
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc)) + self._maybe_warnings()
            return
        shown = ok_html if saved.verified else note_html
        self.message.value = shown(saved.sentence) + self._warnings_html(creds)

    def _maybe_warnings(self) -> str:
        return self._warnings_html(self.credentials) if self.credentials is not None else ""


def credentials_form(session: Session) -> CredentialsForm:
    """The credentials form: Client ID, masked Client Secret, Verify and Save.

    Keys the sandbox issued (practice apps) are saved to the sandbox store; any other
    keys are your own, checked with the real Imgur and saved for live mode.
    No widgets? ``creds = Credentials(client_id="...", client_secret="...")``, then
    ``imgur_kit.steps.check_credentials(session, creds)`` and
    ``imgur_kit.steps.save_credentials(session, creds)``.
    """
    return CredentialsForm(session)
