"""Which ``Host`` the sandbox answers: a defence against DNS rebinding.

A web page on ``evil.example`` can make its own name resolve to 127.0.0.1 and
then script requests to the sandbox as if they were same-origin. The browser
still sends ``Host: evil.example:PORT``, a header no page can change, and
because it connects straight to the sandbox, PORT is the sandbox's own port.

So the sandbox answers:

* its own loopback names (127.0.0.1, localhost, [::1]) with any port: a page's
  script cannot send a loopback name as its Host, and an SSH tunnel
  (``ssh -L 9000:localhost:8700``) reaches the sandbox under another port;
* requests a proxy forwarded to it, such as jupyter-server-proxy on Binder,
  which passes on the Jupyter server's own Host (and adds X-Forwarded-* and
  X-ProxyContextPath headers). A page's script can add those headers too, so a
  forwarded request is still refused when its Host names another machine at
  the sandbox's own port: only a browser connected straight to the sandbox
  sends that.

Everything else gets a 400 with a sentence.
"""

from __future__ import annotations

from typing import Any, Optional

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: Headers a forwarding proxy adds (jupyter-server-proxy sends the X-Forwarded-Context family).
PROXY_HEADERS = ("X-Forwarded-Host", "X-Forwarded-Context", "X-ProxyContextPath", "X-Forwarded-Prefix", "Forwarded")


def split_host(value: str) -> Optional[tuple[str, Optional[int]]]:
    """("name", port or None) for a Host value such as ``localhost:8765`` or ``[::1]:80``; None if malformed."""
    value = value.strip().lower()
    if not value or any(c.isspace() or c in "/?#@\\" for c in value):
        return None
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text = value.partition(":")
        port_text = port_text if colon else None
    if not name:
        return None
    if port_text is None:
        return name, None
    if not port_text.isdigit() or len(port_text) > 5 or int(port_text) > 65535:
        return None
    return name, int(port_text)


def host_problem(headers: Any, port: int) -> Optional[str]:
    """None when the sandbox should answer this request, else the sentence that says why not."""
    hosts = headers.get_all("Host") or []
    advice = f"Open it at http://127.0.0.1:{port}/, or through your Jupyter server's proxy."
    if len(hosts) != 1:
        return f"This sandbox needs exactly one Host header, naming 127.0.0.1:{port}. {advice}"
    host = split_host(hosts[0])
    if host is None:
        return f"This sandbox could not read the Host header; it answers 127.0.0.1:{port}. {advice}"
    if host[0] in LOOPBACK_NAMES:
        return None
    refused = (
        f"This sandbox answers requests for 127.0.0.1:{port} or localhost:{port}, not for "
        f"{hosts[0].strip()[:100]!r} (a defence against web pages that rebind their name to this "
        f"computer). {advice}"
    )
    if not any(headers.get(name) for name in PROXY_HEADERS):
        return refused
    forwarded = [hosts[0]] + [v for v in (headers.get("X-Forwarded-Host") or "").split(",") if v.strip()]
    for value in forwarded:
        seen = split_host(value)
        if seen is None:
            return f"This sandbox could not read a forwarded host; it answers 127.0.0.1:{port}. {advice}"
        name, named_port = seen
        if name not in LOOPBACK_NAMES and (named_port == port or (named_port is None and port in (80, 443))):
            return refused
    return None
