"""The import rule of docs/architecture.md ("Layers"), held by reading every module's imports.

Imports point down only: errors <- pasted, responses <- tokens, transport <- credentials, oauth
<- client, postman <- preflight <- session <- notebook, widgets <- quick_login <- __main__. The sandbox
is an independent oracle and imports nothing else from imgur_kit, so a misunderstanding cannot hide in both.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import committed
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "imgur_kit"

# Lower rank = lower layer. A module may import only strictly lower layers
# (and its own sub-package).
RANK = {
    "errors": 0,
    "dependencies": 0,  # standard library only: does this Python have the kit's packages?
    "screen": 0,  # outside text made safe to show: no control codes, links only to the web
    "redaction": 0,  # secrets out of any text the kit shows
    "wording": 0,  # numbers and lengths of time, read and said one way
    "answer_text": 0,  # the body of an answer as text: bounded, decoded, an HTML page's words
    "pasted": 1,  # what a person pastes: cleaning, Client ID checks, SETTINGS_URL
    "api": 1,  # the API's requests grouped as the docs group them, and typed models; over a Requester
    "rate_limits": 1,  # the rate-limit meter
    "uploads": 1,  # what may be uploaded: a regular file in a format Imgur takes
    "responses": 2,  # reads answers; uses pasted's SETTINGS_URL
    "tokens": 2,
    "addresses": 3,  # base URLs, loopback, no secret in clear text
    "credentials": 3,
    "transport": 4,  # the HTTP pool, deadlines, retries, the one send path
    "arguments": 4,  # what a caller hands the client, checked where it enters
    "api_auth": 5,  # which Authorization header goes to which origin
    "oauth": 5,
    "client": 6,
    "postman": 6,
    "__init__": 7,  # the package root re-exports the core (up to client), so only layers above may use it
    "preflight": 7,
    "steps": 8,  # the application layer: the mode rule, the Session, the journey's steps, plain logic of the front ends
    "notebook": 9,  # Jupyter specifics
    "widgets": 9,  # ipywidgets front ends; beside notebook, neither imports the other
    "terminal_capture": 10,  # the terminal's sign-in answer: the redirect caught, or a hidden paste
    "quick_login": 11,  # imgur_kit.login(): the widget in a notebook, prompts in a terminal
    "__main__": 12,
    "pytest_plugin": 12,  # the sandbox as a test double for other projects' suites (a pytest11 entry point)
}
KNOWN = set(RANK) | {"sandbox"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def imported_layers(path: Path) -> set[str]:
    """The imgur_kit layers a file imports, resolving relative imports."""
    package_parts = ["imgur_kit", *path.relative_to(PACKAGE).parent.parts]
    return layers_in_source(path.read_text(encoding="utf-8"), package_parts)


def imported_names(source: str, package_parts: list[str]) -> list[list[str]]:
    """For each import statement of ``source`` (a module in ``package_parts``), anywhere in it, the
    dotted names it could load: ``from a import b`` gives ``a.b`` (a module, or a name of ``a``)."""
    statements = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            statements.append([alias.name for alias in node.names])
        elif isinstance(node, ast.ImportFrom):
            base = node.module.split(".") if node.module else []
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1] + base
            statements.append([".".join(base + [alias.name]) for alias in node.names])
    return statements


def layers_in_source(source: str, package_parts: list[str]) -> set[str]:
    """The imgur_kit layers named by the imports of ``source``, a module in ``package_parts``.

    ``from imgur_kit import X`` counts as layer X when X is a module, else as the
    package root (``__init__``), which re-exports names from the core layers.
    """
    found = set()
    for dotted in imported_names(source, package_parts):
        for name in dotted:
            parts = name.split(".")
            if parts[0] != "imgur_kit" or len(parts) < 2:
                continue
            found.add(parts[1] if parts[1] in KNOWN else "__init__")
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_only(path):
    layer = layer_of(path)
    imported = imported_layers(path) - {layer}
    if layer == "sandbox":
        assert not imported, f"the sandbox must not import {sorted(imported)} from imgur_kit"
        return
    assert layer in RANK, f"{path.name}: new module, give it a place in RANK and in docs/architecture.md"
    if "sandbox" in imported:
        # Only the application layer (and what stands on it) may start a sandbox.
        assert RANK[layer] >= RANK["steps"], f"{layer} must not depend on the sandbox"
    for name in imported - {"sandbox"}:
        assert RANK[name] < RANK[layer], f"{layer} imports {name}, which is not below it"


def test_ranks_are_whole_numbers():
    """A layer between two others gets its own whole rank: a fraction hides a module in the wrong place."""
    assert all(isinstance(rank, int) for rank in RANK.values()), RANK


def module_name(path: Path) -> str:
    """The dotted name of a module file of the package (a package is its ``__init__``)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_imported(source: str, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``source`` (module ``name``) imports anywhere, deferred ones too."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for dotted in imported_names(source, package):
        for target in dotted:
            # "from x import y" imports the module x.y when there is one, else a name of x.
            module = target if target in known else target.rpartition(".")[0]
            if module in known and module != name:
                found.add(module)
    return found


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (none, in a package without loops)."""
    loops: list[list[str]] = []
    for start in sorted(graph):
        if start in reachable(graph, start):
            loop = sorted(m for m in reachable(graph, start) if start in reachable(graph, m))
            if loop not in loops:
                loops.append(loop)
    return loops


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_no_import_loop_anywhere_in_the_package():
    """No module reaches itself through imports, deferred and type-checking ones included (the
    sandbox's route table and the handler that charges a route were one such loop)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    graph = {
        name: modules_imported(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", known)
        for name, path in files.items()
    }
    assert not import_loops(graph), import_loops(graph)


def test_the_loop_finder_sees_a_loop_through_a_deferred_import():
    known = {"imgur_kit.sandbox.api", "imgur_kit.sandbox.routes", "imgur_kit.sandbox.route"}
    routes = modules_imported("from . import api\n", "imgur_kit.sandbox.routes", False, known)
    api = modules_imported("if TYPE_CHECKING:\n    from .routes import Route\n", "imgur_kit.sandbox.api", False, known)
    graph = {"imgur_kit.sandbox.api": api, "imgur_kit.sandbox.routes": routes, "imgur_kit.sandbox.route": set()}
    assert import_loops(graph) == [["imgur_kit.sandbox.api", "imgur_kit.sandbox.routes"]]
    graph["imgur_kit.sandbox.api"] = {"imgur_kit.sandbox.route"}
    assert import_loops(graph) == []


def test_the_checker_reads_every_import_form():
    """Guard against a checker that silently finds nothing."""
    source = (
        "import imgur_kit.client\n"
        "from imgur_kit import tokens, Credentials\n"
        "from .oauth import refresh\n"
        "from . import errors\n"
        "from ..notebook import connect\n"
        "def later():\n    from imgur_kit.widgets import upload_panel\n"
    )
    in_widgets = layers_in_source(source, ["imgur_kit", "widgets"])
    assert in_widgets == {"client", "tokens", "__init__", "widgets", "notebook"}
    at_top = layers_in_source(source, ["imgur_kit"])
    assert at_top == {"client", "tokens", "__init__", "oauth", "errors", "widgets"}


def test_importing_the_package_stays_light():
    code = (
        "import sys, imgur_kit, imgur_kit.client, imgur_kit.oauth, imgur_kit.credentials;"
        "heavy = sorted(m for m in ('ipywidgets', 'IPython', 'ipykernel', 'jupyterlab') if m in sys.modules);"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing imgur_kit pulled in {out.stdout.strip()}"


def test_no_grab_bag_modules():
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "common"}


def test_package_root_reexports_only_the_core():
    """At import time the root takes only the exception classes; its other names come from the core
    on first use (named for type checkers under TYPE_CHECKING); ``login()`` reaches its front end when called."""
    import imgur_kit

    core = {"errors", "tokens", "credentials", "oauth", "client"}
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    top_level = ast.Module(
        body=[node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))], type_ignores=[]
    )
    assert layers_in_source(ast.unparse(top_level), ["imgur_kit"]) == {"errors"}
    on_first_use = {module.split(".")[1] for module in imgur_kit._LAZY_NAMES.values()}
    assert on_first_use <= core, on_first_use
    assert imported_layers(PACKAGE / "__init__.py") - core == {"quick_login"}


def test_widgets_and_notebook_stand_side_by_side_on_the_steps():
    """Both front ends take their steps from the application layer, never from each other."""
    for path in (PACKAGE / "widgets").rglob("*.py"):
        assert "notebook" not in imported_layers(path), path.name
    assert "widgets" not in imported_layers(PACKAGE / "notebook.py")


FILE_WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|os\.replace\(|mkstemp\(|os\.open\(|\.unlink\(|"
    r"\.mkdir\(|\bopen\([^)]*['\"][wax+]"
)


#: The modules allowed to touch the file system: the one atomic 0600 writer, and the store,
#: which moves a damaged file aside before writing a fresh one through that writer.
FILE_WRITERS = {"credentials/files.py", "credentials/store.py"}


def test_only_the_credentials_files_module_writes_files():
    """Every file the kit keeps goes through credentials/files.py (0600, atomic); the sandbox,
    an independent program, keeps its own state."""
    writers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if FILE_WRITES.search(path.read_text(encoding="utf-8"))
    }
    assert {w for w in writers if not w.startswith("sandbox/")} == FILE_WRITERS


def test_the_file_write_pattern_sees_each_form():
    for line in [
        'p.write_text("x")',
        "os.replace(a, b)",
        'open(path, "w")',
        "open(p, mode='ab')",
        "path.parent.mkdir(parents=True)",
        "os.open(tmp, flags, 0o600)",
    ]:
        assert FILE_WRITES.search(line), line
    assert not FILE_WRITES.search('open(path, "rb")') and not FILE_WRITES.search("p.read_text()")


REPOSITORY = PACKAGE.parent


def test_the_architecture_document_names_every_layer():
    """docs/architecture.md draws the layers; a module added to RANK must appear there too."""
    layers = (REPOSITORY / "docs" / "architecture.md").read_text(encoding="utf-8").split("## What happens")[0]
    missing = [name for name in RANK if name != "__init__" and not re.search(rf"\b{re.escape(name)}\b", layers)]
    assert not missing, f"docs/architecture.md does not show {missing}"


def test_no_file_points_outside_the_repository():
    """The project's documents are its own: no pointer to notes kept beside the checkout."""
    names = ("design" + ".md", "imgur-api" + ".md", "../" + "shared")  # split, so this file does not match
    outside = re.compile("|".join(re.escape(name) for name in names))
    files = [
        p for pattern in ("imgur_kit/**/*.py", "tests/**/*.py", "docs/*.md", "*.md") for p in REPOSITORY.glob(pattern)
    ]
    assert len(files) > 50
    pointing = [str(p.relative_to(REPOSITORY)) for p in files if outside.search(p.read_text(encoding="utf-8"))]
    # The notebooks as committed (a person's saved run is theirs: tests/committed.py).
    pointing += [f"notebooks/{name}" for name in committed.names() if outside.search(committed.text(name))]
    assert not pointing, f"these files refer to documents outside the repository: {pointing}"
