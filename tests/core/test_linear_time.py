"""Text from a server or a paste is read in linear time, or refused past a stated size.

Each input here took seconds to minutes with patterns that rescanned the text from
every position. ``pytest.mark.timeout`` is the bound a quadratic reader runs into;
nothing measures speed.
"""

from __future__ import annotations

import pytest

from imgur_kit.errors import AuthorizationError, ServiceUnavailableError
from imgur_kit.oauth import parse_redirect
from imgur_kit.pasted import MAX_PASTE
from imgur_kit.redaction import redact
from imgur_kit.responses import error_from_response

HOSTILE_BODIES = {
    "a- repeated": "a-" * 40_000,
    "a long hex run then a letter": "0" * 80_000 + "g",
    "a long mixed run": "a1" * 40_000 + "!",
    "a label then spaces": "token" + " " * 80_000,
    "unclosed tags": "<" * 80_000,
    "unclosed titles": "<title>" * 20_000,
    "unclosed scripts": "<script>" * 20_000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_redact_reads_hostile_text_in_one_pass(body):
    assert isinstance(redact(body), str)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_a_hostile_error_page_becomes_an_error(make_response, body):
    error = error_from_response(make_response(503, f"<html>{body}", headers={"Content-Type": "text/html"}))
    assert isinstance(error, ServiceUnavailableError) and len(error.message) <= 200


def test_script_and_style_blocks_are_not_words_even_unclosed(make_response):
    page = "<html><title>Over capacity</title><script>var secret='x';</script><p>Try later</p><script>never closed"
    error = error_from_response(make_response(503, page, headers={"Content-Type": "text/html"}))
    assert error.message == "Over capacity: Try later"


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "paste",
    [
        "a" * 80_000 + "!://",
        "x=" * 40_000,
        "a://" * 20_000,
        ("a " * 40_000) + "=",
        "access_token=" + "a-" * 40_000,
    ],
    ids=["scheme run", "many pairs", "many schemes", "many words", "long value"],
)
def test_an_overlong_paste_is_refused_with_its_size(paste):
    with pytest.raises(AuthorizationError, match="characters long"):
        parse_redirect(paste, expected_state="S1")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "paste",
    [
        "a" * (MAX_PASTE - 10) + "!://x",
        "a://" * (MAX_PASTE // 4),
        ("a " * (MAX_PASTE // 2 - 2)) + "x=1",
    ],
    ids=["scheme run", "many schemes", "many words"],
)
def test_a_hostile_paste_just_under_the_limit_is_read_in_one_pass(paste):
    with pytest.raises(AuthorizationError):
        parse_redirect(paste, expected_state="S1")
