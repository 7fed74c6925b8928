"""A pytest plugin: the sandbox as a test double for anyone's Imgur code, as moto is for AWS code.

Installed with the kit (a ``pytest11`` entry point), it gives every test suite two fixtures:

* ``imgur_sandbox``: a fresh local Imgur for one test;
* ``imgur_sandbox_shared``: one for the whole session (faster; tests see each other's uploads).

Each is an :class:`ImgurSandbox`: its ``base_url``, the demo app's ``client_id`` and
``client_secret``, a signed-in user (``access_token``, ``refresh_token``), ready
``headers()``, switches for faults and rate limits, and :meth:`~ImgurSandbox.upload` to put
content in. Options for a fresh one come from a marker::

    @pytest.mark.imgur_sandbox(seed=7, rotate_refresh_tokens=True, expired_token_status=401)
    def test_my_gallery_code(imgur_sandbox): ...

and the shared one's seed from the ini option ``imgur_sandbox_seed``. Nothing is imported
until a fixture is used, so the plugin costs other test suites nothing. See
docs/testing-your-code.md.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = ["ImgurSandbox", "SignedInUser"]

MARKER = "imgur_sandbox(seed=None, **options): options of the fresh imgur_sandbox for this test"
#: A 1x1 PNG, for an upload when no picture is given.
_TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


@dataclass(frozen=True)
class SignedInUser:
    """The sandbox user after pressing Allow: the tokens a real sign-in would give."""

    username: str
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:  # a token never shows in a test report
        return f"SignedInUser(username={self.username!r}, access_token='…', refresh_token='…')"


class ImgurSandbox:
    """A running sandbox and what a test of Imgur code needs from it (see the module docstring)."""

    def __init__(self, sandbox: Any) -> None:
        #: The :class:`imgur_kit.sandbox.Sandbox` itself, for anything not covered here.
        self.sandbox = sandbox

    @property
    def base_url(self) -> str:
        """Where to send what would go to ``https://api.imgur.com`` (e.g. ``http://127.0.0.1:41234``)."""
        return self.sandbox.base_url

    @property
    def client_id(self) -> str:
        """The demo app's Client ID."""
        return self.sandbox.default_app.client_id

    @property
    def client_secret(self) -> str:
        """The demo app's Client Secret."""
        return self.sandbox.default_app.client_secret

    @functools.cached_property
    def user(self) -> SignedInUser:
        """The signed-in sandbox user (made on first use, as a browser pressing Allow would)."""
        link = f"{self.base_url}/oauth2/authorize?client_id={self.client_id}&response_type=token&state=t"
        fragment = parse_qs(urlsplit(self.sandbox.approve(link)).fragment)
        return SignedInUser(fragment["account_username"][0], fragment["access_token"][0], fragment["refresh_token"][0])

    @property
    def access_token(self) -> str:
        """The signed-in user's access token."""
        return self.user.access_token

    @property
    def refresh_token(self) -> str:
        """The signed-in user's refresh token."""
        return self.user.refresh_token

    def headers(self, *, user: bool = False) -> dict[str, str]:
        """The Authorization header: the app's Client-ID, or with ``user=True`` the user's Bearer token."""
        if user:
            return {"Authorization": f"Bearer {self.access_token}"}
        return {"Authorization": f"Client-ID {self.client_id}"}

    def fault(self, name: Optional[str], *, times: Optional[int] = None, **options: Any) -> None:
        """Make the sandbox misbehave as Imgur can ("over-capacity", "error-1024", "slow", ...); None ends it."""
        self.sandbox.set_fault(name, times=times, **options)

    def rate_limit(
        self,
        *,
        client_remaining: Optional[int] = None,
        user_remaining: Optional[int] = None,
        post_remaining: Optional[int] = None,
    ) -> None:
        """Set the credits left (0 gives the 429 answers of the live service)."""
        self.sandbox.set_credits(
            client_remaining=client_remaining, user_remaining=user_remaining, post_remaining=post_remaining
        )

    def expire_user_token(self) -> None:
        """Make the user's access token expired, as if its lifetime had run out (the refresh token still works)."""
        self.sandbox.expire_token(self.access_token)

    def upload(self, content: Optional[bytes] = None, *, title: Optional[str] = None, user: bool = True) -> dict:
        """Put a picture in (the user's, or anonymous with ``user=False``); Imgur's image data, deletehash included."""
        import requests

        form = {"title": title} if title is not None else {}
        answer = requests.post(
            f"{self.base_url}/3/image",
            headers=self.headers(user=user),
            files={"image": ("picture.png", content or _TINY_PNG)},
            data=form,
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["data"]

    @property
    def seed(self) -> int:
        """The seed of its public gallery."""
        return self.sandbox.seed

    @property
    def requests_seen(self) -> list[tuple[str, str, Optional[str]]]:
        """(method, path, "Client-ID"/"Bearer"/None) of every request it answered; never a secret."""
        return self.sandbox.request_log

    def __repr__(self) -> str:
        return f"ImgurSandbox(base_url={self.base_url!r})"


def _started(**options: Any) -> Iterator[ImgurSandbox]:
    from imgur_kit.sandbox import Sandbox  # only when a test asks for one

    with Sandbox(**options) as running:
        yield ImgurSandbox(running)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (so ``--strict-markers`` suites may use it)."""
    config.addinivalue_line("markers", MARKER)


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ini option for the shared sandbox's gallery seed."""
    parser.addini("imgur_sandbox_seed", "seed of the public gallery of imgur_sandbox_shared", default="")


@pytest.fixture
def imgur_sandbox(request: pytest.FixtureRequest) -> Iterator[ImgurSandbox]:
    """A fresh local Imgur for this test, stopped after it (options: ``@pytest.mark.imgur_sandbox(...)``)."""
    marker = request.node.get_closest_marker("imgur_sandbox")
    options = dict(marker.kwargs) if marker is not None else {}
    yield from _started(**options)


@pytest.fixture(scope="session")
def imgur_sandbox_shared(pytestconfig: pytest.Config) -> Iterator[ImgurSandbox]:
    """One local Imgur for the whole test session (tests share its uploads and tokens)."""
    seed = str(pytestconfig.getini("imgur_sandbox_seed") or "").strip()
    yield from _started(**({"seed": int(seed)} if seed else {}))
