"""What a Binder visitor does, in a real browser: the sandbox's pages through jupyter-server-proxy.

On Binder the sandbox runs inside the kernel, on the Binder machine's loopback,
and the person's browser is elsewhere: it can only reach the Jupyter server.
jupyter-server-proxy (installed with the kit's notebook extra, enabled on its
own) serves ``http://localhost:PORT/PATH`` at ``<prefix>proxy/PORT/PATH``. Here
a real JupyterLab on 127.0.0.1 plays the Binder server, a Sandbox in the test
process plays the kernel's, and headless Chromium, holding only Jupyter's login
cookie, registers an app and authorizes it at the addresses
``Session.browser_url()`` gives, ending on the landing page with the token.

Uses the ``lab`` and ``page`` fixtures of tests/browser/conftest.py (which also
skips without chromium, or fails when IMGUR_KIT_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

pytestmark = pytest.mark.browser


@pytest.fixture
def binder_connection(sandbox, monkeypatch):
    """A sandbox Session as connect() builds it on Binder (this Lab serves at prefix "/")."""
    from imgur_kit.credentials import Credentials, CredentialStore
    from imgur_kit.steps import Session, detect_environment

    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/imgur-kit")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/")
    app = sandbox.default_app
    return Session(
        mode="sandbox",
        reason="test",
        credentials=Credentials(client_id=app.client_id, client_secret=app.client_secret),
        token=None,
        store=CredentialStore(kind="sandbox"),
        base_url=sandbox.base_url,
        environment=detect_environment(),
        sandbox=sandbox,
    )


def _token(lab) -> str:
    # The conftest keeps its token to itself; its own Lab URLs carry it.
    return parse_qs(urlsplit(lab.tree_url("x.ipynb")).query)["token"][0]


def test_binder_visitor_registers_and_authorizes_through_the_server_proxy(lab, page, sandbox, binder_connection):
    from playwright.sync_api import expect

    kit = binder_connection
    assert kit.environment == "binder" and kit.browser_note == ""
    # The Lab page with ?token= gives the browser Jupyter's login cookie, as Binder's launch link does.
    page.goto(f"{lab.url}/lab?token={_token(lab)}", wait_until="domcontentloaded")
    proxied = f"{lab.url}/proxy/{sandbox.port}"

    # Register an application on the sandbox's form, at the address the kit shows.
    form_path = kit.browser_url(kit.base_url + "/oauth2/addclient")
    assert form_path == f"/proxy/{sandbox.port}/oauth2/addclient"
    page.goto(lab.url + form_path)
    page.get_by_label("Application name:").fill("binder rehearsal")
    page.get_by_label("OAuth 2 authorization without a callback URL").check()
    page.get_by_label("Email:").fill("ada@example.com")
    page.get_by_label("Description:").fill("tried on Binder")
    page.get_by_label("I'm not a robot").check()
    page.get_by_role("button", name="Submit").click()
    client_id = page.locator("#client-id").inner_text(timeout=30_000).strip()
    assert re.fullmatch(r"[0-9a-f]{15}", client_id)
    assert page.url == f"{proxied}/oauth2/addclient"  # the form posted back under the prefix
    assert (
        requests.get(
            sandbox.base_url + "/3/credits", timeout=10, headers={"Authorization": f"Client-ID {client_id}"}
        ).status_code
        == 200
    )

    # Authorize it: consent page through the proxy, Allow, land on the landing page.
    authorize = f"{kit.base_url}/oauth2/authorize?client_id={client_id}&response_type=token&state=binder-1"
    page.goto(lab.url + kit.browser_url(authorize))
    expect(page.locator("#app-name")).to_have_text("binder rehearsal")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(re.compile(re.escape(proxied) + r"/oauth2/landing\?state=binder-1#access_token="))
    landed = urlsplit(page.url)
    assert landed.path == f"/proxy/{sandbox.port}/oauth2/landing"
    fragment = parse_qs(landed.fragment)
    assert fragment["token_type"] == ["bearer"] and fragment["account_username"] == ["sandbox-user"]
    expect(page.locator("#landed-url")).to_have_text(page.url)  # what the person copies back
    me = requests.get(
        sandbox.base_url + "/3/account/me",
        timeout=10,
        headers={"Authorization": f"Bearer {fragment['access_token'][0]}"},
    )
    assert me.status_code == 200 and me.json()["data"]["url"] == "sandbox-user"
