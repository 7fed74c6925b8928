"""The upload panel: pick a picture, watch the progress bar, see the result inline."""

from __future__ import annotations

import base64
import html
from typing import Optional

import ipywidgets as widgets

from imgur_kit import steps
from imgur_kit.steps import Session
from imgur_kit.steps.explaining import explain
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, link_html, note_html, ok_html, problem_html

BUNDLED = "bundled"
MY_FILE = "file"


class UploadPanel(PlainRepr, widgets.VBox):
    """Choose the bundled picture or a file of your own, give a title, upload, see it.

    Parts: ``source`` (RadioButtons: "bundled" or "file"), ``file`` (FileUpload),
    ``title`` (Text), ``upload_button``, ``progress`` (IntProgress, in bytes),
    ``message`` (HTML), ``image`` (HTML: the uploaded picture fetched back, with alt text),
    ``picture`` (its bytes),
    ``result`` (the image data Imgur returned, or None).
    """

    _title = "the upload panel, with a progress bar and the picture once it is uploaded"
    _alternative = "imgur_kit.steps.upload_picture(kit, imgur_kit.steps.bundled_picture())"

    def __init__(self, session: Session):
        self.session = session
        self.result: Optional[dict] = None
        self.source = widgets.RadioButtons(
            options=[
                (f"The kit's own picture ({steps.BUNDLED_PICTURE})", BUNDLED),
                ("A picture from my computer", MY_FILE),
            ],
            value=BUNDLED,
            description="Picture to upload:",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.file = widgets.FileUpload(accept="image/*", multiple=False, description="Choose a picture")
        self.title = widgets.Text(
            value="Hello from imgur-kit",
            description="Title:",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="32em"),
            continuous_update=False,
        )
        self.upload_button = widgets.Button(description="Upload", icon="upload", tooltip="Send the picture to Imgur")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Sent:", style=LABEL_STYLE)
        self.message = widgets.HTML()
        # An <img> with alt text in an HTML widget: ipywidgets' Image widget has no alt text
        # (and its tooltip breaks the view), so a screen reader could not name the picture.
        self.image = widgets.HTML()
        self.picture = b""
        self.upload_button.on_click(lambda _b: self.upload())
        # Choosing a file is a clear sign of which source is meant.
        self.file.observe(
            lambda change: setattr(self.source, "value", MY_FILE) if change["new"] else None, names="value"
        )
        super().__init__(
            children=[
                self.source,
                self.file,
                self.title,
                widgets.HBox([self.upload_button, self.progress]),
                self.message,
                self.image,
            ]
        )

    def _picture(self):
        """(what to upload, its file name) for the chosen source."""
        if self.source.value == BUNDLED:
            path = steps.bundled_picture()
            return path, path.name
        chosen = self.file.value
        if not chosen:
            raise ValueError("no file chosen")
        first = chosen[0]
        return bytes(first["content"]), first.get("name") or "upload"

    def _on_progress(self, sent: int, total: int) -> None:
        self.progress.max = max(int(total), 1)
        self.progress.value = min(int(sent), self.progress.max)

    def upload(self) -> None:
        """What the Upload button does: upload, then fetch the picture back and show it."""
        self.progress.value = 0
        try:
            picture, name = self._picture()
        except ValueError:
            self.message.value = problem_html(
                'No file is chosen yet: press "Choose a picture" first, or pick the kit\'s own picture.'
            )
            return
        self.message.value = note_html("Uploading…")
        try:
            client = self.session.client
            result = steps.upload_picture(
                self.session, picture, title=self.title.value.strip(), name=name, progress=self._on_progress
            )
        except Exception as exc:  # noqa: BLE001
            self.message.value = problem_html(explain(exc))
            return
        self.result = result
        link = result.get("link", "")
        sentence = steps.upload_sentence(result)
        # A sandbox image's link is on 127.0.0.1: a remote browser opens it through the proxy.
        shown = self.session.browser_url(link)
        self.message.value = ok_html(sentence) + "<br>" + link_html(shown, "Open it in a new tab")
        try:
            data = client.fetch(link)
        except Exception as exc:  # noqa: BLE001 - the upload worked; only the preview failed
            self.message.value += "<br>" + problem_html("The preview could not be loaded: " + explain(exc))
            return
        kind = (link.rsplit(".", 1)[-1] or "png").lower() if "." in link else "png"
        self.picture = data
        self.image.value = picture_html(data, kind, f"The picture you uploaded: {result.get('title') or name}")


def picture_html(data: bytes, kind: str, alt: str) -> str:
    """*data* (an image file's bytes) as an ``<img>`` with *alt* text, at most 320 pixels wide."""
    kind = {"jpg": "jpeg"}.get(kind, kind)
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<img src="data:image/{html.escape(kind)};base64,{encoded}" alt="{html.escape(alt)}" style="max-width: 320px">'
    )


def upload_panel(session: Session) -> UploadPanel:
    """The upload panel with a progress bar and the uploaded picture shown.

    No widgets? ``data = imgur_kit.steps.upload_picture(session, imgur_kit.steps.bundled_picture(),
    title="...", progress=print)`` and ``print(imgur_kit.steps.upload_sentence(data))``.
    """
    return UploadPanel(session)
