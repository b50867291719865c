"""Conversion: raw transcriptions in ``sources/`` → TEI masters in ``tei/``.

:func:`generate` is pure: the same source, catalog entry, register and
cmctei version give byte-identical TEI (no timestamps). :func:`run` adds the
care that masters need: a master edited by hand since it was generated is
never overwritten (the new version goes to ``<docid>.xml.new`` and the run
exits 1) unless ``force`` is set; every write is atomic.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from cmctei import __version__, paths
from cmctei.convert import catalog as cat
from cmctei.convert import masters
from cmctei.xmlio import TEI_NS, CannotRead, read_bytes

if TYPE_CHECKING:
    from cmctei.convert.build import Builder
    from cmctei.convert.persons import Register
    from cmctei.convert.seen import Seen

# The genre converters, the header and their vocabularies (TOML read at import) are imported
# by generate() and convert_one() when a document is converted: `convert --changed` with
# nothing to convert needs none of them, and importing them was a third of its time (issue 18).

T = "{%s}" % TEI_NS
CONTAINERS = {
    "TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "biblStruct", "monogr",
    "analytic", "imprint", "msDesc", "msIdentifier", "recordingStmt", "recording", "encodingDesc", "classDecl",
    "taxonomy", "category", "profileDesc", "creation", "langUsage", "textClass", "keywords", "correspDesc",
    "correspAction", "particDesc", "listPerson", "person", "personGrp", "revisionDesc", "text", "body",
    "timeline", "div", "sp", "opener", "closer", "availability", "author", "editor", "respStmt",
}
XML_MODEL = (
    '<?xml-model href="../schemas/cmctei.xsd" type="application/xml" '
    'schematypens="http://www.w3.org/2001/XMLSchema"?>\n'
    '<?xml-model href="../schemas/cmctei.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)


@dataclass
class Generated:
    data: bytes
    genre: str
    warnings: list[str] = field(default_factory=list)


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent element-only containers; never touch mixed content (it would add spaces to the text)."""
    # (the local name cut from the tag: etree.QName, made for each of 200 elements a document,
    # was most of this function's time)
    if element.tag.rpartition("}")[2] not in CONTAINERS or not len(element):
        return
    if element.text and element.text.strip():
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


def generate(entry: cat.Entry, register: Register, sources_root: Path | None = None) -> Generated:
    """Convert one catalog entry; raises :class:`~cmctei.convert.text.SourceError` with a located message."""
    from cmctei.convert import footnotes, genres, header
    from cmctei.convert import text as tx
    from cmctei.convert.build import Builder
    from cmctei.convert.inline import el

    shown = paths.shown(entry.source)
    try:
        data = read_bytes(entry.source)
    except CannotRead as exc:
        raise tx.SourceError(f"{shown}:0:0: cannot read the source: {str(exc).split(': ', 1)[-1]}") from exc
    decoded = tx.decode(data, shown)
    text = decoded.text
    genre = entry.genre or genres.detect(text)
    if genre is None:
        raise tx.SourceError(f"{shown}:1:1: cannot tell the genre from the text; add genre = \"…\" "
                             f"({', '.join(cat.GENRES)}) to [documents.{entry.docid}] in the catalog")
    style = "superscript" if re.search("[" + tx.SUPERSCRIPTS + "]", text) else "glued"
    builder = Builder(entry.docid, register, style, shown, text)
    if style == "glued":
        builder.footnotes.planned = footnotes.plan([block.text for block in tx.blocks(text)],
                                                   builder.footnotes.candidates)
    try:
        div = genres.ASSEMBLERS[genre](builder, text, entry.overrides)
    except ValueError as exc:
        raise tx.SourceError(f"{shown}:1:1: cannot read this as a {genre}: {exc}") from exc
    builder.place_orphan_notes(div)
    _check_footnote_numbering(div, text, shown, style)
    if not "".join(div.itertext()).strip():
        raise tx.SourceError(f"{shown}:1:1: no text could be recognised in the source")

    inferred, from_catalog = [], []
    if entry.overrides.get("title"):
        from_catalog.append("title")
    elif builder.info.title:
        inferred.append("title")
    if entry.overrides.get("date"):
        from_catalog.append("date")
    elif builder.info.date:
        inferred.append("date (cert=\"high\")")
    elif entry.book.get("year"):
        # a chapter of a book is dated by the book's publication
        builder.info.date = str(entry.book["year"])
        from_catalog.append("date (publication year)")
    else:
        _bound_undated(builder, entry, shown, inferred, from_catalog)
    if not entry.overrides.get("classification"):
        inferred.append("classification" + (" (none printed: unmarked)" if not builder.marks else ""))
    if builder.classification()[1]:
        inferred.append("handling caveats")
    if builder.info.sender and not entry.overrides.get("sender"):
        inferred.append("sender")
    if builder.info.recipient and not entry.overrides.get("recipient"):
        inferred.append("recipient")
    if builder.info.signed:
        inferred.append("signature")
    if builder.stamps:
        inferred.append("declassification stamps")
    if genre == "transcript":
        inferred.append("speakers")
    for key in ("classification", "sender", "recipient", "speakers"):
        if entry.overrides.get(key):
            from_catalog.append(key)
            if key in inferred:
                inferred.remove(key)
    if entry.genre:
        from_catalog.append("genre")
    else:
        inferred.append("genre")
    for key in ("published", "book", "archive", "recording"):
        if getattr(entry, key):
            from_catalog.append({"published": "published source", "book": "book", "archive": "archival source",
                                 "recording": "recording"}[key])
    if entry.translator:
        from_catalog.append("translator")

    root = el("TEI", xml_id=entry.docid)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    source_sha = hashlib.sha256(data).hexdigest()
    root.append(header.build(builder, entry, genre, source_sha, decoded.encoding, inferred, from_catalog))
    text_el = el("text")
    body = el("body")
    timeline = builder.timeline_element()
    if timeline is not None:
        body.append(timeline)
    body.append(div)
    body.extend(builder.attachments)
    text_el.append(body)
    root.append(text_el)
    indent(root)
    etree.cleanup_namespaces(root, top_nsmap={None: TEI_NS})
    xml = etree.tostring(root, encoding="unicode")
    out = ('<?xml version="1.0" encoding="UTF-8"?>\n' + XML_MODEL + xml + "\n").encode("utf-8")
    warnings = decoded.warnings + builder.warnings
    return Generated(masters.seal(out), genre, warnings)


def _bound_undated(builder: Builder, entry: cat.Entry, shown: str, inferred: list[str], from_catalog: list[str]) -> None:
    """The upper bound of a document whose text prints no date, or "undated": the day the
    edition says it was received ("[Received November 24, 1917, 4.05 p.m.]" after the dateline),
    else the year of the edition; a located refusal when there is neither."""
    from cmctei.convert import text as tx

    received, edition = builder.info.received, entry.published.get("year")
    if not received and not edition:
        where = "undated" if builder.info.undated else "shows no date"
        raise tx.SourceError(f"{shown}:1:1: the text {where} and the catalog gives no edition year to bound "
                             f"it; add overrides = {{ date = \"YYYY-MM-DD\" }} (or published.year) to "
                             f"[documents.{entry.docid}] in the catalog")
    printed = "prints \u201cundated\u201d" if builder.info.undated else "prints no date"
    if received:
        builder.info.not_after = received
        inferred.append("date bound (received)")
        bound = f"no later than its receipt ({received}), as the text prints it"
    else:
        builder.info.not_after = str(edition)
        from_catalog.append("date bound (edition year)")
        bound = f"no later than the edition ({edition})"
    builder.warnings.append(f"{shown}:{builder.undated_line or 1}:1: warning: the text {printed}: the master "
                            f"is undated, {bound}; give overrides.date in the catalog when the date is known")
    builder.notes.append(f"The text {printed}: the document is undated, {bound} (notAfter); give overrides.date "
                         "in the catalog when the date is known.")


def _check_footnote_numbering(div: etree._Element, text: str, shown: str, style: str) -> None:
    """Footnote numbers must rise in reading order. A number skipped (a marker not found) was
    reported as a warning where the next marker stands, and the master is written: the rule
    ``fn-missing`` reminds the editor. A number repeated or out of place cannot be written as
    valid TEI, so the source is refused, located at the marker, for the transcription to be
    corrected."""
    from cmctei.convert import text as tx

    numbers = [int(n) for n in div.xpath("//t:note[@place='foot']/@n", namespaces={"t": TEI_NS})]
    for position, (previous, number) in enumerate(zip([0] + numbers, numbers), start=1):
        if number > previous:
            continue
        digits = str(number) if style == "glued" else "".join(tx.SUPERSCRIPTS[int(d)] for d in str(number))
        pattern = (r"(?<=[.,;:!?\"”’')\]A-Za-z])" if style == "glued" else r"(?<=\S)") + re.escape(digits) + r"(?!\d)"
        found = re.search(pattern, text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        raise tx.SourceError(
            f"{shown}:{line}:1: footnote numbering is not 1, 2, 3 … in reading order: footnote {position} of "
            f"the text is numbered {number}, after footnote {previous} (a marker is repeated or out of place); "
            "correct the transcription and convert again")


RECORDED = re.compile(rb'<idno type="(source-sha256|catalog-sha256|cmctei-version)">([^<]*)</idno>')


def recorded_in(data: bytes | None) -> dict[str, str]:
    """The source SHA-256, catalog-entry SHA-256 and cmctei version a master records."""
    if data is None:
        return {}
    return {m.group(1).decode(): m.group(2).decode("utf-8", "replace") for m in RECORDED.finditer(data)}


def recorded(path: Path) -> dict[str, str]:
    try:
        return recorded_in(masters.read_master(path))
    except CannotRead:
        return {}


def current_values(entry: cat.Entry, seen: "Seen | None" = None) -> dict[str, str] | None:
    """What a master made from ``entry`` today would record (None if the source cannot be
    read); the source's digest from ``seen`` when it knows the file unchanged (seen.py)."""
    try:
        source_sha = (seen.source_sha256(entry.source) if seen is not None
                      else hashlib.sha256(read_bytes(entry.source)).hexdigest())
    except CannotRead:
        return None
    catalog_sha = hashlib.sha256(entry.fingerprint().encode("utf-8")).hexdigest()
    return {"source-sha256": source_sha, "catalog-sha256": catalog_sha, "cmctei-version": __version__}


def up_to_date(entry: cat.Entry, target: Path, data: bytes | None = None) -> bool:
    """The master (its bytes ``data``, else read from ``target``) was generated from this very
    source, catalog entry and cmctei version."""
    values = recorded_in(data) if data is not None else recorded(target)
    return values == current_values(entry)


@dataclass
class Outcome:
    docid: str
    status: str  # written | unchanged | kept | conflict | forced | error | deferred
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def conflict_advice(docid: str, tei_dir: Path) -> str:
    """What to do about a master edited by hand that a conversion would change: commands the
    user can type, naming this document only."""
    command = paths.command()
    new = paths.shown(tei_dir / f"{docid}.xml.new")
    return (f"The new conversion is in {new}. See the differences with `{command} convert --diff {docid}`; "
            f"once you have carried what you want into your master, run `{command} convert --accept {docid}` "
            f"(make then keeps it), or run `{command} convert --force {docid}` to replace the master with the "
            f"new conversion (yours is kept as {paths.shown(tei_dir / f'{docid}.xml.bak')}).")


def _settled(entry: cat.Entry, target: Path, before: bytes | None, state: masters.State) -> Outcome | None:
    """What ``convert --changed`` says of a master that is up to date (its bytes ``before``,
    its state ``state``): unchanged, or kept when edited by hand; None when it must be converted."""
    if state is masters.State.MISSING or not up_to_date(entry, target, before):
        return None
    return _outcome(entry, target, state)


def _outcome(entry: cat.Entry, target: Path, state: masters.State) -> Outcome:
    shown = paths.shown(target)
    if state is masters.State.EDITED:
        return Outcome(entry.docid, "kept", f"{shown}: kept (edited by hand; its source has not changed)")
    return Outcome(entry.docid, "unchanged", f"{shown}: up to date")


def settled(entry: cat.Entry, tei_dir: Path, seen: "Seen | None" = None) -> Outcome | None:
    """The outcome of ``convert --changed`` for ``entry`` when nothing is to be converted (the
    master is up to date), without converting: None when it must be converted, and also
    whenever the master cannot be read (the conversion reports that). Decided exactly as
    :func:`convert_one` decides, on the master's and the source's bytes (or what ``seen``
    knows of them, seen.py); never writes. The runner asks it first, so that only what must
    be converted goes to worker processes."""
    target = tei_dir / f"{entry.docid}.xml"
    if seen is None:
        try:
            before = masters.read_master(target)
        except CannotRead:
            return None
        return _settled(entry, target, before, masters.state_of(before))
    try:
        state, values = seen.master(target)
    except CannotRead:
        return None
    if state is masters.State.MISSING or values != current_values(entry, seen):
        return None
    return _outcome(entry, target, state)


def convert_one(entry: cat.Entry, register: Register, tei_dir: Path, *, force: bool, changed_only: bool,
                defer_new_persons: bool = False) -> Outcome:
    """Convert one entry into ``tei_dir``, keeping hand edits.

    The master is read once, and what is decided (up to date, edited, pristine) is decided
    on those bytes; it is replaced only if it still holds them at the moment of replacing
    (:func:`masters.replace_if_unchanged`), so a hand edit saved while the document is being
    converted is never lost. With ``force``, an edited master is replaced and kept as
    ``<docid>.xml.bak``.

    With ``defer_new_persons``, a document that needs persons the register
    does not have yet is not written (status ``deferred``): see
    :mod:`cmctei.convert.runner` for why.
    """
    target = tei_dir / f"{entry.docid}.xml"
    shown = paths.shown(target)
    try:
        before = masters.read_master(target)
    except CannotRead as exc:
        return Outcome(entry.docid, "error", f"{shown}:0:0: error: {str(exc).split(': ', 1)[-1]}; "
                                             "move it away and convert again")
    state = masters.state_of(before)
    if changed_only:
        done = _settled(entry, target, before, state)
        if done is not None:
            return done
    from cmctei.convert import text as tx

    try:
        generated = generate(entry, register)
    except tx.SourceError as exc:
        return Outcome(entry.docid, "error", f"{exc.args[0].split(': ', 1)[0]}: error: {exc.args[0].split(': ', 1)[1]}"
                       if ": " in exc.args[0] else str(exc))
    if defer_new_persons and register.added:
        return Outcome(entry.docid, "deferred")
    new = target.with_name(target.name + ".new")
    if state is masters.State.EDITED and not force:
        masters.write_atomic(new, generated.data)
        return Outcome(entry.docid, "conflict",
                       f"{shown}: error: edited by hand since it was generated; not overwritten. "
                       + conflict_advice(entry.docid, tei_dir), generated.warnings)
    if before == generated.data:
        return Outcome(entry.docid, "unchanged", f"{shown}: unchanged", generated.warnings)
    try:
        kept = masters.replace_if_unchanged(target, generated.data, before, backup=state is masters.State.EDITED)
    except masters.Changed:  # saved by hand while it was being converted
        masters.write_atomic(new, generated.data)
        return Outcome(entry.docid, "conflict",
                       f"{shown}: error: saved by hand while it was being converted; not overwritten. "
                       + conflict_advice(entry.docid, tei_dir), generated.warnings)
    if new.exists():
        new.unlink()
    if state is masters.State.EDITED:
        return Outcome(entry.docid, "forced", f"{shown}: written ({generated.genre}) (replaced a hand-edited "
                       f"master: --force; it is kept as {paths.shown(kept)})", generated.warnings)
    return Outcome(entry.docid, "written", f"{shown}: written ({generated.genre})", generated.warnings)
