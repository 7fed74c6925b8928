"""The application layer: which Imgur (the mode rule), the session, and the journey's steps.

Every front end (the notebook widgets, the command line, :func:`imgur_kit.login`)
stands on this package and only presents what it returns. In the notebooks the
:class:`Session` is called ``kit``, since ``session`` names this package there::

    from imgur_kit import session
    kit = session.open_session()                 # the mode rule decides sandbox or live
    print(kit.banner)
    print(session.check_credentials(kit, creds).sentence)
    print(session.save_credentials(kit, creds).sentence)   # own keys -> live store
    url, state = session.authorize_link(kit)
    token, sentence = session.finish_authorization(kit, pasted, state)
    print(session.who_am_i(kit))

Modules: :mod:`.mode` (the rule), :mod:`.sandboxes` (one sandbox per user),
:mod:`.sessions` (:class:`Session`, as in requests.sessions), :mod:`.steps` (the steps), :mod:`.words`
(how the steps say things), :mod:`.rehearsal` (the notebooks' stand-in cells: was the step done?),
:mod:`.ports` (a learner's own ports on a shared JupyterHub).
"""

from __future__ import annotations

from imgur_kit.session.mode import (
    BASE_URL_VARIABLE,
    LIVE,
    MODE_RULE,
    MODE_VARIABLE,
    SANDBOX,
    ModeChoice,
    choose_mode,
    live_base_url,
    requested_mode,
)
from imgur_kit.session.sandboxes import (
    CAPTURE_PORT,
    SANDBOX_PORT,
    AttachedSandbox,
    address_file,
    default_state_dir,
    shared_sandbox,
    standalone_sandbox,
    stop_sandboxes,
)
from imgur_kit.session.sessions import BINDER, COLAB, HUB, LOCAL, NO_CLIENT_ID, REMOTE, Session
from imgur_kit.session.steps import (
    BUNDLED_PICTURE,
    NO_TOKEN,
    PRACTICE_ONLY,
    KeyCheck,
    SavedKeys,
    StatusReport,
    authorize_link,
    bundled_picture,
    check_credentials,
    finish_authorization,
    open_session,
    refresh_now,
    save_credentials,
    status,
    upload_picture,
    who_am_i,
)
from imgur_kit.session.words import credits_sentence, duration_words, expiry_words, token_sentence, upload_sentence

__all__ = [
    "AttachedSandbox",
    "BASE_URL_VARIABLE",
    "BINDER",
    "BUNDLED_PICTURE",
    "CAPTURE_PORT",
    "COLAB",
    "HUB",
    "KeyCheck",
    "LIVE",
    "LOCAL",
    "MODE_RULE",
    "MODE_VARIABLE",
    "ModeChoice",
    "NO_CLIENT_ID",
    "NO_TOKEN",
    "PRACTICE_ONLY",
    "REMOTE",
    "SANDBOX",
    "SANDBOX_PORT",
    "SavedKeys",
    "Session",
    "StatusReport",
    "address_file",
    "authorize_link",
    "bundled_picture",
    "check_credentials",
    "choose_mode",
    "credits_sentence",
    "default_state_dir",
    "duration_words",
    "expiry_words",
    "finish_authorization",
    "live_base_url",
    "open_session",
    "refresh_now",
    "requested_mode",
    "save_credentials",
    "shared_sandbox",
    "standalone_sandbox",
    "status",
    "stop_sandboxes",
    "token_sentence",
    "upload_picture",
    "upload_sentence",
    "who_am_i",
]
