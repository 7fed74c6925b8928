"""Gallery search: ``q`` with its operators, and the advanced ``q_*`` fields.

As Imgur's docs describe it: words in ``q`` must all appear (title, description, tags,
author), ``OR`` between two words accepts either, ``NOT word`` or ``-word`` excludes,
``"a phrase"`` must appear as written, and ``tag:``, ``user:``, ``title:``, ``ext:``
look in one place. When any advanced field is set (``q_all``, ``q_any``,
``q_exactly``, ``q_not``, ``q_type``, ``q_size_px``), ``q`` is ignored.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from .gallery import Entry

ADVANCED = ("q_all", "q_any", "q_exactly", "q_not", "q_type", "q_size_px")
#: q_size_px: the band the longest side of the picture falls in, in pixels (above low, at most high).
SIZES = {"small": (0, 500), "med": (500, 2000), "big": (2000, 5000), "lrg": (5000, 10000), "huge": (10000, None)}


def _text(entry: Entry) -> str:
    return " ".join([entry.title, entry.description or "", " ".join(entry.tags), entry.author]).lower()


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote: read the words as they are
        return text.split()


def _term(entry: Entry, term: str) -> bool:
    field, _, value = term.partition(":")
    value = value.lower()
    if value and field.lower() == "tag":
        return value in entry.tags
    if value and field.lower() == "user":
        return entry.author.lower() == value
    if value and field.lower() == "title":
        return value in entry.title.lower()
    if value and field.lower() == "ext":
        return any(p.type.endswith(value.replace("jpg", "jpeg")) for p in entry.pictures)
    return term.lower() in _text(entry)


def matches_q(entry: Entry, q: str) -> bool:
    """Whether ``entry`` answers the search ``q`` (see the module docstring)."""
    words = _words(q)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "NOT" and i + 1 < len(words):
            if _term(entry, words[i + 1]):
                return False
            i += 2
            continue
        if word.startswith("-") and len(word) > 1:
            if _term(entry, word[1:]):
                return False
            i += 1
            continue
        alternatives = [word]
        while i + 2 < len(words) and words[i + 1] == "OR":
            alternatives.append(words[i + 2])
            i += 2
        if word not in ("AND", "OR") and not any(_term(entry, a) for a in alternatives):
            return False
        i += 1
    return True


def _type_of(entry: Entry) -> str:
    if entry.is_album:
        return "album"
    picture = entry.pictures[0]
    if picture.type == "image/gif":
        return "anigif" if picture.animated else "gif"
    return {"image/jpeg": "jpg", "image/png": "png"}.get(picture.type, picture.type.rsplit("/", 1)[-1])


def matches_advanced(entry: Entry, fields: Mapping[str, str]) -> bool:
    """Whether ``entry`` answers every advanced field that is set."""
    text = _text(entry)
    if fields.get("q_all") and not all(w.lower() in text for w in fields["q_all"].split()):
        return False
    if fields.get("q_any") and not any(w.lower() in text for w in fields["q_any"].split()):
        return False
    if fields.get("q_exactly") and fields["q_exactly"].lower() not in text:
        return False
    if fields.get("q_not") and any(w.lower() in text for w in fields["q_not"].split()):
        return False
    if fields.get("q_type") and _type_of(entry) != fields["q_type"].lower():
        return False
    size = fields.get("q_size_px")
    if size and size.lower() in SIZES:
        low, high = SIZES[size.lower()]
        longest = max(max(p.width, p.height) for p in entry.pictures)
        if longest <= low or (high is not None and longest > high):
            return False
    return True


def advanced_fields(query: Mapping[str, list[str]]) -> dict[str, str]:
    """The advanced fields that are set (non-empty) in a query."""
    return {name: query[name][0] for name in ADVANCED if query.get(name) and query[name][0].strip()}


def is_search_text(value: str) -> bool:
    """Whether ``value`` holds anything to search for."""
    return bool(re.sub(r"\s+", "", value))
