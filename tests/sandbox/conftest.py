"""Fixtures for the sandbox's own tests: real loopback HTTP with ``requests``.

The sandbox is tested on its own terms, so nothing here imports the
imgur_kit client: only the sandbox, requests and the standard library.
(The ``sandbox`` fixture itself comes from tests/conftest.py.)
"""

from __future__ import annotations

import pytest
import requests
from sandbox_helpers import authorize_url, redirect_parts


@pytest.fixture
def http():
    """A requests session (keep-alive), closed after the test."""
    with requests.Session() as session:
        yield session


@pytest.fixture
def app(sandbox):
    """The sandbox's pre-registered application."""
    return sandbox.default_app


@pytest.fixture
def client_auth(app):
    """The Client-ID header of the default app."""
    return {"Authorization": f"Client-ID {app.client_id}"}


@pytest.fixture
def tokens(sandbox, app):
    """The fragment of an approved token flow: access_token, refresh_token, ..."""
    _, fragment = redirect_parts(sandbox.approve(authorize_url(sandbox, app)))
    return fragment


@pytest.fixture
def bearer(tokens):
    """The Bearer header of a freshly authorized user."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}
