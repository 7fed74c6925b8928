"""Thin ipywidgets front ends over imgur_kit, one factory per step of the journey.

Each factory returns a small box whose parts are attributes (``form.client_id``,
``form.verify_button``, ``form.message``...), so a notebook cell or a test can
drive it with ``.value = ...`` and ``.click()``. Each step also has a plain
function of :mod:`imgur_kit.steps` beside it for front ends that show no widgets
(``kit`` is the :class:`~imgur_kit.steps.Session` that ``connect()`` returns, as in the notebooks):

==========================  ===================================================
widget                      plain-Python alternative
==========================  ===================================================
account_checklist()         steps.account.print_account_steps()
password_checker()          steps.password_rule.password_problems(pw)
auth_type_chooser()         steps.auth_types.recommend_auth_type(where)
registration_link(kit)      print(kit.browser_url(kit.base_url + "/oauth2/addclient"))
credentials_form(kit)       steps.check_credentials / steps.save_credentials
authorize_panel(kit)        steps.finish_authorization(kit, pasted, state)
token_panel(kit)            steps.who_am_i(kit) / steps.refresh_now(kit)
upload_panel(kit)           steps.upload_picture(kit, image, title=...)
gallery_browser(kit)        kit.client.api.gallery.section("hot") / .search("cats")
login_widget(kit)           imgur_kit.login() in a terminal, or python -m imgur_kit login
rate_limit_meter(client)    client.rate_limits.summary()
status_panel(findings)      imgur_kit.preflight.summarize(findings)
postman_export_panel()      imgur_kit.postman.export_live(path)
widget_check()              (none needed: it only asks whether widgets show)
==========================  ===================================================

ipywidgets is imported lazily: ``import imgur_kit.widgets`` (and the plain
steps above) work without it; only touching a factory imports it.
"""

from __future__ import annotations

import importlib

# factory name -> module that defines it
_FACTORIES = {
    "account_checklist": "account",
    "auth_type_chooser": "register",
    "authorize_panel": "authorize",
    "credentials_form": "register",
    "gallery_browser": "gallery",
    "login_widget": "login",
    "password_checker": "account",
    "postman_export_panel": "postman_export",
    "rate_limit_meter": "meters",
    "registration_link": "register",
    "status_panel": "meters",
    "token_panel": "authorize",
    "upload_panel": "upload",
    "widget_check": "check",
}

__all__ = sorted(_FACTORIES)


def __getattr__(name: str):
    """Import a factory's module on first use, so plain users never need ipywidgets."""
    module = _FACTORIES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
