"""Fixtures for the core tests: crafted responses for the translator, and sandbox helpers.

The lead's tests/conftest.py already strips IMGUR_* variables, points the config folder
at a temporary one, and provides a fresh ``sandbox`` per test.
"""
from __future__ import annotations

import io
import json as jsonlib

import pytest
import requests
from requests.structures import CaseInsensitiveDict


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


@pytest.fixture
def make_response():
    """Factory for crafted responses: make_response(status, body, headers=..., json=...)."""
    return craft_response
