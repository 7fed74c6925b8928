"""Fixtures for the widget tests: a real sandbox over loopback and a real Session to it.

The Session is built with its own constructor from the contract's fields
(what ``notebook.connect(mode="sandbox")`` builds too), around the ``sandbox``
fixture of tests/conftest.py, so every sandbox is stopped after its test.
"""

from __future__ import annotations

import loopback
import pytest


@pytest.fixture
def make_session(sandbox):
    """Build a sandbox Session for given credentials (default: the sandbox's demo app)."""
    from imgur_kit.credentials import Credentials, CredentialStore
    from imgur_kit.steps import Session

    def make(app=None, *, environment="local"):
        app = app or sandbox.default_app
        creds = Credentials(client_id=app.client_id, client_secret=app.client_secret)
        return Session(
            mode="sandbox",
            reason="test",
            credentials=creds,
            token=None,
            store=CredentialStore(kind="sandbox"),
            base_url=sandbox.base_url,
            environment=environment,
            sandbox=sandbox,
        )

    return make


@pytest.fixture
def live_session_without_keys():
    """Build a live Session before any Client ID is saved (what a newcomer in live mode has)."""
    from imgur_kit.credentials import CredentialStore
    from imgur_kit.steps import Session

    def make(base_url, *, environment="local"):
        return Session(
            mode="live",
            reason="test",
            credentials=None,
            token=None,
            store=CredentialStore(kind="live"),
            base_url=base_url,
            environment=environment,
        )

    return make


@pytest.fixture
def session(make_session):
    """A sandbox Session with the demo app's credentials and no token yet."""
    return make_session()


@pytest.fixture
def signed_in(session, sandbox):
    """A sandbox Session holding a token for the sandbox user, obtained the way a person would."""
    from imgur_kit import oauth

    url, state = session.authorize_url()
    token = oauth.parse_redirect(sandbox.approve(url), expected_state=state)
    session.store_token(token)
    return session


@pytest.fixture
def free_port():
    """A loopback port nobody listens on right now."""
    return loopback.free_port()


@pytest.fixture
def all_text():
    """The function below, as a fixture (test modules do not import conftest)."""
    return widget_text


def widget_text(widget) -> str:
    """Every string a widget tree holds (values, labels, placeholders, tooltips) plus its repr:
    what could end up in widget state, a notebook output or a screen."""
    import ipywidgets as widgets

    seen = [repr(widget)]
    stack = [widget]
    while stack:
        current = stack.pop()
        for name in current.keys:
            value = getattr(current, name, None)
            if isinstance(value, str):
                seen.append(value)
            elif isinstance(value, (tuple, list)):
                seen.extend(str(item) for item in value if isinstance(item, (str, int)))
                stack.extend(item for item in value if isinstance(item, widgets.Widget))
    return "\n".join(seen)
