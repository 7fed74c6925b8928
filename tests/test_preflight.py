"""The live status check, each probe against the sandbox fault it must recognise."""

from __future__ import annotations

import pytest
from loopback import free_port

from imgur_kit import Credentials, oauth, preflight


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens there


@pytest.fixture
def app(sandbox):
    a = sandbox.default_app
    return Credentials(client_id=a.client_id, client_secret=a.client_secret)


@pytest.fixture
def token(sandbox, app):
    url = oauth.authorize_url(app.client_id, state="s1", base_url=sandbox.base_url)
    return oauth.parse_redirect(sandbox.approve(url), expected_state="s1")


def test_everything_ok_on_a_healthy_service(sandbox, app, token):
    findings = preflight.run_all(app, token, base_url=sandbox.base_url)
    assert [f.status for f in findings] == ["ok"] * 7, preflight.summarize(findings)
    text = preflight.summarize(findings)
    assert "signed in as sandbox-user" in text
    assert "accepted;" in text


def test_the_host_region_and_capacity_probes_share_one_request(sandbox, app, token):
    sandbox.clear_request_log()
    preflight.run_all(app, token, base_url=sandbox.base_url)
    anonymous_credits = [entry for entry in sandbox.request_log if entry == ("GET", "/3/credits", None)]
    assert len(anonymous_credits) == 1, sandbox.request_log


def test_unreachable_host_is_one_problem_and_the_rest_unknown():
    findings = preflight.run_all(Credentials(client_id="0123456789abcde"), base_url=closed_port_url(), timeout=3)
    assert findings[0].status == "problem"
    assert "could not be reached" in findings[0].summary
    assert "Could not reach 127.0.0.1" in findings[0].advice
    assert {f.status for f in findings[1:]} == {"unknown"}


def test_closed_registration_is_reported_with_the_client_id_path(sandbox):
    assert preflight.check_registration(base_url=sandbox.base_url).ok
    sandbox.set_fault("registration-closed")
    finding = preflight.check_registration(base_url=sandbox.base_url)
    assert finding.status == "problem"
    assert f"redirects away (to {sandbox.base_url}/)" in finding.summary
    assert "anonymous uploads" in finding.advice


def test_error_1024_on_the_authorize_page(sandbox, app):
    assert preflight.check_authorize_page(app.client_id, base_url=sandbox.base_url).ok
    sandbox.set_fault("error-1024")
    finding = preflight.check_authorize_page(app.client_id, base_url=sandbox.base_url)
    assert finding.status == "problem"
    assert "Error (1024)" in finding.summary


def test_unknown_client_id_on_the_authorize_page_and_the_api(sandbox):
    stranger = Credentials(client_id="abcdefabcdefabc")
    page = preflight.check_authorize_page(stranger.client_id, base_url=sandbox.base_url)
    assert page.status == "problem" and "does not recognise" in page.summary
    api = preflight.check_client_id(stranger, base_url=sandbox.base_url)
    assert api.status == "problem" and "refused this Client ID" in api.summary
    assert "Client ID" in api.advice


def test_client_id_reports_remaining_credits(sandbox, app):
    sandbox.set_credits(client_remaining=4321)
    finding = preflight.check_client_id(app, base_url=sandbox.base_url)
    assert finding.ok and "4321" in finding.summary


def test_revoked_token_is_a_problem_that_says_authorize_again(sandbox, app, token):
    assert preflight.check_token(app, token, base_url=sandbox.base_url).ok
    sandbox.revoke_tokens(app.client_id)
    finding = preflight.check_token(app, token, base_url=sandbox.base_url)
    assert finding.status == "problem"
    assert "authorize" in finding.advice.lower()


def test_region_block(sandbox):
    assert preflight.check_region(base_url=sandbox.base_url).ok
    sandbox.set_fault("region-blocked")
    finding = preflight.check_region(base_url=sandbox.base_url)
    assert finding.status == "problem" and "region" in finding.summary


def test_over_capacity(sandbox):
    assert preflight.check_capacity(base_url=sandbox.base_url).ok
    sandbox.set_fault("over-capacity")
    finding = preflight.check_capacity(base_url=sandbox.base_url)
    assert finding.status == "problem" and "over capacity" in finding.summary


def test_rate_limited_client_id(sandbox, app):
    sandbox.set_fault("rate-limited")
    finding = preflight.check_client_id(app, base_url=sandbox.base_url)
    assert finding.status == "problem" and "rate limit" in finding.summary


def test_missing_credentials_are_unknown_not_problems():
    assert preflight.check_client_id(None).status == "unknown"
    assert preflight.check_token(None, None).status == "unknown"
    assert preflight.check_authorize_page(None).status == "unknown"


def test_findings_never_show_a_secret(sandbox, app, token):
    sandbox.revoke_tokens(app.client_id)
    text = preflight.summarize(preflight.run_all(app, token, base_url=sandbox.base_url))
    for secret in (app.client_secret, token.access_token, token.refresh_token):
        assert secret not in text


def test_the_reachability_line_does_not_read_as_a_failure(sandbox):
    """The probe goes without a Client ID on purpose, so 401 is the expected answer: the line says so."""
    finding = preflight.check_reachable(base_url=sandbox.base_url)
    assert finding.status == preflight.OK
    assert finding.summary == (
        f"127.0.0.1:{sandbox.port} is up: it answered the probe, sent on purpose without "
        "a Client ID, with the expected refusal (HTTP 401)."
    )
