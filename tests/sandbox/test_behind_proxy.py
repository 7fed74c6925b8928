"""The browser-facing flow through a path-prefix proxy, as on Binder.

On Binder the sandbox runs in the kernel and the person's browser reaches it
through jupyter-server-proxy at ``/user/<name>/proxy/<port>/...``, which strips
the prefix before forwarding. Every link, form action and redirect the pages
emit must therefore resolve, against the proxied page's URL, to somewhere
still under the prefix. The proxy here is a tiny stand-in written for the
test: it strips the prefix and passes ``Location`` through untouched (the
strictest case: jupyter-server-proxy before 4.5 rewrote nothing). Like
jupyter-server-proxy, it passes the browser's ``Host`` (the proxy's own
address, not the sandbox's) on and names its prefix in ``X-Forwarded-Context``,
so these tests also hold that the sandbox's Host check lets a proxy through.
"""

from __future__ import annotations

import http.client
import re
import threading
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from sandbox_helpers import png

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class _PrefixProxy(BaseHTTPRequestHandler):
    """Forwards ``<prefix>/rest`` to the sandbox as ``/rest``; anything else is a 404."""

    server: ThreadingHTTPServer

    def log_message(self, format, *args):  # quiet test output
        pass

    def do_GET(self):
        prefix, upstream_port = self.server.prefix, self.server.upstream_port
        if not self.path.startswith(prefix + "/"):
            self._answer(404, {}, b"outside the proxy prefix")
            return
        rest = self.path[len(prefix) :]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-Context"] = headers["X-ProxyContextPath"] = prefix
        conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
        try:
            conn.request(self.command, rest, body=body, headers=headers)
            answer = conn.getresponse()
            payload = answer.read()
            passed = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
            self._answer(answer.status, passed, payload)
        finally:
            conn.close()

    do_POST = do_GET

    def _answer(self, status, headers, payload):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def proxied(sandbox):
    """The sandbox's root as a browser on Binder sees it: http://127.0.0.1:P/user/ada/proxy/PORT/."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PrefixProxy)
    server.daemon_threads = True
    server.prefix = f"/user/ada/proxy/{sandbox.port}"
    server.upstream_port = sandbox.port
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{server.prefix}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _links(page: str):
    """Every href, src and form action on a page (entities decoded, as a browser reads them)."""
    return [unescape(v) for v in re.findall(r'(?:href|src|action)="([^"]*)"', page)]


def _assert_stays_under(root: str, page_url: str, page: str) -> None:
    links = _links(page)
    assert links, "a sandbox page should link somewhere (at least its logo)"
    for link in links:
        resolved = urljoin(page_url, link)
        assert resolved.startswith(root), f"{link!r} on {page_url} leaves the proxy prefix: {resolved}"


def _form(page: str):
    action = unescape(re.search(r'<form method="post" action="([^"]*)"', page).group(1))
    hidden = {
        unescape(k): unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    }
    return action, hidden


def _register(http, root, auth_type, callback_url=""):
    home = http.get(root)
    assert home.status_code == 200
    _assert_stays_under(root, root, home.text)
    register = urljoin(root, re.search(r'href="([^"]*)">Register an application', home.text).group(1))
    assert register == root + "oauth2/addclient"
    form = http.get(register)
    _assert_stays_under(root, register, form.text)
    action, _ = _form(form.text)
    target = urljoin(register, action)
    assert target == root + "oauth2/addclient"
    done = http.post(
        target,
        data={
            "name": f"{auth_type} app",
            "auth_type": auth_type,
            "callback_url": callback_url,
            "email": "ada@example.com",
            "description": "",
            "website": "",
            "captcha": "1",
        },
    )
    assert done.status_code == 200
    _assert_stays_under(root, target, done.text)
    return re.search(r'id="client-id">([^<]+)<', done.text).group(1)


def _allow(http, root, client_id, response_type, state):
    consent_url = f"{root}oauth2/authorize?client_id={client_id}&response_type={response_type}&state={state}"
    consent = http.get(consent_url)
    assert consent.status_code == 200 and "Allow" in consent.text
    _assert_stays_under(root, consent_url, consent.text)
    action, hidden = _form(consent.text)
    target = urljoin(consent_url, action)
    assert target == root + "oauth2/authorize"
    answer = http.post(target, data=dict(hidden, action="allow"), allow_redirects=False)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert not urlsplit(location).netloc, "a redirect to the sandbox's own page must be relative"
    return urljoin(target, location)


def test_no_callback_app_lands_under_the_prefix(proxied):
    with requests.Session() as http:
        client_id = _register(http, proxied, "no-callback")
        landed = _allow(http, proxied, client_id, "token", "s1")
        parts = urlsplit(landed)
        assert landed.startswith(proxied + "oauth2/landing?")
        assert parse_qs(parts.query) == {"state": ["s1"]}
        assert "access_token" in parse_qs(parts.fragment)
        page = http.get(landed)  # requests drops the fragment, as a browser does
        assert page.status_code == 200 and 'id="landed-url"' in page.text
        _assert_stays_under(proxied, landed, page.text)


def test_pin_flow_shows_its_pin_under_the_prefix(proxied):
    with requests.Session() as http:
        client_id = _register(http, proxied, "callback", "http://localhost:8765/callback")
        landed = _allow(http, proxied, client_id, "pin", "s2")
        assert landed.startswith(proxied + "oauth2/pin?")
        pin = parse_qs(urlsplit(landed).query)["pin"][0]
        page = http.get(landed)
        assert page.status_code == 200 and f'id="pin">{pin}<' in page.text
        _assert_stays_under(proxied, landed, page.text)


def test_callback_app_still_goes_to_its_own_absolute_url(proxied):
    with requests.Session() as http:
        client_id = _register(http, proxied, "callback", "http://localhost:8765/callback")
        consent_url = f"{proxied}oauth2/authorize?client_id={client_id}&response_type=token&state=s3"
        action, hidden = _form(http.get(consent_url).text)
        answer = http.post(urljoin(consent_url, action), data=dict(hidden, action="allow"), allow_redirects=False)
        assert answer.headers["Location"].startswith("http://localhost:8765/callback?state=s3#access_token=")


def test_registration_closed_sends_the_browser_home_under_the_prefix(proxied, sandbox):
    sandbox.set_fault("registration-closed")
    with requests.Session() as http:
        answer = http.get(proxied + "oauth2/addclient")
        assert answer.url == proxied  # followed the relative 301 and stayed under the prefix
        assert "Imgur API sandbox" in answer.text


@pytest.mark.parametrize("path", ["nowhere", "oauth2/nowhere", "a/deep/nowhere/", "oauth2/addclient/"])
def test_every_depth_links_home_under_the_prefix(proxied, path):
    with requests.Session() as http:
        page = http.get(proxied + path)
        _assert_stays_under(proxied, proxied + path, page.text)
        home = re.search(r'<a class="logo" href="([^"]*)"', page.text).group(1)
        assert urljoin(proxied + path, home) == proxied


def test_album_page_images_stay_under_the_prefix(proxied, sandbox):
    app = sandbox.default_app
    with requests.Session() as http:
        auth = {"Authorization": f"Client-ID {app.client_id}"}
        image = http.post(proxied + "3/image", headers=auth, files={"image": ("a.png", png())}).json()["data"]
        album = http.post(
            proxied + "3/album", headers=auth, data={"deletehashes[]": image["deletehash"], "title": "t"}
        ).json()["data"]
        url = f"{proxied}a/{album['id']}"
        page = http.get(url)
        assert page.status_code == 200 and "<img" in page.text
        _assert_stays_under(proxied, url, page.text)
        src = urljoin(url, re.search(r'<img src="([^"]*)"', page.text).group(1))
        assert http.get(src).content == png()
