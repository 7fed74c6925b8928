"""The client reaches the whole API: one way to make any request, and typed groups over it, against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgur_kit import ImgurClient
from imgur_kit.api import Comment, GalleryItem, Image, Notification, Tag, TagVote, Votes
from imgur_kit.errors import AuthError, ImgurError, NotFoundError

PICTURE = Path(__file__).resolve().parents[2] / "imgur_kit" / "assets" / "hello-imgur.png"


@pytest.fixture
def signed_in(sandbox, creds, token):
    with ImgurClient(creds, token, base_url=sandbox.base_url) as client:
        yield client


@pytest.fixture
def anonymous(sandbox, creds):
    with ImgurClient(creds, base_url=sandbox.base_url) as client:
        yield client


def test_any_request_returns_the_answers_data_and_reads_the_meter(anonymous):
    items = anonymous.request("GET", "/3/gallery/hot/viral/day/0", params={"album_previews": "true"})
    assert isinstance(items, list) and len(items) == 60
    assert anonymous.rate_limits.client_remaining is not None


def test_any_request_can_send_a_form_and_files(signed_in):
    uploaded = signed_in.request(
        "POST",
        "/3/image",
        data={"title": "Sent by request()"},
        files={"image": ("hi.png", PICTURE.read_bytes(), "image/png")},
    )
    assert uploaded["title"] == "Sent by request()" and uploaded["deletehash"]
    assert signed_in.request("POST", f"/3/image/{uploaded['deletehash']}", data={"description": "changed"}) is True
    assert signed_in.request("GET", f"/3/image/{uploaded['id']}")["description"] == "changed"


@pytest.mark.parametrize(
    "path", ["https://evil.example/3/credits", "/3/credits?x=1", "3/credits", "//evil.example/3/x", "/3/a b", 42]
)
def test_a_path_that_could_lead_elsewhere_is_refused(anonymous, path):
    with pytest.raises(ImgurError, match="API path"):
        anonymous.request("GET", path)


def test_an_unknown_method_is_refused(anonymous):
    with pytest.raises(ImgurError, match="method"):
        anonymous.request("BREW", "/3/credits")


def test_errors_of_any_request_are_typed(anonymous):
    with pytest.raises(NotFoundError):
        anonymous.request("GET", "/3/gallery/image/nothere")
    with pytest.raises(AuthError):
        anonymous.request("POST", "/3/gallery/abc/vote/up")


def test_any_request_refreshes_an_expired_token(sandbox, signed_in, token):
    sandbox.expire_token(token.access_token)
    assert signed_in.request("GET", "/3/account/me")["url"] == sandbox.username
    assert signed_in.token.access_token != token.access_token


def test_the_gallery_group_browses_searches_and_opens_items(anonymous):
    gallery = anonymous.api.gallery
    hot = gallery.section("hot", album_previews=True)
    assert hot and all(isinstance(item, GalleryItem) for item in hot)
    album = next(item for item in hot if item.is_album)
    assert album.images and isinstance(album.images[0], Image) and album.picture_link
    assert isinstance(hot[0].tags[0], Tag) and hot[0].raw["id"] == hot[0].id
    found = gallery.search("cat")
    assert found and all(isinstance(item, GalleryItem) for item in found)
    assert all(item.is_album for item in gallery.search(q_any="cat owl", q_type="album"))
    one = gallery.item(hot[0].id, album=hot[0].is_album)
    assert one.id == hot[0].id
    assert isinstance(gallery.votes(one.id), Votes)
    assert all(isinstance(c, Comment) for c in gallery.comments(one.id))
    assert isinstance(gallery.tag("cats"), Tag) and gallery.tag("cats").items
    assert gallery.tag_info("cats").name == "cats"
    assert [t.name for t in gallery.tags()]
    assert all(isinstance(t, TagVote) for t in gallery.item_tags(one.id))
    assert all(item.section == "aww" for item in gallery.subreddit("aww"))


def test_the_groups_comment_vote_favorite_share_and_take_back(sandbox, signed_in):
    api = signed_in.api
    item = api.gallery.section("hot")[0]
    number = api.gallery.comment(item.id, "Lovely!")
    reply = api.comment.reply(number, item.id, "Thanks")
    assert reply in [c.id for c in api.comment.with_replies(number).children]
    assert api.comment.vote(number, "up") and api.comment.get(number).vote == "up"
    assert api.gallery.vote(item.id, "up") and api.gallery.item(item.id, album=item.is_album).vote == "up"
    with pytest.raises(ImgurError, match="'up', 'down' or 'veto'"):
        api.gallery.vote(item.id, "sideways")
    favorite = api.album.favorite if item.is_album else api.image.favorite
    assert favorite(item.id) is True and favorite(item.id) is False  # a toggle
    notices = api.account.replies()  # the seeded item's author thanked us
    assert notices and isinstance(notices[0], Notification) and notices[0].content.author == item.account_url
    assert api.comment.delete(reply)

    mine = signed_in.upload(PICTURE, title="Mine")
    assert api.image.update(mine["id"], description="shared soon")
    assert api.gallery.share(mine["id"], "My first post", tags=["cats"])
    assert [i.id for i in api.account.submissions()] == [mine["id"]]
    assert api.gallery.set_tags(mine["id"], ["space"])
    assert [t.name for t in api.gallery.item_tags(mine["id"])] == ["space"]
    assert api.gallery.remove(mine["id"])
    assert api.account.follow_tag("space") and api.gallery.tag_info("space").following
    assert api.account.unfollow_tag("space")
    assert api.account.get().url == sandbox.username
    assert api.account.settings().account_url == sandbox.username
    assert api.account.change_settings(bio="Hello") and api.account.get().bio == "Hello"
    assert api.account.images()[0].id == mine["id"]
    assert [c.comment for c in api.account.comments()] == ["Lovely!"]


def test_albums_through_the_group(signed_in):
    first = signed_in.upload(PICTURE)
    second = signed_in.upload(PICTURE)
    album = signed_in.create_album(ids=[first["id"]], title="Trip")
    api = signed_in.api
    assert api.album.add(album["id"], [second["id"]])
    assert [i.id for i in api.album.images(album["id"])] == [first["id"], second["id"]]
    assert api.album.update(album["id"], title="Holiday") and api.album.get(album["id"]).title == "Holiday"
    assert api.album.remove(album["id"], [first["id"]]) and api.album.get(album["id"]).images_count == 1
    assert api.album.favorite(album["id"]) is True
    assert [i.id for i in api.account.favorites()] == []  # not in the gallery: no gallery item to list
    assert api.album.delete(album["id"])
    assert api.image.delete(first["id"])


def test_an_empty_id_is_a_sentence_before_any_call(anonymous):
    with pytest.raises(ImgurError, match="empty"):
        anonymous.api.image.get("  ")


def test_the_remaining_typed_methods(sandbox, signed_in, anonymous):
    api = signed_in.api
    item = api.gallery.section("hot")[0]
    number = api.comment.create(item.id, "Typed create")
    assert api.comment.get(number).comment == "Typed create"
    reply = api.comment.create(item.id, "A reply by parent_id", parent_id=number)
    assert api.comment.get(reply).parent_id == number
    assert api.comment.report(number, 1) is True
    assert api.gallery.report(item.id, 2) is True
    with pytest.raises(ImgurError):
        api.gallery.report(item.id, 9)  # reasons are 1 to 5

    favorite = api.album.favorite if item.is_album else api.image.favorite
    favorite(item.id)
    public = anonymous.api.account.gallery_favorites(sandbox.username)
    assert [i.id for i in public] == [item.id]

    mine = signed_in.upload(PICTURE)
    album = signed_in.create_album(ids=[mine["id"]], title="Listed")
    assert album["id"] in [a.id for a in api.account.albums()]
    assert anonymous.api.image.get(mine["id"]).id == mine["id"]
