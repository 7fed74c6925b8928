"""The token store is the truth across programs (issue: two processes disagree about the token).

Two notebooks and a terminal share one credentials file. Each test loads a session (the
notebook that stays open), lets a second, real Python process change the store (refresh,
sign out, save another app), and then makes the first session refresh. The sandbox rotates
refresh tokens here, as OAuth 2.1 asks of servers: a refresh token works once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from core_helpers import authorize, count

from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.sandbox import Sandbox
from imgur_kit.steps.mode import LIVE
from imgur_kit.steps.session import Session


@pytest.fixture
def rotating():
    """A sandbox whose refresh tokens work once, as OAuth 2.1 servers do."""
    with Sandbox(rotate_refresh_tokens=True) as running:
        yield running


@pytest.fixture
def signed_in(rotating):
    """The sandbox's app and a token, saved in the store as a sign-in would."""
    app = rotating.default_app
    creds = Credentials(app.client_id, app.client_secret)
    store = CredentialStore(kind=LIVE)
    store.save(creds)
    store.save_token(authorize(rotating, creds))
    return creds


def open_notebook(sandbox) -> Session:
    """A session loaded from the store now, as an open notebook holds it."""
    stored = CredentialStore(kind=LIVE).load()
    return Session(
        LIVE, "a test", stored.credentials, stored.token, CredentialStore(kind=LIVE), base_url=sandbox.base_url
    )


def other_program(code: str, sandbox) -> str:
    """Run ``code`` in a second Python process sharing the config folder; its output."""
    env = dict(os.environ, IMGUR_KIT_BASE_URL=sandbox.base_url)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


REFRESH_ELSEWHERE = """
    from imgur_kit.credentials import CredentialStore
    from imgur_kit.steps.session import Session
    import os
    stored = CredentialStore(kind="live").load()
    other = Session("live", "another program", stored.credentials, stored.token, CredentialStore(kind="live"),
                    base_url=os.environ["IMGUR_KIT_BASE_URL"])
    print(other.client.refresh().access_token)
"""


def test_a_token_another_program_refreshed_is_used_not_refreshed_again(rotating, signed_in):
    notebook_b = open_notebook(rotating)
    old_access = notebook_b.token.access_token
    fresh_access = other_program(REFRESH_ELSEWHERE, rotating).strip()
    rotating.expire_token(old_access)  # B's copy no longer works
    rotating.clear_request_log()

    assert notebook_b.client.account()["url"] == rotating.username
    assert notebook_b.token.access_token == fresh_access
    assert count(rotating, "POST", "/oauth2/token") == 0  # used, not refreshed again with a spent refresh token
    assert CredentialStore(kind=LIVE).load().token.access_token == fresh_access


def test_a_refresh_asked_for_after_another_program_refreshed_still_works(rotating, signed_in):
    notebook_b = open_notebook(rotating)
    other_program(REFRESH_ELSEWHERE, rotating)

    new = notebook_b.client.refresh()  # B's own refresh token was spent by the other program

    assert CredentialStore(kind=LIVE).load().token.access_token == new.access_token
    assert notebook_b.client.account()["url"] == rotating.username


def test_a_sign_out_in_a_terminal_is_not_undone_by_an_open_notebook(rotating, signed_in):
    notebook_b = open_notebook(rotating)
    out = other_program(
        "import sys; from imgur_kit.__main__ import main; sys.exit(main(['logout', '--live']))", rotating
    )
    assert "Signed out" in out
    rotating.expire_token(notebook_b.token.access_token)

    notebook_b.client.account()  # the notebook's call in progress still works

    stored = CredentialStore(kind=LIVE).load()
    assert stored.credentials == signed_in
    assert stored.token is None  # the sign-out stands


def test_a_refresh_never_stores_the_old_apps_token_beside_a_newly_saved_app(rotating, signed_in):
    notebook_b = open_notebook(rotating)
    new_app = rotating.register_app("Second app")
    other_program(
        f"""
        from imgur_kit.credentials import Credentials, CredentialStore
        CredentialStore(kind="live").save(Credentials({new_app.client_id!r}, {new_app.client_secret!r}))
        """,
        rotating,
    )
    rotating.expire_token(notebook_b.token.access_token)

    notebook_b.client.account()

    stored = CredentialStore(kind=LIVE).load()
    assert stored.credentials.client_id == new_app.client_id
    assert stored.token is None  # the old app's token is not filed under the new app


def test_a_refreshed_token_is_written_back_while_the_store_still_holds_the_old_one(rotating, signed_in):
    notebook_b = open_notebook(rotating)
    rotating.expire_token(notebook_b.token.access_token)

    notebook_b.client.account()

    assert CredentialStore(kind=LIVE).load().token == notebook_b.token
