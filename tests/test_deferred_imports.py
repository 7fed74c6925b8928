"""`import imgur_kit` loads only what a first import needs; the rest loads when it is used.

Checked as behaviour (which modules a fresh interpreter has loaded), never as a time:
the time is measured as a ratio by benchmarks/run.py.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

import imgur_kit

# Not needed until a client, a saved file, an upload, a notebook or a sandbox is.
DEFERRED_BY_THE_ROOT = (
    "requests",
    "urllib3",
    "requests_toolbelt",
    "platformdirs",
    "filelock",
    "tqdm",
    "json",
    "dataclasses",
    "imgur_kit.client",
    "imgur_kit.oauth",
    "imgur_kit.credentials",
    "imgur_kit.tokens",
    "imgur_kit.steps",
    "imgur_kit.widgets",
    "imgur_kit.sandbox",
    "imgur_kit.notebook",
    "ipywidgets",
    "IPython",
)
# Still not needed once the client is: only an upload, a saved file or the CLI's bar wants them.
DEFERRED_BY_THE_CLIENT = (
    "requests_toolbelt",
    "platformdirs",
    "filelock",
    "tqdm",
    "imgur_kit.steps",
    "imgur_kit.widgets",
    "imgur_kit.sandbox",
    "ipywidgets",
    "IPython",
)


def loaded_after(code: str, candidates) -> list[str]:
    """Which of ``candidates`` a fresh interpreter has loaded after running ``code``."""
    probe = f"import sys\n{code}\nprint(repr([m for m in {list(candidates)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return ast.literal_eval(out.stdout.strip())


def test_importing_the_package_loads_only_the_exception_classes():
    assert loaded_after("import imgur_kit", DEFERRED_BY_THE_ROOT) == []


def test_the_client_does_not_load_what_only_uploads_and_saving_need():
    assert loaded_after("from imgur_kit import ImgurClient, Credentials", DEFERRED_BY_THE_CLIENT) == []


def test_a_public_name_loads_its_module_when_first_used():
    code = "import imgur_kit\nimgur_kit.ImgurClient\nimgur_kit.oauth.authorize_url"
    assert loaded_after(code, ["imgur_kit.client", "imgur_kit.oauth", "requests"]) == [
        "imgur_kit.client",
        "imgur_kit.oauth",
        "requests",
    ]


def test_every_public_name_is_listed_by_dir_and_an_unknown_one_is_refused():
    assert set(imgur_kit.__all__) <= set(dir(imgur_kit))
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchThing'"):
        _ = imgur_kit.NoSuchThing
