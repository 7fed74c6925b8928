"""Every field a button reads sends its value whole, so a quick click never reads half of it.

ipywidgets sends a typed value to the kernel keystroke by keystroke when
``continuous_update`` is on, but holds the later keystrokes back while an earlier
one awaits the kernel; a button's click is sent at once. On a busy kernel a person
who types a Client ID and presses Verify straight away would have the kernel check
only its first characters. With ``continuous_update=False`` the field's value
leaves the browser whole when the field is left (Tab, Enter or the click itself),
before the click.
"""

from __future__ import annotations

import pytest

TEXT_ENTRIES = ("Text", "Password", "Textarea")

# The panels in which a button reads what was typed into a field.
WITH_FIELDS_AND_BUTTONS = {
    "credentials_form",
    "authorize_panel",
    "login_widget",
    "upload_panel",
    "postman_export_panel",
    "gallery_browser",
}


def parts(widget):
    """The widget and everything inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from parts(child)


@pytest.fixture
def every_panel(make_session, signed_in):
    """Each public widget factory's panel, built as a notebook builds it (local kernel)."""
    from imgur_kit import preflight, widgets

    built = {
        "account_checklist": widgets.account_checklist(),
        "auth_type_chooser": widgets.auth_type_chooser(environment="local"),
        "authorize_panel": widgets.authorize_panel(make_session(environment="local")),
        "credentials_form": widgets.credentials_form(make_session()),
        "gallery_browser": widgets.gallery_browser(signed_in),
        "login_widget": widgets.login_widget(make_session()),
        "password_checker": widgets.password_checker(),
        "postman_export_panel": widgets.postman_export_panel(),
        "rate_limit_meter": widgets.rate_limit_meter(signed_in.client),
        "registration_link": widgets.registration_link(signed_in),
        "status_panel": widgets.status_panel(preflight.run_all(base_url=signed_in.base_url)),
        "token_panel": widgets.token_panel(signed_in),
        "upload_panel": widgets.upload_panel(signed_in),
        "widget_check": widgets.widget_check(),
    }
    yield built
    for panel in built.values():
        for stop in ("stop", "stop_capture"):
            if callable(getattr(panel, stop, None)):
                getattr(panel, stop)()


def test_every_factory_is_looked_at(every_panel):
    from imgur_kit import widgets

    assert sorted(every_panel) == widgets.__all__


def test_fields_that_a_button_reads_are_sent_whole(every_panel):
    racing = set()
    for name, panel in every_panel.items():
        everything = list(parts(panel))
        fields = [w for w in everything if type(w).__name__ in TEXT_ENTRIES]
        if not fields or not any(type(w).__name__ == "Button" for w in everything):
            continue
        racing.add(name)
        for field in fields:
            assert field.continuous_update is False, f"{name}: {field.description!r} sends every keystroke"
    assert racing == WITH_FIELDS_AND_BUTTONS
