"""Form bodies: binary fidelity, filenames, repeats, JSON, and bounds on what a body may hold."""

from __future__ import annotations

import os

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import png

from imgur_kit.sandbox.forms import FormError, parse_form


def prepared(files=None, data=None):
    request = requests.Request("POST", "http://127.0.0.1/", files=files, data=data).prepare()
    return request.headers["Content-Type"], request.body


@pytest.mark.parametrize(
    "payload", [b"", b"\r", b"\n", b"\r\n", b"\r\n--", b"a\r\n\r\nb\r\n", b"--boundary\r\n", os.urandom(4096)]
)
def test_binary_parts_come_back_byte_for_byte(payload):
    content_type, body = prepared(files={"image": ("x.bin", payload, "application/octet-stream")})
    form = parse_form(content_type, body)
    assert form.part("image").value == payload
    assert form.part("image").content_type == "application/octet-stream"


def test_unicode_filenames_and_text_fields():
    content_type, body = prepared(
        files={"image": ("été 📷.png", png(), "image/png")}, data={"title": "Grüße", "ids[]": ["a", "b"]}
    )
    form = parse_form(content_type, body)
    assert form.part("image").filename == "été 📷.png"
    assert form.text("title") == "Grüße"
    assert form.list("ids") == ["a", "b"]


def test_urlencoded_lists_and_comma_lists():
    form = parse_form("application/x-www-form-urlencoded", b"ids%5B%5D=a&ids%5B%5D=b&deletehashes=c,d")
    assert form.list("ids") == ["a", "b"] and form.list("deletehashes") == ["c", "d"]


def test_json_bodies_are_read_too():
    form = parse_form("application/json", b'{"grant_type": "pin", "ids": ["x", "y"]}')
    assert form.text("grant_type") == "pin" and form.list("ids") == ["x", "y"]


@pytest.mark.parametrize(
    "content_type, body",
    [("multipart/form-data", b"--x\r\n"), ("application/json", b"[1, 2]"), ("application/json", b"{nope")],
)
def test_unreadable_bodies_are_form_errors(content_type, body):
    with pytest.raises(FormError):
        parse_form(content_type, body)


def test_token_endpoint_over_json(http, sandbox, app):
    landing = sandbox.approve(f"{sandbox.base_url}/oauth2/authorize?client_id={app.client_id}&response_type=pin")
    pin = landing.split("pin=")[1].split("&")[0]
    r = http.post(
        sandbox.base_url + "/oauth2/token",
        json={"client_id": app.client_id, "client_secret": app.client_secret, "grant_type": "pin", "pin": pin},
    )
    assert r.status_code == 200 and r.json()["token_type"] == "bearer"


def test_rfc_2231_filenames_and_base64_parts():
    body = (
        b"--b\r\nContent-Disposition: form-data; name=\"image\"; filename*=utf-8''%C3%A9t%C3%A9.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + __import__("base64").b64encode(png()) + b"\r\n--b--\r\n"
    )
    form = parse_form("multipart/form-data; boundary=b", body)
    assert form.part("image").filename == "été.png" and form.part("image").value == png()


@pytest.mark.parametrize(
    "content_type, body",
    [
        (
            "multipart/form-data; boundary=b",
            b"".join(b'--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n' for _ in range(1001))
            + b"--b--\r\n",
        ),
        ("application/x-www-form-urlencoded", b"&".join(b"f=x" for _ in range(1001))),
        ("application/json", b"[" * 100_000 + b"]" * 100_000),
    ],
)
def test_a_body_of_thousands_of_fields_or_deep_nesting_is_a_form_error(content_type, body):
    with pytest.raises(FormError):
        parse_form(content_type, body)


@pytest.mark.parametrize("kind", ["multipart file", "multipart base64", "urlencoded base64"])
def test_reading_an_upload_costs_about_one_copy_of_it(kind):
    import base64
    import tracemalloc

    picture = png() + os.urandom(4 * 2**20)
    fields = {
        "multipart file": dict(files={"image": ("a.png", picture)}),
        "multipart base64": dict(files={"image": (None, base64.b64encode(picture))}),
        "urlencoded base64": dict(data={"image": base64.b64encode(picture)}),
    }[kind]
    content_type, body = prepared(**fields)
    body = body.encode() if isinstance(body, str) else body
    tracemalloc.start()
    try:
        form = parse_form(content_type, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(form.part("image").value) >= len(picture)
    # The field's own bytes are one copy, unescaping a few pieces at a time adds a little;
    # parse_qs on text took about 15 copies, the email parser about 10.
    assert peak < 3 * len(body)


def _fields(form):
    return {name: [(p.value, p.filename, p.content_type) for p in parts] for name, parts in form.fields.items()}


def _fed_in(content_type, body, cuts, tmp_path):
    """The form of ``body`` fed in the pieces ``cuts`` makes, large values going to files in tmp_path."""
    from imgur_kit.sandbox.forms import FormReader
    from imgur_kit.sandbox.spool import Spool

    (tmp_path / "spool").mkdir(exist_ok=True)  # beside the test's own home folder
    spool = Spool(lambda: tmp_path / "spool")
    reader = FormReader(content_type, spool)
    edges = [0, *sorted(c % (len(body) + 1) for c in cuts), len(body)]
    for start, end in zip(edges, edges[1:]):
        reader.feed(body[start:end])
    try:
        return _fields(reader.close())
    except FormError as exc:
        return str(exc)
    finally:
        spool.discard_all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.binary(max_size=300).map(lambda b: b + b"\r\n--boundary\r" + b * 3),
    big=st.integers(0, 3),
    cuts=st.lists(st.integers(0, 10**7), max_size=6),
    kind=st.sampled_from(["multipart", "urlencoded", "multipart base64"]),
)
def test_a_body_read_in_any_pieces_gives_the_same_form_as_read_whole(tmp_path, payload, big, cuts, kind):
    # A value of up to 200 KiB crosses the 64 KiB pieces and the point where it moves to a file.
    import base64

    value = payload * (1 + big * (70_000 // max(1, len(payload))))
    fields = {
        "multipart": dict(files={"image": ("a.png", value, "image/png")}, data={"title": "t"}),
        "urlencoded": dict(data={"image": value, "type": "base64", "a+b": "c d%"}),
        "multipart base64": dict(files={"image": (None, base64.b64encode(value))}),
    }[kind]
    content_type, body = prepared(**fields)
    body = body.encode() if isinstance(body, str) else body
    whole = _fields(parse_form(content_type, body))
    assert _fed_in(content_type, body, cuts, tmp_path) == whole
    assert whole["image"][0][0] == (base64.b64encode(value) if kind == "multipart base64" else value)
    assert list((tmp_path / "spool").iterdir()) == []  # every file of the request was removed
