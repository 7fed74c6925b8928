"""Notebook 06 on the real Imgur (a second sandbox stands in for it): Run All reads, and never writes.

A person with their own keys and token runs every cell. Reading the gallery is fine; voting,
favoriting, commenting, uploading and sharing on the real service are theirs to decide, so
the stand-in cells and the ``act`` cells must send nothing but reads.
"""

from __future__ import annotations

import committed
import pytest

from imgur_kit import oauth
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.sandbox import Sandbox

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = "06-explore-the-api.ipynb"


def test_run_all_in_live_mode_sends_only_reads(monkeypatch, tmp_path):
    with Sandbox() as real_imgur:
        app = real_imgur.register_app(name="my own app", auth_type="no-callback")
        store = CredentialStore(kind="live")
        credentials = Credentials(app.client_id, app.client_secret)
        store.save(credentials)
        state = oauth.new_state()
        link = oauth.authorize_url(app.client_id, state=state, base_url=real_imgur.base_url)
        store.save_token(oauth.parse_redirect(real_imgur.approve(link), expected_state=state))
        monkeypatch.setenv("IMGUR_KIT_BASE_URL", real_imgur.base_url)
        real_imgur.clear_request_log()

        nb = nbformat.reads(committed.text(NOTEBOOK), as_version=4)
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        )
        client.execute()

        writes = [(method, path) for method, path, _ in real_imgur.request_log if method not in ("GET", "HEAD")]
        assert writes == []
        reads = [path for method, path, _ in real_imgur.request_log if method == "GET"]
        assert "/3/gallery/hot/viral/day/0" in reads  # it did browse the real gallery
    said = "".join(
        "".join(out.get("text", "")) for cell in nb.cells for out in cell.get("outputs", []) if "text" in out
    )
    assert "Live mode: this cell does nothing" in said
    assert "A vote on the real Imgur is yours to give" in said
