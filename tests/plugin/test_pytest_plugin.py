"""The pytest plugin, as another project meets it: installed with the kit, found through its entry point."""

from __future__ import annotations

import pytest

SUITE = """
import pytest
import requests


def test_a_fresh_sandbox_with_its_app_and_user(imgur_sandbox):
    credits = requests.get(imgur_sandbox.base_url + "/3/credits", headers=imgur_sandbox.headers(), timeout=10)
    assert credits.status_code == 200
    me = requests.get(imgur_sandbox.base_url + "/3/account/me", headers=imgur_sandbox.headers(user=True), timeout=10)
    assert me.json()["data"]["url"] == imgur_sandbox.user.username
    assert "token" not in repr(imgur_sandbox.user).replace("_token='…'", "")


@pytest.mark.imgur_sandbox(seed=7)
def test_a_chosen_gallery(imgur_sandbox):
    assert imgur_sandbox.seed == 7


def test_faults_and_rate_limits(imgur_sandbox):
    def status(path):
        return requests.get(imgur_sandbox.base_url + path, headers=imgur_sandbox.headers(), timeout=10).status_code

    imgur_sandbox.rate_limit(client_remaining=0)
    assert status("/3/gallery/hot") == 429
    imgur_sandbox.rate_limit(client_remaining=100)
    imgur_sandbox.fault("over-capacity", times=1)
    assert status("/3/credits") == 503


def test_seeded_content_and_an_expired_token(imgur_sandbox):
    image = imgur_sandbox.upload(title="fixture picture")
    got = requests.get(imgur_sandbox.base_url + "/3/image/" + image["id"], headers=imgur_sandbox.headers(), timeout=10)
    assert got.json()["data"]["title"] == "fixture picture"
    imgur_sandbox.expire_user_token()
    me = requests.get(imgur_sandbox.base_url + "/3/account/me", headers=imgur_sandbox.headers(user=True), timeout=10)
    assert me.status_code == 403


def test_the_shared_one_is_the_same_object_across_tests_a(imgur_sandbox_shared):
    imgur_sandbox_shared.upload(title="shared")


def test_the_shared_one_is_the_same_object_across_tests_b(imgur_sandbox_shared):
    shared = imgur_sandbox_shared
    mine = requests.get(shared.base_url + "/3/account/me/images", headers=shared.headers(user=True), timeout=10)
    mine = mine.json()["data"]
    assert [i["title"] for i in mine] == ["shared"]
"""


def test_another_projects_suite_gets_the_fixtures_from_the_installed_kit(pytester):
    pytester.makepyfile(test_their_code=SUITE)
    pytester.makeini("[pytest]\naddopts = --strict-markers\nimgur_sandbox_seed = 3\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=180)
    result.assert_outcomes(passed=6)


def test_the_fixtures_are_documented(pytester):
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider", timeout=120)
    text = result.stdout.str()
    assert "imgur_sandbox -- " in text and "imgur_sandbox_shared [session scope]" in text


@pytest.mark.parametrize("bad", [{"seed": -1}, {"host": "0.0.0.0"}])
def test_a_bad_marker_option_is_the_sandbox_own_sentence(pytester, bad):
    pytester.makepyfile(
        test_bad=f"import pytest\n@pytest.mark.imgur_sandbox(**{bad!r})\ndef test_x(imgur_sandbox):\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", timeout=120)
    result.assert_outcomes(errors=1)
    assert "ValueError" in result.stdout.str()
