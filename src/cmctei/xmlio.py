"""Reading XML safely, and finding where things are in the source text.

Every XML file cmctei reads goes through :func:`load`. The parser never
loads a DTD or any external entity (not even a parameter entity in an
internal subset), never expands an entity, never touches the network, and
keeps libxml2's limits on depth and size (no ``huge_tree``). A DOCTYPE is
refused outright, before parsing and again after (:mod:`cmctei.xmlguard`):
TEI needs none, and refusing it is the simplest way to make entity bombs and
external entities (XXE) harmless everywhere downstream, including in Saxon,
which is only ever handed text that lxml has parsed. So is an element with
more attributes than any TEI element needs (:data:`cmctei.xmlguard.MAX_ATTRIBUTES`).
Only regular files are read (:func:`read_bytes`): a named pipe or a device
under a file's name is refused at once, never waited on.

Problems are returned as :class:`~cmctei.diagnostics.Diagnostic` values
rather than raised, so that a bad file is one more line in the report, not
a traceback.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from lxml import etree

from cmctei import xmlguard
from cmctei.diagnostics import ERROR, Diagnostic

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class _NothingExternal(etree.Resolver):
    """Answers every external resource the parser asks for (a DTD, a parameter or general
    entity) with nothing, so that no file, device or URL is ever opened.

    ``load_dtd=False`` and ``resolve_entities=False`` are not enough: libxml2 still opens
    an external parameter entity referenced in an internal subset (``%pe;`` with
    ``SYSTEM "/etc/hostname"``, or ``/dev/zero``, which never ends). Every load goes
    through lxml's resolvers first; this one never lets it reach the file system.
    """

    def resolve(self, url, public_id, context):  # noqa: ARG002 (lxml's signature)
        return self.resolve_string("", context)


def safe_parser(*, in_memory: bool = False) -> etree.XMLParser:
    """An lxml parser that is safe on hostile input.

    ``collect_ids=False`` stops libxml2 from rejecting a duplicate xml:id
    while parsing: the Schematron rule ``id-unique`` reports duplicates with
    a better message and a location for every copy.

    ``in_memory`` (text or bytes parsed with ``fromstring``: every document
    cmctei checks, publishes or reads from build/) also refuses every external
    load (:class:`_NothingExternal`). A parser given a file name cannot: libxml2
    asks the resolvers for the file itself first. Only the project's own
    schemas and stylesheets are parsed by file name.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        collect_ids=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    if in_memory:
        parser.resolvers.add(_NothingExternal())
    return parser


def parse_untrusted(data: bytes | str) -> etree._Element:
    """Parse XML text that is not cmctei's own (a document, a record in build/): no external
    load, no DOCTYPE. Raises ``etree.XMLSyntaxError``, or ``ValueError`` for a DOCTYPE."""
    root = etree.fromstring(data, safe_parser(in_memory=True))
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise ValueError("DOCTYPE declarations are not accepted")
    return root


def trim_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; elsewhere nothing).

    After a large tree is freed its pages stay with the process, and a
    runtime that allocates outside malloc (Saxon's) cannot reuse them: the
    peak would be the sum of both trees instead of the larger.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM: Callable[[int], int] | bool | None = None


class CannotRead(Exception):
    """The file could not be read at all (missing, a directory, no permission)."""


@dataclass
class LoadedXML:
    """A parsed document together with its source text for locating."""

    path: Path
    display: str
    _raw: bytes = field(repr=False)
    _tree: etree._ElementTree | None = field(repr=False)
    _starts: dict[etree._Element, int] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)
    _line_offsets: list[int] | None = field(default=None, repr=False)
    _spent: bool = field(default=False, repr=False)
    # the SHA-256 of the bytes while they are set aside (set_aside_source)
    _digest: bytes | None = field(default=None, repr=False)
    # Saxon's tree of the same document, once built (cmctei.saxon.document): the rules and
    # the stylesheets share it, so a document is parsed into Saxon once per run.
    saxon_node: object | None = field(default=None, repr=False)

    @property
    def raw(self) -> bytes:
        """The file's bytes; read from the file again if they were set aside, and refused
        (``CannotRead``) if the file is no longer what was checked."""
        if self._digest is not None:
            data = read_bytes(self.path)
            if hashlib.sha256(data).digest() != self._digest:
                raise CannotRead(f"{self.display}: the file changed while it was being checked; "
                                 "check it again")
            self._raw, self._digest = data, None
        return self._raw

    def set_aside_source(self) -> None:
        """Drop the file's bytes for now: they are read again if asked for (:attr:`raw`).

        Handing a document to Saxon holds, at one moment, its lxml tree and
        the text made from it; the bytes need not be there too (``make bench``:
        peak memory of validating a 50 MB document). They are needed again
        only to locate a problem the rules report, or to copy the master.
        """
        if not self._spent and self._digest is None:
            self._digest = hashlib.sha256(self._raw).digest()
            self._raw = b""

    @property
    def tree(self) -> etree._ElementTree:
        """The lxml tree; parsed again from :attr:`raw` if :meth:`release_tree` dropped it."""
        if self._tree is None:
            if self._spent:
                raise RuntimeError(f"{self.display}: the document was released (release_source)")
            self._tree = etree.ElementTree(etree.fromstring(self.raw, safe_parser(in_memory=True)))
        return self._tree

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def release_tree(self) -> None:
        """Drop the lxml tree (and what points into it) and give its memory back to the system.

        A libxml2 tree takes about five times the size of its file. Saxon
        builds a tree of its own, so on a large document the two must not be
        alive together (``make bench``: peak memory on a 50 MB document).
        The tree comes back, parsed from the same bytes, if it is asked for
        again, e.g. to locate a problem the rules report.
        """
        self._tree = None
        self._starts = None
        trim_memory()

    def drop_source(self) -> None:
        """Drop the file's bytes for good; the tree stays until :meth:`release_tree`.

        Unlike :meth:`set_aside_source`, nothing is kept to read them again
        (no digest is computed): for a caller that is done with them.
        """
        self._raw = b""
        self._digest = None
        self._text = None
        self._line_offsets = None
        self._spent = True

    def release_source(self) -> None:
        """Drop the tree and the file's bytes too, for a caller that is done with both.

        Publishing holds a large document three times otherwise: the bytes,
        the text handed to Saxon and Saxon's tree. Afterwards the tree cannot
        come back (asking for it is a programming error and says so).
        """
        self.drop_source()
        self.release_tree()

    def text(self) -> str:
        """The source decoded with the document's own encoding."""
        if self._text is None:
            encoding = self.tree.docinfo.encoding or "utf-8"
            try:
                self._text = self.raw.decode(encoding, errors="replace")
            except LookupError:
                self._text = self.raw.decode("utf-8", errors="replace")
            if self._text.startswith("\ufeff"):
                self._text = self._text[1:]
            self._line_offsets = [0] + [m.end() for m in re.finditer("\n", self._text)]
        return self._text

    def _line_col(self, offset: int) -> tuple[int, int]:
        self.text()
        assert self._line_offsets is not None
        index = bisect.bisect_right(self._line_offsets, offset) - 1
        return index + 1, offset - self._line_offsets[index] + 1

    def _start_offsets(self) -> dict[etree._Element, int]:
        """Map each element to the offset of its start tag in the source.

        Start tags appear in the text in document order, so the k-th start
        tag (outside comments, CDATA and processing instructions) belongs to
        the k-th element of the tree. This gives exact line:col even when
        one line holds several elements of the same name.
        """
        if self._starts is None:
            text = self.text()
            offsets = [m.start() for m in _MARKUP.finditer(text) if m.group(1)]
            elements = [e for e in self.tree.iter() if isinstance(e.tag, str)]
            if len(offsets) == len(elements):
                self._starts = dict(zip(elements, offsets))
            else:  # should not happen; fall back to libxml2's line numbers
                self._starts = {}
        return self._starts

    def locate(self, element: etree._Element | None, attribute: str | None = None) -> tuple[int, int]:
        """Line and column of an element's start tag, or of one of its attributes."""
        if element is None:
            return 1, 1
        start = self._start_offsets().get(element)
        if start is None:
            return (element.sourceline or 0), 0
        if attribute:
            text = self.text()
            end = _tag_end(text, start)
            name = _source_attribute_name(attribute)
            m = re.compile(r"\s(" + name + r")\s*=").search(text, start, end)
            if m:
                return self._line_col(m.start(1))
        return self._line_col(start)


# Comments, CDATA, processing instructions and the DOCTYPE are skipped;
# group 1 is the name of a start tag.
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)",
    re.S,
)
_TAG_END = re.compile(r"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _tag_end(text: str, start: int) -> int:
    m = _TAG_END.match(text, start)
    return m.end() if m else len(text)


def _source_attribute_name(attribute: str) -> str:
    """Regex for how an attribute name is spelled in the source."""
    if attribute.startswith("{"):
        ns, local = attribute[1:].split("}", 1)
        if ns == XML_NS:
            return "xml:" + re.escape(local)
        return r"(?:[\w.\-]+:)" + re.escape(local)
    return re.escape(attribute)


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def kind_of(path: Path) -> str:
    """What is at ``path`` when it is not a regular file ("a named pipe (FIFO)" …)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "not a regular file (it cannot be read)"
    if stat.S_ISDIR(mode):
        return "a directory"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``; anything else is :class:`CannotRead`, at once.

    The file is opened without blocking and checked before it is read: a named pipe
    (FIFO) or a device under a master's name (``tei/x.xml`` made with ``mkfifo``, a
    link to ``/dev/zero``) would otherwise wait, or read, for ever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError as exc:
        raise CannotRead(f"{path}: is a directory") from exc
    except FileNotFoundError as exc:
        raise CannotRead(f"{path}: no such file") from exc
    except OSError as exc:
        raise CannotRead(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise CannotRead(f"{path}: is a directory")
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise CannotRead(f"{path}: is {kind}, not a file; cmctei reads only regular files")
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        try:
            return handle.read()
        except OSError as exc:
            raise CannotRead(f"{path}: cannot read: {exc.strerror or exc}") from exc


def load(path: Path, display: str | None = None) -> tuple[LoadedXML | None, list[Diagnostic]]:
    """Parse ``path`` safely.

    Returns the document, or ``None`` with the diagnostics that explain why
    nothing further can be checked. Raises :class:`CannotRead` only when the
    file cannot be read at all.
    """
    shown = display or str(path)
    raw = read_bytes(path)
    return parse_document(raw, path, shown)


def parse_document(raw: bytes, path: Path, shown: str) -> tuple[LoadedXML | None, list[Diagnostic]]:
    """:func:`load` on bytes already read from ``path`` (shown as ``shown``)."""
    if not raw.strip():
        return None, [Diagnostic(shown, 1, 1, ERROR, "xml-empty", "The file is empty: there is no XML in it.")]
    refused = _doctype_diagnostic(shown, raw)
    if refused is not None:
        return None, [refused]
    try:
        root = etree.fromstring(raw, safe_parser(in_memory=True))
    except etree.XMLSyntaxError as exc:
        return None, [_syntax_diagnostic(shown, raw, exc)]
    if xmlguard.doctype_in_parsed(root):  # the scan missed it; nothing external was loaded
        encoding = root.getroottree().docinfo.encoding
        return None, [_doctype_diagnostic(shown, raw, encoding) or Diagnostic(
            shown, root.sourceline or 1, 1, ERROR, "xml-doctype",
            "DOCTYPE declarations are not accepted (there is one before the root element). "
            "Remove the DOCTYPE and write the characters themselves.")]
    loaded = LoadedXML(path=path, display=shown, _raw=raw, _tree=etree.ElementTree(root))
    crowded = xmlguard.too_many_attributes(root, raw)
    if crowded is not None:
        element, what, count = crowded
        line, col = loaded.locate(element)
        return None, [Diagnostic(
            shown, line, col, ERROR, "xml-limits",
            f"<{etree.QName(element).localname}> has {count} {what}; cmctei accepts at most "
            f"{xmlguard.MAX_ATTRIBUTES} on one element (a TEI element needs a dozen at most), "
            "so the file is not checked further.")]
    return loaded, []


def _syntax_diagnostic(shown: str, raw: bytes, exc: etree.XMLSyntaxError) -> Diagnostic:
    # The exception's own position is the error that stopped the parser;
    # exc.error_log may also hold entries left over from earlier parses.
    line = exc.lineno or 1
    col = (exc.offset or 0) + 1
    message = re.sub(r", line \d+, column \d+$", "", exc.msg or "syntax error").strip()
    if b"\x00" in raw[:1024] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = f"This is not an XML text file (it contains binary data): {message}"
    else:
        message = f"Not well-formed XML: {message}"
    return Diagnostic(shown, max(line, 1), max(col, 1), ERROR, "xml-wellformed", message)


_FIRST_TAG = re.compile(r"<[A-Za-z_]")
_EXTERNAL_SUBSET = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM|PUBLIC\s+[\"'][^\"']*[\"'])\s+[\"']([^\"']*)[\"']")
_ENTITY = re.compile(r"<!ENTITY\s+(%\s+)?([^\s]+)\s+(?:(?:SYSTEM|PUBLIC\s+[\"'][^\"']*[\"'])\s+[\"']([^\"']*)[\"'])?")


def _doctype_diagnostic(shown: str, raw: bytes, encoding: str | None = None) -> Diagnostic | None:
    """Refuse a DOCTYPE before parsing, so nothing in it is ever processed.

    TEI files need no DTD. Refusing the declaration outright makes external
    entities (XXE), external DTDs and entity bombs harmless in every later
    step, and gives the editor one clear message, at the DOCTYPE's line,
    instead of a parser error (:func:`cmctei.xmlguard.find_doctype`).
    """
    place, text = xmlguard.find_doctype(raw, encoding)
    if place is None:
        return None
    first_tag = _FIRST_TAG.search(text)
    declaration = text[:first_tag.start()] if first_tag else text
    details = []
    subset = _EXTERNAL_SUBSET.match(declaration)
    if subset:
        details.append(f"it refers to an external DTD ({subset.group(1)}), which cmctei never loads")
    entities = list(_ENTITY.finditer(declaration))
    external = [f"{m.group(2)} → {m.group(3)}" for m in entities if m.group(3)]
    if external:
        details.append("it declares external entities (" + "; ".join(external) + "), which cmctei never loads")
    elif entities:
        details.append("it declares entities, which cmctei never expands")
    if not details:
        details.append("TEI files need no DTD")
    return Diagnostic(
        shown, place.line, place.col, ERROR, "xml-doctype",
        f"DOCTYPE declarations are not accepted: {' and '.join(details)}. "
        "Remove the DOCTYPE and write the characters themselves.",
    )
