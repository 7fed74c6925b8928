"""The pytest plugin, as another project meets it: installed with the kit, found through its entry point."""

from __future__ import annotations

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


@pytest.mark.imgur_sandbox(seed=-1)
def test_a_bad_seed_is_the_sandboxs_own_sentence(imgur_sandbox):
    pass


@pytest.mark.imgur_sandbox(host="0.0.0.0")
def test_a_public_host_is_refused(imgur_sandbox):
    pass


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
    result.assert_outcomes(passed=6, errors=2)  # the two bad options: the sandbox's own ValueError each
    assert result.stdout.str().count("ValueError") >= 2


def test_the_fixtures_are_documented():
    from imgur_kit import pytest_plugin

    for fixture in (pytest_plugin.imgur_sandbox, pytest_plugin.imgur_sandbox_shared):
        assert (fixture.__doc__ or getattr(fixture, "__wrapped__", fixture).__doc__ or "").strip()


def test_a_sample_project_outside_the_kit_passes_against_the_fixture():
    """tests/plugin/sample_project: its own pytest.ini and test file, requests, imgurpython and PyImgur."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    project = Path(__file__).with_name("sample_project")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "3 passed" in done.stdout
