"""/3/image: the Image model field for field, updating title and description
(anonymous by deletehash, a user's by id), /3/upload as an alias, delete rules."""

from __future__ import annotations

from sandbox_helpers import authorize_url, gif, png, redirect_parts

from imgur_kit.sandbox import Sandbox

IMAGE_TYPES = {
    "id": str,
    "title": (str, type(None)),
    "description": (str, type(None)),
    "datetime": int,
    "type": str,
    "animated": bool,
    "width": int,
    "height": int,
    "size": int,
    "views": int,
    "bandwidth": int,
    "vote": (str, type(None)),
    "favorite": bool,
    "nsfw": (bool, type(None)),
    "section": (str, type(None)),
    "account_url": (str, type(None)),
    "account_id": (int, type(None)),
    "is_ad": bool,
    "in_most_viral": bool,
    "has_sound": bool,
    "tags": list,
    "ad_type": type(None),  # 2024-25 captures: null (older: 0 and "")
    "ad_url": type(None),
    "mp4": str,
    "hls": str,
    "edited": str,
    "in_gallery": bool,
    "link": str,
}
TRUE = {"data": True, "success": True, "status": 200}


def upload(http, sandbox, headers, content=None, path="/3/image", **fields) -> dict:
    files = {"image": ("pic.png", content if content is not None else png(), "image/png")}
    return http.post(sandbox.base_url + path, headers=headers, files=files, data=fields).json()["data"]


def image(http, sandbox, headers, key) -> dict:
    return http.get(f"{sandbox.base_url}/3/image/{key}", headers=headers).json()["data"]


def assert_error(answer, status: int, method: str) -> str:
    assert answer.status_code == status
    body = answer.json()
    assert body["success"] is False and body["status"] == status and body["data"]["method"] == method
    return body["data"]["error"]


def test_image_model_field_for_field(http, sandbox, client_auth, bearer):
    mine = upload(http, sandbox, bearer)
    as_owner, as_app = image(http, sandbox, bearer, mine["id"]), image(http, sandbox, client_auth, mine["id"])
    assert set(as_owner) == set(IMAGE_TYPES) | {"deletehash", "name"}
    assert set(as_app) == set(IMAGE_TYPES) | {"deletehash", "name"} and as_app["deletehash"] == ""
    for name, kind in IMAGE_TYPES.items():
        assert isinstance(as_app[name], kind), name
    assert isinstance(as_owner["deletehash"], str) and isinstance(as_owner["name"], str)
    assert as_app["account_url"] == "sandbox-user" and isinstance(as_app["account_id"], int)
    assert "gifv" not in as_app and as_app["mp4"] == ""  # only animated GIFs have a video


def test_an_animated_gif_also_has_gifv_and_mp4(http, sandbox, client_auth):
    data = upload(http, sandbox, client_auth, content=gif(frames=3))
    assert data["animated"] is True and data["type"] == "image/gif"
    assert data["gifv"].endswith(f"/i/{data['id']}.gifv") and data["mp4"].endswith(f"/i/{data['id']}.mp4")
    assert data["mp4_size"] == 0 and data["looping"] is True
    assert http.get(data["gifv"]).status_code == 200
    still = upload(http, sandbox, client_auth, content=gif(frames=1))
    assert "gifv" not in still and still["mp4"] == ""


def test_upload_is_an_alias_of_image(http, sandbox, client_auth):
    by_image = upload(http, sandbox, client_auth)
    by_upload = upload(http, sandbox, client_auth, path="/3/upload")
    assert set(by_image) == set(by_upload) and by_upload["deletehash"]


def test_anonymous_image_updated_by_its_deletehash(http, sandbox, client_auth):
    data = upload(http, sandbox, client_auth, title="old", description="kept")
    url = f"{sandbox.base_url}/3/image/{data['deletehash']}"
    assert http.post(url, headers=client_auth, data={"title": "new"}).json() == TRUE
    seen = image(http, sandbox, client_auth, data["id"])
    assert (seen["title"], seen["description"]) == ("new", "kept")  # what was not sent stays
    assert http.post(url, headers=client_auth, json={"description": "changed"}).json() == TRUE
    assert image(http, sandbox, client_auth, data["id"])["description"] == "changed"
    by_id = http.post(f"{sandbox.base_url}/3/image/{data['id']}", headers=client_auth, data={"title": "x"})
    assert assert_error(by_id, 403, "POST") == "Permission denied"


def test_a_users_image_updated_by_id_with_the_owners_bearer(http, sandbox, client_auth, bearer):
    data = upload(http, sandbox, bearer)
    url = f"{sandbox.base_url}/3/image/{data['id']}"
    assert_error(http.post(url, headers=client_auth, data={"title": "x"}), 403, "POST")
    assert http.post(url, headers=bearer, data={"title": "Mine", "description": "By id"}).json() == TRUE
    seen = image(http, sandbox, client_auth, data["id"])
    assert (seen["title"], seen["description"]) == ("Mine", "By id")
    anonymous = upload(http, sandbox, client_auth)
    theirs = http.post(f"{sandbox.base_url}/3/image/{anonymous['id']}", headers=bearer, data={"title": "x"})
    assert_error(theirs, 403, "POST")
    missing = http.post(f"{sandbox.base_url}/3/image/nope123", headers=bearer, data={"title": "x"})
    assert assert_error(missing, 404, "POST") == "Unable to find an image with the id, nope123"


def test_delete_by_deletehash_or_by_the_owners_id(http, sandbox, client_auth, bearer):
    anonymous = upload(http, sandbox, client_auth)
    assert_error(http.delete(f"{sandbox.base_url}/3/image/{anonymous['id']}", headers=bearer), 403, "DELETE")
    assert http.delete(f"{sandbox.base_url}/3/image/{anonymous['deletehash']}", headers=client_auth).json() == TRUE
    mine = upload(http, sandbox, bearer)
    assert_error(http.delete(f"{sandbox.base_url}/3/image/{mine['id']}", headers=client_auth), 403, "DELETE")
    assert http.delete(f"{sandbox.base_url}/3/image/{mine['id']}", headers=bearer).json() == TRUE
    assert_error(http.get(f"{sandbox.base_url}/3/image/{mine['id']}", headers=bearer), 404, "GET")


def test_image_edits_survive_a_restart(http, tmp_path):
    with Sandbox(state_dir=tmp_path) as first:
        _, fragment = redirect_parts(first.approve(authorize_url(first, first.default_app)))
        bearer = {"Authorization": f"Bearer {fragment['access_token']}"}
        mine = upload(http, first, bearer)
        http.post(
            f"{first.base_url}/3/image/{mine['id']}", headers=bearer, data={"title": "Kept", "description": "Too"}
        )
    with Sandbox(state_dir=tmp_path) as second:
        seen = image(http, second, bearer, mine["id"])
        assert (seen["title"], seen["description"]) == ("Kept", "Too")
