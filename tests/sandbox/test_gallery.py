"""The public gallery over real HTTP: sections, sorts, windows, pages, tags, subreddits, search, and the seed."""

from __future__ import annotations

import pytest
import requests

from imgur_kit.sandbox import Sandbox

GALLERY_IMAGE_TYPES = {
    "id": str,
    "title": str,
    "description": (str, type(None)),
    "datetime": int,
    "type": str,
    "animated": bool,
    "width": int,
    "height": int,
    "size": int,
    "views": int,
    "bandwidth": int,
    "link": str,
    "vote": (str, type(None)),
    "favorite": bool,
    "nsfw": bool,
    "section": str,
    "account_url": str,
    "account_id": int,
    "comment_count": int,
    "topic": str,
    "topic_id": int,
    "ups": int,
    "downs": int,
    "points": int,
    "score": int,
    "is_album": bool,
    "in_most_viral": bool,
    "tags": list,
}
GALLERY_ALBUM_TYPES = {
    **{
        k: v
        for k, v in GALLERY_IMAGE_TYPES.items()
        if k not in ("type", "animated", "width", "height", "size", "bandwidth")
    },
    "cover": str,
    "cover_width": int,
    "cover_height": int,
    "privacy": str,
    "layout": str,
    "images_count": int,
}
TAG_TYPES = {
    "name": str,
    "display_name": str,
    "followers": int,
    "total_items": int,
    "following": bool,
    "background_hash": str,
    "description": str,
}


def holds_types(data: dict, types: dict) -> list:
    """The fields of ``types`` that ``data`` lacks or holds with another JSON type."""
    return [name for name, kind in types.items() if name not in data or not isinstance(data[name], kind)]


def get(sandbox, path, auth, **params):
    answer = requests.get(sandbox.base_url + path, headers=auth, params=params, timeout=10)
    assert answer.headers["X-RateLimit-ClientRemaining"]  # every answer carries the meter
    return answer


def test_the_hot_section_is_a_page_of_viral_gallery_items_in_the_documented_shape(sandbox, client_auth):
    answer = get(sandbox, "/3/gallery/hot/viral/0", client_auth)
    assert answer.status_code == 200
    items = answer.json()["data"]
    assert len(items) == 60  # a full page
    assert all(item["in_most_viral"] for item in items)
    images = [i for i in items if not i["is_album"]]
    albums = [i for i in items if i["is_album"]]
    assert images and albums
    assert holds_types(images[0], GALLERY_IMAGE_TYPES) == []
    assert holds_types(albums[0], GALLERY_ALBUM_TYPES) == []
    assert "images" not in albums[0]  # only with album_previews
    assert holds_types(images[0]["tags"][0], TAG_TYPES) == []
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)


def test_the_gallery_without_a_section_is_the_hot_one(sandbox, client_auth):
    assert (
        get(sandbox, "/3/gallery", client_auth).json() == get(sandbox, "/3/gallery/hot/viral/day/0", client_auth).json()
    )


def test_pictures_of_the_gallery_are_served_as_real_pngs(sandbox, client_auth):
    item = next(i for i in get(sandbox, "/3/gallery/hot", client_auth).json()["data"] if not i["is_album"])
    picture = requests.get(item["link"], timeout=10)
    assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_sorts_order_the_items_as_they_say(sandbox, client_auth):
    by_time = get(sandbox, "/3/gallery/user/time/0", client_auth).json()["data"]
    assert [i["datetime"] for i in by_time] == sorted((i["datetime"] for i in by_time), reverse=True)
    by_top = get(sandbox, "/3/gallery/top/top/all/0", client_auth).json()["data"]
    assert [i["points"] for i in by_top] == sorted((i["points"] for i in by_top), reverse=True)
    assert get(sandbox, "/3/gallery/user/rising/0", client_auth).status_code == 200


def test_windows_narrow_the_top_section(sandbox, client_auth):
    counts = {}
    for window in ("day", "week", "month", "year", "all"):
        ids = set()
        for page in range(6):
            ids |= {i["id"] for i in get(sandbox, f"/3/gallery/top/top/{window}/{page}", client_auth).json()["data"]}
        counts[window] = len(ids)
    assert counts["day"] <= counts["week"] <= counts["month"] <= counts["year"] <= counts["all"]
    assert counts["week"] < counts["all"]


def test_pages_do_not_overlap_and_run_out(sandbox, client_auth):
    first = [i["id"] for i in get(sandbox, "/3/gallery/top/top/all/0", client_auth).json()["data"]]
    second = [i["id"] for i in get(sandbox, "/3/gallery/top/top/all/1", client_auth).json()["data"]]
    assert first and second and not set(first) & set(second)
    assert get(sandbox, "/3/gallery/top/top/all/99", client_auth).json()["data"] == []


def test_mature_items_only_when_asked_for_and_album_previews_add_images(sandbox, client_auth):
    plain = [i for p in range(6) for i in get(sandbox, f"/3/gallery/top/top/all/{p}", client_auth).json()["data"]]
    assert not any(i["nsfw"] for i in plain)
    mature = [
        i
        for p in range(6)
        for i in get(sandbox, f"/3/gallery/top/top/all/{p}", client_auth, mature="true").json()["data"]
    ]
    assert any(i["nsfw"] for i in mature)
    previews = get(sandbox, "/3/gallery/hot/viral/0", client_auth, album_previews="true").json()["data"]
    album = next(i for i in previews if i["is_album"])
    assert len(album["images"]) == album["images_count"] >= 2


def test_the_same_seed_gives_the_same_pages_on_any_machine_and_another_seed_another_gallery(tmp_path, client_auth):
    pages = []
    for seed, folder in ((7, "a"), (7, "b"), (8, "c")):
        with Sandbox(seed=seed, state_dir=tmp_path / folder) as sandbox:
            auth = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
            data = get(sandbox, "/3/gallery/top/top/all/0", auth).json()["data"]
            pages.append([(i["id"], i["title"], i["points"]) for i in data])
    assert pages[0] == pages[1]
    assert pages[0] != pages[2]


def test_the_seed_is_kept_in_the_state_folder(tmp_path):
    with Sandbox(seed=42, state_dir=tmp_path) as first:
        assert first.seed == 42
    with Sandbox(state_dir=tmp_path) as again:
        assert again.seed == 42  # not chosen again: the folder remembers


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, True])
def test_a_seed_that_is_not_a_whole_number_is_refused(bad):
    with pytest.raises(ValueError, match="seed"):
        Sandbox(seed=bad)


def test_the_command_line_takes_a_seed(tmp_path):
    from loopback import SandboxProcess

    with_seed = SandboxProcess(tmp_path / "config", tmp_path / "state", extra_args=("--seed", "99"))
    try:
        assert "public gallery: seed 99" in with_seed.printed
    finally:
        with_seed.stop()


def test_tags_tag_info_and_a_tags_gallery(sandbox, client_auth):
    index = get(sandbox, "/3/tags", client_auth).json()["data"]
    assert {"tags", "featured", "galleries"} <= set(index)
    assert holds_types(index["tags"][0], TAG_TYPES) == []
    info = get(sandbox, "/3/gallery/tag_info/cats", client_auth).json()["data"]
    assert info["name"] == "cats" and info["total_items"] > 0
    tagged = get(sandbox, "/3/gallery/t/cats/top/all/0", client_auth).json()["data"]
    assert tagged["name"] == "cats" and tagged["items"]
    assert all("cats" in [t["name"] for t in item["tags"]] for item in tagged["items"])
    assert get(sandbox, "/3/gallery/tag_info/no-such-tag-here", client_auth).status_code == 404


def test_a_subreddit_gallery_and_one_of_its_images(sandbox, client_auth):
    images = get(sandbox, "/3/gallery/r/aww", client_auth).json()["data"]
    assert images and all(i["section"] == "aww" and not i["is_album"] for i in images)
    one = get(sandbox, f"/3/gallery/r/aww/{images[0]['id']}", client_auth)
    assert one.status_code == 200 and one.json()["data"]["id"] == images[0]["id"]
    assert get(sandbox, f"/3/gallery/r/space/{images[0]['id']}", client_auth).status_code == 404


def all_results(sandbox, auth, **params):
    found = []
    for page in range(8):
        data = get(sandbox, f"/3/gallery/search/time/all/{page}", auth, **params).json()["data"]
        found += data
    return found


def test_search_words_operators_and_fields(sandbox, client_auth):
    cats = all_results(sandbox, client_auth, q="cat")
    assert cats
    assert all("cat" in (i["title"] + " " + (i["description"] or "")).lower() + str(i["tags"]) for i in cats)
    both = all_results(sandbox, client_auth, q="cat sunset")
    either = all_results(sandbox, client_auth, q="cat OR sunset")
    assert len(both) <= len(cats) <= len(either)
    without = all_results(sandbox, client_auth, q="cat -sleepy")
    assert all("sleepy" not in i["title"].lower() for i in without)
    tagged = all_results(sandbox, client_auth, q="tag:space")
    assert tagged and all("space" in [t["name"] for t in i["tags"]] for i in tagged)
    by = all_results(sandbox, client_auth, q="user:ada-lovelace")
    assert by and {i["account_url"] for i in by} == {"ada-lovelace"}


def test_advanced_search_fields_win_over_q(sandbox, client_auth):
    albums = all_results(sandbox, client_auth, q="cat", q_type="album")
    assert albums and all(i["is_album"] for i in albums)
    exact = all_results(sandbox, client_auth, q_exactly="in the rain")
    assert exact and all("in the rain" in i["title"].lower() for i in exact)
    none = all_results(sandbox, client_auth, q_all="cat", q_not="cat")
    assert none == []
    small = all_results(sandbox, client_auth, q_any="owl fox", q_size_px="small")
    assert small and not all_results(sandbox, client_auth, q_any="owl fox", q_size_px="huge")


def test_a_search_without_words_is_a_400(sandbox, client_auth):
    answer = get(sandbox, "/3/gallery/search", client_auth, q="   ")
    assert answer.status_code == 400 and answer.json()["success"] is False


def test_one_gallery_image_and_album_and_their_votes_and_tags(sandbox, client_auth):
    items = get(sandbox, "/3/gallery/hot", client_auth).json()["data"]
    image = next(i for i in items if not i["is_album"])
    album = next(i for i in items if i["is_album"])
    assert get(sandbox, f"/3/gallery/image/{image['id']}", client_auth).json()["data"]["id"] == image["id"]
    whole = get(sandbox, f"/3/gallery/album/{album['id']}", client_auth).json()["data"]
    assert len(whole["images"]) == whole["images_count"]
    assert get(sandbox, f"/3/gallery/album/{image['id']}", client_auth).status_code == 404
    votes = get(sandbox, f"/3/gallery/{image['id']}/votes", client_auth).json()["data"]
    assert votes == {"ups": image["ups"], "downs": image["downs"]}
    tag_votes = get(sandbox, f"/3/gallery/{image['id']}/tags", client_auth).json()["data"]["tags"]
    assert {"ups", "downs", "name", "author"} <= set(tag_votes[0])
    assert requests.get(album["link"], timeout=10).status_code == 200  # the album's page
    assert get(sandbox, "/3/gallery/image/nothere", client_auth).status_code == 404
