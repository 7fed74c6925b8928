"""The Postman export panel: a path, a button, a sentence. The work is :func:`imgur_kit.postman.export_live`."""

from __future__ import annotations

import ipywidgets as widgets

from imgur_kit import postman
from imgur_kit.credentials import display_path
from imgur_kit.steps.explaining import explain
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, note_html, ok_html, problem_html


class PostmanExportPanel(PlainRepr, widgets.VBox):
    """Where to write the Postman environment file, and a button that writes it.

    Parts: ``path`` (Text; empty means the default in the kit's config folder),
    ``export_button``, ``message`` (HTML). Nothing secret is ever shown: the
    sentence names the variables, not their values.
    """

    _title = "the Postman export, writing your keys and token as a Postman environment file"
    _alternative = 'print(imgur_kit.postman.export_live("~/imgur.postman_environment.json"))'

    def __init__(self, profile: str = "default"):
        self.profile = profile
        self.path = widgets.Text(
            value="",
            placeholder=display_path(postman.default_path()),
            description="Save the Postman environment file as:",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="48em"),
            continuous_update=False,
        )
        self.export_button = widgets.Button(
            description="Export for Postman",
            icon="download",
            tooltip="Write your keys and token as a Postman environment (0600)",
        )
        self.message = widgets.HTML(
            value=note_html(
                "Leave the path empty for the default; a folder of notebooks is refused, because the file "
                "holds your secrets."
            )
        )
        self.export_button.on_click(lambda _button: self.export())
        super().__init__(children=[self.path, self.export_button, self.message])

    def export(self) -> None:
        """What the button does: export, then say where and which variables (or why not)."""
        try:
            sentence = postman.export_live(self.path.value, profile=self.profile)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
            self.message.value = problem_html(explain(exc))
            return
        self.message.value = ok_html(sentence)


def postman_export_panel(profile: str = "default") -> PostmanExportPanel:
    """A path field and an "Export for Postman" button for Imgur's Postman collection.

    No widgets? ``print(imgur_kit.postman.export_live("~/imgur.postman_environment.json"))``,
    or ``python -m imgur_kit export postman PATH`` in a terminal.
    """
    return PostmanExportPanel(profile)
