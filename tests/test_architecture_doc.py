"""docs/architecture.md matches the code: every name of its vocabulary resolves, and every file it
names exists. A rename that forgets the map fails here, not in a new maintainer's first hour."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import imgur_kit

REPOSITORY = Path(__file__).resolve().parent.parent
DOCUMENT = (REPOSITORY / "docs" / "architecture.md").read_text(encoding="utf-8")
VOCABULARY = DOCUMENT.split("## Words used in the code")[1].split("\n## ")[0]
#: A code name in backticks: dotted, optionally called, e.g. `Session.store_token`, `ImgurClient(http=...)`.
CODE = re.compile(r"^(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\((?P<args>[^()]*)\))?$")


def _roots() -> dict[str, object]:
    """What a name in the document may start with: imgur_kit's modules by their path below the
    package (``steps``, ``steps.where``, ``sandbox``...), their public classes, and ``kit``."""
    roots: dict[str, object] = {"imgur_kit": imgur_kit, "requests": importlib.import_module("requests")}
    for info in pkgutil.walk_packages(imgur_kit.__path__, "imgur_kit."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        roots[info.name.removeprefix("imgur_kit.")] = module
        for name, value in vars(module).items():
            if inspect.isclass(value) and not name.startswith("_") and value.__module__.startswith("imgur_kit"):
                roots.setdefault(name, value)
    roots["kit"] = roots["Session"]
    return roots


def _defined_names() -> set[str]:
    """Every function, method and class name defined in the package (for a bare ``update()``)."""
    names = set()
    for path in (REPOSITORY / "imgur_kit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names


def _set_in_init(cls: type, name: str) -> bool:
    source = inspect.getsource(cls.__init__) if "__init__" in vars(cls) else ""
    return re.search(rf"\bself\.{name}\b[^=\n]*=(?!=)", source) is not None


def resolve(text: str, roots: dict[str, object], defined: set[str]) -> str:
    """ "" when ``text`` names something that exists (with the keyword arguments it shows), else why not."""
    match = CODE.match(text)
    assert match, text
    parts = match["name"].split(".")
    if len(parts) == 1 and parts[0] not in roots:
        return "" if parts[0] in defined else f"{text}: nothing of that name is defined"
    target = roots.get(parts[0])
    if target is None:
        return f"{text}: {parts[0]} is neither a module of imgur_kit nor one of its classes"
    for part in parts[1:]:
        if inspect.isclass(target) and not hasattr(target, part) and _set_in_init(target, part):
            return ""  # an attribute each instance gets in __init__
        if not hasattr(target, part):
            return f"{text}: {part} is not in {parts[0]}"
        target = getattr(target, part)
    for keyword in re.findall(r"(\w+)=", match["args"] or ""):
        if keyword not in inspect.signature(target).parameters:
            return f"{text}: {match['name']} takes no {keyword}="
    return ""


def code_names(section: str) -> list[str]:
    """The backticked code names of ``section`` (addresses, sample text and patterns left out)."""
    found = []
    for text in re.findall(r"`([^`]+)`", section):
        match = CODE.match(text)
        if match and (match["args"] is not None or "." in text or text[0].isupper()):
            found.append(text)
    return found


def test_every_name_of_the_vocabulary_is_in_the_code():
    roots, defined = _roots(), _defined_names()
    names = code_names(VOCABULARY)
    assert len(names) > 30, names
    missing = [why for why in (resolve(name, roots, defined) for name in names) if why]
    assert not missing, "docs/architecture.md names what the code does not have:\n" + "\n".join(missing)


def test_every_file_the_document_names_exists():
    files = {path.relative_to(REPOSITORY).as_posix() for path in REPOSITORY.rglob("*.py") if ".venv" not in path.parts}
    named = set(re.findall(r"`([\w/.-]+\.py)", DOCUMENT))
    assert len(named) > 20, named
    missing = sorted(name for name in named if not any(f == name or f.endswith("/" + name) for f in files))
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Session.store_token", ""),
        ("ImgurClient(credentials=...)", ""),
        ("Session.environment", ""),
        ("Session.no_such_thing", "no_such_thing is not in Session"),
        ("ImgurClient(nonsense=...)", "takes no nonsense="),
        ("nowhere.thing", "neither a module"),
        ("vanished()", "nothing of that name"),
    ],
)
def test_the_resolver_tells_a_real_name_from_a_stale_one(text, problem):
    why = resolve(text, _roots(), _defined_names())
    assert (problem in why) if problem else why == "", why
