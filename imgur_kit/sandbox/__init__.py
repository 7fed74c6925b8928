"""A faithful local Imgur: registration form, OAuth pages, token endpoint and the /3/ API.

An independent oracle: standard library only, and nothing imported from the
rest of imgur_kit, so a misunderstanding cannot hide in both the client and
the sandbox. See ``Sandbox`` for the helpers and ``serve`` for the command line.

Where things are: ``routes.py`` lists every page and endpoint (a new one is a
line there, its handler in ``api_*.py``, ``oauth_*.py`` or ``site_pages.py``);
``state.py`` (with ``media_state.py`` and ``social_state.py``) holds what the sandbox
remembers, reached only through its methods;
``server.py`` speaks HTTP (Host check, bounded bodies, safe headers), reading
bodies a piece at a time (``bodies.py``) into forms (``forms.py``) whose large
values go to files as they arrive (``spool.py``);
``caller.py`` says who a /3/ request speaks for; ``faults.py`` and
``fault_pages.py`` imitate the live service's bad days; ``persistence.py``,
``blobs.py``, ``spool.py`` and ``address.py`` are the only modules that touch its files
(``files.py`` holds the safe ways to open and write one).
"""

from .errors import SandboxError, StateFolderWarning
from .models import App
from .sandbox import SANDBOX_PORT, Sandbox, serve

__all__ = ["App", "SANDBOX_PORT", "Sandbox", "SandboxError", "StateFolderWarning", "serve"]
