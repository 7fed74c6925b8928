"""The sandbox answers as the live Imgur did: each captured answer, replayed and held field by field.

Every file in ``captures/`` (its format is in ``captures/README.md``) names a request and what
the live service answered to it. Each test sends the same request to a fresh sandbox, after
making what the request needs (an upload, an album, spent credits, a fault), and holds the
answer to the capture: the same status, the same field names (the sandbox may add fields,
never lack one), the same JSON types, and the API's own header names. Where captures of
different years disagree, the newest wins, as the capture files record.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

CAPTURES = Path(__file__).parent / "captures"
#: Headers the cache in front of Imgur adds: kept in the captures as seen, not part of the contract.
EDGE_HEADERS = {
    "x-served-by",
    "x-cache",
    "x-cache-hits",
    "x-timer",
    "server",
    "date",
    "connection",
    "accept-ranges",
    "x-frame-options",
    "content-length",
    "content-encoding",
    "vary",
    "cache-control",
}
TIMEOUT = 30


def load(name: str) -> dict:
    """One capture by its name."""
    return json.loads((CAPTURES / f"{name}.json").read_text(encoding="utf-8"))


NAMES = sorted(path.stem for path in CAPTURES.glob("*.json"))


# --- pictures the replays upload -----------------------------------------------------------


def png(width: int = 3, height: int = 2) -> bytes:
    """A small RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x10\x80\xf0" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg(width: int = 7, height: int = 6) -> bytes:
    """JPEG markers up to a baseline frame header: enough to be recognised and sized."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def gif(frames: int = 2, padding: int = 0) -> bytes:
    """An animated GIF; ``padding`` bytes of comment extension make it as large as wanted."""
    head = b"GIF89a" + struct.pack("<HH", 4, 5) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x21\xf9\x04\x00\x0a\x00\x00\x00," + struct.pack("<HHHH", 0, 0, 4, 5) + b"\x00\x02\x02\x44\x01\x00"
    blocks = []
    while padding > 0:  # comment sub-blocks of up to 255 bytes
        size = min(255, padding)
        blocks.append(bytes([size]) + b"x" * size)
        padding -= size
    comment = b"\x21\xfe" + b"".join(blocks) + b"\x00" if blocks else b""
    return head + comment + frame * frames + b";"


PICTURES = {
    "png": lambda: png(),
    "jpeg": lambda: jpeg(),
    "gif": lambda: gif(),
    "gif_over_10mb": lambda: gif(padding=10 * 1024 * 1024 + 1024),
}


# --- the replay ------------------------------------------------------------------------------


class Replay:
    """Makes what a capture's request needs on a fresh sandbox, then sends that request."""

    def __init__(self, sandbox, http: requests.Session) -> None:
        self.sandbox = sandbox
        self.http = http
        app = sandbox.default_app
        self.values: dict[str, str] = {
            "user": sandbox.username,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        }
        self._tokens: Optional[dict[str, str]] = None

    @property
    def tokens(self) -> dict[str, str]:
        """The fragment of an approved token flow for the sandbox user."""
        if self._tokens is None:
            app = self.sandbox.default_app
            url = f"{self.sandbox.base_url}/oauth2/authorize?client_id={app.client_id}&response_type=token&state=c"
            fragment = urlsplit(self.sandbox.approve(url)).fragment
            self._tokens = {k: v[0] for k, v in parse_qs(fragment).items()}
        return self._tokens

    def auth(self, kind: str) -> dict[str, str]:
        """The Authorization header of a kind named in a capture."""
        if kind == "client-id":
            return {"Authorization": f"Client-ID {self.values['client_id']}"}
        if kind == "bearer":
            return {"Authorization": f"Bearer {self.tokens['access_token']}"}
        if kind == "bearer-invalid":
            return {"Authorization": "Bearer " + "0" * 40}
        return {}

    def api(self, method: str, path: str, auth: str, **kwargs) -> dict:
        response = self.http.request(
            method, self.sandbox.base_url + path, headers=self.auth(auth), timeout=TIMEOUT, **kwargs
        )
        assert response.status_code == 200, f"setup {method} {path} failed: {response.status_code} {response.text}"
        return response.json()["data"]

    def step(self, step: str) -> None:
        """One setup step (see captures/README.md)."""
        if step in ("upload", "upload_as_user", "upload_gif_as_user"):
            auth = "client-id" if step == "upload" else "bearer"
            picture = ("p.gif", gif(), "image/gif") if "gif" in step else ("p.png", png(), "image/png")
            image = self.api("POST", "/3/image", auth, files={"image": picture})
            self.values.update(image=image["id"], deletehash=image["deletehash"])
        elif step in ("album", "album_as_user"):
            if step == "album":
                form = {"deletehashes[]": self.values["deletehash"], "title": "An album", "description": "Its words"}
                album = self.api("POST", "/3/album", "client-id", data=form)
            else:
                form = {"ids[]": self.values["image"], "title": "An album", "description": "Its words"}
                album = self.api("POST", "/3/album", "bearer", data=form)
            self.values.update(album=album["id"], album_deletehash=album["deletehash"])
        elif step == "token":
            self.values["refresh_token"] = self.tokens["refresh_token"]
        elif step == "other_app":
            other = self.sandbox.register_app(name="another app")
            self.values.update(other_client_id=other.client_id, other_client_secret=other.client_secret)
        elif step == "spend_client":
            self.sandbox.set_credits(client_remaining=0)
        elif step == "spend_user":
            self.sandbox.set_credits(user_remaining=0)
        elif step.startswith("fault:"):
            _, name, status, form = step.split(":")
            self.sandbox.set_fault(name, status=int(status), form=form)
        else:
            raise AssertionError(f"unknown setup step {step!r}")

    def fill(self, value: str) -> str:
        for key, filled in self.values.items():
            value = value.replace("{" + key + "}", filled)
        assert "{" not in value, f"a placeholder in {value!r} has no setup step that makes it"
        return value

    def send(self, request: dict) -> requests.Response:
        """The capture's request, on this sandbox."""
        if request["auth"] == "bearer":
            self.tokens  # noqa: B018 - sign in before a setup step switches a fault on
        for step in request.get("setup", []):
            self.step(step)
        kwargs: dict[str, Any] = {}
        form = {name: self.fill(value) for name, value in (request.get("form") or {}).items()}
        for name, value in form.items():
            if value.startswith("@base64:"):
                form[name] = base64.b64encode(PICTURES[value[len("@base64:") :]]()).decode()
        if request.get("files"):
            kwargs["files"] = {name: ("picture", PICTURES[kind]()) for name, kind in request["files"].items()}
        if form:
            kwargs["data"] = form
        if request.get("query"):
            kwargs["params"] = {name: self.fill(value) for name, value in request["query"].items()}
        return self.http.request(
            request["method"],
            self.sandbox.base_url + self.fill(request["path"]),
            headers=self.auth(request["auth"]),
            timeout=TIMEOUT,
            **kwargs,
        )


# --- holding an answer to a capture ----------------------------------------------------------


def json_type(value: Any) -> str:
    """The JSON type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def at(body: Any, path: str) -> Any:
    """The value at a dotted path (``data.images[].id`` takes the first element of a list)."""
    value = body
    for part in path.split(".") if path else []:
        if part.endswith("[]"):
            value = value[part[:-2]] if part[:-2] else value
            value = value[0]
        else:
            value = value[part]
    return value


def has(body: Any, path: str) -> bool:
    try:
        at(body, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


class Contract:
    """One capture's rules, applied while walking its body beside the sandbox's."""

    def __init__(self, capture: dict) -> None:
        self.capture = capture
        self.name = capture["name"]
        self.templates = capture.get("list_templates", {})
        self.nullable = capture.get("state_dependent", {})
        self.superseded = capture.get("superseded", {})
        self.retired = capture.get("retired", {})
        self.problems: list[str] = []

    def newer(self, rule: dict, path: str, what: str) -> dict:
        newer = load(rule["by"])
        assert newer["source"]["year"] >= self.capture["source"]["year"] and newer["name"] != self.name, (
            f"{self.name}: {path} is {what} by {rule['by']}, which is not a newer capture"
        )
        return newer

    def expected_type(self, path: str, value: Any) -> str:
        rule = self.superseded.get(path)
        if rule is None:
            return json_type(value)
        newer = self.newer(rule, path, "superseded")
        assert has(newer["response"]["body"], rule["at"]), f"{self.name}: {rule['by']} has no {rule['at']}"
        return json_type(at(newer["response"]["body"], rule["at"]))

    def hold(self, captured: Any, answered: Any, path: str = "") -> None:
        """Note every way ``answered`` differs from ``captured`` in names or types."""
        wanted = self.expected_type(path, captured)
        got = json_type(answered)
        allowed = {wanted}
        if path in self.nullable:
            # The item's own value (a title typed or not, a gallery section): either may be null.
            allowed = {wanted, "null"} if wanted != "null" else {"null", "string", "number", "boolean"}
        if got not in allowed:
            self.problems.append(f"{path or 'the body'}: the capture has {wanted}, the sandbox answered {got}")
            return
        if got != json_type(captured):
            return  # a superseded or nullable type: nothing inside to compare
        if isinstance(captured, dict):
            for key, value in captured.items():
                child = f"{path}.{key}" if path else key
                if child in self.retired:
                    rule = self.retired[child]
                    newer = self.newer(rule, child, "retired")
                    assert not has(newer["response"]["body"], rule["at"]), (
                        f"{self.name}: {child} is called retired, but {rule['by']} still has {rule['at']}"
                    )
                    continue
                if key not in answered:
                    self.problems.append(f"{child}: the capture has it, the sandbox's answer lacks it")
                    continue
                self.hold(value, answered[key], child)
        elif isinstance(captured, list) and captured:
            if not answered and path in self.nullable:
                return  # the capture's account had items of this list; a new one has none
            if not answered:
                self.problems.append(f"{path}: the capture lists items, the sandbox's list is empty")
                return
            template = captured[self.templates.get(path, 0)]
            for item in answered:
                self.hold(template, item, f"{path}[]")


def api_headers(names: list[str]) -> set[str]:
    """The API's own headers among a capture's (the cache's are not part of the contract)."""
    lowered = {name.lower() for name in names}
    return {name for name in lowered - EDGE_HEADERS if not name.startswith("access-control-")}


@pytest.fixture
def replay(sandbox):
    with requests.Session() as http:
        yield Replay(sandbox, http)


@pytest.mark.parametrize("name", NAMES)
def test_the_sandbox_answers_as_the_capture(name, replay):
    capture = load(name)
    request = capture["request"]
    if capture.get("superseded_by"):
        newer = load(capture["superseded_by"])
        assert newer["source"]["year"] > capture["source"]["year"], f"{name}: superseded by an older capture"
        assert newer["request"]["method"] == request["method"], f"{name}: superseded by another kind of request"
        capture = newer  # the answer changed shape since: the sandbox answers as the newer one
    expected = capture["response"]
    answer = replay.send(capture["request"])
    label = f"{name} ({capture['request']['method']} {capture['request']['path']})"

    assert answer.status_code == expected["status"], (
        f"{label}: status {answer.status_code}, the capture has {expected['status']}; body {answer.text[:300]}"
    )
    if expected.get("content_type"):
        wanted = expected["content_type"].split(";")[0]
        got = answer.headers.get("Content-Type", "").split(";")[0]
        assert got == wanted, f"{label}: Content-Type {got!r}, the capture has {wanted!r}"
    if expected.get("headers"):
        missing = sorted(api_headers(expected["headers"]) - {h.lower() for h in answer.headers})
        assert not missing, f"{label}: the sandbox's answer lacks the headers {missing} the capture has"

    body = expected["body"]
    if isinstance(body, str):  # an HTML page from the cache in front of Imgur
        sent = answer.text[:80]
        assert answer.text.lstrip().startswith("<"), f"{label}: the capture is an HTML page, the sandbox sent {sent!r}"
        return
    contract = Contract(capture)
    contract.hold(body, answer.json())
    places = "\n  ".join(contract.problems)
    assert not contract.problems, f"{label} differs from the capture in {len(contract.problems)} place(s):\n  {places}"


def test_post_answers_carry_the_post_limit_and_get_answers_do_not(replay):
    """The docs: "each POST request" carries X-Post-Rate-Limit-*; the captured GET-free dumps are all POSTs."""
    replay.step("upload")
    auth = replay.auth("client-id")
    got = replay.http.get(f"{replay.sandbox.base_url}/3/image/{replay.values['image']}", headers=auth, timeout=TIMEOUT)
    edit = f"{replay.sandbox.base_url}/3/image/{replay.values['deletehash']}"
    posted = replay.http.post(edit, headers=auth, data={"title": "t"}, timeout=TIMEOUT)
    for name in ("UserLimit", "UserRemaining", "UserReset", "ClientLimit", "ClientRemaining", "ClientReset"):
        name = "X-RateLimit-" + name
        assert name in got.headers and name in posted.headers, f"{name} is missing from a GET or a POST answer"
    for name in ("X-Post-Rate-Limit-Limit", "X-Post-Rate-Limit-Remaining", "X-Post-Rate-Limit-Reset"):
        assert name in posted.headers, f"{name} is missing from a POST answer"
        assert name not in got.headers, f"{name} is on a GET answer; live sends it on POSTs only"


def test_every_capture_names_its_source():
    for name in NAMES:
        source = load(name)["source"]
        assert source.get("year") and source.get("note"), f"{name}: a capture needs a year and a note"
        assert source.get("url") or (source.get("repository") and source.get("path")), (
            f"{name}: a capture needs a thread or page address, or a repository and path"
        )


def test_captures_come_from_at_least_eight_sources():
    sources = {load(n)["source"].get("repository") or urlsplit(load(n)["source"]["url"]).netloc for n in NAMES}
    assert len(NAMES) >= 25 and len(sources) >= 8, (len(NAMES), sorted(sources))


def test_no_capture_keeps_a_live_token():
    for name in NAMES:
        text = (CAPTURES / f"{name}.json").read_text(encoding="utf-8")
        body = json.loads(text)["response"]["body"]
        if isinstance(body, dict):
            for key in ("access_token", "refresh_token"):
                if key in body:
                    assert set(body[key]) <= set("0123456789abcdef") and body[key] in (
                        "0123456789abcdef0123456789abcdef01234567",
                        "fedcba9876543210fedcba9876543210fedcba98",
                    ), f"{name}: {key} must be the obviously fake value"
