"""How the journey's steps say things: counts, times and tokens in words, secrets masked.

Plain functions shared by every front end (widgets, command line, plain Python),
so each says the same thing the same way.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from imgur_kit.tokens import Token, mask
from imgur_kit.wording import duration_words  # one wording of a length of time, shared with errors


def number_words(value) -> str:
    """12500 -> "12,500"; unknown -> "?"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "?"


def expiry_words(expires_at: Optional[datetime], *, now: Optional[datetime] = None) -> str:
    """When a token expires, in words: "expires in 10 years (2036-11-25 18:00 UTC)".

    ``None`` means the server did not say ("no expiry time was given").
    """
    if expires_at is None:
        return "no expiry time was given"
    now = now or datetime.now(timezone.utc)
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=timezone.utc)
    stamp = expires_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    left = (expires_at - now).total_seconds()
    if left <= 0:
        return f"expired {duration_words(left)} ago ({stamp})"
    return f"expires in {duration_words(left)} ({stamp})"


def credits_sentence(credits: dict) -> str:
    """What ``/3/credits`` says, in words: how much the app and the user have left."""
    return (
        f"{number_words(credits.get('ClientRemaining'))} of {number_words(credits.get('ClientLimit'))} "
        f"requests left today for this application, and {number_words(credits.get('UserRemaining'))} of "
        f"{number_words(credits.get('UserLimit'))} for you this hour."
    )


def token_sentence(token: Token, *, how: str = "Found an access token") -> str:
    """What a token is, masked: "Found an access token for sandbox-user (abcd…wxyz, ...); it expires in ..."."""
    who = f" for {token.account_username}" if token.account_username else ""
    refresh = "with a refresh token" if token.refresh_token else "without a refresh token"
    return f"{how}{who} ({mask(token.access_token)}, {refresh}); it {expiry_words(token.expires_at)}."


def upload_sentence(data: dict) -> str:
    """A sentence about an uploaded image: its link, id and size."""
    size = data.get("size")
    size_text = f", {number_words(size)} bytes" if size else ""
    dims = f", {data['width']}×{data['height']} pixels" if data.get("width") and data.get("height") else ""
    return (
        f"Uploaded: {data.get('link', '?')} (image id {data.get('id', '?')}{dims}{size_text}). "
        "Its deletehash (in the returned data, not shown here) lets anyone holding it delete the "
        "picture without signing in: keep it private."
    )


def credentials_words(client_id: str, client_secret: Optional[str]) -> str:
    """ "Client ID abcd…wxyz and Client Secret abcd…wxyz", masked, for sentences about saving."""
    if client_secret:
        return f"Client ID {mask(client_id)} and Client Secret {mask(client_secret)}"
    return f"Client ID {mask(client_id)} (no Client Secret: anonymous calls only, no signing in)"
