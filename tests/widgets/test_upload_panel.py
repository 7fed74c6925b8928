"""The upload panel: progress bar, picture fetched back and shown; against a real sandbox."""

import base64
from datetime import datetime, timezone

import pytest

from imgur_kit import steps


@pytest.fixture
def panel(signed_in):
    from imgur_kit.widgets import upload_panel

    return upload_panel(signed_in)


def test_bundled_picture_uploads_with_progress(panel):
    panel.title.value = "first upload"
    panel.upload_button.click()
    assert "Uploaded:" in panel.message.value, panel.message.value
    assert panel.progress.value == panel.progress.max > 1
    assert panel.picture == steps.bundled_picture().read_bytes()
    assert 'alt="The picture you uploaded: first upload"' in panel.image.value
    assert panel.result["title"] == "first upload"
    assert panel.result["link"] in panel.message.value


def test_a_chosen_file_uploads(panel):
    data = steps.bundled_picture().read_bytes()
    panel.file.value = (
        {
            "name": "mine.png",
            "type": "image/png",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc),
        },
    )
    assert panel.source.value == "file"
    panel.upload_button.click()
    assert "Uploaded:" in panel.message.value
    assert panel.picture == data
    assert base64.b64encode(data).decode() in panel.image.value


def test_no_file_chosen_is_a_sentence(panel):
    panel.source.value = "file"
    panel.upload_button.click()
    assert "No file is chosen yet" in panel.message.value


def test_rate_limited_upload_is_a_sentence(panel, sandbox):
    sandbox.set_fault("rate-limited")
    panel.upload_button.click()
    assert "Problem:" in panel.message.value
    assert panel.picture == b"" and panel.image.value == ""


def test_anonymous_upload_works_too(session):
    from imgur_kit.widgets import upload_panel

    panel = upload_panel(session)
    panel.upload_button.click()
    assert "Uploaded:" in panel.message.value
