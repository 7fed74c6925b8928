"""The plain-Python steps behind the widgets: what each button does, without widgets.

Each function calls the core (credentials, oauth, client) or the notebook
connection, and answers with a sentence a person can read. The widgets call
exactly these, so a notebook can show them as the "no widgets?" alternative:

    >>> from imgur_kit.widgets import actions
    >>> print(actions.verify_credentials(creds, base_url=conn.base_url))

They raise the kit's own errors (:class:`imgur_kit.errors.ImgurError`), whose
messages are sentences too; the widgets catch them and show that sentence.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from imgur_kit import oauth
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials, display_path, resolve
from imgur_kit.errors import AuthorizationError
from imgur_kit.tokens import Token, mask
from imgur_kit.widgets.phrasing import expiry_words

#: The picture that ships with the kit, for a first upload with nothing to choose.
BUNDLED_PICTURE = "hello-imgur.png"


def _number(value) -> str:
    """12500 -> "12,500"; unknown -> "?"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "?"


def credits_sentence(credits: dict) -> str:
    """What ``/3/credits`` says, in words: how much the app and the user have left."""
    return (f"{_number(credits.get('ClientRemaining'))} of {_number(credits.get('ClientLimit'))} "
            f"requests left today for this application, and {_number(credits.get('UserRemaining'))} of "
            f"{_number(credits.get('UserLimit'))} for you this hour.")


def verify_credentials(credentials: Credentials, *, base_url: str = oauth.DEFAULT_BASE_URL,
                       session=None) -> str:
    """Ask Imgur (``GET /3/credits``) whether it accepts this Client ID; answer in a sentence.

    Raises :class:`imgur_kit.errors.AuthError` for an unknown Client ID, and the
    other kit errors for network trouble, over capacity and so on.
    """
    with ImgurClient(credentials, base_url=base_url, session=session) as client:
        credits = client.credits()
    return f"Imgur accepted Client ID {mask(credentials.client_id)}: {credits_sentence(credits)}"


def store_credentials(connection, credentials: Credentials) -> str:
    """Save *credentials* through the connection (0600 file) and say where, and which source is in use.

    The lookup order (argument, environment, file) may still prefer another
    source, for example an ``IMGUR_CLIENT_ID`` variable; the sentence says so.
    """
    path = connection.save_credentials(credentials)
    secret = (f" and Client Secret {mask(credentials.client_secret)}" if credentials.client_secret
              else " (no Client Secret: anonymous calls only, no user authorization)")
    sentence = (f"Saved Client ID {mask(credentials.client_id)}{secret} to {display_path(path)}, "
                "a file only your user account can read.")
    if getattr(connection, "mode", None) == "sandbox":
        # connect() reads the sandbox store directly; environment variables are for live mode.
        return sentence + " This sandbox connection uses it from now on."
    in_use = resolve(profile=getattr(connection, "profile", "default"), store=connection.store)
    if in_use.credentials is not None and in_use.credentials.client_id != credentials.client_id:
        sentence += (f" Note: the kit will look at {in_use.source} first, which holds Client ID "
                     f"{mask(in_use.credentials.client_id)}; remove that to use the one you saved.")
    else:
        sentence += f" In use from now on: {in_use.source}."
    return sentence


def token_sentence(token: Token, *, how: str = "Found an access token") -> str:
    """What a token is, masked: "an access token for sandbox-user, expires in 10 years (...)"."""
    who = f" for {token.account_username}" if token.account_username else ""
    refresh = "with a refresh token" if token.refresh_token else "without a refresh token"
    return f"{how}{who} ({mask(token.access_token)}, {refresh}); it {expiry_words(token.expires_at)}."


def finish_authorization(connection, pasted: str, state: str | None) -> tuple[Token, str]:
    """Read whatever the browser ended on, turn it into a token, store it; return (token, sentence).

    Accepts a full callback URL, a bare fragment, a code or a PIN (see
    :func:`imgur_kit.oauth.parse_redirect`). A code or PIN is exchanged for a
    token at once. A denial or a ``state`` that does not match raises
    :class:`imgur_kit.errors.AuthorizationError` with a sentence saying so.
    """
    found = oauth.parse_redirect(pasted, expected_state=state)
    if isinstance(found, Token):
        token, how = found, "Found an access token"
    else:
        token = oauth.exchange(connection.credentials, found, base_url=connection.base_url)
        what = "an authorization code" if found.kind == "code" else "a PIN"
        how = f"Found {what} and exchanged it for an access token"
    path = connection.save_token(token)
    return token, f"{token_sentence(token, how=how)} Saved to {display_path(path)}."


NO_TOKEN = ("There is no user token yet, so nobody is signed in. Authorize first (the authorize panel "
            "in notebook 03, or actions.finish_authorization), then try again.")


def who_am_i(connection) -> str:
    """Who the stored token signs in as (``GET /3/account/me``) and when it expires."""
    if connection.token is None:
        raise AuthorizationError(NO_TOKEN)
    client = connection.client
    account = client.account()
    name = account.get("url") or (client.token.account_username if client.token else None) or "?"
    token = client.token
    expiry = expiry_words(token.expires_at) if token is not None else "there is no token"
    return f"Signed in as {name} (account id {account.get('id', '?')}); the access token {expiry}."


def refresh_now(connection) -> str:
    """Refresh the access token now (the kit also does it by itself when needed) and say the new expiry."""
    if connection.token is None:
        raise AuthorizationError(NO_TOKEN)
    token = connection.client.refresh()
    return (f"Refreshed: a new access token {mask(token.access_token)} that {expiry_words(token.expires_at)}; "
            "it was stored for next time.")


def bundled_picture() -> Path:
    """The path of the picture that ships with the kit (``imgur_kit/assets/hello-imgur.png``)."""
    return Path(str(resources.files("imgur_kit") / "assets" / BUNDLED_PICTURE))


def upload_picture(client: ImgurClient, image, *, title: str | None = None, name: str | None = None,
                   progress=None) -> dict:
    """Upload *image* (a path, bytes or binary file) and return Imgur's image data.

    *progress* is called as ``progress(sent_bytes, total_bytes)`` while the body
    streams out, which is what the upload panel's bar follows.
    """
    return client.upload(image, title=title or None, name=name, progress=progress)


def upload_sentence(data: dict) -> str:
    """A sentence about an uploaded image: its link, id and size."""
    size = data.get("size")
    size_text = f", {_number(size)} bytes" if size else ""
    dims = f", {data['width']}×{data['height']} pixels" if data.get("width") and data.get("height") else ""
    return (f"Uploaded: {data.get('link', '?')} (image id {data.get('id', '?')}{dims}{size_text}). "
            "Its deletehash (in the returned data, not shown here) lets anyone holding it delete the "
            "picture without signing in: keep it private.")
