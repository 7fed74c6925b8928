"""The HTML pages a person sees in a browser.

Every value that came from a user (an application's name, a state, a URL)
goes through ``html.escape`` here and nowhere else, so one place guards the
pages against markup injection. Labels use ``<label for=...>`` so people
using screen readers, and the browser tests, find each input by its label.

Links and form actions to the sandbox's own pages are relative, built on
``root`` (the request's way back home, see ``Request.root``), so the pages keep
working when a proxy serves the sandbox under a path prefix (Binder).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from http import HTTPStatus
from typing import Optional

from .models import USERNAME

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#1b1b1b;color:#e8e8e8;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
header{background:#121212;border-bottom:1px solid #333;padding:.7em 1.2em;
       display:flex;justify-content:space-between;align-items:center}
header a.logo{color:#fff;font-weight:800;font-size:1.4em;text-decoration:none;letter-spacing:-.5px}
header a.logo span{color:#1bb76e}
.who{color:#aaa;font-size:.9em}
main{max-width:42em;margin:2em auto;padding:0 1em}
.card{background:#2c2f34;border-radius:8px;padding:1.5em 1.8em;box-shadow:0 2px 12px #0006}
h1{font-size:1.5em;margin-top:0}
a{color:#5fb3ff}
label{display:block;font-weight:600;margin:.9em 0 .3em}
fieldset{border:0;padding:0;margin:.9em 0 0}
legend{font-weight:600;margin-bottom:.3em}
fieldset label{display:inline;font-weight:400;margin:0 0 0 .4em}
.choice{margin:.25em 0}
input[type=text],input[type=url],input[type=email],textarea{
  width:100%;padding:.5em;border-radius:4px;border:1px solid #555;background:#1b1b1b;color:#fff;font:inherit}
.robot{margin-top:1.2em;padding:.8em;border:1px solid #555;border-radius:4px;background:#222;display:inline-block}
.robot label{display:inline;margin-left:.4em}
button{font:inherit;font-weight:700;border:0;border-radius:4px;padding:.6em 1.6em;margin:1.2em .6em 0 0;cursor:pointer}
.primary{background:#12804d;color:#fff}  /* Imgur's green, darkened to 4.98:1 against white text (WCAG AA) */
.secondary{background:#555;color:#fff}
.error{background:#5c1f1f;border:1px solid #a33;border-radius:4px;padding:.6em .9em;color:#ffd6d6}
.note{color:#aaa;font-size:.9em}
code,.secret{font-family:ui-monospace,Menlo,Consolas,monospace;background:#111;padding:.15em .4em;border-radius:3px;
             word-break:break-all}
dl dt{font-weight:600;margin-top:.8em}
footer{text-align:center;color:#aaa;font-size:.8em;margin:3em 0 2em}  /* 7.4:1 on the page background */
"""


def layout(title: str, body: str, root: str) -> str:
    """A whole page: header with the signed-in user, the body, a footer.

    ``root`` is the relative way from this page to the home page ("../").
    """
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header><a class="logo" href="{escape(root)}">imgur<span>sandbox</span></a>
<span class="who">Signed in as <strong>{USERNAME}</strong> (the sandbox's user is always signed in)</span></header>
<main>
<div class="card">
{body}
</div>
</main>
<footer>A local stand-in for the Imgur API, for rehearsing. Nothing here reaches imgur.com.</footer>
</body>
</html>
"""


def home(base_url: str, *, root: str) -> str:
    """The front page: what this is and where to go."""
    return layout(
        "Imgur API sandbox",
        f"""<h1>Imgur API sandbox</h1>
<p>This server behaves like the Imgur API so you can rehearse the whole journey
with nothing configured. Its address is <code>{escape(base_url)}</code>.</p>
<ul>
<li><a href="{escape(root)}oauth2/addclient">Register an application</a></li>
<li>Authorize: <code>/oauth2/authorize?client_id=…&amp;response_type=token&amp;state=…</code></li>
<li>API: <code>/3/credits</code>, <code>/3/account/me</code>, <code>/3/image</code>, <code>/3/album</code></li>
</ul>""",
        root,
    )


_AUTH_CHOICES = (
    ("callback", "OAuth 2 authorization with a callback URL"),
    ("no-callback", "OAuth 2 authorization without a callback URL"),
    ("anonymous", "Anonymous usage without user authorization"),
)


def _text_input(field: str, label: str, value: str, kind: str = "text") -> str:
    return (
        f'<label for="{field}">{label}</label>\n'
        f'<input type="{kind}" id="{field}" name="{field}" value="{escape(value)}">\n'
    )


def addclient_form(values: Optional[Mapping[str, str]] = None, error: Optional[str] = None, *, root: str) -> str:
    """The registration form, refilled with what was sent when it had an error."""
    values = values or {}
    chosen = values.get("auth_type", "callback")
    choices = "".join(
        f'<div class="choice"><input type="radio" id="auth-{key}" name="auth_type" value="{key}"'
        f'{" checked" if key == chosen else ""}><label for="auth-{key}">{label}</label></div>\n'
        for key, label in _AUTH_CHOICES
    )
    problem = f'<p class="error" role="alert">{escape(error)}</p>\n' if error else ""
    return layout(
        "Register an application",
        f"""<h1>Register an application</h1>
{problem}<form method="post" action="{escape(root)}oauth2/addclient">
{_text_input("name", "Application name:", values.get("name", ""))}
<fieldset role="radiogroup" aria-labelledby="auth-type-legend">
<legend id="auth-type-legend">Authorization type:</legend>
{choices}</fieldset>
{_text_input("callback_url", "Authorization callback URL:", values.get("callback_url", ""), "url")}
{_text_input("website", "Application website (optional):", values.get("website", ""), "url")}
{_text_input("email", "Email:", values.get("email", ""), "email")}
<label for="description">Description:</label>
<textarea id="description" name="description" rows="3">{escape(values.get("description", ""))}</textarea>
<div class="robot"><input type="checkbox" id="captcha" name="captcha" value="1">
<label for="captcha">I'm not a robot</label></div>
<div><button type="submit" class="primary" id="submit">Submit</button></div>
</form>
<p class="note">You are signed in as {USERNAME}; the application will belong to that user.</p>""",
        root,
    )


def addclient_done(name: str, client_id: str, client_secret: str, auth_type: str, *, root: str) -> str:
    """The page that hands out the Client ID and Client Secret."""
    return layout(
        "Application registered",
        f"""<h1>Application registered</h1>
<p>Your application <strong>{escape(name)}</strong> ({escape(auth_type)}) is registered.
Keep the secret to yourself: it proves the application is yours.</p>
<dl>
<dt>Client ID:</dt><dd><span class="secret" id="client-id">{escape(client_id)}</span></dd>
<dt>Client secret:</dt><dd><span class="secret" id="client-secret">{escape(client_secret)}</span></dd>
</dl>
<p class="note">On imgur.com these would also arrive by email; manage applications under
account settings, "Applications".</p>""",
        root,
    )


def consent(app_name: str, fields: Mapping[str, str], *, root: str) -> str:
    """The authorize page: allow or deny an application access to the account."""
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">\n' for k, v in fields.items())
    return layout(
        "Authorize application",
        f"""<h1>Authorize <span id="app-name">{escape(app_name)}</span></h1>
<p><strong>{escape(app_name)}</strong> would like access to your Imgur account
<strong>{USERNAME}</strong>. It will be able to upload and manage images and albums in your name.</p>
<form method="post" action="{escape(root)}oauth2/authorize">
{hidden}<button type="submit" class="primary" name="action" value="allow" id="allow" aria-label="Allow">Allow</button>
<button type="submit" class="secondary" name="action" value="deny" id="deny" aria-label="Deny">Deny</button>
</form>""",
        root,
    )


def woah(*, root: str) -> str:
    """The live service's page for a missing or unknown client_id."""
    return layout(
        "Woah there!",
        """<h1>Woah there!</h1>
<p class="error" role="alert">Woah there! The information you sent wasn't quite correct.</p>
<p>The authorization request did not name a registered application
(check the <code>client_id</code> and <code>response_type</code> in the link).</p>""",
        root,
    )


def error_1024(*, root: str) -> str:
    """The authorize page as reported since mid-2025: "Error (1024)"."""
    return layout(
        "Error",
        """<h1>Error (1024)</h1>
<p class="error" role="alert">Error (1024)</p>
<p>Something went wrong. Please try again later.</p>""",
        root,
    )


def pin(value: str, *, root: str) -> str:
    """The page that shows a PIN to copy into the application."""
    return layout(
        "Your PIN",
        f"""<h1>Enter this PIN in the application</h1>
<p>Copy this PIN back into the application that asked for it. It can be used once.</p>
<p style="font-size:2em"><code id="pin">{escape(value)}</code></p>""",
        root,
    )


def landing(seen: str, *, root: str) -> str:
    """Where apps without a callback land; shows the full URL, fragment included.

    The fragment never reaches a server, so a line of script copies
    ``location.href`` into the page for the person to copy.
    """
    return layout(
        "Authorization complete",
        f"""<h1>Authorization complete</h1>
<p>Copy the whole address below (it is also in the address bar) back into the application:</p>
<p><code id="landed-url">{escape(seen)}</code></p>
<script>document.getElementById("landed-url").textContent = window.location.href;</script>""",
        root,
    )


def album(title: str, links: Iterable[str], *, root: str) -> str:
    """A plain album page (an album's ``link`` points here)."""
    images = "".join(f'<p><img src="{escape(link)}" alt="" style="max-width:100%"></p>' for link in links)
    return layout(title or "Album", f"<h1>{escape(title or 'Untitled album')}</h1>\n{images}", root)


def not_found(*, root: str) -> str:
    """A 404 page."""
    return layout(
        "Not found", f'<h1>Not found</h1><p>There is nothing here. <a href="{escape(root)}">Home</a></p>', root
    )


def over_capacity(status: int) -> str:
    """The Varnish error page Imgur's edge serves when it is over capacity."""
    return f"""<!DOCTYPE html>
<html><head><title>Imgur is temporarily over capacity</title></head>
<body style="background:#1b1b1b;color:#eee;font-family:sans-serif;text-align:center;padding:3em">
<h1>Imgur is temporarily over capacity. Please try again later.</h1>
<p>Error {status} {_phrase(status)}</p>
<p>Guru Mediation:</p><p>Details: cache-sandbox 1711640921 XID: 379851264</p>
<hr><p>Varnish cache server</p>
</body></html>
"""


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def region_blocked() -> str:
    """The page shown where Imgur is not available (the UK since 2025-09-30)."""
    return """<!DOCTYPE html>
<html><head><title>Content not available in your region</title></head>
<body style="background:#1b1b1b;color:#eee;font-family:sans-serif;text-align:center;padding:3em">
<h1>Content not available in your region</h1>
<p>Imgur is not available in your region. This page is shown for every request from where you are.</p>
</body></html>
"""
