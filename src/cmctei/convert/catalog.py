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

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmctei.paths import RESERVED_HELP, reserved_docid
from cmctei.paths import shown as shown_path

GENRES = ("memorandum", "telegram", "transcript", "summary-record", "chapter")
# A letter, then letters, digits, ".", "_" or "-": also a valid xml:id, and safe as a file name.
# Capitals are allowed: FRUS's own ids have them (frus1961-63v10-12mSupp-d516); two docids that
# differ only in case are refused instead (check_case).
DOCID = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,99}$")


class CatalogError(Exception):
    """A located problem in the catalog (message already carries path:line:col); ``docid``:
    the entry it is about, None for the catalog as a whole."""

    def __init__(self, message: str, docid: str | None = None) -> None:
        super().__init__(message)
        self.docid = docid


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


TABLE_LINE = re.compile(r"^[ \t]*\[documents\.(\"?)([^\]\"]+)\1\]")
_KEY_LINE = re.compile(r"^[ \t]*(\"?)([^\"=\s]+)\1[ \t]*=")


def _line_index(text: str) -> dict[str, int]:
    """Where each document is declared: the line of its ``[documents.<docid>]`` table, else of
    a ``<docid> = {...}`` key. One pass over the catalog (a search per entry was quadratic in
    the number of documents: 10,000 entries took minutes)."""
    tables: dict[str, int] = {}
    keys: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        m = TABLE_LINE.match(line)
        if m:
            tables.setdefault(m.group(2), number)
            continue
        m = _KEY_LINE.match(line)
        if m:
            keys.setdefault(m.group(2), number)
    return {**keys, **tables}


def load(path: Path, sources_dir: Path | None = None) -> list[Entry]:
    """Read and check the catalog; raise :class:`CatalogError` on the first problem."""
    return parse(read(path), path, (sources_dir or path.parent).resolve())


def read(path: Path) -> bytes:
    """The catalog's bytes (:class:`CatalogError` when it cannot be read)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{shown_path(path)}:0:0: cannot read the catalog: {exc.strerror or exc}") from exc


def parse(raw: bytes, path: Path, sources_dir: Path, problems: list[CatalogError] | None = None) -> list[Entry]:
    """The entries of the catalog whose bytes are ``raw``, checked, with their sources in
    ``sources_dir`` (resolved); :class:`CatalogError` at the first problem, located in ``path``.
    With ``problems``, an entry's first problem goes there instead and the entry is left out,
    so that one mistyped entry does not keep the others from being converted; a problem of the
    catalog as a whole (not UTF-8, not TOML, an unknown table) is still raised."""
    # imported only when the catalog is parsed (issue 18)
    from cmctei.convert import catalog_values as values

    shown = shown_path(path)
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
    except RecursionError as exc:  # tomllib recurses once per level of nesting
        raise CatalogError(f"{shown}:{values.deep_nesting_line(text)}:1: arrays or tables nested too deeply "
                           "to be read (a catalog needs three levels at most)") from exc

    unknown_top = set(data) - {"documents"}
    if unknown_top:
        raise CatalogError(f"{shown}:1:1: {values.unknown(unknown_top, {'documents': ''})} "
                           "(documents go in [documents.<docid>] tables)")
    documents = data.get("documents", {})
    if not isinstance(documents, dict):
        raise CatalogError(f"{shown}:1:1: 'documents' must be a table of [documents.<docid>] entries")

    entries = []
    lines = _line_index(text)
    text_lines = text.split("\n")
    files = regular_files(sources_dir)
    met: dict[str, tuple[str, int]] = {}
    for docid, table in documents.items():
        line = lines.get(docid, 1)

        def fail(message: str, *key: str) -> CatalogError:
            """The error, at the line of ``key`` in this entry (else of the entry)."""
            at, col = values.key_place(text_lines, line, docid, key) if key else (line, 1)
            return CatalogError(f"{shown}:{at}:{col}: [documents.{docid}] {message}", docid)

        try:
            check_case(docid, line, met, fail)
            entries.append(checked_entry(docid, table, line, sources_dir, files, fail))
        except CatalogError as problem:
            if problems is None:
                raise
            problems.append(problem)
    return entries


def check_case(docid: str, line: int, met: dict[str, tuple[str, int]], fail: Callable[..., CatalogError]) -> None:
    """Refuse ``docid`` (declared at ``line``) when a docid met before differs from it only in
    case (``met``: the docids so far by their lower-case form, with their lines; ``docid`` is
    added). Where file names do not tell case apart (macOS and Windows, by default) both would
    be one file in tei/ and build/, each conversion replacing the other's master."""
    first, at = met.setdefault(docid.lower(), (docid, line))
    if first != docid:
        raise fail(f"the docid differs from {first!r} (line {at}) only in case: where file names do not tell "
                   f"case apart (macOS, Windows) both would be tei/{first}.xml; rename one of them")


def regular_files(folder: Path) -> frozenset[str]:
    """The names of the regular files in ``folder`` (symbolic links aside), listed once: a
    source named by one of them is ``folder / name`` as it is, with nothing to resolve."""
    try:
        with os.scandir(folder) as found:
            return frozenset(e.name for e in found if e.is_file(follow_symlinks=False))
    except OSError:
        return frozenset()


def checked_entry(docid: str, table: object, line: int, sources_dir: Path, files: frozenset[str],
                  fail: Callable[..., CatalogError]) -> Entry:
    """The entry ``[documents.<docid>]`` (its value ``table``, declared at ``line``), checked;
    ``fail(message, *key)`` makes the error raised at the first problem. ``files``: the regular
    files of ``sources_dir`` (:func:`regular_files`). The values checked are normal: checking
    them again gives them back unchanged (:mod:`cmctei.convert.catalog_cache` relies on it)."""
    from cmctei.convert import catalog_values as values

    if not DOCID.match(docid):
        raise fail("the docid must start with a letter, then letters, digits, '.', '_' or '-' "
                   "(no '/', no '..', at most 100 characters): it becomes tei/<docid>.xml and TEI/@xml:id")
    if ".." in docid:
        raise fail("the docid must not contain '..'")
    if reserved_docid(docid):
        raise fail(f"the docid {docid!r} is kept for the project's own files ({RESERVED_HELP}: "
                   "tei/persons.xml is the person register; the others name pages of the site): choose another")
    if not isinstance(table, dict):
        raise fail("must be a table")
    unknown = set(table) - set(values.ENTRY)
    if unknown:
        raise fail(values.unknown(unknown, values.ENTRY), sorted(unknown)[0])
    checked: dict[str, object] = {}
    for key, kind in values.ENTRY.items():
        if key in table:
            try:
                checked[key] = values.check(kind, table[key], key)
            except values.BadValue as exc:
                raise fail(str(exc), key) from exc
    for section, kinds in values.SECTIONS.items():
        given = checked.get(section, {})
        extra = set(given) - set(kinds)
        if extra:
            raise fail(values.unknown(extra, kinds).replace("unknown key(s)", f"unknown key(s) in {section}:", 1),
                       section, sorted(extra)[0])
        normal = {}
        for key, value in given.items():
            try:
                normal[key] = values.check(kinds[key], value, f"{section}.{key}")
            except values.BadValue as exc:
                raise fail(str(exc), section, key) from exc
        checked[section] = normal
    source = checked.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail("needs source = \"<file in sources/>\"", "source")
    if source in files:  # a plain file name, of a regular file in sources_dir: nothing to resolve
        candidate, found = sources_dir / source, True
    else:
        try:
            candidate = (sources_dir / source).resolve()
            if not candidate.is_relative_to(sources_dir):
                raise fail(f"the source {source!r} is outside {shown_path(sources_dir)}", "source")
            found = candidate.is_file()
        except (OSError, ValueError) as exc:  # a name too long for the file system
            raise fail(f"the source {source[:80]!r}{'…' if len(source) > 80 else ''} cannot be a file name: "
                       f"{getattr(exc, 'strerror', None) or exc}", "source") from exc
    if not found:
        raise fail(f"the source file {source!r} does not exist in {shown_path(sources_dir)}", "source")
    return Entry(
        docid=docid, source=candidate, source_name=source, line=line, genre=checked.get("genre"),
        translator=checked.get("translator"), language=checked.get("language"),
        published=checked["published"], archive=checked["archive"], recording=checked["recording"],
        book=checked["book"], overrides=checked["overrides"],
    )
