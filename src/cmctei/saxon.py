"""One Saxon processor per process, configured to read nothing by itself.

SaxonC starts a small JVM-like runtime; starting it once per process (not
once per file) is what keeps validation and publishing fast. Its defaults
are open (its parser expands external entities; ``doc()`` and
``unparsed-text()`` read local files), so cmctei never lets Saxon parse a
file: lxml parses with safe settings and Saxon receives the text. Reading
URIs from inside a stylesheet is switched off with ``allowedProtocols``.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from cmctei.diagnostics import StylesheetError
from cmctei.saxon_limits import check_address_space
from cmctei.stylesheets import Flattener, shown
from cmctei.xmlio import LoadedXML

ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
_PROCESSOR: PySaxonProcessor | None = None


def processor() -> PySaxonProcessor:
    global _PROCESSOR
    if _PROCESSOR is None:
        check_address_space()
        proc = PySaxonProcessor(license=False)
        # An empty list of protocols forbids every URI read from stylesheets
        # (doc(), document(), unparsed-text(), collection()).
        proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
        _PROCESSOR = proc
    return _PROCESSOR


def compile_stylesheet(path: Path, folders: list[Path] | None = None) -> PyXsltExecutable:
    """Compile a stylesheet file and the modules it includes or imports, once per process.

    Saxon itself is never allowed to read a file, not even the stylesheet:
    the processor is locked when created (a lock that cannot be lifted), so
    the modules are read here, only from the stylesheet ``folders`` (the
    entry stylesheet's own and cmctei's ``xslt/``), and flattened into one
    text with the meaning of ``xsl:include`` and ``xsl:import``
    (:mod:`cmctei.stylesheets`) before Saxon compiles it. A static error is
    reported at its line in the author's file (``StylesheetError``), not at
    the line of the flattened text.

    The same text from the same files is compiled once per process and the executable handed
    out again (every run of a process that publishes twice, each ``Publisher`` of a test: 513
    of 525 compiles in three test files were of a text compiled before in the same process,
    120 s of their 176 s). The key is the text itself, with the files and lines it came from
    (what :func:`relocate` reports), so an edited module, an added customisation or the same
    text read from another folder compiles anew. It is handed out as a fresh one would be:
    no parameter set, no message kept (cmctei's own transforms set their parameters before
    each document anyway, ``render.DocumentOutputs._transform``).
    """
    text, origins = Flattener(path, folders).flatten()
    key = (text, tuple(origins), path)
    executable = _EXECUTABLES.get(key)
    if executable is not None:
        _EXECUTABLES.move_to_end(key)
        executable.clear_parameters()
        executable.clear_xsl_messages()
        return executable
    try:
        executable = processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
    except PySaxonApiError as exc:
        raise _located(str(exc), text, origins, path) from exc
    _COMPILED[executable] = (text, origins, path)
    _EXECUTABLES[key] = executable
    while len(_EXECUTABLES) > KEPT_EXECUTABLES:  # (a process that compiles many customisations)
        _EXECUTABLES.popitem(last=False)
    return executable


# what compile_stylesheet compiled, to place a run-time error (relocate)
_COMPILED: dict[PyXsltExecutable, tuple[str, list[tuple[Path, int]], Path]] = {}
# what it compiled, by text and origins, the most recently asked last
_EXECUTABLES: OrderedDict[tuple[str, tuple[tuple[Path, int], ...], Path], PyXsltExecutable] = OrderedDict()
KEPT_EXECUTABLES = 32
"""Executables kept for asking again (cmctei has nine entry stylesheets; a customisation adds its own)."""


def relocate(executable: PyXsltExecutable, message: str) -> str:
    """Saxon's run-time error ``message``, with its place in the inlined text (\"at line 149
    in file:///…\") given as the author's file and line instead."""
    compiled = _COMPILED.get(executable)
    if compiled is None or not _SAXON_PLACE.search(message):
        return message
    text, origins, path = compiled
    where = _located(message, text, origins, path).diagnostic
    return f"{_SAXON_PLACE.sub('', message).strip()} ({where.path} line {where.line})"


_SAXON_PLACE = re.compile(r"\bon line (\d+)(?: column (\d+))? of \S+?:(?=\s|$)|\bat line (\d+) in \S+")


def _located(message: str, text: str, origins: list[tuple[Path, int]], path: Path) -> StylesheetError:
    """Saxon's message on the inlined text, as a diagnostic on the file and line it came from."""
    found = _SAXON_PLACE.search(message)
    # (no column: Saxon's counts characters of the inlined text, where lxml has written
    # each start tag on one line with its own spacing)
    file, line, col = path, 0, 0
    if found:
        inlined_line = int(found.group(1) or found.group(3))
        lines = [e.sourceline or 0 for e in etree.fromstring(text).iter(tag=etree.Element)]
        # the last element starting at or before the reported line, and the offset into it
        best = None
        for index, start in enumerate(lines):
            if start > inlined_line:
                break
            best = index
        if best is not None and best < len(origins):
            file, line = origins[best][0], origins[best][1] + inlined_line - lines[best]
        message = _SAXON_PLACE.sub("", message)
    return StylesheetError(shown(file), line, col, " ".join(message.split()))


def document(loaded: LoadedXML, *, release_tree: bool = False, release_source: bool = False) -> PyXdmNode:
    """The document ``loaded`` (already parsed safely by lxml) as a Saxon node.

    Saxon gets the tree serialized with every non-ASCII character as a
    character reference: a Python string of one byte a character, where the
    plain Unicode serialization of a text with curly quotes takes two (four
    with any character outside the BMP). With ``release_tree`` the lxml tree
    is dropped before Saxon parses, so the two trees are never in memory
    together (it is parsed again from the file's bytes if asked for later).
    With ``release_source`` the file's bytes go as well (see
    ``LoadedXML.release_source``). Either way, the bytes are gone while
    the text is made (``LoadedXML.set_aside_source``). All of this is
    measured by ``make bench`` on a 50 MB document. The node is kept on
    ``loaded``: validating and then publishing a document builds Saxon's
    tree once.
    """
    if loaded.saxon_node is None:
        loaded.saxon_node = _parse(loaded, release_tree, release_source)
    else:
        _release(loaded, release_tree, release_source)
    return loaded.saxon_node  # type: ignore[return-value]


def _parse(loaded: LoadedXML, release_tree: bool, release_source: bool) -> PyXdmNode:
    ascii_safe = loaded.raw.isascii() or _ascii_safe(loaded.tree)
    # the bytes are not needed while the text is made (a third copy of the document)
    if release_source:
        loaded.drop_source()
    elif release_tree:
        loaded.set_aside_source()
    if ascii_safe:
        serialized = etree.tostring(loaded.tree, encoding="ascii", xml_declaration=False)
    else:
        serialized = etree.tostring(loaded.tree, encoding="unicode")
    _release(loaded, release_tree, release_source)  # before the text is made from the bytes
    text = serialized.decode("ascii") if isinstance(serialized, bytes) else serialized
    del serialized
    return processor().parse_xml(xml_text=text)


def _release(loaded: LoadedXML, tree: bool, source: bool) -> None:
    if source:
        loaded.release_source()
    elif tree:
        loaded.release_tree()


def _ascii_safe(tree: etree._ElementTree) -> bool:
    """Whether character references can stand for every non-ASCII character: not in a name
    (``<pr&#233;nom>`` is not XML), nor inside a comment or a processing instruction, where
    a reference is not a reference (those outside the root element too)."""
    root = tree.getroot()
    for node in (*root.itersiblings(preceding=True), *root.iter(), *root.itersiblings()):
        tag = node.tag
        if isinstance(tag, str):
            if not tag.isascii() or (len(node.attrib) and not "".join(node.attrib.keys()).isascii()):
                return False
        elif not (node.text or "").isascii() or (isinstance(node, etree._ProcessingInstruction)
                                                  and not node.target.isascii()):
            return False
    return True
