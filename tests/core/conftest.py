"""Fixtures for the core tests: crafted responses for the translator, and sandbox helpers.

The lead's tests/conftest.py already strips IMGUR_* variables, points the config folder
at a temporary one, and provides a fresh ``sandbox`` per test.
"""

from __future__ import annotations

import pytest
from core_helpers import authorize, craft_response

from imgur_kit.credentials import Credentials


@pytest.fixture
def make_response():
    """Factory for crafted responses: make_response(status, body, headers=..., json=...)."""
    return craft_response


@pytest.fixture
def creds(sandbox):
    """The sandbox's pre-registered app as Credentials."""
    app = sandbox.default_app
    return Credentials(app.client_id, app.client_secret)


@pytest.fixture
def token(sandbox, creds):
    """A real token from the sandbox's token flow."""
    return authorize(sandbox, creds)
