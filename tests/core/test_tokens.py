"""Token: lifetimes of any size, leeway, merging, storage form, masked repr."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from imgur_kit.errors import AuthorizationError
from imgur_kit.tokens import Token, mask

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
ACCESS = "a1" * 20
REFRESH = "b2" * 20


def response(**extra):
    data = {
        "access_token": ACCESS,
        "expires_in": 3600,
        "token_type": "bearer",
        "scope": None,
        "refresh_token": REFRESH,
        "account_id": 384077,
        "account_username": "joshTest",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("lifetime", [3600, 2419200, 315360000, "3600", 3600.0])
def test_expires_in_is_honoured_whatever_its_size(lifetime):
    token = Token.from_response(response(expires_in=lifetime), now=NOW)
    assert token.expires_at == NOW + timedelta(seconds=float(lifetime))
    assert token.expires_in(now=NOW) == float(lifetime)
    assert token.expires_at.tzinfo is not None


def test_missing_or_odd_expiry_means_unknown_not_a_crash():
    for lifetime in (None, "", "soon", -5, float("nan")):
        token = Token.from_response(response(expires_in=lifetime), now=NOW)
        assert token.expires_at is None and token.expires_in(NOW) is None
        assert not token.is_expired(now=NOW)
    absurd = Token.from_response(response(expires_in=10**30), now=NOW)
    assert absurd.expires_at.year > 2200


def test_fields_from_the_token_response():
    token = Token.from_response(response(), now=NOW)
    assert token.access_token == ACCESS and token.refresh_token == REFRESH
    assert token.account_username == "joshTest" and token.account_id == "384077"
    assert token.token_type == "bearer" and token.scope is None


def test_from_redirect_parameters_as_lists():
    token = Token.from_response(
        {"access_token": [ACCESS], "expires_in": ["315360000"], "account_username": ["u"]}, now=NOW
    )
    assert token.access_token == ACCESS and token.account_username == "u"
    assert token.expires_in(NOW) == 315360000


def test_no_access_token_is_an_authorization_error():
    with pytest.raises(AuthorizationError, match="Authorize again"):
        Token.from_response({"refresh_token": REFRESH})
    with pytest.raises(AuthorizationError):
        Token.from_response("access_token=x")  # type: ignore[arg-type]


def test_leeway():
    token = Token.from_response(response(expires_in=3600), now=NOW)
    assert not token.is_expired(now=NOW)
    assert not token.is_expired(now=NOW + timedelta(seconds=3530))
    assert token.is_expired(now=NOW + timedelta(seconds=3541))  # within the default 60 s
    assert token.is_expired(leeway=600, now=NOW + timedelta(seconds=3001))
    assert token.is_expired(leeway=0, now=NOW + timedelta(seconds=3600))
    assert not token.is_expired(leeway=0, now=NOW + timedelta(seconds=3599))


def test_merged_with_keeps_the_old_refresh_token_and_identity():
    old = Token.from_response(response(), now=NOW)
    newer = Token(access_token="c3" * 20, expires_at=NOW + timedelta(hours=1))
    merged = old.merged_with(newer)
    assert merged.access_token == "c3" * 20
    assert merged.refresh_token == REFRESH
    assert merged.account_username == "joshTest" and merged.account_id == "384077"
    rotated = old.merged_with(Token(access_token="d4" * 20, refresh_token="e5" * 20))
    assert rotated.refresh_token == "e5" * 20


def test_dict_round_trip():
    token = Token.from_response(response(), now=NOW)
    assert Token.from_dict(token.to_dict()) == token
    assert token.to_dict()["expires_at"] == "2025-06-01T13:00:00+00:00"
    no_expiry = Token(access_token=ACCESS)
    assert Token.from_dict(no_expiry.to_dict()) == no_expiry
    assert Token.from_dict({"access_token": ACCESS, "expires_at": "garbage"}).expires_at is None
    with pytest.raises(AuthorizationError):
        Token.from_dict({"refresh_token": REFRESH})


def test_naive_datetimes_are_taken_as_utc():
    token = Token(access_token=ACCESS, expires_at=datetime(2030, 1, 1))
    assert token.expires_at == datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_repr_masks_tokens():
    token = Token.from_response(response(), now=NOW)
    for text in (repr(token), str(token), f"{token}", repr([token])):
        assert ACCESS not in text and REFRESH not in text
        assert "a1a1…a1a1" in text
    assert "joshTest" in repr(token)


def test_mask():
    assert mask("0123456789abcdef") == "0123…cdef"
    assert mask("short") == "…"
    assert mask("") == "" and mask(None) == ""


def test_token_is_frozen():
    token = Token(access_token=ACCESS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.access_token = "x"  # type: ignore[misc]
