"""The one route table: every page and endpoint in it answers over HTTP as the table says."""

from __future__ import annotations

import pytest
import requests

from imgur_kit.sandbox.routes import ROUTES, find


def test_every_api_endpoint_costs_what_the_table_says(sandbox, bearer):
    urls = {"GET": "/3/credits", "POST": "/3/album"}
    for method, path in urls.items():
        route, _ = find(method, path)
        before = requests.get(sandbox.base_url + "/3/credits", headers=bearer, timeout=10).json()["data"]
        answer = requests.request(method, sandbox.base_url + path, headers=bearer, timeout=10)
        assert answer.status_code == 200 and "X-RateLimit-ClientRemaining" in answer.headers
        after = requests.get(sandbox.base_url + "/3/credits", headers=bearer, timeout=10).json()["data"]
        assert before["ClientRemaining"] - after["ClientRemaining"] == route.cost


@pytest.mark.parametrize(
    "method, path, handler",
    [
        ("GET", "/3/credits.json", "credits"),
        ("GET", "/3/account/me/", "account"),
        ("HEAD", "/3/image/abc", "get"),
        ("DELETE", "/3/album/x", "delete"),
        ("POST", "/3/upload", "upload"),
        ("GET", "/oauth2/addclient/", "addclient"),
        ("POST", "/oauth2/token", "token"),
        ("GET", "/i/abc.png", "picture_file"),
        ("GET", "/a/xyz", "album"),
        ("GET", "/", "home"),
    ],
)
def test_a_path_finds_its_one_handler(method, path, handler):
    route, _ = find(method, path)
    assert route is not None and route.handler.__name__ == handler


@pytest.mark.parametrize(
    "method, path", [("PUT", "/3/credits"), ("GET", "/3/nowhere"), ("GET", "/nowhere"), ("PATCH", "/3/image/abc")]
)
def test_what_is_not_in_the_table_is_not_found(sandbox, client_auth, method, path):
    assert find(method, path) == (None, ())
    answer = requests.request(method, sandbox.base_url + path, headers=client_auth, timeout=10)
    assert answer.status_code == 404


def test_pages_need_no_credentials_and_endpoints_do(sandbox):
    for route in ROUTES:
        if route.cost is None:
            continue
        assert route.pattern.pattern.startswith("/3/")
    assert requests.get(sandbox.base_url + "/oauth2/addclient", timeout=10).status_code == 200
    assert requests.get(sandbox.base_url + "/3/credits", timeout=10).status_code == 401
