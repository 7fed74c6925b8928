"""Which authorization type to pick on Imgur's "Register an Application" form.

The form offers three types, and the right one depends on where the code will
run: the token comes back to a *callback URL*, and only some places can receive
it. :func:`recommend_auth_type` answers with the exact label to pick and the exact
text to type into "Authorization callback URL:". No ipywidgets here: this is the
"no widgets?" alternative to :func:`imgur_kit.widgets.auth_type_chooser`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from imgur_kit.steps.where import CAPTURE_PORT, callback_url_for

# The three labels exactly as the registration form shows them.
WITH_CALLBACK = "OAuth 2 authorization with a callback URL"
WITHOUT_CALLBACK = "OAuth 2 authorization without a callback URL"
ANONYMOUS = "Anonymous usage without user authorization"

#: Postman's fixed OAuth 2 callback, as Imgur's own Postman guide gives it.
POSTMAN_CALLBACK = "https://www.getpostman.com/oauth2/callback"

#: Where without-callback apps land; also a safe value when the form insists on a URL.
IMGUR_LANDING = "https://imgur.com/"

#: The places a person may run code, as (key, what the chooser shows).
PLACES = (
    ("local", "JupyterLab on my own computer"),
    ("hub", "JupyterHub: my own server on my class's or team's hub"),
    ("remote", "Binder, Colab or another remote server"),
    ("postman", "Postman"),
    ("script", "A script or command line with no browser"),
)


@dataclass(frozen=True)
class Recommendation:
    """What to choose on the registration form for one place.

    ``auth_type`` is the radio label to pick; ``callback_url`` the exact text for
    "Authorization callback URL:"; ``flow`` how the token comes back ("capture":
    the kit listens on loopback, "paste": you copy the address your browser ended
    on, "postman": Postman catches it, "client-id": no user token at all);
    ``why`` explains the choice in plain words.
    """

    where: str
    auth_type: str
    callback_url: str
    flow: str
    why: str


#: The places whose advice does not depend on a port or an address.
_FIXED = {
    "remote": Recommendation(
        where="remote",
        auth_type=WITHOUT_CALLBACK,
        callback_url=IMGUR_LANDING,
        flow="paste",
        why=(
            'The notebook runs on a server somewhere else, and "localhost" in your browser means '
            "your own computer, not that server, so no callback can reach the notebook. Without a "
            "callback URL, Imgur shows the token in the address of the page you land on: copy "
            "that whole address and paste it into the notebook. If the form still asks for a "
            f"callback URL, {IMGUR_LANDING} is fine (any address is accepted)."
        ),
    ),
    "postman": Recommendation(
        where="postman",
        auth_type=WITH_CALLBACK,
        callback_url=POSTMAN_CALLBACK,
        flow="postman",
        why=(
            "Postman catches the token at its own fixed callback address, so register exactly "
            f'{POSTMAN_CALLBACK} and let Postman\'s "Get New Access Token" do the rest.'
        ),
    ),
    "script": Recommendation(
        where="script",
        auth_type=ANONYMOUS,
        callback_url=IMGUR_LANDING,
        flow="client-id",
        why=(
            "A script with no browser cannot show Imgur's consent page, so it works best with the "
            "Client ID alone (anonymous uploads, public data). The form still requires a callback "
            f"URL; {IMGUR_LANDING} is fine. If the script must act as your account, register "
            f'"{WITHOUT_CALLBACK}" instead, authorize once in a browser, and let the kit keep '
            "the refresh token."
        ),
    ),
}


def _local(port: int) -> Recommendation:
    return Recommendation(
        where="local",
        auth_type=WITH_CALLBACK,
        callback_url=callback_url_for(port),
        flow="capture",
        why=(
            "Your browser and your notebook run on the same computer, so after you press Allow "
            f"Imgur can send the browser to {callback_url_for(port)}, where the kit listens for a "
            "moment and takes the token itself. If that port is busy, you can still copy the "
            "address your browser ended on and paste it."
        ),
    )


def _hub(hub_callback: str) -> Recommendation:
    return Recommendation(
        where="hub",
        auth_type=WITH_CALLBACK,
        callback_url=hub_callback,
        flow="capture",
        why=(
            "Your notebook runs on your own server of a JupyterHub, and your browser reaches it through "
            f"the hub. After you press Allow, Imgur sends your browser to {hub_callback}: through the hub "
            "to your own server, where the kit listens for a moment and takes the token itself. The hub "
            "lets only you into that address, so nobody else's sign-in can land there, and yours cannot "
            "land anywhere else. If the capture is not running, copy the address your browser ended on "
            "and paste it."
        ),
    )


def recommend_auth_type(where: str, *, port: int = CAPTURE_PORT, hub_callback: Optional[str] = None) -> Recommendation:
    """Recommend the authorization type and callback URL for *where*.

    *where* is one of the keys in :data:`PLACES` ("local", "hub", "remote", "postman",
    "script"); a few everyday synonyms ("binder", "colab", "cli", ...) are
    accepted too. *port* is the loopback port the local capture listens on;
    *hub_callback* the learner's own callback on a JupyterHub (``kit.callback_url()``
    there; without it a hub is treated like any remote server).
    Unknown places raise ``ValueError`` naming the accepted ones.
    """
    key = _SYNONYMS.get(str(where).strip().lower(), str(where).strip().lower())
    if key == "hub":
        return _hub(hub_callback) if hub_callback else replace(_FIXED["remote"], where="hub")
    if key == "local":
        return _local(port)
    if key in _FIXED:
        return _FIXED[key]
    known = ", ".join(repr(k) for k, _ in PLACES)
    raise ValueError(f"Unknown place {where!r}: choose one of {known}.")


_SYNONYMS = {
    "jupyterlab": "local",
    "lab": "local",
    "laptop": "local",
    "localhost": "local",
    "binder": "remote",
    "mybinder": "remote",
    "colab": "remote",
    "server": "remote",
    "jupyterhub": "hub",
    "tljh": "hub",
    "cli": "script",
    "terminal": "script",
    "headless": "script",
    "command line": "script",
}
