"""A faithful local Imgur: registration form, OAuth pages, token endpoint and the /3/ API.

An independent oracle: standard library only, and nothing imported from the
rest of imgur_kit, so a misunderstanding cannot hide in both the client and
the sandbox. See ``Sandbox`` for the helpers and ``serve`` for the command line.
"""

from .errors import SandboxError
from .models import App
from .sandbox import Sandbox, serve

__all__ = ["App", "Sandbox", "SandboxError", "serve"]
