"""Run-time faults, each a behaviour reported of the live service."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests
from sandbox_helpers import authorize_url

# A GET answer: the post limit comes on POST answers only.
RATE_HEADERS = ["X-RateLimit-ClientRemaining", "X-RateLimit-UserRemaining", "X-RateLimit-ClientReset"]


def test_registration_closed_redirects_to_home(http, sandbox):
    sandbox.set_fault("registration-closed")
    r = http.get(sandbox.base_url + "/oauth2/addclient", allow_redirects=False)
    # Relative, so behind a path-prefix proxy (Binder) the browser stays under the prefix ...
    assert r.status_code == 301 and r.headers["Location"] == "../"
    # ... and it still names the home page.
    assert urljoin(sandbox.base_url + "/oauth2/addclient", r.headers["Location"]) == sandbox.base_url + "/"
    followed = http.get(sandbox.base_url + "/oauth2/addclient")
    assert followed.url == sandbox.base_url + "/" and "Imgur API sandbox" in followed.text
    # Only registration is touched.
    assert (
        http.get(
            sandbox.base_url + "/3/credits", headers={"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
        ).status_code
        == 200
    )


def test_error_1024_on_the_authorize_page(http, sandbox, app):
    sandbox.set_fault("error-1024")
    r = http.get(authorize_url(sandbox, app))
    assert "Error (1024)" in r.text and "Allow" not in r.text
    with pytest.raises(RuntimeError, match="1024"):
        sandbox.approve(authorize_url(sandbox, app))
    assert http.get(sandbox.base_url + "/oauth2/addclient").status_code == 200


def test_region_blocked_everywhere(http, sandbox, client_auth):
    sandbox.set_fault("region-blocked")
    for path in ["/", "/oauth2/addclient", "/3/credits"]:
        r = http.get(sandbox.base_url + path, headers=client_auth)
        assert r.status_code == 403 and r.headers["Content-Type"].startswith("text/html")
        assert "not available in your region" in r.text


@pytest.mark.parametrize("status", [None, 403, 500])
def test_over_capacity_is_a_varnish_html_page(http, sandbox, client_auth, status):
    if status is None:
        sandbox.set_fault("over-capacity")
    else:
        sandbox.set_fault("over-capacity", status=status)
    r = http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert r.status_code == (status or 503)
    assert r.headers["Content-Type"].startswith("text/html")
    assert "Imgur is temporarily over capacity" in r.text and "Varnish" in r.text
    # The cache's own request number (XID) must not read as the consent page's "Error (1024)".
    assert "XID: " in r.text and "1024" not in r.text


@pytest.mark.parametrize("status", [403, 500])
def test_over_capacity_in_json(http, sandbox, client_auth, status):
    # mikf/gallery-dl#910 (403, 2020), ShareX#8014 (500, 2025): the envelope without request and method.
    sandbox.set_fault("over-capacity", status=status, form="json")
    r = http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert r.status_code == status and r.headers["Content-Type"] == "application/json"
    assert r.json() == {
        "data": {"error": "Imgur is temporarily over capacity. Please try again later."},
        "success": False,
        "status": status,
    }
    for name in RATE_HEADERS:  # every /3/ answer has them
        assert name in r.headers


def test_rate_limited_is_the_newer_429_shape(http, sandbox, client_auth):
    sandbox.set_fault("rate-limited")
    r = http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert r.status_code == 429
    assert r.headers["Content-Type"] == "application/vnd.imgur.v1+json"
    (error,) = r.json()["errors"]
    assert error["id"].startswith("legacy-api-") and error["code"] == "429"
    assert error["status"] == "Too Many Requests"
    assert "data" not in r.json()
    assert int(r.headers["X-RateLimit-ClientRemaining"]) > 0  # seen even with credits left
    # OAuth pages and the token endpoint are not rate-limited.
    assert http.get(sandbox.base_url + "/oauth2/addclient").status_code == 200


def test_times_clears_the_fault_after_n_hits(http, sandbox, client_auth):
    sandbox.set_fault("over-capacity", times=2)
    codes = [http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code for _ in range(3)]
    assert codes == [503, 503, 200]


def test_times_counts_only_requests_the_fault_touches(http, sandbox, client_auth, app):
    sandbox.set_fault("error-1024", times=1)
    assert http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200
    assert "Error (1024)" in http.get(authorize_url(sandbox, app)).text
    assert "Allow" in http.get(authorize_url(sandbox, app)).text


def test_clearing_a_fault(http, sandbox, client_auth):
    sandbox.set_fault("region-blocked")
    sandbox.set_fault(None)
    assert http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200


def test_slow_answers_normally_afterwards(http, sandbox, client_auth):
    sandbox.set_fault("slow", seconds=0.05, times=1)
    r = http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert r.status_code == 200 and r.json()["success"] is True


def test_slow_is_a_timeout_for_an_impatient_client(sandbox, client_auth):
    sandbox.set_fault("slow", seconds=1.5, times=1)
    with requests.Session() as session, pytest.raises(requests.exceptions.ReadTimeout):
        session.get(sandbox.base_url + "/3/credits", headers=client_auth, timeout=0.2)


def test_drop_closes_the_connection_without_an_answer(http, sandbox, client_auth):
    sandbox.set_fault("drop", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200


def test_drop_on_a_reused_keep_alive_connection(http, sandbox, client_auth):
    assert http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200
    sandbox.set_fault("drop", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        http.post(sandbox.base_url + "/3/album", headers=client_auth, data={"title": "x"})
    assert http.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200


@pytest.mark.parametrize("name, times", [("nonsense", None), ("drop", 0)])
def test_bad_fault_arguments(sandbox, name, times):
    with pytest.raises(ValueError):
        sandbox.set_fault(name, times=times)
