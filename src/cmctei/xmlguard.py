"""What cmctei refuses in an XML file before, and again after, parsing it.

Two kinds of input are refused outright, each with a located error:

* **A DOCTYPE**, wherever it stands in the prolog. TEI needs none, and
  refusing it makes entity bombs and external entities harmless downstream.
  Three layers hold this: the prolog is scanned before parsing (this module,
  :func:`find_doctype`), in the encoding the parser itself will use
  (byte-order mark, UTF-16/32 without one, or the declared encoding), past
  comments and processing instructions, however long; the parser is
  configured so that nothing external can load (:func:`cmctei.xmlio.safe_parser`);
  and a parsed document that still has a DOCTYPE is refused
  (:func:`cmctei.xmlio.load`). The scan is what gives the line; the other
  two are what make the refusal hold if the scan is ever wrong.
* **An element with more attributes or namespace declarations than
  :data:`MAX_ATTRIBUTES`**. No TEI element needs more than a dozen; the
  detailed schema report (xmlschema) costs time growing as the cube of their
  number on one element (3,000 attributes: a minute), and Saxon's parser
  refuses more than 200 of both together.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from lxml import etree

MAX_ATTRIBUTES = 100
"""At most this many attributes, and as many namespace declarations, on one element."""

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Place:
    """Where something starts in a file: 1-based line and column."""

    line: int
    col: int


def sniff_encoding(raw: bytes) -> str:
    """The encoding a conforming parser reads ``raw`` in (XML 1.0, appendix F): a byte-order
    mark, the first characters of ``<?xml`` in UTF-16 or UTF-32 without one, else the
    declared encoding (UTF-8 when none is declared or Python does not know it)."""
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, name in boms:
        if raw.startswith(bom):
            return name
    head = raw[:4]
    guessed = {b"\x00\x00\x00<": "utf-32-be", b"<\x00\x00\x00": "utf-32-le", b"\x00<\x00?": "utf-16-be",
               b"<\x00?\x00": "utf-16-le", b"\x4c\x6f\xa7\x94": "cp037"}.get(head)
    if guessed in ("utf-32-be", "utf-32-le", "utf-16-be", "utf-16-le"):
        return guessed
    declaration = (raw[:256].decode("cp037", "replace") if guessed else raw[:256].decode("latin-1"))
    found = re.match(r"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][\w.\-]*)["']""", declaration)
    if found:
        try:
            return codecs.lookup(found.group(1)).name
        except LookupError:
            pass
    return guessed or "utf-8"


def find_doctype(raw: bytes, encoding: str | None = None) -> tuple[Place | None, str]:
    """Where a DOCTYPE declaration starts in the prolog of ``raw``, and the start of the
    declaration's text (for the message); ``(None, "")`` if there is none.

    The prolog is read as the parser reads it: an XML declaration, comments, processing
    instructions and white space, in any order and of any length, then either a DOCTYPE
    or the root element (or something that is not XML, for the parser to report). The
    bytes are decoded a chunk at a time, and what has been passed is let go: a prolog of
    a hundred megabytes costs time, not memory. ``encoding``: the one the parser
    reported, once it has parsed (else it is worked out as the parser does).
    """
    for candidate in dict.fromkeys(name for name in (encoding, sniff_encoding(raw)) if name):
        try:
            return _scan(raw, codecs.getincrementaldecoder(candidate)(errors="replace"))
        except (LookupError, UnicodeError):  # a name Python does not know; UTF-16 without its mark
            continue
    return None, ""


def _scan(raw: bytes, decoder: codecs.IncrementalDecoder) -> tuple[Place | None, str]:
    """:func:`find_doctype` in one encoding (``decoder``)."""
    chunks = (raw[start:start + _CHUNK] for start in range(0, len(raw), _CHUNK))
    text, position, final = "", 0, False
    lines_passed, col_passed = 0, 0  # newlines let go of; characters of the current line let go of
    while True:
        step = _prolog_step(text, position, final)
        if step == _DOCTYPE:
            before = text[:position]
            newlines = before.count("\n")
            col = position - before.rfind("\n") if newlines else col_passed + position + 1
            return Place(lines_passed + newlines + 1, col), text[position:position + _CHUNK]
        if step == _OTHER:
            return None, ""
        if step is not None:
            position = step
            continue
        # the text ends inside this step: let go of what has been passed, read more
        passed = text[:position]
        newlines = passed.count("\n")
        lines_passed += newlines
        col_passed = len(passed) - passed.rfind("\n") - 1 if newlines else col_passed + len(passed)
        chunk = next(chunks, None)
        final = chunk is None
        text = text[position:] + decoder.decode(chunk or b"", final=final)
        position = 0


_SPACE = re.compile(r"[ \t\r\n]*")
_DOCTYPE, _OTHER = -1, -2


def _prolog_step(text: str, position: int, final: bool) -> int | None:
    """One step through the prolog from ``position``: the position after the next comment,
    processing instruction or white space; :data:`_DOCTYPE` when a DOCTYPE starts there;
    :data:`_OTHER` when anything else does (the root element), or at the end of the file.
    ``None`` when the text read so far ends before the step is complete."""
    end = _SPACE.match(text, position).end()
    if end > position:
        return end if end < len(text) or final else None
    if position >= len(text):
        return _OTHER if final else None
    if text.startswith("<!--", position):
        close = text.find("-->", position + 4)
        return close + 3 if close >= 0 else (_OTHER if final else None)
    if text.startswith("<?", position):
        close = text.find("?>", position + 2)
        return close + 2 if close >= 0 else (_OTHER if final else None)
    if text.startswith("<!DOCTYPE", position):
        return _DOCTYPE
    if not final and len(text) - position < len("<!DOCTYPE") and any(
            opening.startswith(text[position:]) for opening in ("<!DOCTYPE", "<!--")):
        return None  # perhaps the start of a DOCTYPE or of a comment: read more
    return _OTHER


def doctype_in_parsed(root: etree._Element) -> bool:
    """Whether the parsed document kept a DOCTYPE (the scan before parsing missed it)."""
    docinfo = root.getroottree().docinfo
    return docinfo.internalDTD is not None or bool(docinfo.doctype)


_ASCII_READING = re.compile(rb"(?:utf-8|us-ascii|iso-8859-(?:[1-9]|1[0-6])|windows-125[0-8])\Z", re.IGNORECASE)
"""Declared encodings in which the bytes ``<``, ``=`` and ``xmlns`` can only be those characters."""
_DECLARATION = re.compile(rb"<\?xml[ \t\r\n]([^?>]{0,512})\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_NOT_LT_OR_EQ = bytes(byte for byte in range(256) if byte not in b"<=")
_CROWDED_RUN = b"=" * (MAX_ATTRIBUTES + 1)


def attributes_within_limits(raw: bytes) -> bool:
    """Whether the bytes alone prove that no element of the document ``raw`` has more than
    :data:`MAX_ATTRIBUTES` attributes or namespace declarations (``False``: not proved, ask
    the tree). Two passes over the bytes in C: 0.07 to 0.09 ms for a master of 32 KB, where
    the walk of the tree costs 0.2 to 0.3 ms (issue 18).

    Why it is sound: in the encodings this accepts, the bytes ``<`` (0x3C), ``=`` (0x3D) and
    ``xmlns`` are those ASCII characters and nothing else (UTF-8 and US-ASCII, and the
    single-byte ISO 8859 and Windows code pages, which keep ASCII as it is). A start tag
    holds no ``<`` (an attribute value cannot contain one: XML 1.0, production AttValue),
    so it lies within the bytes from its ``<`` to the next; every attribute and every
    namespace declaration in it has its ``=``. If no such run of bytes holds more than
    :data:`MAX_ATTRIBUTES` ``=``, no element has more attributes than that. Every namespace
    declaration is written with ``xmlns`` (no reference can stand in a name), so a document
    with at most :data:`MAX_ATTRIBUTES` of them cannot have more on one element. Nothing
    else gives an element attributes: DOCTYPEs (default attributes, entities) are refused
    first.

    How: the bytes with all but ``<`` and ``=`` deleted hold more than :data:`MAX_ATTRIBUTES`
    ``=`` in a row exactly when some run between two ``<`` does (or the bytes before the
    first, which only makes the answer ``False`` more often). Deleting and finding a fixed
    string are linear whatever the bytes hold (5 MB of the worst shapes: milliseconds). A
    regular expression that counts the ``=`` from each ``<`` (``<(?:[^<=]*+=){101}``) gives
    the same answer but cost more than the walk it saves (0.27 ms a master: one match
    attempt per tag).

    Which encoding the parser read is decided as it decides (XML 1.0, appendix F): a
    UTF-16/32 byte-order mark, a NUL byte near the start (UTF-16/32 without a mark), the
    EBCDIC form of ``<?xml``, or a declared encoding other than those above (UTF-16,
    ISO-2022-*, UTF-7, Shift_JIS, one unknown here) and the answer is ``False``, and the
    exact check runs: there a ``<`` byte may be part of another character.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x4c\x6f\xa7\x94")) or b"\x00" in raw[:1024]:
        return False
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    if raw.startswith(b"<?xml", start) and raw[start + 5:start + 6] in (b" ", b"\t", b"\r", b"\n"):
        declaration = _DECLARATION.match(raw, start)
        if declaration is None:  # a declaration this does not read
            return False
        encoding = _DECLARED_ENCODING.search(declaration.group(1))
        if encoding and not _ASCII_READING.match(encoding.group(1)):
            return False
    return raw.count(b"xmlns") <= MAX_ATTRIBUTES and _CROWDED_RUN not in raw.translate(None, _NOT_LT_OR_EQ)


def too_many_attributes(root: etree._Element, raw: bytes | None = None) -> tuple[etree._Element, str, int] | None:
    """The first element with more than :data:`MAX_ATTRIBUTES` attributes or namespace
    declarations: (the element, "attributes" or "namespace declarations", how many).

    ``raw``: the bytes ``root`` was parsed from, if at hand; when they prove there is none
    (:func:`attributes_within_limits`), the tree is not looked at. Else linear in the size
    of the tree: attributes are counted by libxml2 (one XPath), and namespace declarations
    one element at a time only in a document that declares more than the limit in all.
    """
    if raw is not None and attributes_within_limits(raw):
        return None
    limit = MAX_ATTRIBUTES
    found = root.xpath(f"(//*[count(@*) > {limit}])[1]")
    if found:
        return found[0], "attributes", len(found[0].attrib)
    declared = 0
    for _ in etree.iterwalk(root, events=("start-ns",)):
        declared += 1
        if declared > limit:
            break
    else:
        return None
    pending = 0
    for event, item in etree.iterwalk(root, events=("start-ns", "start")):
        if event == "start-ns":
            pending += 1
            continue
        if pending > limit:
            return item, "namespace declarations", pending
        pending = 0
    return None
