"""imgur-kit: a small, careful client for the Imgur API, and a local sandbox to rehearse on.

The names below are the public face; everything else is reachable through its module::

    from imgur_kit import Credentials, ImgurClient, oauth
    from imgur_kit.sandbox import Sandbox          # the local Imgur
    from imgur_kit.notebook import connect         # sandbox or live, decided for you
    from imgur_kit import steps                    # the journey's steps, the same for every front end
    imgur_kit.login()                               # have keys? sign in (widget or prompts)

Importing this package is light on purpose: it does not import Jupyter, IPython or ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The exception classes are cheap (classes only) and loaded at once, so that
# ``except imgur_kit.ApiError`` never triggers an import of its own.
from imgur_kit.errors import (
    ApiError,
    AuthError,
    AuthorizationError,
    CredentialsError,
    ImgurError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)

if TYPE_CHECKING:  # what type checkers and editors see; at runtime these load on first use
    from imgur_kit import oauth
    from imgur_kit.client import ImgurClient, RateLimits
    from imgur_kit.credentials import Credentials, CredentialStore, resolve
    from imgur_kit.tokens import Token

# The rest of the public face, loaded on first use (PEP 562): a first `import imgur_kit`
# does not pay for the HTTP client, the credential store and OAuth until one is touched.
_LAZY_NAMES = {
    "CredentialStore": "imgur_kit.credentials",
    "Credentials": "imgur_kit.credentials",
    "ImgurClient": "imgur_kit.client",
    "RateLimits": "imgur_kit.client",
    "Token": "imgur_kit.tokens",
    "oauth": "imgur_kit.oauth",
    "resolve": "imgur_kit.credentials",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY_NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module 'imgur_kit' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name == f"imgur_kit.{name}" else getattr(module, name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0"


def login(client_id=None, client_secret=None, *, mode=None, profile="default"):
    """Sign in with the Client ID and Secret you already have: one call, after huggingface_hub's login().

    In a notebook it shows one widget (keys, the sign-in link, "signed in as ...");
    in a terminal it asks with prompts (the secret hidden). The keys are saved as
    your own, for the real Imgur. ``python -m imgur_kit login`` does the same.
    """
    # Imported here: the front ends stand above the package root, which stays light.
    from imgur_kit.quick_login import login as sign_in

    return sign_in(client_id, client_secret, mode=mode, profile=profile)


__all__ = [
    "ApiError",
    "AuthError",
    "AuthorizationError",
    "CredentialStore",
    "Credentials",
    "CredentialsError",
    "ImgurClient",
    "ImgurError",
    "NetworkError",
    "NotFoundError",
    "RateLimitError",
    "RateLimits",
    "RegionBlockedError",
    "ServiceUnavailableError",
    "Token",
    "__version__",
    "login",
    "oauth",
    "resolve",
]
