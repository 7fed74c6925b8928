"""/3/album: one image of an album, update (title, description, privacy, cover, the set),
add and remove images, delete; anonymous albums by deletehash, a user's by id."""

from __future__ import annotations

from sandbox_helpers import authorize_url, png, redirect_parts

from imgur_kit.sandbox import Sandbox

ALBUM_TYPES = {
    "id": str,
    "title": (str, type(None)),
    "description": (str, type(None)),
    "datetime": int,
    "cover": (str, type(None)),
    "cover_width": (int, type(None)),
    "cover_height": (int, type(None)),
    "account_url": (str, type(None)),
    "account_id": (int, type(None)),
    "privacy": str,
    "layout": str,
    "views": int,
    "link": str,
    "favorite": bool,
    "nsfw": (bool, type(None)),
    "section": (str, type(None)),
    "images_count": int,
    "in_gallery": bool,
    "is_ad": bool,
    "images": list,
}
TRUE = {"data": True, "success": True, "status": 200}


def upload(http, sandbox, headers) -> dict:
    files = {"image": ("pic.png", png(), "image/png")}
    return http.post(sandbox.base_url + "/3/image", headers=headers, files=files).json()["data"]


def make_album(http, sandbox, headers, **fields) -> dict:
    return http.post(sandbox.base_url + "/3/album", headers=headers, data=fields).json()["data"]


def album(http, sandbox, headers, key) -> dict:
    return http.get(f"{sandbox.base_url}/3/album/{key}", headers=headers).json()["data"]


def assert_error(answer, status: int, method: str) -> str:
    assert answer.status_code == status
    body = answer.json()
    assert body["success"] is False and body["status"] == status and body["data"]["method"] == method
    return body["data"]["error"]


def test_album_model_has_the_documented_fields_and_types(http, sandbox, client_auth, bearer):
    image = upload(http, sandbox, bearer)
    made = make_album(http, sandbox, bearer, **{"ids[]": image["id"], "title": "t"})
    for headers in (client_auth, bearer):
        data = album(http, sandbox, headers, made["id"])
        for name, kind in ALBUM_TYPES.items():
            assert isinstance(data[name], kind), name
    assert "deletehash" in album(http, sandbox, bearer, made["id"])
    assert "deletehash" not in album(http, sandbox, client_auth, made["id"])


def test_one_image_of_an_album(http, sandbox, client_auth, bearer):
    inside, outside = upload(http, sandbox, bearer), upload(http, sandbox, bearer)
    made = make_album(http, sandbox, bearer, **{"ids[]": inside["id"]})
    url = f"{sandbox.base_url}/3/album/{made['id']}/image/"
    as_app = http.get(url + inside["id"], headers=client_auth).json()["data"]
    assert as_app["id"] == inside["id"] and as_app["deletehash"] == ""
    assert http.get(url + inside["id"], headers=bearer).json()["data"]["deletehash"] == inside["deletehash"]
    assert "Unable to find an image" in assert_error(http.get(url + outside["id"], headers=client_auth), 404, "GET")
    missing = http.get(f"{sandbox.base_url}/3/album/nope123/image/{inside['id']}", headers=client_auth)
    assert "Unable to find an album" in assert_error(missing, 404, "GET")


def test_anonymous_album_updated_by_its_deletehash(http, sandbox, client_auth):
    images = [upload(http, sandbox, client_auth) for _ in range(3)]
    made = make_album(http, sandbox, client_auth, **{"deletehashes[]": [i["deletehash"] for i in images[:2]]})
    url = f"{sandbox.base_url}/3/album/{made['deletehash']}"
    changed = {"title": "Holiday", "description": "Two days", "privacy": "public", "cover": images[1]["id"]}
    assert http.post(url, headers=client_auth, data=changed).json() == TRUE
    data = album(http, sandbox, client_auth, made["id"])
    assert (data["title"], data["description"], data["privacy"], data["cover"]) == (
        "Holiday",
        "Two days",
        "public",
        images[1]["id"],
    )
    # PUT works the same; deletehashes[] replaces the set, fields not sent stay.
    assert http.put(url, headers=client_auth, data={"deletehashes[]": [images[2]["deletehash"]]}).json() == TRUE
    data = album(http, sandbox, client_auth, made["id"])
    assert [i["id"] for i in data["images"]] == [images[2]["id"]] and data["cover"] == images[2]["id"]
    assert data["title"] == "Holiday" and data["images_count"] == 1
    # By its id, an anonymous album cannot be changed, not even by a signed-in user.
    by_id = http.post(f"{sandbox.base_url}/3/album/{made['id']}", headers=client_auth, data={"title": "x"})
    assert assert_error(by_id, 403, "POST") == "Permission denied"


def test_a_users_album_updated_by_id_with_the_owners_bearer(http, sandbox, client_auth, bearer):
    images = [upload(http, sandbox, bearer) for _ in range(3)]
    made = make_album(http, sandbox, bearer, **{"ids[]": images[0]["id"]})
    url = f"{sandbox.base_url}/3/album/{made['id']}"
    assert_error(http.put(url, headers=client_auth, data={"title": "x"}), 403, "PUT")
    ids = [images[2]["id"], images[1]["id"]]
    assert http.put(url, headers=bearer, data={"ids[]": ids, "title": "Mine", "cover": images[1]["id"]}).json() == TRUE
    data = album(http, sandbox, bearer, made["id"])
    assert [i["id"] for i in data["images"]] == ids and data["cover"] == images[1]["id"] and data["title"] == "Mine"
    assert_error(http.post(sandbox.base_url + "/3/album/nope123", headers=bearer, data={"title": "x"}), 404, "POST")


def test_update_refuses_a_bad_privacy_or_a_foreign_cover(http, sandbox, bearer):
    inside, outside = upload(http, sandbox, bearer), upload(http, sandbox, bearer)
    made = make_album(http, sandbox, bearer, **{"ids[]": inside["id"]})
    url = f"{sandbox.base_url}/3/album/{made['id']}"
    assert "privacy" in assert_error(http.post(url, headers=bearer, data={"privacy": "everyone"}), 400, "POST")
    assert "cover" in assert_error(http.post(url, headers=bearer, data={"cover": outside["id"]}), 400, "POST")
    assert album(http, sandbox, bearer, made["id"])["cover"] == inside["id"]


def test_add_images_by_ids_or_deletehashes(http, sandbox, client_auth, bearer):
    images = [upload(http, sandbox, client_auth) for _ in range(3)]
    made = make_album(http, sandbox, client_auth, **{"deletehashes[]": images[0]["deletehash"]})
    url = f"{sandbox.base_url}/3/album/{made['deletehash']}/add"
    assert http.post(url, headers=client_auth, data={"deletehashes[]": images[1]["deletehash"]}).json() == TRUE
    # ids as "a,b" in one field, with one already there: it keeps its place.
    assert http.put(url, headers=client_auth, data={"ids": f"{images[0]['id']},{images[2]['id']}"}).json() == TRUE
    assert [i["id"] for i in album(http, sandbox, client_auth, made["id"])["images"]] == [i["id"] for i in images]
    assert "ids[]" in assert_error(http.post(url, headers=client_auth), 400, "POST")
    by_id = f"{sandbox.base_url}/3/album/{made['id']}/add"
    assert_error(http.post(by_id, headers=bearer, data={"ids[]": images[0]["id"]}), 403, "POST")
    assert_error(http.post(f"{sandbox.base_url}/3/album/nope123/add", headers=client_auth), 404, "POST")


def test_remove_images_by_post_or_delete(http, sandbox, client_auth, bearer):
    images = [upload(http, sandbox, bearer) for _ in range(3)]
    made = make_album(http, sandbox, bearer, **{"ids[]": [i["id"] for i in images]})
    url = f"{sandbox.base_url}/3/album/{made['id']}/remove_images"
    assert_error(http.post(url, headers=client_auth, data={"ids[]": images[0]["id"]}), 403, "POST")
    assert http.post(url, headers=bearer, data={"ids[]": images[0]["id"]}).json() == TRUE
    data = album(http, sandbox, bearer, made["id"])
    assert [i["id"] for i in data["images"]] == [images[1]["id"], images[2]["id"]]
    assert data["cover"] == images[1]["id"]  # the removed cover gave way to the next image
    # DELETE sends its ids in the query string; the deletehash works for anyone.
    by_hash = f"{sandbox.base_url}/3/album/{made['deletehash']}/remove_images"
    assert http.delete(by_hash, headers=client_auth, params={"ids": images[2]["id"]}).json() == TRUE
    assert [i["id"] for i in album(http, sandbox, bearer, made["id"])["images"]] == [images[1]["id"]]
    assert http.get(f"{sandbox.base_url}/3/image/{images[2]['id']}", headers=client_auth).status_code == 200
    assert "ids[]" in assert_error(http.delete(by_hash, headers=client_auth), 400, "DELETE")


def test_delete_by_deletehash_or_by_the_owners_id(http, sandbox, client_auth, bearer):
    anonymous = make_album(http, sandbox, client_auth)
    assert_error(http.delete(f"{sandbox.base_url}/3/album/{anonymous['id']}", headers=bearer), 403, "DELETE")
    assert http.delete(f"{sandbox.base_url}/3/album/{anonymous['deletehash']}", headers=client_auth).json() == TRUE
    mine = make_album(http, sandbox, bearer)
    assert_error(http.delete(f"{sandbox.base_url}/3/album/{mine['id']}", headers=client_auth), 403, "DELETE")
    assert http.delete(f"{sandbox.base_url}/3/album/{mine['id']}", headers=bearer).json() == TRUE
    assert_error(http.get(f"{sandbox.base_url}/3/album/{mine['id']}", headers=bearer), 404, "GET")


def test_album_edits_survive_a_restart(http, tmp_path):
    with Sandbox(state_dir=tmp_path) as first:
        auth = {"Authorization": f"Client-ID {first.default_app.client_id}"}
        images = [upload(http, first, auth) for _ in range(3)]
        made = make_album(http, first, auth, **{"deletehashes[]": images[0]["deletehash"]})
        base = f"{first.base_url}/3/album/{made['deletehash']}"
        http.post(base, headers=auth, data={"title": "Kept", "privacy": "secret"})
        http.post(
            base + "/add", headers=auth, data={"deletehashes[]": [images[1]["deletehash"], images[2]["deletehash"]]}
        )
        http.post(base + "/remove_images", headers=auth, data={"ids[]": images[0]["id"]})
    with Sandbox(state_dir=tmp_path) as second:
        auth = {"Authorization": f"Client-ID {second.default_app.client_id}"}
        data = album(http, second, auth, made["id"])
        assert (data["title"], data["privacy"], data["cover"]) == ("Kept", "secret", images[1]["id"])
        assert [i["id"] for i in data["images"]] == [images[1]["id"], images[2]["id"]]


def test_a_signed_in_users_album_edits_survive_a_restart(http, tmp_path):
    with Sandbox(state_dir=tmp_path) as first:
        _, fragment = redirect_parts(first.approve(authorize_url(first, first.default_app)))
        bearer = {"Authorization": f"Bearer {fragment['access_token']}"}
        image = upload(http, first, bearer)
        made = make_album(http, first, bearer)
        http.put(f"{first.base_url}/3/album/{made['id']}/add", headers=bearer, data={"ids[]": image["id"]})
    with Sandbox(state_dir=tmp_path) as second:
        assert album(http, second, bearer, made["id"])["cover"] == image["id"]
