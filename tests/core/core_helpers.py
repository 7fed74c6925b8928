"""Helpers shared by the core tests (imported by name: conftest modules are not importable)."""
from __future__ import annotations

import io
import json as jsonlib

import requests
from requests.structures import CaseInsensitiveDict

from imgur_kit import oauth


def craft_response(status, body=b"", *, headers=None, json=None, url="https://api.imgur.com/3/image/abc",
                   method="GET"):
    """A real requests.Response as a server would have produced it (body read from a stream)."""
    if json is not None:
        body = jsonlib.dumps(json).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers or {})
    response.raw = io.BytesIO(body)
    response.url = url
    response.encoding = "utf-8"
    response.request = requests.Request(method, url).prepare()
    return response


def authorize(sandbox, credentials, *, response_type="token"):
    """Walk the consent page like a person and return what parse_redirect makes of it."""
    state = oauth.new_state()
    url = oauth.authorize_url(credentials.client_id, response_type=response_type, state=state,
                              base_url=sandbox.base_url)
    return oauth.parse_redirect(sandbox.approve(url), expected_state=state)


def count(sandbox, method, path):
    """How many requests the sandbox saw for ``method path``."""
    return sum(1 for m, p, _ in sandbox.request_log if m == method and p == path)


def save_profiles(directory, prefix, count, start):
    """A separate process saving ``count`` profiles into the store at ``directory`` (for lost-update tests)."""
    from imgur_kit.credentials import CredentialStore, Credentials

    store = CredentialStore(directory)
    start.wait(60)
    for i in range(count):
        store.save(Credentials(f"{abs(hash(prefix)) % 16**7:07x}{i:08x}", "c" * 40), profile=f"{prefix}-{i}")
