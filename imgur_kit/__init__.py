"""imgur-kit: a small, careful client for the Imgur API, and a local sandbox to rehearse on.

The names below are the public face; everything else is reachable through its module::

    from imgur_kit import Credentials, ImgurClient, oauth
    from imgur_kit.sandbox import Sandbox          # the local Imgur
    from imgur_kit.notebook import connect         # sandbox or live, decided for you

Importing this package is light on purpose: it does not import Jupyter, IPython or ipywidgets.
"""
from __future__ import annotations

from imgur_kit import oauth
from imgur_kit.client import ImgurClient, RateLimits
from imgur_kit.credentials import CredentialStore, Credentials, resolve
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
from imgur_kit.tokens import Token

__version__ = "0.1.0"

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
    "oauth",
    "resolve",
]
