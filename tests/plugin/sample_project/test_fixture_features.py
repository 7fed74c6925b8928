"""The plugin's switches, as another project uses them: markers, faults, rate limits, uploads, the shared one."""

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
