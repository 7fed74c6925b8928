"""OAuth 2.0 with Imgur: the authorize link, reading where the browser ended, and the token endpoint.

Pure functions, plus HTTP only through a ``requests.Session`` handed in (or a
short-lived one made for the call). The token endpoint is ``base_url + "/oauth2/token"``;
it takes a form-encoded POST that always carries ``client_id`` and ``client_secret``,
and answers plain JSON without the ``{data, success, status}`` envelope.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Optional, Union
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from .addresses import refuse_secret_in_clear, seconds_setting, without_userinfo
from .errors import AuthorizationError, CredentialsError
from .pasted import MAX_PASTE, SETTINGS_URL, checked_client_id, unwrapped
from .redaction import redact
from .responses import host_of, read_json, response_text, token_error
from .tokens import Token, mask
from .transport import pool_for, send
from .wording import counted

__all__ = [
    "DEFAULT_BASE_URL",
    "Grant",
    "authorize_url",
    "exchange",
    "new_state",
    "parse_redirect",
    "refresh",
]

DEFAULT_BASE_URL = "https://api.imgur.com"
RESPONSE_TYPES = ("token", "code", "pin")


def new_state() -> str:
    """A fresh random ``state`` value, to tie a redirect to the link that started it."""
    return secrets.token_urlsafe(16)


def authorize_url(
    client_id: Any, *, response_type: str = "token", state: Optional[str] = None, base_url: str = DEFAULT_BASE_URL
) -> str:
    """The link a person opens to let the application act for them.

    ``client_id`` is the Client ID as text, or the app's ``Credentials``.
    ``response_type`` is "token" (the one Imgur still documents), "code" or "pin".
    Pass ``state=new_state()`` and keep it, to check the redirect with
    ``parse_redirect(..., expected_state=state)``; with ``state=None`` a fresh random
    state is still put in, so the link never goes out without one.
    """
    if response_type not in RESPONSE_TYPES:
        raise AuthorizationError(f"response_type must be one of {', '.join(RESPONSE_TYPES)}, not {response_type!r}.")
    client_id = _client_id_of(client_id)
    query = urlencode(
        {"client_id": client_id, "response_type": response_type, "state": state if state is not None else new_state()}
    )
    return f"{without_userinfo(base_url).rstrip('/')}/oauth2/authorize?{query}"


def _client_id_of(value: Any) -> str:
    """The checked Client ID from a Client ID or the app's Credentials; CredentialsError otherwise."""
    if hasattr(value, "client_id") and not isinstance(value, str):
        value = value.client_id
    if value is not None and not isinstance(value, str):
        raise CredentialsError(
            f"An authorize link needs the Client ID as text (or the app's Credentials), not {type(value).__name__}."
        )
    return checked_client_id(value)


@dataclass(frozen=True, repr=False)
class Grant:
    """A one-time authorization ``code`` or ``pin`` to exchange for a token. ``repr`` masks the value."""

    kind: str
    value: str
    state: Optional[str] = None

    def __repr__(self) -> str:
        return f"Grant(kind={self.kind!r}, value='{mask(self.value) or '…'}', state={self.state!r})"

    __str__ = __repr__


# --- reading what was pasted ---------------------------------------------------------

_URL_BODY = re.compile(r"[^\s\"'<>`]+")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_PIN = re.compile(r"^[0-9A-Fa-f]{6,40}$")
_VALUE = re.compile(r"^[A-Za-z0-9._~+/=-]+$")

Redirect = Union[Token, Grant]


def _params(section: str) -> dict:
    try:
        parsed = parse_qs(section.lstrip("#?&"), keep_blank_values=True)
    except ValueError:
        return {}
    return {key.strip().lower(): values[0].strip() for key, values in parsed.items() if values}


def _find_url(text: str) -> Optional[str]:
    """The first ``scheme://...`` in ``text``, found in one pass (no pattern that rescans the text)."""
    position = text.find("://")
    while position >= 0:
        start = position
        while start > 0 and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        while start < position and not text[start].isalpha():
            start += 1  # a scheme begins with a letter
        if start < position:
            rest = _URL_BODY.match(text, position + 3)
            return text[start : position + 3] + (rest.group(0) if rest else "")
        position = text.find("://", position + 3)
    return None


def parse_redirect(text: str, *, expected_state: Optional[str] = None) -> Redirect:
    """A :class:`Token` or a code/pin :class:`Grant` from whatever a person pasted.

    Reads a full callback URL (state in the query, tokens in the fragment), a bare
    fragment (``#access_token=...`` or ``access_token=...``), a URL or text with
    ``code=``, a bare PIN, Postman's callback URL, with any surrounding whitespace,
    quotes or angle brackets. Checks ``state`` when ``expected_state`` is given.

    Raises :class:`AuthorizationError` for a denial, a state mismatch, or anything it
    cannot read, saying what it found instead; never repeats a secret.
    """
    read = _read_pasted(_pasted_text(text))
    if isinstance(read, Grant):
        return read  # a bare PIN
    params, parts = read
    _refuse_reported_error(params)
    state = _checked_state(params.get("state") or None, expected_state)
    return _token_or_grant(params, state, parts)


def _pasted_text(text: object) -> str:
    """What was pasted, unwrapped; refused in a sentence when it is no text, too long or empty."""
    if not isinstance(text, str):
        raise AuthorizationError(
            f"Expected the pasted address as text, got {type(text).__name__}. Paste the address the browser ended on."
        )
    if len(text) > MAX_PASTE:
        raise AuthorizationError(
            f"The pasted text is {len(text):,} characters long; the address the browser ends on is far shorter. "
            "Copy just that address from the address bar (or the PIN shown) and paste it again."
        )
    cleaned = unwrapped(text)
    if not cleaned:
        raise AuthorizationError(
            "Nothing was pasted. After clicking Allow, copy the whole address "
            "from the browser's address bar and paste it here."
        )
    return cleaned


def _read_pasted(cleaned: str) -> Union[Grant, tuple[dict, Any]]:
    """A bare PIN's Grant, or (the parameters, the address's parts or None) of a URL or fragment."""
    found_url = None
    if "://" in cleaned:
        found = _find_url(cleaned)
        found_url = found.rstrip(".,;") if found else None
    if found_url is None and re.search(r"\s", cleaned) and "=" in cleaned:
        # Text around a fragment, e.g. "it says #access_token=...": every part with '=' counts,
        # so a state written anywhere in it is still checked.
        words = [unwrapped(w).lstrip("#?&") for w in cleaned.split() if "=" in w]
        cleaned = "&".join(w for w in words if w) or cleaned
    if found_url:
        try:
            parts = urlsplit(found_url)
        except ValueError:
            raise AuthorizationError(
                "The pasted text holds an address the kit cannot read. Copy the whole "
                "address from the browser's address bar and paste it again."
            ) from None
        params = _params(parts.query)
        params.update(_params(parts.fragment))  # tokens live in the fragment; it wins
        if not any(params.get(k) for k in ("access_token", "code", "pin", "error")):
            raise AuthorizationError(_describe_missing(params, parts))
        return params, parts
    if "=" in cleaned:
        return _params(cleaned), None
    if _PIN.match(cleaned):
        return Grant(kind="pin", value=cleaned, state=None)
    raise AuthorizationError(_describe_unreadable(cleaned))


def _refuse_reported_error(params: dict) -> None:
    """Raise the sentence for an ``error`` Imgur put in the redirect (a Deny, or anything else)."""
    if "error" not in params:
        return
    error = params.get("error", "")
    if error == "access_denied":
        raise AuthorizationError(
            "Access was denied: the Imgur page was answered with Deny (or closed). Open a fresh "
            "authorize link and click Allow to let the application act for you."
        )
    description = redact(params.get("error_description", "").replace("+", " "))
    said = f" ({redact(error)}{': ' + description if description else ''})"
    raise AuthorizationError(
        f"Imgur reported an error instead of authorizing{said}. Open a fresh authorize link and try again."
    )


def _checked_state(state: Optional[str], expected_state: Optional[str]) -> Optional[str]:
    """``state``, once it is the one of the authorize link made here (when one is expected)."""
    if expected_state is None:
        return state
    if state is None:
        # A bare fragment or code is exactly what a forged link would hand over: without
        # the state nothing ties it to the link made here.
        raise AuthorizationError(
            "The pasted text carries no state, so the kit cannot tell that it answers the authorize link made "
            "here (it may be stale or forged). Copy the whole address the browser ended on, from its "
            "address bar, including the part before '#'; or get a fresh authorize link and try again."
        )
    if not hmac.compare_digest(state.encode(), str(expected_state).encode()):
        raise AuthorizationError(
            "The state in the pasted address does not match the authorize link made here: the link may be "
            "stale (from an earlier attempt) or forged. Get a fresh authorize link and try again."
        )
    return state


def _token_or_grant(params: dict, state: Optional[str], parts: Any) -> Redirect:
    """The Token (implicit grant) or the code or PIN Grant the parameters carry, whole."""
    if params.get("access_token"):
        if not _VALUE.match(params["access_token"]):
            raise AuthorizationError(
                "The access token in the pasted text is cut or mangled. Copy the whole address again, in one piece."
            )
        return Token.from_response(params)
    for kind in ("code", "pin"):
        value = params.get(kind)
        if value:
            if not _VALUE.match(value):
                raise AuthorizationError(
                    f"The {kind} in the pasted text is cut or mangled. Copy it again, in one piece."
                )
            return Grant(kind=kind, value=value, state=state)
    raise AuthorizationError(_describe_missing(params, parts))


def _describe_unreadable(cleaned: str) -> str:
    if re.fullmatch(r"[0-9A-Fa-f]{1,5}", cleaned):
        what = "a number too short to be a PIN"
    elif re.fullmatch(r"[A-Za-z0-9._~-]{41,}", cleaned):
        what = f"a single value of {len(cleaned)} characters that is not a PIN"
    elif re.fullmatch(r"[A-Za-z0-9._~-]+", cleaned):
        what = f"a single word of {counted(len(cleaned), 'character')} that is not a PIN (PINs are 6 to 40 hex digits)"
    else:
        what = f"text of {counted(len(cleaned), 'character')} with no address, token, code or PIN in it"
    return (
        f"Could not find a token, code or PIN in what was pasted: it looks like {what}. After clicking "
        "Allow, copy the whole address from the browser's address bar (or the PIN shown) and paste it here."
    )


def _describe_missing(params: dict, parts: Any) -> str:
    where = ""
    if parts is not None:
        where = f" ({parts.scheme}://{parts.hostname or ''}{parts.path})" if parts.scheme else ""
    if (
        parts is not None
        and parts.path.rstrip("/").endswith("/oauth2/authorize")
        and ("client_id" in params or "response_type" in params)
    ):
        return (
            "This looks like the authorize link itself, not where the browser ended. Open the link, "
            "click Allow, then copy the address the browser shows afterwards and paste that here."
        )
    if "state" in params and parts is not None:
        return (
            f"The pasted address{where} has the state but no access token: the part after '#' was "
            "probably lost. Copy the whole address from the address bar, including everything after '#'."
        )
    names = sorted(k for k in params if k.isidentifier())[:5]
    if names:
        return (
            f"The pasted text has the fields {', '.join(names)} but no access_token, code or PIN. Copy "
            "the whole address the browser ended on after clicking Allow."
        )
    return (
        f"The pasted address{where} has no token, code or error in it. After clicking Allow, copy the "
        "whole address from the address bar (including the part after '#') and paste it here."
    )


# --- the token endpoint ----------------------------------------------------------------


def _no_authorization(request: requests.PreparedRequest) -> requests.PreparedRequest:
    # The token endpoint authenticates by client_id/client_secret in the form; a handed-in
    # http pool (http=) with its own auth must not add a Bearer token (or anything else) here.
    request.headers.pop("Authorization", None)
    return request


def _redirected(response: requests.Response, url: str) -> AuthorizationError:
    """The sentence for a token endpoint that answered with a redirect instead of a token."""
    to = response.headers.get("Location", "")
    elsewhere = f" to {host_of(urljoin(url, to))}" if to.strip() else ""
    return AuthorizationError(
        f"{host_of(url)} answered the token request with a redirect (HTTP {response.status_code}){elsewhere}. "
        "The kit never sends your Client Secret or tokens on to another address, so it stopped here. Check the "
        "base URL (it should be https://api.imgur.com, or IMGUR_KIT_BASE_URL if you set it), then try again."
    )


def _token_form(credentials: Any, form: dict) -> dict:
    """The token request's form: the Client ID and Secret (both needed) with ``form``."""
    client_id = getattr(credentials, "client_id", None)
    client_secret = getattr(credentials, "client_secret", None)
    if not client_id:
        raise CredentialsError(
            "Exchanging or refreshing a token needs the Client ID. Give Credentials(client_id, client_secret)."
        )
    if not client_secret:
        raise CredentialsError(
            "Exchanging or refreshing a token needs the Client Secret as well as the Client ID. "
            f"Copy it from {SETTINGS_URL} (or generate a new one there)."
        )
    return {"client_id": client_id, "client_secret": client_secret, **form}


def _token_in(response: requests.Response) -> Optional[Token]:
    """The token a successful answer carries, or None when it carries none."""
    payload = read_json(response_text(response))
    if not (200 <= response.status_code < 300 and isinstance(payload, dict)):
        return None
    data = payload
    if "access_token" not in data and isinstance(data.get("data"), dict):
        data = data["data"]  # tolerate an envelope, should Imgur ever add one
    access = data.get("access_token")
    if access is not None and not isinstance(access, str):
        raise AuthorizationError(
            f"The token answer's access_token is {type(access).__name__}, not text, so it is not a token. "
            "Check that the base URL points at Imgur (or the sandbox), then try again."
        )
    return Token.from_response(data) if access else None


def _post_token(
    credentials: Any, form: dict, *, base_url: str, http: Optional[requests.Session], timeout: float, what: str
) -> Token:
    body = _token_form(credentials, form)
    timeout = seconds_setting(timeout, "timeout")
    url = without_userinfo(base_url).rstrip("/") + "/oauth2/token"
    refuse_secret_in_clear(url, "the Client Secret")
    with pool_for(http) as pool:
        response = send(
            pool,
            "POST",
            url,
            timeout=timeout,
            data=body,
            auth=_no_authorization,
            headers={"Accept": "application/json"},
            # The form carries the Client Secret and a code, PIN or refresh token: a
            # redirect must never carry them on, to another origin or anywhere else.
            allow_redirects=False,
        )
        if 300 <= response.status_code < 400:
            raise _redirected(response, url)
        token = _token_in(response)
        if token is not None:
            return token
        raise token_error(response, what) from None


def exchange(
    credentials: Any,
    grant: Grant,
    *,
    base_url: str = DEFAULT_BASE_URL,
    http: Optional[requests.Session] = None,
    timeout: float = 30,
) -> Token:
    """Trade a code or PIN :class:`Grant` (from :func:`parse_redirect`) for a :class:`Token`."""
    if not isinstance(grant, Grant) or grant.kind not in ("code", "pin"):
        raise AuthorizationError("exchange() takes the code or PIN Grant that parse_redirect() returned.")
    if grant.kind == "code":
        form = {"grant_type": "authorization_code", "code": grant.value}
    else:
        form = {"grant_type": "pin", "pin": grant.value}
    return _post_token(credentials, form, base_url=base_url, http=http, timeout=timeout, what=grant.kind)


def refresh(
    credentials: Any,
    token: Token,
    *,
    base_url: str = DEFAULT_BASE_URL,
    http: Optional[requests.Session] = None,
    timeout: float = 30,
) -> Token:
    """A new access token from ``token``'s refresh token, merged with the old token.

    The old refresh token is kept when Imgur sends none. A refresh token Imgur no
    longer accepts is an :class:`AuthorizationError`: authorize again (the client
    credentials stay valid).
    """
    if not isinstance(token, Token) or not token.refresh_token:
        raise AuthorizationError("There is no refresh token to renew the access token with. Authorize again.")
    form = {"grant_type": "refresh_token", "refresh_token": token.refresh_token}
    new = _post_token(credentials, form, base_url=base_url, http=http, timeout=timeout, what="refresh")
    return token.merged_with(new)
