"""What each value of a catalog entry may be, and where a key stands in the catalog's text.

The catalog is typed by hand, and TOML lets any key hold any type: ``translator = 5``,
``editors = [1, 2]``, ``title = { a = 1 }``, a string with a NUL in it. Each of these used
to end the run with an internal error, or worse, be taken apart silently
(``editors = "Timothy Naftali"`` became fifteen one-letter editors). The kinds below say
what every key holds; a value of another kind is an error at the key's own line.

Kinds (documented data, not code paths):

=============  ==============================================================
``text``       a string XML can hold (no control characters but tab and
               line breaks)
``number``     text, or a whole number (``year = 1996``, ``volume = 4``)
``names``      a list of texts; a single text is one name, not a list of
               letters
``date``       an ISO date, as text or as a TOML date
``genre``      one of the genres
``language``   a language code (``ru``, ``de``, ``zh-Hant``)
``level``      a classification level
``speakers``   a table of printed labels to register ids (texts)
``flag``       text or true/false (accepted, not used)
=============  ==============================================================
"""

from __future__ import annotations

import datetime
import functools
import re
from difflib import get_close_matches

from cmctei.convert.catalog import GENRES


@functools.cache
def levels() -> tuple[str, ...]:
    """The classification levels of data/marks.toml, highest first, and "unmarked": read when a
    catalog gives one (reading the vocabularies was most of checking a cached catalog, issue 18)."""
    from cmctei.convert import marks

    return tuple(level.code for level in marks.vocabulary().levels) + ("unmarked",)


ENTRY = {"source": "text", "genre": "genre", "translator": "text", "language": "language",
         "published": "table", "archive": "table", "recording": "table", "book": "table", "overrides": "table"}
SECTIONS = {
    "published": {"series": "text", "volume": "number", "volume_title": "text", "document": "number",
                  "title": "text", "editors": "names", "publisher": "text", "place": "text", "year": "number",
                  "pages": "number"},
    "archive": {"repository": "text", "collection": "text", "series": "text", "box": "number", "folder": "number",
                "idno": "number", "settlement": "text", "institution": "text"},
    "recording": {"tape": "number", "collection": "text", "repository": "text", "date": "date"},
    "book": {"title": "text", "author": "text", "chapter": "text", "publisher": "text", "place": "text",
             "year": "number", "pages": "number"},
    "overrides": {"date": "date", "title": "text", "sender": "text", "recipient": "text", "classification": "level",
                  "speakers": "speakers", "signed": "flag"},
}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_WORDS = {"text": "text in quotes", "number": "text or a whole number", "names": "a list of names in quotes",
          "date": "a date (YYYY-MM-DD)", "genre": "one of " + ", ".join(GENRES),
          "language": "a language code such as \"ru\"",
          "speakers": "a table of printed labels to register ids", "flag": "text or true/false",
          "table": "a table ({ key = \"value\", … })"}


class BadValue(ValueError):
    """A value of the wrong kind; the message says what was expected."""


def _kind_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {str: "text", int: "a whole number", float: "a decimal number", dict: "a table", list: "a list",
            datetime.date: "a date", datetime.datetime: "a date and time",
            datetime.time: "a time"}.get(type(value), type(value).__name__)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise BadValue(f"{what} must be {_WORDS['text']}, not {_kind_name(value)}")
    bad = _NOT_XML.search(value)
    if bad:
        raise BadValue(f"{what} holds the control character U+{ord(bad.group()):04X}, which XML cannot hold")
    return value


def check(kind: str, value: object, what: str) -> object:
    """``value`` if it is of ``kind`` (normalised: one name becomes a list of one); else :class:`BadValue`."""
    if kind == "text":
        return _text(value, what)
    if kind == "number":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            return _text(value, what)
        raise BadValue(f"{what} must be {_WORDS[kind]}, not {_kind_name(value)}")
    if kind == "names":
        if isinstance(value, str):
            return [_text(value, what)]  # one name, not a list of its letters
        if not isinstance(value, list):
            raise BadValue(f"{what} must be {_WORDS[kind]}, not {_kind_name(value)}")
        return [_text(name, f"each of {what}") for name in value]
    if kind == "date":
        text = value.isoformat() if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) \
            else value
        if not isinstance(text, str):
            raise BadValue(f"{what} must be {_WORDS[kind]}, not {_kind_name(value)}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise BadValue(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)")
        try:
            datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise BadValue(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from exc
        return text
    if kind == "genre":
        if value not in GENRES or not isinstance(value, str):
            raise BadValue(f"unknown genre {value!r}; known genres: {', '.join(GENRES)}")
        return value
    if kind == "language":
        if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
            raise BadValue(f"{what} {value!r} is not {_WORDS[kind]}")
        return value
    if kind == "level":
        if value not in levels() or not isinstance(value, str):
            raise BadValue(f"{what} {value!r} is not a classification level ({', '.join(levels())})")
        return value
    if kind == "speakers":
        if not isinstance(value, dict):
            raise BadValue(f"{what} must map printed labels to register ids, not {_kind_name(value)}")
        return {_text(label, f"a label of {what}"): _text(pid, f"{what}.{label}") for label, pid in value.items()}
    if kind == "flag":
        if isinstance(value, bool):
            return value
        return _text(value, what)
    if kind == "table":
        if not isinstance(value, dict):
            raise BadValue(f"{what} must be {_WORDS[kind]}, not {_kind_name(value)}")
        return value
    raise AssertionError(kind)


def unknown(keys: set[str], allowed: set[str] | dict[str, str]) -> str:
    """The message for keys that are not allowed, with a suggestion for a near miss."""
    parts = []
    for key in sorted(keys):
        near = get_close_matches(key, list(allowed), n=1, cutoff=0.7)
        parts.append(f"{key} (did you mean {near[0]}?)" if near else key)
    return f"unknown key(s) {', '.join(parts)}; allowed: {', '.join(sorted(allowed))}"


# ---------------------------------------------------------------- where a key stands

_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")


def _header_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", text))


def key_place(lines: list[str], entry_line: int, docid: str, path: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the key ``path`` (``("published", "editors")``) of the entry that
    starts at ``entry_line``; the entry's own line when the key cannot be found.

    The entry is written as a ``[documents.<docid>]`` table, perhaps with sub-tables
    (``[documents.<docid>.published]``), or inline on one line; a key may be inline
    (``published = { editors = … }``) or dotted (``published.editors = …``). This is a
    search of the text, not a second TOML parser: good enough to point at a line.
    """
    index = entry_line - 1
    if not 0 <= index < len(lines):
        return entry_line, 1
    block = [index]
    if _HEADER.match(lines[index]):
        for number in range(index + 1, len(lines)):
            header = _HEADER.match(lines[number])
            if header and _header_path(header.group(1))[:2] != ("documents", docid):
                break
            block.append(number)
    section: tuple[str, ...] = ()
    best: tuple[int, int] | None = None
    for number in block:
        line = lines[number]
        header = _HEADER.match(line)
        if header:
            section = _header_path(header.group(1))[2:]
            if section == path:
                return number + 1, line.index("[") + 1
            continue
        found = _find_key(line, path, section)
        if found is not None:
            return number + 1, found + 1
        if best is None and path[:1] and not section:
            start = _find_key(line, path[:1], ())
            if start is not None:
                best = (number + 1, start + 1)
    return best or (entry_line, 1)


def _find_key(line: str, path: tuple[str, ...], section: tuple[str, ...]) -> int | None:
    """The column (0-based) where ``path`` is assigned on this line, read under ``section``."""
    if tuple(section) == tuple(path[:len(section)]) and len(path) > len(section):
        rest = path[len(section):]
        quoted = [rf"(?:\"{re.escape(p)}\"|'{re.escape(p)}'|{re.escape(p)})" for p in rest]
        # dotted: published.editors = …
        m = re.search(r"(?:^|[\s{,])(" + r"\s*\.\s*".join(quoted) + r")\s*=", line)
        if m:
            return m.start(1)
        # inline: published = { …, editors = … }
        if len(rest) >= 2:
            m = re.search(r"(?:^|[\s{,])" + quoted[0] + r"\s*=\s*\{", line)
            if m:
                inner = re.search(r"(?:^|[\s{,])(" + quoted[-1] + r")\s*=", line[m.end():])
                if inner:
                    return m.end() + inner.start(1)
    return None


def deep_nesting_line(text: str, limit: int = 100) -> int:
    """The line where arrays and inline tables first nest deeper than ``limit`` (for a catalog
    the TOML reader could not read for its depth); 1 if none is found."""
    depth, line, quote = 0, 1, ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
            if quote in ("\"", "'"):
                quote = ""
        elif quote:
            if char == "\\" and quote == "\"":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end - 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return 1
