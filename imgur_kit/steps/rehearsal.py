"""The notebooks' stand-in cells: did the person already do this browser step?

Where a person acts in a browser (submit the registration form, save the keys,
press Allow, press Upload), a notebook cell stands in so that Run All works
unattended. Such a cell first asks the functions here whether the person did
the step already, in the widget or in the browser; if so it does nothing and
:func:`sentence` says so. Otherwise, in sandbox mode, it does the step and the
sentence says that it did, and how to do it yourself. In live mode it never acts.

::

    done = rehearsal.token_saved(kit)          # pressed Allow and pasted already?
    if not done and kit.mode == "sandbox":
        panel.use(kit.sandbox.approve(panel.url))
    print(rehearsal.sentence(kit, "authorize", done))
"""

from __future__ import annotations

from imgur_kit.credentials import display_path
from imgur_kit.steps.mode import SANDBOX
from imgur_kit.steps.session import Session
from imgur_kit.tokens import mask

#: The steps a stand-in cell can do, each: (already done, done for you + how yourself, live mode).
#: The first two begin "When this cell ran": a notebook is saved with these outputs and read before
#: the cell runs again (on GitHub, or in JupyterLab on opening it), so they tell of a run, not of now.
_WORDS = {
    "register": (
        "When this cell ran, you had registered an app on the sandbox form already ({app}), so it left it at that.",
        "When this cell ran, nobody had submitted the sandbox's form, so the cell registered the app for you, "
        'as if you had ticked "I\'m not a robot" and pressed Submit. To do it yourself: open the registration '
        "link above, fill in the fields, tick the box, press Submit, then run this cell again.",
        "Live mode: this cell does nothing. Open https://api.imgur.com/oauth2/addclient signed in, fill in "
        "the fields, tick the captcha and submit.",
    ),
    "save keys": (
        "When this cell ran, your keys were saved already (Client ID {client_id}, in {path}), so it left them "
        "as they were.",
        "When this cell ran, nobody had saved the form above, so the cell typed the app's Client ID and Client "
        "Secret into it and pressed Verify, then Save, for you. To do it yourself: copy both from the page the "
        "form showed after Submit, type them into the form above and press Verify, then Save.",
        "Live mode: this cell does nothing. Type your Client ID and Client Secret into the form above and "
        "press Verify, then Save.",
    ),
    "authorize": (
        "When this cell ran, a user token was saved already (signed in as {username}), so it did nothing.",
        "When this cell ran, no user token was saved, so the cell opened the authorize link in the sandbox, "
        "pressed Allow and handed the address it landed on to the kit, for you. To do it yourself: open the "
        "link in the authorize panel of notebook 03, press Allow, paste the address you land on into its box "
        "and press 'Use it'.",
        "Live mode: this cell does nothing. Open the link in the authorize panel, press Allow, paste the "
        "address you land on into its box and press 'Use it'.",
    ),
    "paste": (
        "When this cell ran, you had pasted an address into `pasted`, so it did nothing: the next cell reads yours.",
        "When this cell ran, nothing was pasted, so the cell opened the link in the sandbox and pressed Allow "
        "for you, and put the address the browser landed on into `pasted`. To do it yourself: open the link "
        "printed above, press Allow, and paste the address you land on between the quotes of `pasted`.",
        "Live mode: this cell does nothing. Open the link printed above, press Allow, paste the address you "
        "land on between the quotes of `pasted`, and run that cell again.",
    ),
    "upload": (
        "When this cell ran, you had pressed Upload already, so it did nothing.",
        "When this cell ran, nobody had pressed Upload, so the cell pressed it for you. To do it yourself: "
        "press Upload in the panel above (choose a picture of your own first, if you like).",
        "Live mode: this cell does nothing. Press Upload in the panel above.",
    ),
    "browse": (
        "When this cell ran, you had pressed Show or Search already, so it did nothing.",
        "When this cell ran, nobody had pressed Show, so the cell pressed it for you. To do it yourself: choose "
        "a section and a sort in the browser above and press Show, or type words and press Search.",
        "Live mode: this cell does nothing. Choose a section and press Show in the browser above.",
    ),
    "vote": (
        "When this cell ran, you had voted or favorited in the browser already, so it did nothing.",
        "When this cell ran, nobody had pressed a button on a card, so the cell pressed Vote up on the first "
        "one for you (in the sandbox). To do it yourself: press Vote up, Vote down or Favorite on any card above.",
        "Live mode: this cell does nothing. A vote on the real Imgur is yours to give: press Vote up, Vote "
        "down or Favorite on a card above.",
    ),
}

#: The step names :func:`sentence` knows.
STEPS = tuple(_WORDS)


def registered_app(session: Session):
    """The newest app registered on the sandbox's form (not its demo app), or None.

    In live mode there is no sandbox to look into: None.
    """
    if session.mode != SANDBOX or session.sandbox is None:
        return None
    apps = session.sandbox.registered_apps()
    return apps[-1] if apps else None


def credentials_saved(session: Session) -> bool:
    """True when a Client ID is saved in this mode's store (the form's Save, or ``save_credentials``)."""
    stored = session.store.load(session.profile)
    return stored is not None and stored.credentials is not None


def token_saved(session: Session) -> bool:
    """True when the session holds a user token (Allow pressed and the address used, now or before)."""
    return session.token is not None


def sentence(session: Session, step: str, done: bool) -> str:
    """What a stand-in cell for *step* says: already done, done for you (and how yourself), or live mode.

    *done* is what the cell found before acting. *step* is one of :data:`STEPS`.
    """
    if step not in _WORDS:
        raise ValueError(f"step must be one of {', '.join(STEPS)}, not {step!r}.")
    already, for_you, live = _WORDS[step]
    if done:
        return already.format(**_details(session))
    return live if session.mode != SANDBOX else for_you


def _details(session: Session) -> dict:
    app = registered_app(session)
    credentials = session.credentials
    token = session.token
    return {
        "app": f"{app.name!r}, Client ID {app.client_id}" if app is not None else "its Client ID is saved",
        "client_id": mask(credentials.client_id) if credentials is not None else "?",
        "path": display_path(session.store.path),
        "username": (token.account_username or "?") if token is not None else "?",
    }
