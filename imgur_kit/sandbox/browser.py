"""What a person's browser does on a running sandbox's pages: register an app, press Allow.

One pair of helpers for every handle on a sandbox, whether it runs in this process
(:class:`~imgur_kit.sandbox.Sandbox`) or in another one the kit attached to: both fill
in the same forms over HTTP, as a browser would, so a notebook's stand-in cell and a
test go through the pages a learner sees. The sandbox reads its own pages here (it
wrote them), and only on 127.0.0.1. Each request waits at most ``timeout`` seconds
for the connection and for each read.
"""

from __future__ import annotations

import html
import http.client
import re
from typing import Optional
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from .models import App

__all__ = ["approve", "register"]

#: The most one page of the sandbox may take to connect or answer a read.
PAGE_TIMEOUT = 30.0
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _connection(base_url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"A sandbox runs on http://127.0.0.1, not at {base_url!r}.")
    return http.client.HTTPConnection("127.0.0.1", parts.port or 80, timeout=timeout)


def _read(conn: http.client.HTTPConnection) -> tuple[int, str, Optional[str]]:
    answer = conn.getresponse()
    return answer.status, answer.read().decode("utf-8", "replace"), answer.getheader("Location")


def heading(page: str) -> str:
    """The first heading of one of the sandbox's pages, as plain text (what a person reads first)."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    text = re.sub(r"<[^>]+>", "", match.group(1)) if match else page[:200]
    return html.unescape(text).strip()


def approve(base_url: str, authorize_url: str, *, allow: bool = True, timeout: float = PAGE_TIMEOUT) -> str:
    """Open the authorize page and press Allow (or Deny), over HTTP like a browser.

    Returns the URL the browser ends on: the callback with ``?state=..#access_token=..``
    (or ``?code=``/``?error=access_denied``), the landing page for apps without a
    callback, or the PIN page. Raises RuntimeError when a page shows an error.
    """
    parts = urlsplit(authorize_url)
    if parts.path.rstrip("/") != "/oauth2/authorize":
        raise ValueError("approve() needs an /oauth2/authorize URL.")
    conn = _connection(base_url, timeout)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        status, text, _ = _read(conn)
        if status != 200:
            raise RuntimeError(f"The authorize page showed an error ({status}): {heading(text)}")
        query = parse_qs(parts.query, keep_blank_values=True)
        fields: dict[str, str] = {k: query[k][0] for k in ("client_id", "response_type", "state") if k in query}
        fields["action"] = "allow" if allow else "deny"
        posted_to = "/oauth2/authorize"
        conn.request("POST", posted_to, body=urlencode(fields), headers=_FORM)
        status, text, location = _read(conn)
    finally:
        conn.close()
    if status not in (301, 302, 303) or not location:
        raise RuntimeError(f"Pressing the button showed an error ({status}): {heading(text)}")
    # Redirects to the sandbox's own pages are relative to the page that sent them (so they
    # survive a path-prefix proxy); resolve them as a browser does.
    return urljoin(base_url.rstrip("/") + posted_to, location)


def register(
    base_url: str,
    *,
    name: str,
    auth_type: str,
    callback_url: str,
    email: str,
    description: str = "",
    website: str = "",
    timeout: float = PAGE_TIMEOUT,
) -> App:
    """Fill in the registration form (the captcha ticked) and read the new app's keys from the page.

    Raises ValueError with the form's own sentence when it refuses the fields.
    """
    fields = {
        "name": name,
        "auth_type": auth_type,
        "callback_url": callback_url,
        "email": email,
        "description": description,
        "website": website,
        "captcha": "on",
    }
    conn = _connection(base_url, timeout)
    try:
        conn.request("POST", "/oauth2/addclient", body=urlencode(fields), headers=_FORM)
        _, page, _ = _read(conn)
    finally:
        conn.close()
    client_id = re.search(r'id="client-id">([^<]+)<', page)
    secret = re.search(r'id="client-secret">([^<]+)<', page)
    if not client_id or not secret:
        error = re.search(r"ERROR: [^<]+", page)
        raise ValueError(html.unescape(error.group(0)) if error else "The sandbox did not register the application.")
    return App(
        name=name,
        auth_type=auth_type,
        callback_url=callback_url,
        client_id=html.unescape(client_id.group(1)),
        client_secret=html.unescape(secret.group(1)),
        email=email,
        description=description,
        website=website,
    )
