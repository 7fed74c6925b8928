"""Imgur code of any kind, tested against the sandbox fixture: plain requests, imgurpython, PyImgur and ours.

Each test is what docs/testing-your-code.md tells a person to write, run for real: the
library's own calls, pointed at ``imgur_sandbox.base_url`` the way that page says.
"""

from __future__ import annotations

from pathlib import Path

import requests

PICTURE = Path(__file__).resolve().parents[2] / "imgur_kit" / "assets" / "hello-imgur.png"


def test_plain_requests(imgur_sandbox):
    api = imgur_sandbox.base_url + "/3"
    uploaded = requests.post(
        f"{api}/image", headers=imgur_sandbox.headers(), files={"image": PICTURE.read_bytes()}, timeout=30
    ).json()["data"]
    assert requests.get(uploaded["link"], timeout=30).content == PICTURE.read_bytes()
    hot = requests.get(f"{api}/gallery/hot/viral/day/0", headers=imgur_sandbox.headers(), timeout=30).json()["data"]
    voted = requests.post(f"{api}/gallery/{hot[0]['id']}/vote/up", headers=imgur_sandbox.headers(user=True), timeout=30)
    assert voted.json()["data"] is True
    gone = requests.delete(f"{api}/image/{uploaded['deletehash']}", headers=imgur_sandbox.headers(), timeout=30)
    assert gone.json() == {"data": True, "success": True, "status": 200}


def test_imgurpython(imgur_sandbox, monkeypatch):
    import imgurpython.client

    # imgurpython keeps its address in one module constant (its refresh uses it too).
    monkeypatch.setattr(imgurpython.client, "API_URL", imgur_sandbox.base_url + "/")
    client = imgurpython.ImgurClient(
        imgur_sandbox.client_id, imgur_sandbox.client_secret, imgur_sandbox.access_token, imgur_sandbox.refresh_token
    )
    assert int(client.credits["ClientRemaining"]) > 0
    uploaded = client.upload_from_path(str(PICTURE), config={"title": "from imgurpython"}, anon=False)
    assert client.get_image(uploaded["id"]).title == "from imgurpython"
    items = client.gallery(section="hot", sort="viral")
    assert len(items) == 60 and items[0].id
    found = client.gallery_search("cat")
    assert found
    imgur_sandbox.expire_user_token()  # imgurpython refreshes on a 403 and tries again
    assert client.get_account("me").url == imgur_sandbox.user.username
    assert client.delete_image(uploaded["id"]) is True


def test_pyimgur(imgur_sandbox):
    import pyimgur

    im = pyimgur.Imgur(
        imgur_sandbox.client_id,
        imgur_sandbox.client_secret,
        access_token=imgur_sandbox.access_token,
        refresh_token=imgur_sandbox.refresh_token,
    )
    im.base_url = imgur_sandbox.base_url  # every PyImgur call is built on this
    uploaded = im.upload_image(str(PICTURE), title="from PyImgur")
    assert im.get_image(uploaded.id).title == "from PyImgur"
    hot = im.get_gallery(limit=10)
    assert len(hot) == 10 and hot[0].title
    assert im.get_user("me").name == imgur_sandbox.user.username
    assert im.search_gallery("cat")


def test_imgur_kit(imgur_sandbox):
    from imgur_kit import Credentials, ImgurClient, Token

    token = Token(access_token=imgur_sandbox.access_token, refresh_token=imgur_sandbox.refresh_token)
    credentials = Credentials(imgur_sandbox.client_id, imgur_sandbox.client_secret)
    with ImgurClient(credentials, token, base_url=imgur_sandbox.base_url) as client:
        uploaded = client.upload(PICTURE, title="from imgur_kit")
        assert client.api.image.get(uploaded["id"]).title == "from imgur_kit"
        imgur_sandbox.expire_user_token()
        assert client.api.account.get().url == imgur_sandbox.user.username  # refreshed by itself
        assert client.api.gallery.search("cat")


def test_what_the_sandbox_saw_names_no_secret(imgur_sandbox):
    requests.get(imgur_sandbox.base_url + "/3/credits", headers=imgur_sandbox.headers(user=True), timeout=30)
    assert imgur_sandbox.requests_seen[-1] == ("GET", "/3/credits", "Bearer")
