"""Uploads do not live in memory: the sandbox writes a picture to its state folder as the
bytes arrive, serves it back byte for byte, and leaves nothing behind when a client
stops halfway. Everything goes over real loopback HTTP; waits are polls with a bound."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import socket
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
import requests
from sandbox_helpers import gif

from imgur_kit.sandbox import Sandbox

MIB = 2**20
PNG_HEAD = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de")
BOUNDARY = b"streaming-test-boundary"


def picture(size: int, seed: int = 7) -> bytes:
    """A PNG header, then filler that repeats a random block (cheap to make, and not all alike).

    The filler holds what a careless splitter would trip on: the boundary's own start
    ("\\r\\n--streaming-te...") cut across the sandbox's 64 KiB pieces, CRs and LFs."""
    block = os.urandom(8191) + b"\r\n--" + BOUNDARY[:9] + b"\r"
    filler = (block * (size // len(block) + 1))[: size - len(PNG_HEAD)]
    return PNG_HEAD + filler


def multipart_pieces(content: bytes, piece: int = 64 * 1024):
    """(Content-Type, Content-Length, the body's pieces) of a multipart upload of ``content``."""
    head = (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="title"\r\n\r\nstreamed\r\n'
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\n'
        b"Content-Type: image/png\r\n\r\n"
    )
    tail = b"\r\n--" + BOUNDARY + b"--\r\n"
    pieces = [head] + [content[i : i + piece] for i in range(0, len(content), piece)] + [tail]
    return f"multipart/form-data; boundary={BOUNDARY.decode()}", len(head) + len(content) + len(tail), pieces


def wait_for(condition, what: str, bound: float = 15.0):
    """Poll ``condition`` until it gives something true, at most ``bound`` seconds."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {bound:.0f} s")


def upload_in_progress(images: Path) -> list[Path]:
    """Files in the images folder that are not (yet) an image's file."""
    return [p for p in images.glob(".*") if p.is_file()] if images.is_dir() else []


def open_upload(sandbox, length: int, content_type: str) -> socket.socket:
    """A connection that has sent an upload's request line and headers, and no body yet."""
    sock = socket.create_connection(("127.0.0.1", sandbox.port), timeout=30)
    sock.sendall(
        f"POST /3/image HTTP/1.1\r\nHost: 127.0.0.1:{sandbox.port}\r\n"
        f"Authorization: Client-ID {sandbox.default_app.client_id}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n".encode()
    )
    return sock


def answer_of(sock: socket.socket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response


def fetch_digest(sandbox, link: str) -> tuple[int, str]:
    """(size, sha256) of what the sandbox serves at ``link``, read a piece at a time."""
    digest, size = hashlib.sha256(), 0
    with requests.get(link, stream=True, timeout=60) as answer:
        assert answer.status_code == 200
        for piece in answer.iter_content(64 * 1024):
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()


@pytest.fixture
def stored(tmp_path):
    """A sandbox with a state folder of its own."""
    with Sandbox(state_dir=tmp_path / "state") as sandbox:
        sandbox.set_credits(client_remaining=10**6, user_remaining=10**6, post_remaining=10**6)
        yield sandbox


def test_the_bytes_reach_the_state_folder_before_the_request_ends(stored):
    content = picture(6 * MIB)
    content_type, length, pieces = multipart_pieces(content)
    images = stored.state_dir / "images"
    with open_upload(stored, length, content_type) as sock:
        half = len(pieces) // 2
        for piece in pieces[:half]:
            sock.sendall(piece)
        # The sender pauses halfway: what it sent is already in a file, not in the sandbox's memory.
        on_disk = wait_for(
            lambda: [p for p in upload_in_progress(images) if p.stat().st_size >= 2 * MIB],
            "a file holding the first half of the upload",
        )
        assert on_disk[0].stat().st_mode & 0o777 == 0o600
        for piece in pieces[half:]:
            sock.sendall(piece)
        answer = answer_of(sock)
        data = __import__("json").loads(answer.read())["data"]
    assert answer.status == 200 and data["size"] == len(content) and data["title"] == "streamed"
    assert (images / data["id"]).read_bytes() == content
    assert upload_in_progress(images) == []


@pytest.mark.parametrize("cut", ["mid-picture", "mid-chunk"])
def test_a_client_that_stops_halfway_leaves_no_file_behind(stored, cut):
    content = picture(4 * MIB)
    content_type, length, pieces = multipart_pieces(content)
    images = stored.state_dir / "images"
    if cut == "mid-picture":
        sock = open_upload(stored, length, content_type)
    else:  # chunked: a chunk announced, half of it sent
        sock = socket.create_connection(("127.0.0.1", stored.port), timeout=30)
        sock.sendall(
            f"POST /3/image HTTP/1.1\r\nHost: 127.0.0.1:{stored.port}\r\n"
            f"Authorization: Client-ID {stored.default_app.client_id}\r\n"
            f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n{length:x}\r\n".encode()
        )
    with sock:
        for piece in pieces[: len(pieces) // 2]:
            sock.sendall(piece)
        wait_for(lambda: upload_in_progress(images), "the upload's file appearing")
    # The client is gone: the half-written file goes, and no image was made.
    wait_for(lambda: not upload_in_progress(images), "the half-written file being removed")
    assert [p.name for p in images.iterdir()] == []


@pytest.mark.parametrize("problem", ["over the size limit", "never closed by its boundary"])
def test_an_upload_refused_once_read_leaves_no_file_behind(stored, problem):
    images = stored.state_dir / "images"
    content = picture(21 * MIB if problem == "over the size limit" else 4 * MIB)
    content_type, length, pieces = multipart_pieces(content)
    if problem == "never closed by its boundary":
        length -= len(pieces.pop())
    with open_upload(stored, length, content_type) as sock:
        half = len(pieces) // 2
        for piece in pieces[:half]:
            sock.sendall(piece)
        wait_for(lambda: upload_in_progress(images), "the upload's file appearing")
        for piece in pieces[half:]:
            sock.sendall(piece)
        answer = answer_of(sock)
        error = __import__("json").loads(answer.read())["data"]["error"]
    assert answer.status == 400
    assert error == "File is over the size limit" if problem == "over the size limit" else "boundary" in error
    assert list(images.iterdir()) == []


@pytest.mark.parametrize(
    "sent_as, kept",
    [
        ("multipart", "in a state folder"),
        ("base64 form", "in a state folder"),
        ("chunked multipart", "in a state folder"),
        ("base64 in multipart", "in a state folder"),
        ("multipart", "without a state folder"),
        ("animated GIF", "in a state folder"),
    ],
)
def test_a_large_upload_round_trips_byte_for_byte_without_living_in_memory(tmp_path, sent_as, kept):
    size = 12 * MIB
    content = picture(size)
    if sent_as == "animated GIF":
        size = 9 * MIB  # a GIF over 10 MB is refused with a 417, as live (tests/contracts)
        # The second frame's mark lies megabytes into the file, across the pieces the sandbox reads.
        one = gif(3, 4, frames=1)
        content = one[:-1] + bytes(size - 2 * len(one) + 20) + one[19:]
        assert len(content) == size
    with Sandbox(state_dir=tmp_path / "state" if kept == "in a state folder" else None) as stored:
        _round_trip(stored, content, sent_as)


def _round_trip(stored, content: bytes, sent_as: str) -> None:
    size = len(content)
    auth = {"Authorization": f"Client-ID {stored.default_app.client_id}"}
    content_type, length, pieces = multipart_pieces(content)
    # The request is made before measuring: only what the sandbox holds while reading it counts.
    if sent_as == "base64 form":
        encoded = quote_from_bytes(base64.b64encode(content)).encode()  # "+" would be a space
        body_pieces = [b"type=base64&image="] + [encoded[i : i + 65536] for i in range(0, len(encoded), 65536)]
        headers = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
    elif sent_as == "base64 in multipart":
        encoded = base64.encodebytes(content)  # lines of 76, as a mail program would
        head, tail = pieces[0].replace(b"Content-Type: image/png", b"Content-Transfer-Encoding: base64"), pieces[-1]
        body_pieces = [head] + [encoded[i : i + 65536] for i in range(0, len(encoded), 65536)] + [tail]
        headers = {**auth, "Content-Type": content_type}
    else:
        body_pieces, headers = pieces, {**auth, "Content-Type": content_type}
    if sent_as != "chunked multipart":
        headers["Content-Length"] = str(sum(len(p) for p in body_pieces))
    connection = http.client.HTTPConnection("127.0.0.1", stored.port, timeout=60)
    tracemalloc.start()
    try:
        # http.client sends an iterable body piece by piece (chunked when no length is given).
        connection.request("POST", "/3/image", body=iter(body_pieces), headers=headers)
        answer = connection.getresponse()
        data = __import__("json").loads(answer.read())["data"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        connection.close()
    assert answer.status == 200, data
    expected = (3, 4, True) if sent_as == "animated GIF" else (1, 1, False)
    assert data["size"] == size and (data["width"], data["height"], data["animated"]) == expected
    # The sandbox runs in this process: its peak Python memory while reading 12 MiB
    # stays under a tenth of the picture (it was twice the picture while bodies were read whole).
    assert peak < 0.1 * size, f"{peak / size:.2f} bytes of memory per uploaded byte"
    assert fetch_digest(stored, data["link"]) == (size, hashlib.sha256(content).hexdigest())


def test_what_a_sandbox_killed_mid_upload_left_is_removed_at_the_next_start(tmp_path):
    images = tmp_path / "state" / "images"
    images.mkdir(parents=True, mode=0o700)
    abandoned, current = images / ".upload-0123456789abcdef", images / ".upload-fedcba9876543210"
    for path in (abandoned, current):
        path.write_bytes(PNG_HEAD * 1000)
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    with Sandbox(state_dir=tmp_path / "state") as sandbox:
        sandbox.register_app(name="after a crash")
    # The old one is gone; a recent one may be another sandbox's upload in progress, and stays.
    assert not abandoned.exists() and current.exists()
