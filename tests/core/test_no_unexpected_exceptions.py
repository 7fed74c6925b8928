"""No value a file, an environment variable, a server or a person supplies ends in an unexpected exception.

Each public entry point that takes text, bytes, paths or numbers either works or raises one
of the kit's own errors (a sentence). Hypothesis tries the values; the named examples are
the ones found before (the calendar's edge, a 70-character host label, a Latin-1 file
name, a NUL in a path, a huge pid).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from urllib3.util import parse_url

from imgur_kit import postman
from imgur_kit.__main__ import main
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.errors import ImgurError
from imgur_kit.pasted import form_text
from imgur_kit.steps.mode import live_base_url
from imgur_kit.steps.sandboxes import read_address
from imgur_kit.tokens import Token

ANY_TEXT = st.text(max_size=80)  # surrogates included: file names and argv carry them
HOSTS = st.one_of(
    st.text(alphabet="abc.-", max_size=300),
    st.integers(min_value=0, max_value=300).map(lambda n: "a" * n + ".example.com"),
    st.text(max_size=40),
)
URLS = st.one_of(
    ANY_TEXT,
    st.tuples(st.sampled_from(["http://", "https://", "ftp://", "", "https://user:pw@"]), HOSTS).map("".join),
)
NUMBERS = st.one_of(
    st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10), st.none(), st.booleans()
)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def moments():
    """Datetimes anywhere in the calendar, with any offset a file may carry."""
    return st.tuples(
        st.datetimes(min_value=datetime.min, max_value=datetime.max),
        st.integers(min_value=-23 * 60, max_value=23 * 60),
    ).map(lambda m: m[0].replace(tzinfo=timezone(timedelta(minutes=m[1]))))


@QUICK
@given(
    st.one_of(moments().map(lambda m: m.isoformat()), ANY_TEXT, NUMBERS),
    st.one_of(NUMBERS, st.integers(min_value=-(10**30), max_value=10**30)),
)
@example("9999-12-31T23:59:59-05:00", None)
@example("0001-01-01T00:00:00+05:00", None)
@example(None, 10**30)
def test_a_stored_or_answered_token_is_a_token_or_a_sentence(expires_at, expires_in):
    stored = {"access_token": "a" * 40, "refresh_token": "r" * 40, "expires_at": expires_at}
    answered = {"access_token": "a" * 40, "refresh_token": "r" * 40, "expires_in": expires_in}
    for make, data in ((Token.from_dict, stored), (Token.from_response, answered)):
        try:
            token = make(data)
        except ImgurError:
            continue
        token.is_expired()
        repr(token)
        token.to_dict()


@QUICK
@given(URLS)
@example("https://" + "a" * 70 + ".example.com")
@example("https://" + "a." * 130 + "com")
@example("http://[::1")
def test_a_base_url_is_taken_or_refused_in_a_sentence(url):
    """An address the kit takes is one the HTTP layer can send to (checked without sending)."""
    taken = []
    try:
        with ImgurClient("0123456789abcde", base_url=url) as client:
            taken.append(client.base_url)
    except ImgurError:
        pass
    try:
        taken.append(live_base_url({"IMGUR_KIT_BASE_URL": url}))
    except ImgurError:
        pass
    for base_url in taken:
        requests.Request("GET", base_url + "/3/credits").prepare()
        parse_url(base_url + "/3/credits")


@QUICK
@given(NUMBERS, NUMBERS, NUMBERS)
@example(1e300, 3, None)
def test_client_settings_are_numbers_or_a_sentence(timeout, retries, deadline):
    try:
        ImgurClient("0123456789abcde", timeout=timeout, retries=retries, deadline=deadline).close()
    except ImgurError:
        pass


@QUICK
@given(ANY_TEXT)
def test_form_text_is_always_sendable(text):
    assert isinstance(form_text(text).encode("utf-8"), bytes)


def test_a_latin1_file_name_and_title_upload_as_what_they_mean(sandbox, tmp_path):
    app = sandbox.default_app
    picture = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.png"))
    picture.write_bytes(Path("imgur_kit/assets/hello-imgur.png").read_bytes())
    with ImgurClient(Credentials(app.client_id, app.client_secret), base_url=sandbox.base_url) as client:
        uploaded = client.upload(picture, title=os.fsdecode(b"caf\xe9"), description="\ud800 lone")
    assert uploaded["title"] == "café"
    assert uploaded["description"] == "? lone"


@QUICK
@given(st.one_of(st.binary(max_size=200), st.integers(min_value=-(10**40), max_value=10**40)))
@example(b"[" * 100000)
@example(10**30)
def test_a_sandbox_record_with_any_content_is_read_or_ignored(tmp_path, content):
    record = tmp_path / "sandbox.json"
    if isinstance(content, int):
        content = json.dumps({"base_url": "http://127.0.0.1:9", "pid": content, "state_dir": "/tmp"}).encode()
    record.write_bytes(content)
    found = read_address(record)
    assert found is None or found.base_url.startswith("http")


@QUICK
@given(st.binary(max_size=300))
@example(
    b'{"format": 1, "profiles": {"default": {"client_id": "0123456789abcde", "token": {"expires_at": '
    b'"9999-12-31T23:59:59-05:00", "access_token": "' + b"a" * 40 + b'"}}}}'
)
@example(b"[" * 100000)
def test_a_credentials_file_with_any_content_loads_or_says_why(isolated_environment, content):
    isolated_environment.mkdir(mode=0o700, exist_ok=True)
    (isolated_environment / "credentials.json").write_bytes(content)
    try:
        CredentialStore().load()
    except ImgurError:
        pass


@QUICK
@given(ANY_TEXT)
@example("dir\0name/")
@example("a" * 5000)
@example("~nobody-such-user/x.json")
def test_an_export_path_is_a_place_or_a_sentence(tmp_path, path):
    try:
        postman.destination(path)
    except ImgurError:
        pass


COMMANDS = st.sampled_from([["whoami"], ["upload"], ["delete"], ["export", "postman"], ["logout"], ["configure"]])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(COMMANDS, st.lists(ANY_TEXT, max_size=2), st.sampled_from(["--sandbox", "--live"]))
@example(["upload"], [os.fsdecode(b"/tmp/caf\xe9.png"), "--title", os.fsdecode(b"\xe9t\xe9")], "--live")
def test_the_command_line_answers_any_arguments_with_a_sentence(capsys, monkeypatch, command, words, mode):
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", "http://127.0.0.1:9")  # a closed port: offline
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # a prompt reads end-of-input, never waits
    try:
        status = main([*command, mode, *words])
    except SystemExit as exit_:  # argparse's own usage sentence
        status = exit_.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Something unexpected went wrong" not in err, err
    assert isinstance(status, int)


@pytest.mark.parametrize("bad", [float("inf"), 1e300, 0, -1, float("nan")])
def test_a_wait_setting_outside_what_a_clock_can_hold_is_a_sentence(bad):
    with pytest.raises(ImgurError, match="seconds"):
        ImgurClient("0123456789abcde", timeout=bad)
