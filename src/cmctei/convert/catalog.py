"""The catalog of sources (``sources/catalog.toml``): what the text cannot say.

One table per document, keyed by its docid::

    [documents.dobrynin-telegram-1962-10-27]
    source = "dobrynin-telegram-1962-10-27.txt"   # relative to sources/
    genre = "telegram"                            # only when the text does not show it
    translator = "..."                            # translations
    language = "ru"                               # the original's language
    published = { series = "...", volume = "XI", document = "96", ... }
    archive = { repository = "...", collection = "...", box = "...", idno = "..." }
    recording = { tape = "Tape 58", collection = "..." }
    book = { title = "...", author = "...", publisher = "...", place = "...", year = "...", pages = "..." }
    overrides = { date = "1962-10-30", title = "...", recipient = "rusk", speakers = { "Tommy" = "thompson" } }

TOML itself refuses duplicate docids. Everything else is checked here and
reported as ``catalog.toml:line:col: message``: unknown keys (typos), docids
that could escape ``tei/`` (``/``, ``..``), sources outside ``sources/`` or
missing, unknown genres, dates that are not ISO.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cmctei.convert import marks

GENRES = ("memorandum", "telegram", "transcript", "summary-record", "chapter")
DOCID = re.compile(r"^[a-z][a-z0-9._-]{0,99}$")  # also a valid xml:id
ENTRY_KEYS = {"source", "genre", "translator", "language", "published", "archive", "recording", "book", "overrides"}
SECTION_KEYS = {
    "published": {"series", "volume", "volume_title", "document", "title", "editors", "publisher", "place", "year", "pages"},
    "archive": {"repository", "collection", "series", "box", "folder", "idno", "settlement", "institution"},
    "recording": {"tape", "collection", "repository", "date"},
    "book": {"title", "author", "chapter", "publisher", "place", "year", "pages"},
    "overrides": {"date", "title", "sender", "recipient", "classification", "speakers", "signed"},
}


class CatalogError(Exception):
    """A located problem in the catalog (message already carries path:line:col)."""


@dataclass
class Entry:
    docid: str
    source: Path
    source_name: str
    line: int
    genre: str | None = None
    translator: str | None = None
    language: str | None = None
    published: dict = field(default_factory=dict)
    archive: dict = field(default_factory=dict)
    recording: dict = field(default_factory=dict)
    book: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A stable text of the entry, so a catalog change triggers reconversion."""
        import json

        data = {k: getattr(self, k) for k in ("genre", "translator", "language", "published", "archive",
                                                "recording", "book", "overrides")}
        data["source"] = self.source_name
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


_TABLE_LINE = re.compile(r"^[ \t]*\[documents\.(\"?)([^\]\"]+)\1\]")
_KEY_LINE = re.compile(r"^[ \t]*(\"?)([^\"=\s]+)\1[ \t]*=")


def _line_index(text: str) -> dict[str, int]:
    """Where each document is declared: the line of its ``[documents.<docid>]`` table, else of
    a ``<docid> = {...}`` key. One pass over the catalog (a search per entry was quadratic in
    the number of documents: 10,000 entries took minutes)."""
    tables: dict[str, int] = {}
    keys: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        m = _TABLE_LINE.match(line)
        if m:
            tables.setdefault(m.group(2), number)
            continue
        m = _KEY_LINE.match(line)
        if m:
            keys.setdefault(m.group(2), number)
    return {**keys, **tables}


def load(path: Path, sources_dir: Path | None = None) -> list[Entry]:
    """Read and check the catalog; raise :class:`CatalogError` on the first problem."""
    sources_dir = (sources_dir or path.parent).resolve()
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{shown}:0:0: cannot read the catalog: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{shown}:{line}:1: the catalog is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (m.group(1), m.group(2)) if m else ("1", "1")
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise CatalogError(f"{shown}:{line}:{col}: not valid TOML: {message}") from exc

    unknown_top = set(data) - {"documents"}
    if unknown_top:
        raise CatalogError(f"{shown}:1:1: unknown top-level key(s): {', '.join(sorted(unknown_top))} "
                           "(documents go in [documents.<docid>] tables)")
    documents = data.get("documents", {})
    if not isinstance(documents, dict):
        raise CatalogError(f"{shown}:1:1: 'documents' must be a table of [documents.<docid>] entries")

    entries = []
    lines = _line_index(text)
    for docid, table in documents.items():
        line = lines.get(docid, 1)

        def fail(message: str) -> CatalogError:
            return CatalogError(f"{shown}:{line}:1: [documents.{docid}] {message}")

        if not DOCID.match(docid):
            raise fail("the docid must start with a lowercase letter, then letters, digits, '.', '_' or '-' "
                       "(no '/', no '..', at most 100 characters): it becomes tei/<docid>.xml and TEI/@xml:id")
        if ".." in docid:
            raise fail("the docid must not contain '..'")
        if not isinstance(table, dict):
            raise fail("must be a table")
        unknown = set(table) - ENTRY_KEYS
        if unknown:
            raise fail(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(ENTRY_KEYS))}")
        source = table.get("source")
        if not isinstance(source, str) or not source.strip():
            raise fail("needs source = \"<file in sources/>\"")
        candidate = (sources_dir / source).resolve()
        if not candidate.is_relative_to(sources_dir):
            raise fail(f"the source {source!r} is outside {sources_dir}")
        if not candidate.is_file():
            raise fail(f"the source file {source!r} does not exist in {sources_dir}")
        genre = table.get("genre")
        if genre is not None and genre not in GENRES:
            raise fail(f"unknown genre {genre!r}; known genres: {', '.join(GENRES)}")
        for section, keys in SECTION_KEYS.items():
            value = table.get(section, {})
            if not isinstance(value, dict):
                raise fail(f"{section} must be a table")
            extra = set(value) - keys
            if extra:
                raise fail(f"unknown key(s) in {section}: {', '.join(sorted(extra))}; allowed: {', '.join(sorted(keys))}")
        overrides = table.get("overrides", {})
        if "date" in overrides:
            overrides = dict(overrides)
            overrides["date"] = str(overrides["date"])  # TOML may give a date value
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", overrides["date"]):
                    raise ValueError
                date.fromisoformat(overrides["date"])
            except ValueError as exc:
                raise fail(f"overrides.date {overrides['date']!r} is not an ISO date (YYYY-MM-DD)") from exc
        if "speakers" in overrides and not isinstance(overrides["speakers"], dict):
            raise fail("overrides.speakers must map printed labels to register ids")
        if "classification" in overrides and overrides["classification"] not in marks.vocabulary().rank:
            raise fail(f"overrides.classification {overrides['classification']!r} is not a classification level")
        entries.append(Entry(
            docid=docid, source=candidate, source_name=source, line=line, genre=genre,
            translator=table.get("translator"), language=table.get("language"),
            published=dict(table.get("published", {})), archive=dict(table.get("archive", {})),
            recording=dict(table.get("recording", {})), book=dict(table.get("book", {})),
            overrides=dict(overrides),
        ))
    return entries
