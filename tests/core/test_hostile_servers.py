"""The client against servers that misbehave: every call ends in time, in the documented type or a kit error.

A tiny real HTTP server on loopback (core_helpers.HostileServer) sends what the
sandbox, a faithful Imgur, never would. ``pytest.mark.timeout`` is the bound a
hanging call would run into; no test measures how fast anything is.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from core_helpers import HostileServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgur_kit import oauth
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials
from imgur_kit.errors import ApiError, AuthorizationError, CredentialsError, ImgurError, NetworkError, RateLimitError
from imgur_kit.tokens import Token
from imgur_kit.transport import MAX_ANSWER_BYTES, MAX_AUTOMATIC_WAIT

CREDS = Credentials("1a2b3c4d5e6f7a8", "0123456789abcdef0123456789abcdef01234567")
TOKEN = Token(access_token="a1" * 20, refresh_token="b2" * 20)
PICTURE = Path(__file__).resolve().parents[2] / "imgur_kit" / "assets" / "hello-imgur.png"
ENVELOPE_IMAGE = {"data": {"id": "abc1234", "link": "http://x/abc1234.png"}, "success": True, "status": 200}


# --- an overall deadline ------------------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize("trickle_from", [0, 150], ids=["headers trickle", "body trickles"])
@pytest.mark.parametrize("connection", ["keep-alive", "close"])
def test_a_server_sending_one_byte_at_a_time_cannot_outlast_the_deadline(trickle_from, connection):
    # "Connection: close" matters: http.client then lets go of the socket (conn.sock = None)
    # while the body is still read from it, so the deadline must hold the socket itself.
    body = b'{"data": {"id": "abc1234"}, "success": true, "status": 200}' + b" " * 200
    headers = {"Content-Type": "application/json", "Connection": connection}
    with HostileServer(200, headers, body, trickle=0.2, trickle_from=trickle_from) as server:
        with ImgurClient(CREDS, base_url=server.url, timeout=1) as client:
            with pytest.raises(NetworkError, match="did not answer within 1 second\\b"):
                client.image("abc1234")
        # The client hung up long before the answer was through: a 1-second deadline at one
        # byte per 0.2 s leaves room for a handful of trickled bytes, not the whole answer.
        assert server.sent < trickle_from + 50
        assert server.hits == 1  # and did not start a retry past its deadline


@pytest.mark.timeout(60)
def test_the_token_endpoint_has_the_same_deadline():
    with HostileServer(
        200, {"Content-Type": "application/json"}, {"access_token": "c3" * 20, "pad": " " * 300}, trickle=0.2
    ) as server:
        with pytest.raises(NetworkError, match="did not answer within 1 second\\b"):
            oauth.refresh(CREDS, TOKEN, base_url=server.url, timeout=1)


# --- an answer without end -----------------------------------------------------------------

TOO_LARGE = "sent an answer larger than 256 MB, far more than any Imgur answer"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("framing", [{"Connection": "close"}, {"Content-Length": str(10**12)}])
def test_an_answer_without_end_is_cut_off_with_a_sentence(framing):
    with HostileServer(200, {"Content-Type": "application/json", **framing}, endless=True) as server:
        with ImgurClient(CREDS, base_url=server.url, timeout=60) as client:
            with pytest.raises(NetworkError, match=TOO_LARGE):
                client.image("abc1234")
    # Read up to the limit and no further (the socket buffers hold a few megabytes more);
    # an announced length beyond the limit is refused before reading any of it.
    limit = MAX_ANSWER_BYTES if "Connection" in framing else 0
    assert server.sent < limit + 64 * 1024 * 1024


@pytest.mark.timeout(120)
def test_a_compressed_answer_that_unpacks_without_end_is_cut_off():
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = b"\0" * (1024 * 1024)
    bomb = b"".join(packer.compress(zeros) for _ in range(MAX_ANSWER_BYTES // len(zeros) + 8)) + packer.flush()
    assert len(bomb) < 1024 * 1024  # a small download...
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    with HostileServer(200, headers, bomb) as server:
        with ImgurClient(CREDS, base_url=server.url, timeout=60) as client:
            with pytest.raises(NetworkError, match=TOO_LARGE):  # ...that unpacks past the limit
                client.image("abc1234")
        with pytest.raises(NetworkError, match=TOO_LARGE):
            oauth.refresh(CREDS, TOKEN, base_url=server.url, timeout=60)  # the token endpoint too


def test_a_head_answer_may_announce_any_length():
    import requests

    from imgur_kit.transport import DeadlineAdapter

    with HostileServer(200, {"Content-Length": str(10**12)}, endless=True) as server, requests.Session() as http:
        http.mount("http://", DeadlineAdapter())
        assert http.head(server.url, timeout=10).headers["Content-Length"] == str(10**12)


def test_answers_of_any_ordinary_size_are_read_whole_and_the_connection_kept(sandbox, creds):
    with ImgurClient(creds, base_url=sandbox.base_url) as client:
        first = client.image(client.upload(PICTURE.read_bytes(), title="kept")["id"])
        assert first["title"] == "kept"
        assert client.credits()  # a second call on the same kept-alive connection
    with HostileServer(200, {"Content-Type": "application/json"}, {"data": {"id": "x" * 10**6}, "success": True}) as s:
        with ImgurClient(CREDS, base_url=s.url) as client:
            assert len(client.image("abc1234")["id"]) == 10**6
            assert len(client.image("abc1234")["id"]) == 10**6
        assert s.hits == 2 and len(s._connections) == 1  # one connection for both: kept alive


# --- waiting for a rate limit ---------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_long_retry_after_is_reported_at_once_not_waited_for():
    body = {"data": {"error": "Too Many Requests"}, "success": False, "status": 429}
    with HostileServer(429, {"Retry-After": "120"}, body) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(RateLimitError, match="Wait about 2 minutes") as caught:
                client.credits()
        assert server.hits == 1
    assert caught.value.retry_after == 120


@pytest.mark.timeout(60)
def test_an_unreadable_retry_after_is_a_rate_limit_not_a_network_problem():
    with HostileServer(429, {"Retry-After": "soon"}, {"errors": [{"status": 429, "detail": "Too Many"}]}) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(RateLimitError) as caught:
                client.credits()
        assert server.hits == 1
    assert "could not reach" not in str(caught.value).lower()


@pytest.mark.timeout(60)
def test_a_short_retry_after_is_still_waited_for():
    body = {"data": {"error": "Too Many Requests"}, "success": False, "status": 429}
    assert MAX_AUTOMATIC_WAIT >= 1
    with HostileServer(429, {"Retry-After": "1"}, body) as server:
        with ImgurClient(CREDS, base_url=server.url, retries=1) as client:
            with pytest.raises(RateLimitError):
                client.credits()
        assert server.hits == 2


@pytest.mark.timeout(60)
def test_short_retry_afters_add_up_to_the_cap_and_no_further():
    body = {"data": {"error": "Too Many Requests"}, "success": False, "status": 429}
    assert MAX_AUTOMATIC_WAIT == 5
    with HostileServer(429, {"Retry-After": "2"}, body) as server:
        with ImgurClient(CREDS, base_url=server.url, retries=3) as client:
            with pytest.raises(RateLimitError, match="Wait about 2 seconds"):
                client.credits()
        assert server.hits == 3  # waited 2 + 2 seconds; a third wait would pass 5


# --- answers without the expected data ------------------------------------------------------

ODD_ANSWERS = {
    "data null": (200, {"data": None, "success": True, "status": 200}),
    "a list": (200, [1, 2, 3]),
    "a string": (200, "just text"),
    "no data key": (200, {"success": True, "status": 200}),
    "text for data": (200, {"data": "text", "success": True, "status": 200}),
    "status 600": (600, {"data": {"id": "x"}, "success": True, "status": 200}),
    "not JSON": (200, b"\x00\xffnot json"),
    "nested 200,000 deep": (200, b"[" * 200_000 + b"]" * 200_000),
}


@pytest.mark.parametrize("status, body", ODD_ANSWERS.values(), ids=ODD_ANSWERS.keys())
def test_an_answer_without_the_expected_data_is_an_api_error(status, body):
    with HostileServer(status, {}, body) as server:
        with ImgurClient(CREDS, TOKEN, base_url=server.url, retries=0) as client:
            for call in (
                lambda: client.image("abc1234"),
                lambda: client.account(),
                client.credits,
                lambda: client.upload(PICTURE.read_bytes()),
                lambda: client.album_images("x"),
                lambda: client.account_images(),
            ):
                with pytest.raises(ApiError) as caught:
                    call()
                assert str(caught.value).endswith(".")


def test_an_upload_answer_without_a_link_is_an_api_error():
    with HostileServer(200, {}, {"data": {"id": "abc1234"}, "success": True, "status": 200}) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(ApiError, match="without the data the kit expected"):
                client.upload(PICTURE.read_bytes())


@pytest.mark.parametrize(
    "answer",
    [
        {"access_token": {"x": 1}},
        {"access_token": ["c3" * 20]},
        {"access_token": 12345},
        {"access_token": "c3c3\nc3c3"},
    ],
    ids=["object", "list", "number", "line break"],
)
def test_a_token_answer_whose_access_token_is_not_a_token_is_an_error(answer):
    with HostileServer(200, {}, answer) as server:
        with pytest.raises(AuthorizationError) as caught:
            oauth.refresh(CREDS, TOKEN, base_url=server.url)
    assert "{'x': 1}" not in str(caught.value) and "c3c3" not in str(caught.value)


def test_a_deeply_nested_token_answer_is_an_error_not_a_crash():
    with HostileServer(200, {"Content-Type": "application/json"}, b"[" * 200_000 + b"]" * 200_000) as server:
        with pytest.raises(ApiError):
            oauth.refresh(CREDS, TOKEN, base_url=server.url)


@pytest.mark.parametrize(
    "status, body",
    [
        (401, {"error": "invalid_client", "error_description": "Client authentication failed"}),
        (
            400,
            {
                "data": {"error": "Invalid client_secret", "request": "/oauth2/token", "method": "POST"},
                "success": False,
                "status": 400,
            },
        ),
    ],
    ids=["oauth standard", "imgur envelope"],
)
def test_a_refused_client_secret_says_to_fix_the_secret(status, body):
    with HostileServer(status, {}, body) as server:
        with pytest.raises(CredentialsError, match="Client Secret") as caught:
            oauth.refresh(CREDS, TOKEN, base_url=server.url)
    assert "Authorize again" not in str(caught.value)
    assert CREDS.client_secret not in str(caught.value)


# --- nothing unsendable leaves the machine ----------------------------------------------


class Lookalike:
    """Not a Credentials, but shaped like one (as a caller's own config object may be)."""

    client_id = "1a2b3c4d5e6\nf7a8"
    client_secret = None


@pytest.mark.parametrize(
    "credentials",
    [Lookalike(), "1a2b3c4d5e6f7\u0430", "\uff11" * 14 + "\u00e9", "0123456789abcdef0123456789abcdef01234567"],
)
def test_values_that_cannot_be_sent_are_refused_before_any_request(credentials):
    with HostileServer(200, {}, ENVELOPE_IMAGE) as server:
        with pytest.raises(CredentialsError) as caught:
            ImgurClient(credentials, base_url=server.url).image("abc1234")
        assert server.hits == 0
    assert "0123456789abcdef0123456789abcdef01234567" not in str(caught.value)


@pytest.mark.parametrize("base_url", ["http://[::1", "ftp://example.com", "not a url", 42, "http://127.0.0.1:99999"])
def test_an_unusable_base_url_is_a_sentence(base_url):
    with pytest.raises(ImgurError, match="base URL"):
        ImgurClient(CREDS, base_url=base_url)


# --- only regular files are uploaded -----------------------------------------------------


@pytest.mark.timeout(60)
def test_uploading_a_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with HostileServer(200, {}, ENVELOPE_IMAGE) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(ImgurError, match="not a regular file"):
                client.upload(fifo)
        assert server.hits == 0


@pytest.mark.parametrize(
    "path",
    [
        "/dev/null",
        "folder",
        "x" * 5000 + ".png",
        "no\0pe.png",
        "missing.png",
    ],
    ids=["device", "folder", "5000-character path", "NUL in the path", "missing"],
)
def test_uploading_what_is_not_a_picture_file_is_a_sentence(tmp_path, path):
    (tmp_path / "folder").mkdir()
    target = path if path.startswith("/") else str(tmp_path / path)
    with HostileServer(200, {}, ENVELOPE_IMAGE) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(ImgurError) as caught:
                client.upload(target)
        assert server.hits == 0
    assert len(str(caught.value)) < 600  # a sentence, not the 5,000-character path


@pytest.mark.parametrize(
    "name, content",
    [
        ("credentials.json", b'{"client_secret": "0123456789abcdef0123456789abcdef01234567"}'),
        ("02-register-an-application.ipynb", b'{"cells": [], "metadata": {}}'),
        ("id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"),
        (None, b"0123456789abcdef0123456789abcdef01234567"),
    ],
    ids=["a key file", "a notebook", "a private key", "bytes of no known format"],
)
def test_what_is_not_a_picture_or_video_never_leaves_the_computer(tmp_path, name, content):
    image = content
    if name is not None:
        image = tmp_path / name
        image.write_bytes(content)
    with HostileServer(200, {}, ENVELOPE_IMAGE) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(ImgurError, match="does not look like a picture or a video") as caught:
                client.upload(image)
        assert server.hits == 0  # not one byte sent
    assert content.decode() not in str(caught.value)


@pytest.mark.parametrize(
    "head",
    [b"\x1aE\xdf\xa3" + b"\0" * 12, b"RIFF\0\0\0\0AVI LIST", b"\0\0\0\x18ftypqt  ", b"GIF89a" + b"\0" * 10],
    ids=["WebM", "AVI", "QuickTime", "GIF"],
)
def test_pictures_and_videos_imgur_takes_are_sent(head):
    with HostileServer(200, {}, ENVELOPE_IMAGE) as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            assert client.upload(head + b"\0" * 100)["id"] == "abc1234"
        assert server.hits == 1


# --- any answer at all: the documented type or a kit error ------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["data", "error", "errors", "success", "status", "link", "id", "message", "detail"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
HEADER_VALUES = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


@pytest.fixture(scope="module")
def any_server():
    with HostileServer() as server:
        yield server


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    status=st.integers(min_value=200, max_value=999),
    body=JSON,
    headers=st.dictionaries(
        st.sampled_from(
            [
                "Retry-After",
                "X-RateLimit-UserReset",
                "X-Post-Rate-Limit-Reset",
                "X-RateLimit-UserRemaining",
                "Content-Type",
            ]
        ),
        HEADER_VALUES,
        max_size=2,
    ),
)
def test_any_answer_gives_the_documented_type_or_a_kit_error(any_server, status, body, headers):
    any_server.set(status, headers, body)
    with ImgurClient(CREDS, base_url=any_server.url, retries=0, timeout=5) as client:
        for call, kind in (
            (lambda: client.image("abc1234"), dict),
            (client.credits, dict),
            (lambda: client.album_images("x"), list),
        ):
            try:
                result = call()
            except ImgurError as exc:
                assert str(exc)
            else:
                assert isinstance(result, kind)
        client.rate_limits.summary()  # whatever the headers said, the meter reads them


@pytest.mark.parametrize(
    "setting",
    [
        {"timeout": None},
        {"timeout": 0},
        {"timeout": float("inf")},
        {"timeout": "30"},
        {"deadline": -1},
        {"retries": -1},
        {"retries": 2.5},
    ],
)
def test_every_wait_has_a_bound_so_an_unbounded_setting_is_refused(setting):
    with pytest.raises(ImgurError, match="must be"):
        ImgurClient(CREDS, **setting)


@pytest.mark.parametrize(
    "link", ["file:///etc/passwd", "ftp://example.com/x.png", "http://[::1/x.png", {"link": None}, ""]
)
def test_fetch_takes_only_web_links(link):
    with HostileServer(200, {}, b"\x89PNG") as server:
        with ImgurClient(CREDS, base_url=server.url) as client:
            with pytest.raises(ImgurError, match="link"):
                client.fetch(link)
        assert server.hits == 0
