"""The application layer: which Imgur (the mode rule), the session, and the journey's steps.

Every front end (the notebook widgets, the command line, :func:`imgur_kit.login`)
stands on this package and only presents what it returns. The package is named for
how it is used: ``steps.who_am_i(kit)``, where ``kit`` is the :class:`Session`::

    from imgur_kit import steps
    kit = steps.open_session()                   # the mode rule decides sandbox or live
    print(kit.banner)
    print(steps.check_credentials(kit, creds).sentence)
    print(steps.save_credentials(kit, creds).sentence)   # own keys -> live store
    url, state = kit.authorize_url()
    token, sentence = steps.finish_authorization(kit, pasted, state)
    print(steps.who_am_i(kit))

Modules: :mod:`.mode` (the rule), :mod:`.sandboxes` (one sandbox per user),
:mod:`.session` (:class:`Session`), :mod:`.journey` (the steps), :mod:`.words`
(how the steps say things), :mod:`.rehearsal` (the notebooks' stand-in cells: was the step done?),
:mod:`.ports` (a learner's own ports on a shared JupyterHub), :mod:`.where` (where the program
runs, and so which addresses the person's browser can open), and the plain logic behind the
widgets: :mod:`.account` (the account checklist and its progress), :mod:`.password_rule`,
:mod:`.auth_types` (which kind of application to register) and :mod:`.loopback_capture`
(the listener that catches the sign-in's redirect on this computer).
"""

from __future__ import annotations

from imgur_kit.steps.journey import (
    BUNDLED_PICTURE,
    NO_TOKEN,
    PRACTICE_ONLY,
    CredentialsCheck,
    SavedCredentials,
    StatusReport,
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
from imgur_kit.steps.mode import (
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
from imgur_kit.steps.sandboxes import (
    SANDBOX_PORT,
    AttachedSandbox,
    SandboxHandle,
    address_file,
    default_state_dir,
    shared_sandbox,
    standalone_sandbox,
    stop_sandboxes,
)
from imgur_kit.steps.session import NO_CLIENT_ID, Session
from imgur_kit.steps.where import BINDER, CAPTURE_PORT, COLAB, HUB, LOCAL, REMOTE, detect_environment
from imgur_kit.steps.words import credits_sentence, duration_words, expiry_words, token_sentence, upload_sentence

__all__ = [
    "AttachedSandbox",
    "BASE_URL_VARIABLE",
    "BINDER",
    "BUNDLED_PICTURE",
    "CAPTURE_PORT",
    "COLAB",
    "HUB",
    "CredentialsCheck",
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
    "SandboxHandle",
    "SavedCredentials",
    "Session",
    "StatusReport",
    "address_file",
    "bundled_picture",
    "check_credentials",
    "choose_mode",
    "credits_sentence",
    "default_state_dir",
    "detect_environment",
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
