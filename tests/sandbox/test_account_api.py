"""/3/account/{username}: the account base, avatars, settings, email verification,
the account's albums and single images, with the live service's authorization rules."""

from __future__ import annotations

import pytest
from sandbox_helpers import authorize_url, png, redirect_parts

from imgur_kit.sandbox import Sandbox

ACCOUNT_TYPES = {
    "id": int,
    "url": str,
    "bio": (str, type(None)),
    "avatar": (str, type(None)),
    "avatar_name": (str, type(None)),
    "cover": (str, type(None)),
    "cover_name": (str, type(None)),
    "reputation": (int, float),
    "reputation_name": str,
    "created": int,
    "pro_expiration": (bool, int),
    "user_follow": dict,
    "is_blocked": bool,
}
SETTINGS_TYPES = {
    "account_url": str,
    "email": str,
    "public_images": bool,
    "album_privacy": str,
    "high_quality": bool,
    "pro_expiration": (bool, int),
    "accepted_gallery_terms": bool,
    "active_emails": list,
    "messaging_enabled": bool,
    "blocked_users": list,
    "show_mature": bool,
    "newsletter_subscribed": bool,
    "first_party": bool,
}


def signed_in(sandbox) -> dict:
    """The Bearer header of the sandbox user, after pressing Allow on the consent page."""
    _, fragment = redirect_parts(sandbox.approve(authorize_url(sandbox, sandbox.default_app)))
    return {"Authorization": f"Bearer {fragment['access_token']}"}


def upload(http, sandbox, headers) -> dict:
    files = {"image": ("pic.png", png(), "image/png")}
    return http.post(sandbox.base_url + "/3/image", headers=headers, files=files).json()["data"]


def make_album(http, sandbox, headers, **fields) -> dict:
    return http.post(sandbox.base_url + "/3/album", headers=headers, data=fields).json()["data"]


def assert_error(answer, status: int, path: str, method: str = "GET") -> None:
    assert answer.status_code == status
    body = answer.json()
    assert body["success"] is False and body["status"] == status
    assert body["data"]["request"] == path and body["data"]["method"] == method
    assert isinstance(body["data"]["error"], str) and body["data"]["error"]


def test_account_base_has_the_documented_fields_and_types(http, sandbox, client_auth, bearer):
    by_name = http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth).json()
    assert by_name["success"] is True and by_name["status"] == 200
    data = by_name["data"]
    assert set(data) == set(ACCOUNT_TYPES)
    for name, kind in ACCOUNT_TYPES.items():
        assert isinstance(data[name], kind), name
    assert data["url"] == "sandbox-user" and data["user_follow"] == {"status": False}
    assert http.get(sandbox.base_url + "/3/account/me", headers=bearer).json()["data"] == data


def test_account_lookup_by_account_id_and_its_errors(http, sandbox, client_auth):
    account_id = http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth).json()["data"]["id"]
    found = http.get(f"{sandbox.base_url}/3/account/anyname?account_id={account_id}", headers=client_auth)
    assert found.status_code == 200 and found.json()["data"]["url"] == "sandbox-user"
    unknown = http.get(f"{sandbox.base_url}/3/account/anyname?account_id=1", headers=client_auth)
    assert_error(unknown, 404, "/3/account/anyname")
    assert_error(
        http.get(sandbox.base_url + "/3/account/nobody-here", headers=client_auth), 404, "/3/account/nobody-here"
    )
    assert_error(http.get(sandbox.base_url + "/3/account/me", headers=client_auth), 401, "/3/account/me")


def test_available_avatars_with_a_client_id_or_a_bearer(http, sandbox, client_auth, bearer):
    for path, headers in (("sandbox-user", client_auth), ("me", bearer)):
        data = http.get(f"{sandbox.base_url}/3/account/{path}/available_avatars", headers=headers).json()["data"]
        assert data["count"] == len(data["available_avatars"]) > 0
        assert all(set(a) == {"name", "location"} for a in data["available_avatars"])
    me = "/3/account/me/available_avatars"
    assert_error(http.get(sandbox.base_url + me, headers=client_auth), 401, me)
    nobody = "/3/account/nobody-here/available_avatars"
    assert_error(http.get(sandbox.base_url + nobody, headers=client_auth), 404, nobody)


def test_avatar_needs_a_bearer_token(http, sandbox, client_auth, bearer):
    path = "/3/account/sandbox-user/avatar"
    assert_error(http.get(sandbox.base_url + path, headers=client_auth), 401, path)
    data = http.get(sandbox.base_url + "/3/account/me/avatar", headers=bearer).json()["data"]
    assert set(data) == {"avatar", "avatar_name"}
    assert isinstance(data["avatar"], str) and data["avatar_name"] == "default/S"


def test_settings_are_for_their_owner_only(http, sandbox, client_auth, bearer):
    answer = http.get(sandbox.base_url + "/3/account/me/settings", headers=bearer)
    data = answer.json()["data"]
    assert answer.status_code == 200 and set(SETTINGS_TYPES) <= set(data)
    for name, kind in SETTINGS_TYPES.items():
        assert isinstance(data[name], kind), name
    assert data["account_url"] == "sandbox-user" and data["first_party"] is True
    assert http.get(sandbox.base_url + "/3/account/sandbox-user/settings", headers=bearer).json()["data"] == data
    assert_error(
        http.get(sandbox.base_url + "/3/account/me/settings", headers=client_auth), 401, "/3/account/me/settings"
    )
    other = "/3/account/someone-else/settings"
    assert_error(http.get(sandbox.base_url + other, headers=bearer), 403, other)
    assert_error(http.post(sandbox.base_url + other, headers=bearer, data={"bio": "x"}), 403, other, "POST")
    assert_error(
        http.put(sandbox.base_url + "/3/account/me/settings", headers=client_auth), 401, "/3/account/me/settings", "PUT"
    )


def test_changing_settings_with_post_and_put(http, sandbox, bearer):
    url = sandbox.base_url + "/3/account/me/settings"
    changed = {
        "bio": "Rehearsing offline",
        "public_images": "true",
        "messaging_enabled": "false",
        "album_privacy": "public",
        "accepted_gallery_terms": "true",
        "show_mature": "1",
        "newsletter_subscribed": "true",
        "username": "sandbox-user",  # the same name is no change
    }
    assert http.post(url, headers=bearer, data=changed).json() == {"data": True, "success": True, "status": 200}
    data = http.get(url, headers=bearer).json()["data"]
    assert (data["public_images"], data["messaging_enabled"], data["album_privacy"]) == (True, False, "public")
    assert (data["accepted_gallery_terms"], data["show_mature"], data["newsletter_subscribed"]) == (True, True, True)
    assert http.get(sandbox.base_url + "/3/account/me", headers=bearer).json()["data"]["bio"] == "Rehearsing offline"
    # PUT with a JSON body changes only what it sends.
    assert http.put(url, headers=bearer, json={"show_mature": False}).json()["data"] is True
    data = http.get(url, headers=bearer).json()["data"]
    assert data["show_mature"] is False and data["public_images"] is True


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"album_privacy": "everyone"}, "album_privacy"),
        ({"public_images": "maybe"}, "public_images"),
        ({"username": "someone-new"}, "username"),
    ],
)
def test_settings_refuse_bad_values_with_a_sentence(http, sandbox, bearer, fields, words):
    path = "/3/account/me/settings"
    answer = http.post(sandbox.base_url + path, headers=bearer, data=fields)
    assert_error(answer, 400, path, "POST")
    assert words in answer.json()["data"]["error"]
    assert http.get(sandbox.base_url + path, headers=bearer).json()["data"]["album_privacy"] == "hidden"


def test_the_album_privacy_setting_is_what_new_albums_get(http, sandbox, bearer):
    http.post(sandbox.base_url + "/3/account/me/settings", headers=bearer, data={"album_privacy": "secret"})
    album = make_album(http, sandbox, bearer, title="default privacy")
    assert http.get(f"{sandbox.base_url}/3/album/{album['id']}", headers=bearer).json()["data"]["privacy"] == "secret"


def test_verifyemail_read_and_send(http, sandbox, client_auth, bearer):
    path = "/3/account/me/verifyemail"
    assert http.get(sandbox.base_url + path, headers=bearer).json() == {"data": False, "success": True, "status": 200}
    assert http.post(sandbox.base_url + path, headers=bearer).json()["data"] is True
    assert http.get(sandbox.base_url + "/3/account/sandbox-user/verifyemail", headers=bearer).json()["data"] is True
    assert_error(http.get(sandbox.base_url + path, headers=client_auth), 401, path)
    assert_error(http.post(sandbox.base_url + path, headers=client_auth), 401, path, "POST")


def test_account_albums_list_ids_and_count(http, sandbox, client_auth, bearer):
    shown = make_album(http, sandbox, bearer, title="shown", privacy="public")
    hidden = make_album(http, sandbox, bearer, title="hidden", privacy="hidden")
    make_album(http, sandbox, client_auth, title="anonymous")
    base = sandbox.base_url + "/3/account/sandbox-user"
    mine = http.get(base + "/albums/0", headers=bearer).json()["data"]
    assert sorted(a["id"] for a in mine) == sorted([shown["id"], hidden["id"]])
    assert all("deletehash" in a and a["account_url"] == "sandbox-user" for a in mine)
    theirs = http.get(base + "/albums", headers=client_auth).json()["data"]
    assert [a["id"] for a in theirs] == [shown["id"]] and "deletehash" not in theirs[0]
    assert sorted(http.get(base + "/albums/ids/0", headers=bearer).json()["data"]) == sorted(a["id"] for a in mine)
    assert http.get(base + "/albums/ids", headers=client_auth).json()["data"] == [shown["id"]]
    assert http.get(sandbox.base_url + "/3/account/me/albums/count", headers=bearer).json()["data"] == 2
    assert http.get(base + "/albums/count", headers=client_auth).json()["data"] == 1
    assert http.get(base + "/albums/1", headers=bearer).json()["data"] == []
    assert_error(http.get(sandbox.base_url + "/3/account/me/albums", headers=client_auth), 401, "/3/account/me/albums")
    nobody = "/3/account/nobody-here/albums/count"
    assert_error(http.get(sandbox.base_url + nobody, headers=client_auth), 404, nobody)


def test_one_account_album_and_deleting_it(http, sandbox, client_auth, bearer):
    image = upload(http, sandbox, bearer)
    album = make_album(http, sandbox, bearer, **{"ids[]": image["id"]})
    anonymous = make_album(http, sandbox, client_auth)
    path = f"/3/account/me/album/{album['id']}"
    data = http.get(sandbox.base_url + path, headers=bearer).json()["data"]
    assert data["id"] == album["id"] and data["deletehash"] == album["deletehash"] and data["images_count"] == 1
    assert_error(http.get(sandbox.base_url + path, headers=client_auth), 401, path)
    other = f"/3/account/someone-else/album/{album['id']}"
    assert_error(http.get(sandbox.base_url + other, headers=bearer), 403, other)
    not_mine = f"/3/account/me/album/{anonymous['id']}"
    assert_error(http.get(sandbox.base_url + not_mine, headers=bearer), 404, not_mine)
    assert_error(http.delete(sandbox.base_url + path, headers=client_auth), 401, path, "DELETE")
    assert http.delete(sandbox.base_url + path, headers=bearer).json() == {"data": True, "success": True, "status": 200}
    assert_error(http.get(sandbox.base_url + path, headers=bearer), 404, path)
    assert http.get(f"{sandbox.base_url}/3/image/{image['id']}", headers=client_auth).status_code == 200


def test_one_account_image_and_deleting_it(http, sandbox, client_auth, bearer):
    first, second = upload(http, sandbox, bearer), upload(http, sandbox, bearer)
    anonymous = upload(http, sandbox, client_auth)
    path = f"/3/account/sandbox-user/image/{first['id']}"
    data = http.get(sandbox.base_url + path, headers=bearer).json()["data"]
    assert data["id"] == first["id"] and data["deletehash"] == first["deletehash"] and "name" in data
    assert_error(http.get(sandbox.base_url + path, headers=client_auth), 401, path)
    other = f"/3/account/someone-else/image/{first['id']}"
    assert_error(http.get(sandbox.base_url + other, headers=bearer), 403, other)
    not_mine = f"/3/account/me/image/{anonymous['id']}"
    assert_error(http.get(sandbox.base_url + not_mine, headers=bearer), 404, not_mine)
    by_hash = f"/3/account/me/image/{first['deletehash']}"
    assert_error(http.delete(sandbox.base_url + by_hash, headers=client_auth), 401, by_hash, "DELETE")
    assert http.delete(sandbox.base_url + by_hash, headers=bearer).json()["data"] is True
    assert http.get(sandbox.base_url + "/3/account/me/images/ids", headers=bearer).json()["data"] == [second["id"]]
    assert_error(http.delete(sandbox.base_url + by_hash, headers=bearer), 404, by_hash, "DELETE")


def test_another_users_image_lists_are_refused(http, sandbox, client_auth, bearer):
    for tail in ("images/0", "images/ids/0", "images/count"):
        theirs = f"/3/account/someone-else/{tail}"
        assert_error(http.get(sandbox.base_url + theirs, headers=bearer), 403, theirs)
        mine = f"/3/account/sandbox-user/{tail}"
        assert_error(http.get(sandbox.base_url + mine, headers=client_auth), 401, mine)


def test_settings_email_and_albums_survive_a_restart(http, tmp_path):
    with Sandbox(state_dir=tmp_path) as first:
        bearer = signed_in(first)
        url = first.base_url + "/3/account/me"
        http.post(
            url + "/settings", headers=bearer, data={"bio": "kept", "album_privacy": "public", "show_mature": "true"}
        )
        http.post(url + "/verifyemail", headers=bearer)
        kept = make_album(http, first, bearer, title="kept")
        gone = make_album(http, first, bearer, title="gone")
        assert http.delete(f"{url}/album/{gone['id']}", headers=bearer).json()["data"] is True
    with Sandbox(state_dir=tmp_path) as second:
        url = second.base_url + "/3/account/me"
        settings = http.get(url + "/settings", headers=bearer).json()["data"]
        assert (settings["album_privacy"], settings["show_mature"]) == ("public", True)
        assert http.get(url, headers=bearer).json()["data"]["bio"] == "kept"
        assert http.get(url + "/verifyemail", headers=bearer).json()["data"] is True
        assert http.get(url + "/albums/ids", headers=bearer).json()["data"] == [kept["id"]]


def test_the_avatar_and_cover_links_show_a_picture(http, sandbox, client_auth):
    data = http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth).json()["data"]
    for link in (data["avatar"], data["cover"]):
        picture = http.get(link)
        assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert http.get(sandbox.base_url + "/user/nobody-here/avatar").status_code == 404
