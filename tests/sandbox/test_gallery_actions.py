"""What a signed-in person does in the gallery, over real HTTP, with the live service's authorization rules.

Comments and replies, votes, reports, favorites, sharing an upload and taking it back, tags,
following tags, and what the account pages then show. Each action refuses a Client-ID-only
caller (401) and another person's item (403), and is still there after a restart.
"""

from __future__ import annotations

import pytest
import requests
from sandbox_helpers import authorize_url, png, redirect_parts

from imgur_kit.sandbox import Sandbox

COMMENT_FIELDS = {
    "id", "image_id", "comment", "author", "author_id", "on_album", "album_cover", "ups", "downs",
    "points", "datetime", "parent_id", "deleted", "vote", "platform", "children",
}  # fmt: skip


def call(sandbox, method, path, auth, **kwargs):
    return requests.request(method, sandbox.base_url + path, headers=auth, timeout=10, **kwargs)


def first_item(sandbox, auth, *, album=False):
    items = call(sandbox, "GET", "/3/gallery/hot/viral/0", auth).json()["data"]
    return next(i for i in items if i["is_album"] == album)


def uploaded(sandbox, bearer):
    return call(sandbox, "POST", "/3/image", bearer, files={"image": png()}).json()["data"]


ACTIONS = [
    ("POST", "/3/comment", {"image_id": "x", "comment": "hi"}),
    ("POST", "/3/gallery/ITEM/vote/up", None),
    ("POST", "/3/gallery/ITEM/comment", {"comment": "hi"}),
    ("POST", "/3/gallery/tags/ITEM", {"tags": "cats"}),
    ("POST", "/3/gallery/image/ITEM/report", {"reason": "1"}),
    ("POST", "/3/image/ITEM/favorite", None),
    ("POST", "/3/account/me/follow/tag/cats", None),
    ("GET", "/3/account/me/favorites", None),
    ("GET", "/3/account/me/notifications/replies", None),
]


@pytest.mark.parametrize(("method", "path", "form"), ACTIONS)
def test_actions_need_a_signed_in_user(sandbox, client_auth, method, path, form):
    item = first_item(sandbox, client_auth)
    answer = call(sandbox, method, path.replace("ITEM", item["id"]), client_auth, data=form)
    assert answer.status_code == 401 and answer.json()["success"] is False


def test_comment_reply_vote_report_and_delete(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    written = call(sandbox, "POST", "/3/comment", bearer, data={"image_id": item["id"], "comment": "Lovely!"})
    assert written.status_code == 200
    number = written.json()["data"]["id"]
    assert isinstance(number, int)

    mine = call(sandbox, "GET", f"/3/comment/{number}", client_auth).json()["data"]
    assert set(mine) >= COMMENT_FIELDS and mine["comment"] == "Lovely!" and mine["author"] == sandbox.username

    reply = call(sandbox, "POST", f"/3/comment/{number}", bearer, data={"image_id": item["id"], "comment": "Me too"})
    with_replies = call(sandbox, "GET", f"/3/comment/{number}/replies", client_auth).json()["data"]
    assert reply.json()["data"]["id"] in [c["id"] for c in with_replies["children"]]

    assert call(sandbox, "POST", f"/3/comment/{number}/vote/up", bearer).json()["data"] is True
    voted = call(sandbox, "GET", f"/3/comment/{number}", bearer).json()["data"]
    assert voted["vote"] == "up" and voted["ups"] == 1
    assert call(sandbox, "POST", f"/3/comment/{number}/vote/sideways", bearer).status_code == 400
    assert call(sandbox, "POST", f"/3/comment/{number}/report", bearer, data={"reason": "2"}).status_code == 200
    assert call(sandbox, "POST", f"/3/comment/{number}/report", bearer, data={"reason": "9"}).status_code == 400

    on_item = call(sandbox, "GET", f"/3/gallery/{item['id']}/comments/new", client_auth).json()["data"]
    assert number in [c["id"] for c in on_item]
    one = call(sandbox, "GET", f"/3/gallery/{item['id']}/comment/{number}", client_auth).json()["data"]
    assert one["id"] == number and one["children"]

    assert call(sandbox, "DELETE", f"/3/comment/{number}", bearer).json()["data"] is True
    assert call(sandbox, "GET", f"/3/comment/{number}", client_auth).json()["data"]["deleted"] is True


def test_nobody_deletes_a_comment_that_is_not_theirs(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    seeded = call(sandbox, "GET", f"/3/gallery/{item['id']}/comments/best", client_auth).json()["data"]
    if not seeded:
        pytest.fail("the seeded item has no comments to try with")
    assert call(sandbox, "DELETE", f"/3/comment/{seeded[0]['id']}", bearer).status_code == 403
    assert call(sandbox, "DELETE", "/3/comment/1", bearer).status_code == 404


def test_a_comment_is_checked_before_it_is_kept(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    assert call(sandbox, "POST", "/3/comment", bearer, data={"image_id": item["id"], "comment": " "}).status_code == 400
    too_long = {"image_id": item["id"], "comment": "x" * 141}
    assert call(sandbox, "POST", "/3/comment", bearer, data=too_long).status_code == 400
    assert call(sandbox, "POST", "/3/comment", bearer, data={"image_id": "nothere", "comment": "hi"}).status_code == 404


def test_gallery_votes_count_and_can_be_taken_back(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    before = call(sandbox, "GET", f"/3/gallery/{item['id']}/votes", client_auth).json()["data"]
    assert call(sandbox, "POST", f"/3/gallery/{item['id']}/vote/down", bearer).json()["data"] is True
    after = call(sandbox, "GET", f"/3/gallery/{item['id']}/votes", client_auth).json()["data"]
    assert after == {"ups": before["ups"], "downs": before["downs"] + 1}
    seen = call(sandbox, "GET", f"/3/gallery/image/{item['id']}", bearer).json()["data"]
    assert seen["vote"] == "down"
    call(sandbox, "POST", f"/3/gallery/{item['id']}/vote/veto", bearer)
    assert call(sandbox, "GET", f"/3/gallery/{item['id']}/votes", client_auth).json()["data"] == before


def test_favorites_toggle_and_show_on_the_account(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    album = first_item(sandbox, client_auth, album=True)
    assert call(sandbox, "POST", f"/3/image/{item['id']}/favorite", bearer).json()["data"] == "favorited"
    assert call(sandbox, "POST", f"/3/album/{album['id']}/favorite", bearer).json()["data"] == "favorited"
    mine = call(sandbox, "GET", "/3/account/me/favorites/0/newest", bearer).json()["data"]
    assert [i["id"] for i in mine] == [album["id"], item["id"]]
    public = call(sandbox, "GET", f"/3/account/{sandbox.username}/gallery_favorites/0/oldest", client_auth).json()
    assert [i["id"] for i in public["data"]] == [item["id"], album["id"]]
    assert call(sandbox, "POST", f"/3/image/{item['id']}/favorite", bearer).json()["data"] == "unfavorited"
    assert call(sandbox, "GET", f"/3/gallery/image/{item['id']}", bearer).json()["data"]["favorite"] is False
    assert call(sandbox, "GET", "/3/account/someone-else/favorites", bearer).status_code == 403
    assert call(sandbox, "POST", "/3/image/nothere/favorite", bearer).status_code == 404


def test_an_upload_is_shared_found_tagged_and_taken_back(sandbox, client_auth, bearer):
    image = uploaded(sandbox, bearer)
    share = {"title": "My first post", "topic": "Aww", "terms": "1", "tags": "cats,aww"}
    assert call(sandbox, "POST", f"/3/gallery/image/{image['id']}", bearer, data={"title": "x"}).status_code == 403
    assert call(sandbox, "POST", f"/3/gallery/image/{image['id']}", bearer, data=share).json()["data"] is True

    shown = call(sandbox, "GET", f"/3/gallery/image/{image['id']}", client_auth).json()["data"]
    assert shown["title"] == "My first post" and shown["in_gallery"] is True and shown["section"] == "user"
    assert [t["name"] for t in shown["tags"]] == ["aww", "cats"]
    newest = call(sandbox, "GET", "/3/gallery/user/time/0", client_auth).json()["data"]
    assert newest[0]["id"] == image["id"]
    found = call(sandbox, "GET", "/3/gallery/search/time/all/0", client_auth, params={"q": "first post"})
    assert image["id"] in [i["id"] for i in found.json()["data"]]
    submitted = call(sandbox, "GET", f"/3/account/{sandbox.username}/submissions/0", client_auth).json()["data"]
    assert [i["id"] for i in submitted] == [image["id"]]

    assert call(sandbox, "POST", f"/3/gallery/tags/{image['id']}", bearer, data={"tags": "space"}).status_code == 200
    tags = call(sandbox, "GET", f"/3/gallery/{image['id']}/tags", client_auth).json()["data"]["tags"]
    assert [t["name"] for t in tags] == ["space"]

    assert call(sandbox, "DELETE", f"/3/gallery/{image['id']}", bearer).json()["data"] is True
    assert call(sandbox, "GET", f"/3/gallery/image/{image['id']}", client_auth).status_code == 404
    assert call(sandbox, "GET", f"/3/image/{image['id']}", client_auth).status_code == 200  # the upload stays


def test_nobody_shares_or_removes_what_is_not_theirs(sandbox, client_auth, bearer):
    seeded = first_item(sandbox, client_auth)
    assert call(sandbox, "DELETE", f"/3/gallery/{seeded['id']}", bearer).status_code == 403
    anonymous = call(sandbox, "POST", "/3/image", client_auth, files={"image": png()}).json()["data"]
    share = {"title": "Not mine", "terms": "1"}
    assert call(sandbox, "POST", f"/3/gallery/image/{anonymous['id']}", bearer, data=share).status_code == 403
    assert call(sandbox, "POST", "/3/gallery/album/nothere", bearer, data=share).status_code == 404


def test_following_a_tag_shows_in_the_tag(sandbox, client_auth, bearer):
    before = call(sandbox, "GET", "/3/gallery/tag_info/space", bearer).json()["data"]
    assert before["following"] is False
    assert call(sandbox, "POST", "/3/account/me/follow/tag/space", bearer).json()["data"] == {"status": True}
    after = call(sandbox, "GET", "/3/gallery/tag_info/space", bearer).json()["data"]
    assert after["following"] is True and after["followers"] == before["followers"] + 1
    assert call(sandbox, "DELETE", "/3/account/me/follow/tag/space", bearer).json()["data"] == {"status": False}
    assert call(sandbox, "POST", "/3/account/me/follow/tag/no-such-tag-here", bearer).status_code == 404


def test_account_comments_lists_ids_count_and_reply_notifications(sandbox, client_auth, bearer):
    item = first_item(sandbox, client_auth)
    numbers = [
        call(sandbox, "POST", f"/3/gallery/{item['id']}/comment", bearer, data={"comment": f"Note {n}"}).json()["data"][
            "id"
        ]
        for n in range(3)
    ]
    listed = call(sandbox, "GET", f"/3/account/{sandbox.username}/comments/oldest/0", client_auth).json()["data"]
    assert [c["id"] for c in listed] == numbers
    ids = call(sandbox, "GET", f"/3/account/{sandbox.username}/comments/ids/newest/0", client_auth).json()["data"]
    assert ids == list(reversed(numbers))
    assert call(sandbox, "GET", f"/3/account/{sandbox.username}/comments/count", client_auth).json()["data"] == 3
    one = call(sandbox, "GET", f"/3/account/{sandbox.username}/comment/{numbers[0]}", client_auth).json()["data"]
    assert one["comment"] == "Note 0"
    assert call(sandbox, "DELETE", f"/3/account/me/comment/{numbers[0]}", bearer).json()["data"] is True
    assert call(sandbox, "GET", f"/3/account/{sandbox.username}/comments/count", client_auth).json()["data"] == 2

    # The seeded item's author answered each comment: three reply notifications.
    replies = call(sandbox, "GET", "/3/account/me/notifications/replies", bearer, params={"new": "true"}).json()
    assert len(replies["data"]) == 3
    notice = replies["data"][0]
    assert {"id", "account_id", "viewed", "content"} <= set(notice)
    assert notice["content"]["author"] == item["account_url"] and notice["content"]["parent_id"] in numbers


def test_what_people_did_is_still_there_after_a_restart(tmp_path):
    with Sandbox(state_dir=tmp_path) as first:
        auth = {"Authorization": f"Client-ID {first.default_app.client_id}"}
        _, fragment = redirect_parts(first.approve(authorize_url(first, first.default_app)))
        bearer = {"Authorization": f"Bearer {fragment['access_token']}"}
        item = first_item(first, auth)
        call(first, "POST", f"/3/gallery/{item['id']}/vote/up", bearer)
        call(first, "POST", f"/3/image/{item['id']}/favorite", bearer)
        number = call(first, "POST", f"/3/gallery/{item['id']}/comment", bearer, data={"comment": "kept"}).json()
        call(first, "POST", "/3/account/me/follow/tag/cats", bearer)
    with Sandbox(state_dir=tmp_path) as again:
        seen = call(again, "GET", f"/3/gallery/image/{item['id']}", bearer).json()["data"]
        assert seen["vote"] == "up" and seen["favorite"] is True
        assert call(again, "GET", f"/3/comment/{number['data']['id']}", auth).json()["data"]["comment"] == "kept"
        assert call(again, "GET", "/3/gallery/tag_info/cats", bearer).json()["data"]["following"] is True


def test_the_gallery_profile_counts_what_the_account_did(sandbox, client_auth, bearer):
    path = f"/3/account/{sandbox.username}/gallery_profile"
    before = call(sandbox, "GET", path, client_auth).json()["data"]
    assert before == {
        "total_gallery_comments": 0,
        "total_gallery_favorites": 0,
        "total_gallery_submissions": 0,
        "trophies": [],
    }
    item = first_item(sandbox, client_auth)
    call(sandbox, "POST", f"/3/gallery/{item['id']}/comment", bearer, data={"comment": "Counted"})
    call(sandbox, "POST", f"/3/image/{item['id']}/favorite", bearer)
    after = call(sandbox, "GET", path, client_auth).json()["data"]
    assert after["total_gallery_comments"] == 1 and after["total_gallery_favorites"] == 1
    assert call(sandbox, "GET", "/3/account/me/gallery_profile", client_auth).status_code == 401
