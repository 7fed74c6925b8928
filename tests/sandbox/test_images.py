"""Uploads (multipart, base64, urlencoded, streamed), image get/delete, /i/ bytes, albums."""

from __future__ import annotations

import base64
import io
import re

import pytest
from sandbox_helpers import gif, jpeg, png, webp

from imgur_kit.sandbox.imagetypes import sniff


def upload(http, sandbox, headers, content=None, **fields):
    files = {"image": ("pic.png", content if content is not None else png(), "image/png")}
    return http.post(sandbox.base_url + "/3/image", headers=headers, files=files, data=fields)


def test_multipart_upload_as_the_user(http, sandbox, bearer):
    r = upload(http, sandbox, bearer, title="Hello", description="first")
    assert r.status_code == 200
    data = r.json()["data"]
    assert re.fullmatch(r"[A-Za-z0-9]{7}", data["id"])
    assert data["title"] == "Hello" and data["description"] == "first"
    assert data["type"] == "image/png" and data["animated"] is False
    assert (data["width"], data["height"]) == (3, 2) and data["size"] == len(png())
    assert data["views"] == 0 and data["bandwidth"] == 0 and isinstance(data["datetime"], int)
    assert data["link"] == f"{sandbox.base_url}/i/{data['id']}.png"
    assert re.fullmatch(r"[A-Za-z0-9]{15}", data["deletehash"]) and data["name"] == "pic.png"


def test_upload_costs_ten_credits_and_one_post(http, sandbox, client_auth):
    before = http.get(sandbox.base_url + "/3/credits", headers=client_auth).headers
    after = upload(http, sandbox, client_auth).headers
    assert int(before["X-RateLimit-ClientRemaining"]) - int(after["X-RateLimit-ClientRemaining"]) == 10
    assert int(before["X-RateLimit-UserRemaining"]) - int(after["X-RateLimit-UserRemaining"]) == 10
    again = upload(http, sandbox, client_auth).headers
    assert int(after["X-Post-Rate-Limit-Remaining"]) - int(again["X-Post-Rate-Limit-Remaining"]) == 1


def test_upload_without_enough_credits_is_a_429(http, sandbox, client_auth):
    sandbox.set_credits(client_remaining=9)
    assert upload(http, sandbox, client_auth).status_code == 429


def test_upload_alias_and_base64(http, sandbox, client_auth):
    encoded = base64.b64encode(gif()).decode()
    r = http.post(
        sandbox.base_url + "/3/upload", headers=client_auth, data={"image": encoded, "type": "base64", "title": "b64"}
    )
    data = r.json()["data"]
    assert r.status_code == 200 and data["type"] == "image/gif" and (data["width"], data["height"]) == (4, 5)
    assert data["link"].endswith(".gif")


def test_base64_in_a_multipart_text_field(http, sandbox, client_auth):
    r = http.post(
        sandbox.base_url + "/3/image",
        headers=client_auth,
        files={"image": (None, base64.b64encode(jpeg())), "type": (None, "base64")},
    )
    assert r.status_code == 200 and r.json()["data"]["type"] == "image/jpeg"


def test_urlencoded_base64_without_a_type(http, sandbox, client_auth):
    r = http.post(sandbox.base_url + "/3/image", headers=client_auth, data={"image": base64.b64encode(webp()).decode()})
    assert r.status_code == 200 and r.json()["data"]["type"] == "image/webp"


def test_streamed_upload_from_a_file_object(http, sandbox, client_auth):
    # requests streams a file object with a Content-Length.
    body = png(40, 30)
    multipart = {**client_auth, "Content-Type": "multipart/form-data; boundary=XyZ"}
    r = http.post(
        sandbox.base_url + "/3/image",
        headers=multipart,
        data=io.BytesIO(
            b'--XyZ\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'
            b"Content-Type: image/png\r\n\r\n" + body + b"\r\n--XyZ--\r\n"
        ),
    )
    assert r.status_code == 200 and r.json()["data"]["width"] == 40


def test_chunked_upload_from_a_generator(http, sandbox, client_auth):
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n'
        + png(5, 6)
        + b"\r\n--XyZ--\r\n"
    )
    chunks = (body[i : i + 7] for i in range(0, len(body), 7))
    r = http.post(
        sandbox.base_url + "/3/image",
        data=chunks,
        headers={**client_auth, "Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert r.status_code == 200 and r.json()["data"]["height"] == 6


def test_not_an_image_is_a_400_with_an_error_object(http, sandbox, client_auth):
    r = upload(http, sandbox, client_auth, content=b"hello, I am text")
    assert r.status_code == 400
    error = r.json()["data"]["error"]
    assert error["message"] == "File type invalid (1)" and error["type"] == "ImgurException"
    assert r.json()["data"]["request"] == "/3/image"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "No image data was sent to the upload api"),
        ({"image": "https://example.org/a.png", "type": "url"}, "URL"),
        ({"video": "x"}, "videos"),
    ],
)
def test_upload_field_problems(http, sandbox, client_auth, fields, message):
    r = http.post(sandbox.base_url + "/3/image", headers=client_auth, data=fields)
    assert r.status_code == 400 and message in r.json()["data"]["error"]


def test_too_large_upload_is_refused(http, sandbox, client_auth):
    r = upload(http, sandbox, client_auth, content=png() + b"\x00" * (20 * 1024 * 1024))
    assert r.status_code == 400 and r.json()["data"]["error"] == "File is over the size limit"


@pytest.mark.parametrize(
    "content, expected",
    [
        (png(10, 20), ("image/png", 10, 20, False)),
        (gif(3, 4, frames=2), ("image/gif", 3, 4, True)),
        (jpeg(640, 480), ("image/jpeg", 640, 480, False)),
        (webp(100, 50), ("image/webp", 100, 50, False)),
        (webp(8, 8, animated=True), ("image/webp", 8, 8, True)),
    ],
)
def test_magic_bytes_and_sizes(content, expected):
    info = sniff(content)
    assert (info.mime, info.width, info.height, info.animated) == expected


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b"%PDF-1.4"])
def test_truncated_or_foreign_bytes_are_not_images(content):
    assert sniff(content) is None


def test_uploaded_bytes_are_served_back(http, sandbox, client_auth):
    content = png(8, 8)
    data = upload(http, sandbox, client_auth, content=content).json()["data"]
    r = http.get(data["link"])
    assert r.status_code == 200 and r.content == content and r.headers["Content-Type"] == "image/png"
    assert http.get(f"{sandbox.base_url}/i/{data['id']}.jpg").content == content  # any extension, like i.imgur.com
    assert http.get(f"{sandbox.base_url}/i/nope123.png").status_code == 404
    seen = http.get(f"{sandbox.base_url}/3/image/{data['id']}", headers=client_auth).json()["data"]
    assert seen["views"] == 2 and seen["bandwidth"] == 2 * len(content)


def test_deletehash_only_for_the_owner(http, sandbox, client_auth, bearer):
    mine = upload(http, sandbox, bearer).json()["data"]
    as_owner = http.get(f"{sandbox.base_url}/3/image/{mine['id']}", headers=bearer).json()["data"]
    as_app = http.get(f"{sandbox.base_url}/3/image/{mine['id']}", headers=client_auth).json()["data"]
    assert as_owner["deletehash"] == mine["deletehash"] and "name" in as_owner
    # A 2025 capture: others see an empty deletehash and name, never the real ones.
    assert as_app["deletehash"] == "" and as_app["name"] == ""
    anonymous = upload(http, sandbox, client_auth).json()["data"]
    assert "deletehash" in anonymous  # shown once, in the upload response
    later = http.get(f"{sandbox.base_url}/3/image/{anonymous['id']}", headers=client_auth).json()["data"]
    assert later["deletehash"] == ""


def test_missing_image_is_404(http, sandbox, client_auth):
    r = http.get(f"{sandbox.base_url}/3/image/abcdefg", headers=client_auth)
    assert r.status_code == 404
    assert r.json()["data"]["error"] == "Unable to find an image with the id, abcdefg"


def test_delete_by_deletehash_with_a_client_id(http, sandbox, client_auth):
    data = upload(http, sandbox, client_auth).json()["data"]
    r = http.delete(f"{sandbox.base_url}/3/image/{data['deletehash']}", headers=client_auth)
    assert r.json() == {"data": True, "success": True, "status": 200}
    assert http.get(data["link"]).status_code == 404
    assert http.get(f"{sandbox.base_url}/3/image/{data['id']}", headers=client_auth).status_code == 404


def test_delete_by_id_needs_the_owners_bearer(http, sandbox, client_auth, bearer):
    data = upload(http, sandbox, bearer).json()["data"]
    assert http.delete(f"{sandbox.base_url}/3/image/{data['id']}", headers=client_auth).status_code == 403
    r = http.delete(f"{sandbox.base_url}/3/image/{data['id']}", headers=bearer)
    assert r.json()["data"] is True
    assert http.delete(f"{sandbox.base_url}/3/image/{data['id']}", headers=bearer).status_code == 404


def test_account_images_list_count_and_ids(http, sandbox, bearer, client_auth):
    ids = [upload(http, sandbox, bearer).json()["data"]["id"] for _ in range(3)]
    upload(http, sandbox, client_auth)  # anonymous: not the user's
    listed = http.get(sandbox.base_url + "/3/account/me/images", headers=bearer).json()["data"]
    assert sorted(i["id"] for i in listed) == sorted(ids) and all("deletehash" in i for i in listed)
    assert http.get(sandbox.base_url + "/3/account/me/images/count", headers=bearer).json()["data"] == 3
    listed_ids = http.get(sandbox.base_url + "/3/account/me/images/ids/0", headers=bearer).json()["data"]
    assert sorted(listed_ids) == sorted(ids)
    assert http.get(sandbox.base_url + "/3/account/me/images/1", headers=bearer).json()["data"] == []
    two = http.get(sandbox.base_url + "/3/account/sandbox-user/images?perPage=2", headers=bearer).json()["data"]
    assert len(two) == 2


def test_album_from_deletehashes_anonymously(http, sandbox, client_auth):
    images = [upload(http, sandbox, client_auth).json()["data"] for _ in range(2)]
    r = http.post(
        sandbox.base_url + "/3/album",
        headers=client_auth,
        data={"deletehashes[]": [i["deletehash"] for i in images], "title": "Trip"},
    )
    assert r.status_code == 200
    created = r.json()["data"]
    assert set(created) == {"id", "deletehash"}
    album = http.get(f"{sandbox.base_url}/3/album/{created['id']}", headers=client_auth).json()["data"]
    assert album["title"] == "Trip" and album["images_count"] == 2 and "deletehash" not in album
    assert [i["id"] for i in album["images"]] == [i["id"] for i in images]
    listed = http.get(f"{sandbox.base_url}/3/album/{created['id']}/images", headers=client_auth).json()["data"]
    assert [i["id"] for i in listed] == [i["id"] for i in images]
    assert album["link"] == f"{sandbox.base_url}/a/{created['id']}"
    page = http.get(album["link"])
    assert page.status_code == 200 and images[0]["id"] in page.text


def test_album_from_ids_as_the_user_and_upload_into_it(http, sandbox, bearer, client_auth):
    first = upload(http, sandbox, bearer).json()["data"]
    created = http.post(
        sandbox.base_url + "/3/album", headers=bearer, data={"ids[]": [first["id"], "unknown"], "privacy": "secret"}
    ).json()["data"]
    second = upload(http, sandbox, bearer, album=created["id"]).json()["data"]
    album = http.get(f"{sandbox.base_url}/3/album/{created['id']}", headers=bearer).json()["data"]
    assert [i["id"] for i in album["images"]] == [first["id"], second["id"]]
    assert album["deletehash"] == created["deletehash"] and album["privacy"] == "secret"
    assert album["cover"] == first["id"]
    # Someone else names the album by id: not theirs.
    assert upload(http, sandbox, client_auth, album=created["id"]).status_code == 400
    # Anonymous uploads go in by the album's deletehash.
    assert upload(http, sandbox, client_auth, album=created["deletehash"]).status_code == 200


def test_album_errors_and_delete(http, sandbox, client_auth, bearer):
    assert http.get(f"{sandbox.base_url}/3/album/zzzzzzz", headers=client_auth).status_code == 404
    bad = http.post(sandbox.base_url + "/3/album", headers=client_auth, data={"privacy": "everyone"})
    assert bad.status_code == 400
    created = http.post(sandbox.base_url + "/3/album", headers=bearer, data={"title": "x"}).json()["data"]
    assert http.delete(f"{sandbox.base_url}/3/album/{created['id']}", headers=client_auth).status_code == 403
    by_deletehash = http.delete(f"{sandbox.base_url}/3/album/{created['deletehash']}", headers=client_auth)
    assert by_deletehash.json()["data"] is True
    assert http.get(f"{sandbox.base_url}/3/album/{created['id']}", headers=client_auth).status_code == 404


def test_deleting_an_image_removes_it_from_albums(http, sandbox, client_auth):
    image = upload(http, sandbox, client_auth).json()["data"]
    created = http.post(
        sandbox.base_url + "/3/album", headers=client_auth, data={"deletehashes": image["deletehash"]}
    ).json()["data"]
    http.delete(f"{sandbox.base_url}/3/image/{image['deletehash']}", headers=client_auth)
    album = http.get(f"{sandbox.base_url}/3/album/{created['id']}", headers=client_auth).json()["data"]
    assert album["images"] == [] and album["cover"] == "" and album["cover_width"] == 0


def test_more_image_variants():
    import struct

    apng = png(2, 2).replace(b"IDAT", b"acTL\x00\x00\x00\x00IDAT", 1)
    assert sniff(apng).animated is True
    vp8 = b"RIFF\x00\x00\x00\x00WEBPVP8 \x00\x00\x00\x00" + b"\x00" * 6 + struct.pack("<HH", 33, 44)
    assert (sniff(vp8).width, sniff(vp8).height) == (33, 44)
    bits = (20 - 1) | ((10 - 1) << 14)
    vp8l = b"RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f" + bits.to_bytes(4, "little")
    assert (sniff(vp8l).width, sniff(vp8l).height) == (20, 10)
    bare_jpeg = b"\xff\xd8\xff\xe0\x00\x04ab"
    assert sniff(bare_jpeg).mime == "image/jpeg"


def test_multipart_text_field_with_type_file(http, sandbox, client_auth):
    r = http.post(
        sandbox.base_url + "/3/image", headers=client_auth, files={"image": (None, png(), None), "type": (None, "file")}
    )
    assert r.status_code == 200 and r.json()["data"]["type"] == "image/png"


def test_data_uri_and_garbage_base64(http, sandbox, client_auth):
    uri = "data:image/png;base64," + base64.b64encode(png()).decode()
    assert http.post(sandbox.base_url + "/3/image", headers=client_auth, data={"image": uri}).status_code == 200
    text = base64.b64encode(b"hello").decode()
    bad = http.post(sandbox.base_url + "/3/image", headers=client_auth, data={"image": text, "type": "base64"})
    assert bad.status_code == 400 and bad.json()["data"]["error"]["code"] == 1003
    empty = http.post(sandbox.base_url + "/3/image", headers=client_auth, data={"image": "!!!!", "type": "base64"})
    assert empty.status_code == 400 and empty.json()["data"]["error"] == "No image data was sent to the upload api"
