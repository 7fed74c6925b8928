"""ImgurClient against the sandbox over real loopback HTTP: auth, refresh, retries, errors, endpoints."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from core_helpers import HostileServer, authorize, count
from loopback import free_port

import imgur_kit
from imgur_kit.client import ImgurClient, RateLimits
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.errors import (
    ApiError,
    AuthError,
    AuthorizationError,
    ImgurError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)
from imgur_kit.sandbox import Sandbox
from imgur_kit.tokens import Token

PICTURE = Path(imgur_kit.__file__).parent / "assets" / "hello-imgur.png"


@pytest.fixture
def refreshed():
    """A list that on_token_refresh appends to."""
    return []


@pytest.fixture
def client(sandbox, creds, token, refreshed):
    with ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=refreshed.append) as made:
        yield made


@pytest.fixture
def anonymous(sandbox, creds):
    with ImgurClient(creds, base_url=sandbox.base_url) as made:
        yield made


def schemes(sandbox, method, path):
    return [s for m, p, s in sandbox.request_log if m == method and p == path]


# --- headers --------------------------------------------------------------------------


def test_constructor_does_no_io(sandbox, creds, token):
    sandbox.clear_request_log()
    ImgurClient(creds, token, base_url=sandbox.base_url)
    assert sandbox.request_log == []


def test_client_id_without_a_token_and_bearer_with_one(sandbox, anonymous, client):
    sandbox.clear_request_log()
    anonymous.credits()
    client.credits()
    assert schemes(sandbox, "GET", "/3/credits") == ["Client-ID", "Bearer"]


def test_bare_client_id_string_is_accepted(sandbox, creds):
    with ImgurClient(creds.client_id, base_url=sandbox.base_url + "/") as made:
        assert made.credits()["ClientLimit"] > 0
        assert made.base_url == sandbox.base_url


def test_me_without_a_token_says_authorize(sandbox, anonymous):
    with pytest.raises(AuthError, match="Authorize") as caught:
        anonymous.account()
    assert caught.value.status == 401
    assert count(sandbox, "POST", "/oauth2/token") == 0


def test_unknown_client_id(sandbox):
    with ImgurClient(Credentials("000000000000000"), base_url=sandbox.base_url) as made:
        with pytest.raises(AuthError, match="Check the Client ID"):
            made.credits()


# --- refreshing ---------------------------------------------------------------------


def test_refresh_ahead_of_expiry(sandbox, creds, token, refreshed):
    soon = Token(
        access_token=token.access_token,
        refresh_token=token.refresh_token,
        expires_at=datetime.now(timezone.utc) + timedelta(seconds=30),
    )  # inside the 60 s leeway
    with ImgurClient(creds, soon, base_url=sandbox.base_url, on_token_refresh=refreshed.append) as made:
        sandbox.clear_request_log()
        assert made.account()["url"] == sandbox.username
    assert [m + " " + p for m, p, _ in sandbox.request_log] == ["POST /oauth2/token", "GET /3/account/me"]
    assert len(refreshed) == 1 and made.token == refreshed[0]
    assert made.token.access_token != token.access_token


@pytest.mark.parametrize("status", [403, 401])
def test_refresh_on_the_expired_token_answer_then_retry_once(status, refreshed):
    with Sandbox(expired_token_status=status) as sandbox:
        app = sandbox.default_app
        creds = Credentials(app.client_id, app.client_secret)
        token = authorize(sandbox, creds)
        with ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=refreshed.append) as made:
            sandbox.expire_token(token.access_token)
            sandbox.clear_request_log()
            assert made.account()["url"] == sandbox.username
        assert [(m, p) for m, p, _ in sandbox.request_log] == [
            ("GET", "/3/account/me"),
            ("POST", "/oauth2/token"),
            ("GET", "/3/account/me"),
        ]
        assert len(refreshed) == 1
        # The sandbox, like the live service, hands back the same refresh token.
        assert refreshed[0].refresh_token == token.refresh_token
        assert refreshed[0].access_token != token.access_token


def test_refresh_keeps_the_old_refresh_token(refreshed):
    with Sandbox(refresh_returns_refresh_token=False) as sandbox:
        app = sandbox.default_app
        creds = Credentials(app.client_id, app.client_secret)
        token = authorize(sandbox, creds)
        with ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=refreshed.append) as made:
            sandbox.expire_token(token.access_token)
            made.account()
            assert made.token.refresh_token == token.refresh_token
            assert made.token.access_token != token.access_token
            made.account()  # and the kept one still refreshes next time
            sandbox.expire_token(made.token.access_token)
            made.account()
        assert len(refreshed) == 2


def test_forced_refresh_calls_the_hook(sandbox, client, token, refreshed):
    new = client.refresh()
    assert refreshed == [new] and client.token == new
    assert new.access_token != token.access_token


def test_refresh_hook_can_save_to_the_store(sandbox, creds, token, tmp_path):
    store = CredentialStore(tmp_path, kind="sandbox")
    store.save(creds)
    store.save_token(token)
    with ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=store.save_token) as made:
        sandbox.expire_token(token.access_token)
        made.account()
    assert store.load().token == made.token != token


def test_a_failing_hook_warns_but_the_call_succeeds(sandbox, creds, token):
    def broken(_):
        raise OSError("disk full")

    with ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=broken) as made:
        sandbox.expire_token(token.access_token)
        with pytest.warns(RuntimeWarning, match="may not have been saved"):
            assert made.account()["url"] == sandbox.username


@pytest.mark.parametrize("how", ["server-expired", "locally-expired"])
def test_exactly_one_refresh_across_eight_threads(sandbox, creds, token, refreshed, how):
    if how == "locally-expired":
        token = Token(
            access_token=token.access_token,
            refresh_token=token.refresh_token,
            expires_at=datetime.now(timezone.utc) - timedelta(seconds=1),
        )
    else:
        sandbox.expire_token(token.access_token)
    made = ImgurClient(creds, token, base_url=sandbox.base_url, on_token_refresh=refreshed.append)
    sandbox.clear_request_log()
    barrier = threading.Barrier(8, timeout=30)
    results, failures = [], []

    def work():
        barrier.wait()
        try:
            results.append(made.account()["url"])
        except Exception as exc:  # collected, so the assertion below shows it
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    made.close()
    assert failures == []
    assert results == [sandbox.username] * 8
    assert count(sandbox, "POST", "/oauth2/token") == 1
    assert len(refreshed) == 1


def test_revoked_tokens_mean_authorize_again(sandbox, client, creds, token):
    sandbox.revoke_tokens()
    with pytest.raises(AuthorizationError, match="Authorize again") as caught:
        client.account()
    assert count(sandbox, "POST", "/oauth2/token") == 1
    assert token.refresh_token not in str(caught.value) and creds.client_secret not in str(caught.value)


def test_no_refresh_token_no_refresh(sandbox, creds, token):
    bare = Token(access_token=token.access_token)
    with ImgurClient(creds, bare, base_url=sandbox.base_url) as made:
        sandbox.expire_token(token.access_token)
        with pytest.raises(AuthError, match="expired or was revoked") as caught:
            made.account()
        assert caught.value.token_invalid
        with pytest.raises(AuthorizationError, match="no refresh token"):
            made.refresh()
    assert count(sandbox, "POST", "/oauth2/token") == 0


def test_no_refresh_for_over_capacity_or_region(sandbox, client):
    for fault, error in (("over-capacity", ServiceUnavailableError), ("region-blocked", RegionBlockedError)):
        sandbox.set_fault(fault, status=403) if fault == "over-capacity" else sandbox.set_fault(fault)
        with pytest.raises(error):
            client.account()
        sandbox.set_fault(None)
    assert count(sandbox, "POST", "/oauth2/token") == 0


# --- retries, timeouts, network -------------------------------------------------------


def test_get_is_retried_after_a_one_shot_503(sandbox, client):
    sandbox.set_fault("over-capacity", times=1)
    sandbox.clear_request_log()
    assert client.credits()["ClientLimit"] > 0
    assert count(sandbox, "GET", "/3/credits") == 2


def test_delete_is_retried_after_a_one_shot_503(sandbox, client):
    image = client.upload(PICTURE.read_bytes())
    sandbox.set_fault("over-capacity", times=1)
    sandbox.clear_request_log()
    assert client.delete_image(image["deletehash"]) is True
    assert len(schemes(sandbox, "DELETE", f"/3/image/{image['deletehash']}")) == 2


def test_upload_is_never_retried(sandbox, client):
    sandbox.set_fault("over-capacity", times=1)
    sandbox.clear_request_log()
    with pytest.raises(ServiceUnavailableError):
        client.upload(PICTURE)
    assert count(sandbox, "POST", "/3/image") == 1
    assert client.account_images() == []  # nothing half-uploaded twice


def test_album_creation_is_never_retried(sandbox, client):
    sandbox.set_fault("over-capacity", times=1)
    sandbox.clear_request_log()
    with pytest.raises(ServiceUnavailableError):
        client.create_album(title="once")
    assert count(sandbox, "POST", "/3/album") == 1


def test_persistent_503_gives_up_after_bounded_retries(sandbox, creds):
    sandbox.set_fault("over-capacity")
    with ImgurClient(creds, base_url=sandbox.base_url, retries=1) as made:
        sandbox.clear_request_log()
        with pytest.raises(ServiceUnavailableError, match="over capacity"):
            made.credits()
    assert count(sandbox, "GET", "/3/credits") == 2


def test_dropped_connection_is_a_network_error(sandbox, creds):
    sandbox.set_fault("drop")
    with ImgurClient(creds, base_url=sandbox.base_url, retries=1) as made:
        with pytest.raises(NetworkError, match="127.0.0.1") as caught:
            made.credits()
    assert "Check" in str(caught.value)


def test_one_dropped_connection_is_retried_for_get(sandbox, anonymous):
    sandbox.set_fault("drop", times=1)
    assert anonymous.credits()["ClientLimit"] > 0


def test_dropped_upload_is_a_network_error_not_a_retry(sandbox, client):
    sandbox.set_fault("drop", times=1)
    sandbox.clear_request_log()
    with pytest.raises(NetworkError):
        client.upload(PICTURE)
    assert count(sandbox, "POST", "/3/image") == 1


def test_an_answer_that_never_comes_ends_at_the_timeout(creds):
    # The server reads the request and then says nothing until the test ends: only the
    # client's own timeout can end the call, whatever the machine's load.
    with HostileServer(hold=True) as silent:
        with ImgurClient(creds, base_url=silent.url, timeout=0.3, retries=0) as made:
            with pytest.raises(NetworkError, match="did not answer within 0.3 seconds"):
                made.credits()
        assert silent.hits == 1


def test_unreachable_host(creds):
    port = free_port()  # nothing listens there
    with ImgurClient(creds, base_url=f"http://127.0.0.1:{port}", retries=0, timeout=2) as made:
        with pytest.raises(NetworkError, match=f"127.0.0.1:{port}"):
            made.credits()


# --- error answers --------------------------------------------------------------------


def test_429_legacy_envelope(sandbox, anonymous):
    sandbox.set_credits(client_remaining=0)
    with pytest.raises(RateLimitError) as caught:
        anonymous.account(sandbox.username)
    assert caught.value.status == 429


def test_429_newer_errors_shape(sandbox, anonymous):
    sandbox.set_fault("rate-limited")
    with pytest.raises(RateLimitError) as caught:
        anonymous.credits()
    assert caught.value.status == 429 and caught.value.message == "Too Many Requests"
    # The sandbox sends the user limit's reset with every answer: the error says when to come back.
    reset_at = caught.value.reset_at
    assert reset_at.tzinfo is not None and reset_at > datetime.now(timezone.utc)
    assert f"resets at {reset_at:%Y-%m-%d %H:%M} UTC" in str(caught.value)


def test_over_capacity_html(sandbox, creds):
    sandbox.set_fault("over-capacity")
    with ImgurClient(creds, base_url=sandbox.base_url, retries=0) as made:
        with pytest.raises(ServiceUnavailableError) as caught:
            made.credits()
    assert caught.value.status == 503 and "<" not in str(caught.value)


def test_region_blocked(sandbox, anonymous):
    sandbox.set_fault("region-blocked")
    with pytest.raises(RegionBlockedError, match="region"):
        anonymous.credits()


def test_not_found(sandbox, anonymous):
    with pytest.raises(NotFoundError):
        anonymous.image("nosuch1")
    with pytest.raises(NotFoundError):
        anonymous.album("nosuch1")


def test_ids_cannot_escape_their_path_segment(sandbox, anonymous):
    with pytest.raises(NotFoundError):
        anonymous.image("../credits")
    with pytest.raises(ImgurError):
        anonymous.image("  ")


# --- uploads ----------------------------------------------------------------------------


def progress_recorder():
    calls = []
    return calls, lambda sent, total: calls.append((sent, total))


@pytest.mark.parametrize("kind", ["path", "str-path", "bytes", "file", "bytesio", "pipe-like"])
def test_upload_each_kind_with_progress(sandbox, client, kind, tmp_path):
    data = PICTURE.read_bytes()
    calls, progress = progress_recorder()
    opened = None
    if kind == "path":
        image = PICTURE
    elif kind == "str-path":
        image = str(PICTURE)
    elif kind == "bytes":
        image = data
    elif kind == "file":
        image = opened = PICTURE.open("rb")
    elif kind == "bytesio":
        image = io.BytesIO(data)
    else:

        class PipeLike(io.RawIOBase):  # readable, not seekable, no file number
            def __init__(self):
                self._buffer = io.BytesIO(data)

            def readable(self):
                return True

            def readinto(self, target):
                chunk = self._buffer.read(len(target))
                target[: len(chunk)] = chunk
                return len(chunk)

        image = io.BufferedReader(PipeLike())
    try:
        result = client.upload(image, title="Hello", description="first upload", name="hello.png", progress=progress)
    finally:
        if opened:
            assert not opened.closed  # the caller's file stays the caller's
            opened.close()
    assert result["id"] and result["deletehash"] and result["link"]
    assert result["title"] == "Hello" and result["type"] == "image/png"
    assert result["width"] == 200 and result["height"] == 120
    assert client.fetch(result) == data
    sent, total = calls[-1]
    assert sent == total and total > len(data)
    assert all(b <= t for b, t in calls) and [s for s, _ in calls] == sorted(s for s, _ in calls)


def test_large_upload_streams(sandbox, client):
    # A real PNG head (signature and IHDR) followed by 8 MB, as a large photo would be.
    big = PICTURE.read_bytes() + bytes(range(256)) * (8 * 1024 * 1024 // 256)
    calls, progress = progress_recorder()
    result = client.upload(big, progress=progress)
    assert result["size"] == len(big)
    assert calls[-1][0] == calls[-1][1] >= len(big)
    assert len(calls) > 10  # reported as it went, not once at the end


def test_upload_into_an_album_anonymously(sandbox, anonymous):
    album = anonymous.create_album(title="holiday", privacy="hidden")
    image = anonymous.upload(PICTURE, album=album["deletehash"])
    assert [i["id"] for i in anonymous.album_images(album["id"])] == [image["id"]]


def test_upload_after_a_token_refresh_sends_the_whole_file(sandbox, client, token):
    sandbox.expire_token(token.access_token)
    calls, progress = progress_recorder()
    result = client.upload(PICTURE, progress=progress)
    assert client.fetch(result) == PICTURE.read_bytes()
    assert count(sandbox, "POST", "/3/image") == 2 and count(sandbox, "POST", "/oauth2/token") == 1


def test_upload_refuses_what_it_cannot_send(client, tmp_path):
    with pytest.raises(ImgurError, match="no file"):
        client.upload(tmp_path / "missing.png")
    with pytest.raises(ImgurError, match="folder"):
        client.upload(tmp_path)
    with pytest.raises(ImgurError, match="binary"):
        client.upload(io.StringIO("text"))
    with pytest.raises(ImgurError, match="takes a path"):
        client.upload(12345)  # type: ignore[arg-type]


# --- the other endpoints -----------------------------------------------------------------


def test_the_first_run_journey(sandbox, client):
    assert client.account()["url"] == sandbox.username
    assert client.account(sandbox.username)["url"] == sandbox.username
    first = client.upload(PICTURE, title="one")
    second = client.upload(PICTURE.read_bytes(), title="two")
    assert client.image(first["id"])["title"] == "one"
    assert {i["id"] for i in client.account_images()} == {first["id"], second["id"]}
    assert client.account_images(page=5) == []
    album = client.create_album(ids=[first["id"], second["id"]], title="My album", description="d", privacy="hidden")
    assert client.album(album["id"])["title"] == "My album"
    assert [i["id"] for i in client.album_images(album["id"])] == [first["id"], second["id"]]
    assert client.delete_image(first["id"]) is True
    assert client.delete_image(second["deletehash"]) is True
    with pytest.raises(NotFoundError):
        client.image(first["id"])


def test_rate_limits_follow_every_response(sandbox, client):
    assert client.rate_limits == RateLimits() and not client.rate_limits
    assert "No rate-limit information" in client.rate_limits.summary()
    client.account()
    limits = client.rate_limits
    assert limits.user_limit and limits.client_limit and limits.post_limit is None  # a GET: no post limit
    assert limits.user_reset.tzinfo is not None
    client.upload(PICTURE)
    limits = client.rate_limits
    assert limits.post_limit and limits.post_reset > 0
    before = limits.post_remaining
    client.upload(PICTURE)
    assert client.rate_limits.post_remaining < before
    assert client.rate_limits.client_remaining <= limits.client_remaining - 10  # an upload costs 10
    client.account()
    assert client.rate_limits.post_remaining < before  # a GET keeps what the last POST said
    summary = client.rate_limits.summary()
    assert "requests" in summary and "uploads" in summary


def test_credits_update_rate_limits(sandbox, anonymous):
    sandbox.set_credits(user_remaining=123)
    data = anonymous.credits()
    assert data["UserRemaining"] == anonymous.rate_limits.user_remaining
    assert anonymous.rate_limits.user_reset == datetime.fromtimestamp(data["UserReset"], tz=timezone.utc)


# --- where the token goes -------------------------------------------------------------------


def test_fetch_from_another_host_carries_no_authorization(sandbox, client, creds):
    with Sandbox() as elsewhere:
        other = ImgurClient(elsewhere.default_app.client_id, base_url=elsewhere.base_url)
        picture = other.upload(PICTURE)
        other.close()
        elsewhere.clear_request_log()
        assert client.fetch(picture["link"]) == PICTURE.read_bytes()
        assert elsewhere.request_log[-1][2] is None  # neither Bearer nor Client-ID went there
    sandbox.clear_request_log()
    own = client.upload(PICTURE)
    client.fetch(own["link"])
    assert sandbox.request_log[-1][2] == "Bearer"  # the API's own host is fine
    client.fetch(own["link"].replace(sandbox.base_url, ""))  # a relative link joins the base URL
    with pytest.raises(ImgurError):
        client.fetch({})


def test_handed_in_session_is_used_and_left_open(sandbox, creds, token):
    with requests.Session() as session:
        session.headers["User-Agent"] = "my-app/1.0"
        with ImgurClient(creds, token, base_url=sandbox.base_url, http=session) as made:
            assert made.http is session
            made.account()
        # still usable after the client closed
        assert session.get(
            sandbox.base_url + "/3/credits", headers={"Authorization": f"Client-ID {creds.client_id}"}
        ).ok


# --- secrets ----------------------------------------------------------------------------


def test_no_secret_in_any_repr_or_error(sandbox, creds, token):
    secrets_seen = [creds.client_secret, token.access_token, token.refresh_token]
    shown = []
    made = ImgurClient(creds, token, base_url=sandbox.base_url, retries=0)
    shown += [repr(made), str(made), repr(made.credentials), repr(made.token), str(made.token)]
    for fault in ("over-capacity", "region-blocked", "rate-limited", "drop"):
        sandbox.set_fault(fault)
        try:
            made.account()
        except ImgurError as exc:
            shown += [str(exc), repr(exc), repr(exc.args)]
            if isinstance(exc, ApiError):
                shown += [exc.message, str(exc.request)]
    sandbox.set_fault(None)
    sandbox.revoke_tokens()
    for attempt in (made.account, made.refresh):
        try:
            attempt()
        except ImgurError as exc:
            shown += [str(exc), repr(exc), repr(exc.__cause__), repr(exc.__context__)]
    made.close()
    joined = "\n".join(shown)
    assert len(shown) > 15
    for secret in secrets_seen:
        assert secret not in joined


def test_handed_in_stock_session_gets_the_retry_policy(sandbox, creds):
    with requests.Session() as session:
        made = ImgurClient(creds, base_url=sandbox.base_url, http=session)
        sandbox.set_fault("over-capacity", times=1)
        sandbox.clear_request_log()
        assert made.credits()["ClientLimit"] > 0
        assert count(sandbox, "GET", "/3/credits") == 2


def test_handed_in_retry_policy_is_respected(sandbox, creds):
    from requests.adapters import HTTPAdapter

    with requests.Session() as session:
        session.mount(sandbox.base_url + "/", HTTPAdapter(max_retries=requests.adapters.Retry(total=0, read=False)))
        made = ImgurClient(creds, base_url=sandbox.base_url, http=session)
        sandbox.set_fault("over-capacity", times=1)
        sandbox.clear_request_log()
        with pytest.raises(ServiceUnavailableError):
            made.credits()
        assert count(sandbox, "GET", "/3/credits") == 1
