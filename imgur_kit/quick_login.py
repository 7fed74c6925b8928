"""``imgur_kit.login()``: for people who already have a Client ID and Secret.

One call, after huggingface_hub's ``login()``: in a notebook it shows one widget
(keys, the sign-in link, and "signed in as ..."), in a terminal it asks with
prompts (``getpass`` for the secret). ``python -m imgur_kit login`` is the same
terminal function. Both end in the same steps of :mod:`imgur_kit.steps`: the
keys are saved as your own (live) keys, then the sign-in link, then the token.
"""

from __future__ import annotations

import getpass
import sys
from typing import Optional

from imgur_kit import terminal_capture
from imgur_kit.credentials import Credentials
from imgur_kit.steps import (
    LIVE,
    SANDBOX,
    Session,
    finish_authorization,
    open_session,
    save_credentials,
    who_am_i,
)
from imgur_kit.tokens import mask


def ask_line(prompt: str, *, secret: bool = False) -> str:
    """One answer from the person: hidden with getpass for a secret at a terminal.

    Raises EOFError when the input ends before an answer (``< /dev/null``).
    """
    if secret and sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt).strip()
    print(prompt, end="", flush=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        print()
        raise EOFError(prompt)
    return line.strip()


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where a widget can show), False in a terminal or script."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def sign_in_in_terminal(
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
    *,
    mode: Optional[str] = None,
    profile: str = "default",
    response_type: str = "token",
    callback: Optional[str] = None,
) -> Session:
    """The terminal sign-in: keys (asked for unless saved), the link, Imgur's answer, "signed in as ...".

    On the person's own computer the kit listens on the app's *callback* (the sandbox
    app's own, else ``http://localhost:8765/callback``) and catches Imgur's redirect; a
    paste works too, and is not echoed. With ``mode="sandbox"`` it signs in to the
    sandbox with its practice app and asks for no keys. Returns the signed-in session.
    """
    flag = {SANDBOX: "--sandbox", LIVE: "--live"}.get(mode or "", "")
    session = open_session(mode, asked_by=flag or "login", profile=profile, check=False)
    if session.mode == SANDBOX and session.forced:
        print(f"Signing in to the sandbox at {session.base_url} with {session.using} (practice values).")
    elif client_id or session.mode != LIVE or session.credentials is None:
        typed_id = client_id or ask_line("Client ID: ")
        secret = client_secret or ask_line("Client Secret (typing is hidden): ", secret=True)
        credentials = Credentials(client_id=typed_id, client_secret=secret or None)
        for warning in credentials.warnings():
            print(f"Note: {warning}")
        print(save_credentials(session, credentials).sentence)
    else:
        print(
            f"Signing in with your saved Client ID {mask(session.credentials.client_id)}; give another "
            "Client ID to use other keys."
        )
    url, state = session.authorize_url(response_type)
    capture = None
    if response_type == "pin":  # Imgur shows the PIN on its own page: there is no redirect to catch
        said = "After Allow, Imgur shows a PIN: paste it here (what you paste is not shown)."
    else:
        # On the person's own computer the kit catches the redirect, as the notebook's login does.
        capture, said = terminal_capture.listen(session, state, terminal_capture.callback_for(session, callback))
    print("Open this link in your browser, sign in to Imgur if asked, and press Allow:")
    print(f"  {url}")
    print(said)
    pasted = terminal_capture.wait_for_answer(
        capture, "Waiting for Imgur's answer, or paste the address: " if capture else "Address or PIN: "
    )
    if capture is not None and capture.result is not None:
        print("Imgur's answer arrived from your browser.")
    _token, sentence = finish_authorization(session, pasted, state)
    print(sentence)
    print(who_am_i(session))
    return session


def login(
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
    *,
    mode: Optional[str] = None,
    profile: str = "default",
):
    """Sign in with keys you already have: a widget in a notebook, prompts in a terminal.

    In a notebook it returns the login widget (shown when it is a cell's last line);
    in a terminal it returns the signed-in session.
    """
    if _in_notebook():
        from imgur_kit.notebook import connect
        from imgur_kit.widgets import login_widget

        return login_widget(connect(mode=mode, profile=profile, show=False, check=False), client_id=client_id)
    return sign_in_in_terminal(client_id, client_secret, mode=mode, profile=profile)
