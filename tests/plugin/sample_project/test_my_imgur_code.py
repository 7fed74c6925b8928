"""Someone else's project: Imgur code written with requests, imgurpython and PyImgur, tested offline.

It is installed nowhere and imports nothing of imgur-kit: the fixture comes from the kit's
pytest plugin, present because the kit is installed in the same environment.
"""

from pathlib import Path

import requests

PICTURE = Path(__file__).with_name("cat.png")


def share_my_picture(api_url, headers, path, title):
    """The code under test: upload a picture and put it in the gallery."""
    image = requests.post(f"{api_url}/3/image", headers=headers, files={"image": path.read_bytes()}, timeout=30)
    image = image.json()["data"]
    shared = requests.post(
        f"{api_url}/3/gallery/image/{image['id']}", headers=headers, data={"title": title, "terms": "1"}, timeout=30
    )
    return image["id"], shared.json()["data"]


def test_share_my_picture_with_requests(imgur_sandbox):
    image_id, shared = share_my_picture(imgur_sandbox.base_url, imgur_sandbox.headers(user=True), PICTURE, "My cat")
    assert shared is True
    newest = requests.get(
        f"{imgur_sandbox.base_url}/3/gallery/user/time/day/0", headers=imgur_sandbox.headers(), timeout=30
    ).json()["data"]
    assert newest[0]["id"] == image_id and newest[0]["title"] == "My cat"


def test_my_imgurpython_code(imgur_sandbox, monkeypatch):
    import imgurpython.client

    monkeypatch.setattr(imgurpython.client, "API_URL", imgur_sandbox.base_url + "/")
    client = imgurpython.ImgurClient(
        imgur_sandbox.client_id, imgur_sandbox.client_secret, imgur_sandbox.access_token, imgur_sandbox.refresh_token
    )
    uploaded = client.upload_from_path(str(PICTURE), config={"title": "Sample"}, anon=False)
    assert client.get_image(uploaded["id"]).title == "Sample"
    assert client.gallery_search("cat")


def test_my_pyimgur_code(imgur_sandbox):
    import pyimgur

    im = pyimgur.Imgur(imgur_sandbox.client_id, imgur_sandbox.client_secret, access_token=imgur_sandbox.access_token)
    im.base_url = imgur_sandbox.base_url
    assert im.upload_image(str(PICTURE), title="From PyImgur").title == "From PyImgur"
    assert len(im.get_gallery(limit=5)) == 5
