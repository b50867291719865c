"""The catalog as last parsed, kept by its SHA-256 (``build/.cache/catalog.json``).

Parsing a catalog of 1,000 documents with ``tomllib`` and finding each entry's line took
half of ``convert --changed`` when nothing had changed (0.3 s; issue 18). What TOML gave and
the checks made of it depend only on the catalog's bytes and on the code that reads them,
so the entries of a catalog that had no problem are kept under a key made of both (with the
folder of the sources and the cmctei and Python versions); a catalog with any problem is
never kept, so its messages always come from a fresh parse.

The record is read back as untrusted, like any file in build/: it is used only if it is
JSON of the shape written, under this very key, names exactly the documents the catalog
declares (each ``[documents.<docid>]`` table, in order, at its line: a catalog declared in
another form is never kept), and every entry in it passes the checks a fresh parse makes
(:func:`cmctei.convert.catalog.checked_entry`: docid, keys, values, and the source a regular
file inside the sources folder, which is asked of the file system again each run). On any
doubt the catalog is parsed afresh, and what that says is what the user sees. (What cannot
be checked without parsing is that each value is the catalog's: a record forged under the
right key with other values that pass the checks is believed, as the validation record is.)
A record that cannot be written costs time next run, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from cmctei import __version__
from cmctei.atomic import write_atomic
from cmctei.convert import catalog as cat
from cmctei.xmlio import CannotRead, read_bytes

# 2: the tables' keys in the catalog's order. Format 1 wrote them sorted, and the header joins
# some in that order (recording = { tape, collection, repository } is one line of the
# master): a master converted from the record differed from one converted from a fresh parse.
FORMAT = 2
_FIELDS = ("genre", "translator", "language", "published", "archive", "recording", "book", "overrides")
_CODE = ("catalog.py", "catalog_values.py")  # what turns the catalog's bytes into entries


class _Doubt(Exception):
    """The record cannot be used as it is."""


def load(path: Path, record: Path | None, sources_dir: Path | None = None,
         problems: list[cat.CatalogError] | None = None) -> list[cat.Entry]:
    """:func:`cmctei.convert.catalog.load`, answered from ``record`` when it holds this catalog's
    entries, else parsed and then kept there (``record`` None: no record). ``problems``: as
    :func:`cmctei.convert.catalog.parse` takes it; a catalog with any is not kept."""
    sources_dir = (sources_dir or path.parent).resolve()
    raw = cat.read(path)
    key = _key(raw, sources_dir) if record is not None else None
    declared = _declared(raw) if key is not None else None
    if record is not None and key is not None and declared is not None:
        entries = _recalled(record, key, sources_dir, declared)
        if entries is not None:
            return entries
    found: list[cat.CatalogError] = []
    entries = cat.parse(raw, path, sources_dir, found if problems is not None else None)
    if problems is not None:
        problems.extend(found)
    if record is not None and key is not None and declared is not None and not found:
        _keep(record, key, entries, sources_dir, declared)
    return entries


def _declared(raw: bytes) -> list[tuple[str, int]] | None:
    """Each ``[documents.<docid>]`` table of the catalog and its line, in order (a table
    declared twice: its first line). A record must name exactly these documents at these
    lines: one that adds, drops, reorders or moves a document is not used. A catalog whose
    documents are not all declared so (sub-tables, inline tables) is never kept."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip(" \t").startswith("["):
            m = cat.TABLE_LINE.match(line)
            if m:
                found.setdefault(m.group(2), number)
    return list(found.items())


def _key(raw: bytes, sources_dir: Path) -> str | None:
    """What the entries are a function of: the catalog's bytes, the code that reads them, the
    sources folder, the versions (None if the code cannot be read: then nothing is kept)."""
    digest = hashlib.sha256(f"catalog {FORMAT} cmctei {__version__} python {sys.version}\n{sources_dir}\n"
                            .encode("utf-8", "surrogateescape"))
    try:
        for name in _CODE:
            digest.update(Path(cat.__file__).with_name(name).read_bytes())
    except OSError:
        return None
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _table(entry: cat.Entry) -> dict:
    """The entry as the catalog's table, its values checked and normal."""
    table: dict = {"source": entry.source_name}
    for name in _FIELDS:
        value = getattr(entry, name)
        if value is not None and value != {}:  # an empty section is an absent one
            table[name] = value
    return table


def _ordered(entry: cat.Entry) -> str:
    """The entry's table as JSON, its keys in their order: ``==`` on dicts ignores the order,
    which the master's header follows."""
    return json.dumps(_table(entry), ensure_ascii=False)


def _keep(record: Path, key: str, entries: list[cat.Entry], sources_dir: Path,
          declared: list[tuple[str, int]]) -> None:
    """Keep ``entries`` in ``record`` if reading them back gives them exactly (else keep nothing)."""
    documents = [[entry.docid, entry.line, _table(entry)] for entry in entries]
    data = {"format": FORMAT, "key": key, "documents": documents}
    text = json.dumps(data, ensure_ascii=False)  # not sort_keys: the order of a table's keys is kept
    recalled = _entries(json.loads(text), key, sources_dir, declared)
    if recalled is None or recalled != entries or [_ordered(e) for e in recalled] != [_ordered(e) for e in entries]:
        return
    try:
        write_atomic(record, text.encode("utf-8"), durable=False)
    except OSError:
        pass


def _recalled(record: Path, key: str, sources_dir: Path, declared: list[tuple[str, int]]) -> list[cat.Entry] | None:
    """The entries kept in ``record`` under ``key``, each checked again; None if there are none
    or anything is amiss."""
    try:
        data = json.loads(read_bytes(record).decode("utf-8"))
    except (CannotRead, ValueError, RecursionError):
        return None
    return _entries(data, key, sources_dir, declared)


def _entries(data: object, key: str, sources_dir: Path, declared: list[tuple[str, int]]) -> list[cat.Entry] | None:
    """The entries of a record's ``data``, each checked as a parse checks it, the documents
    those ``declared`` in the catalog; None on any doubt."""
    if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key
            and isinstance(data.get("documents"), list) and len(data["documents"]) == len(declared)):
        return None

    def doubt(*_: object) -> cat.CatalogError:
        raise _Doubt  # at the first problem: the catalog is parsed, and says where it is

    files = cat.regular_files(sources_dir)
    entries, seen, met = [], set(), {}
    try:
        for item, place in zip(data["documents"], declared):
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                    and type(item[1]) is int and (item[0], item[1]) == place and isinstance(item[2], dict)
                    and item[0] not in seen):
                return None
            docid, line, table = item
            seen.add(docid)
            entry = cat.checked_entry(docid, table, line, sources_dir, files, doubt)
            cat.check_case(docid, line, met, doubt)
            if _ordered(entry) != json.dumps(table, ensure_ascii=False):  # not as a parse gives it, keys in order
                return None
            entries.append(entry)
    except Exception:  # noqa: BLE001 -- _Doubt, or any value a parse never gives: parse
        return None
    return entries
