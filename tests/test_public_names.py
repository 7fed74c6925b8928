"""The public face of imgur_kit (docs/architecture.md, "Layers"): explicit, sorted, documented."""

from __future__ import annotations

import inspect

import imgur_kit
import imgur_kit.errors

EXPECTED = {
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
}


def test_all_is_exactly_the_public_names():
    assert set(imgur_kit.__all__) == EXPECTED


def test_all_is_sorted_and_resolvable():
    assert list(imgur_kit.__all__) == sorted(imgur_kit.__all__)
    for name in imgur_kit.__all__:
        assert hasattr(imgur_kit, name), name


def test_every_public_object_is_documented():
    for name in imgur_kit.__all__:
        obj = getattr(imgur_kit, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(obj), f"imgur_kit.{name} has no docstring"


def test_every_error_descends_from_the_one_root():
    errors = [obj for obj in vars(imgur_kit.errors).values() if inspect.isclass(obj) and issubclass(obj, Exception)]
    assert len(errors) >= 10
    for cls in errors:
        assert issubclass(cls, imgur_kit.ImgurError), cls
    assert issubclass(imgur_kit.CredentialsError, ValueError)
    for cls in (
        imgur_kit.AuthError,
        imgur_kit.NotFoundError,
        imgur_kit.RateLimitError,
        imgur_kit.ServiceUnavailableError,
        imgur_kit.RegionBlockedError,
    ):
        assert issubclass(cls, imgur_kit.ApiError)


def test_sandbox_and_widgets_have_explicit_public_names():
    import imgur_kit.sandbox

    assert "Sandbox" in imgur_kit.sandbox.__all__
    assert list(imgur_kit.sandbox.__all__) == sorted(imgur_kit.sandbox.__all__)
