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
from pathlib import Path

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from cmctei.diagnostics import StylesheetError
from cmctei.saxon_limits import check_address_space
from cmctei.xmlio import LoadedXML, safe_parser

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


XSL = "{http://www.w3.org/1999/XSL/Transform}"


def _inline_includes(path: Path, seen: set[Path], origins: list[tuple[Path, int]]) -> etree._Element:
    """The stylesheet at ``path`` with every xsl:include replaced by the module's declarations.

    ``origins`` receives, for each element of the result in document order, the file and
    line it comes from, so that Saxon's line numbers can be turned back into the author's.
    """
    path = path.resolve()
    if path in seen:
        raise StylesheetError(_shown(path), 0, 0, "the module is included twice (an include cycle?)")
    seen.add(path)
    try:
        root = etree.parse(str(path), safe_parser()).getroot()
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise StylesheetError(_shown(path), line, col, f"the stylesheet is not well-formed XML: {exc.msg}") from exc
    except OSError as exc:
        raise StylesheetError(_shown(path), 0, 0, f"the stylesheet cannot be read: {exc.strerror or exc}") from exc
    inlined: dict[int, tuple[etree._Element, list[tuple[Path, int]]]] = {}
    for include in list(root.iter(XSL + "include")):
        module_origins: list[tuple[Path, int]] = []
        module = _inline_includes((path.parent / include.get("href", "")), seen, module_origins)
        at = 1  # module_origins[0] is the module's root, which is not inlined
        parent = include.getparent()
        position = parent.index(include)
        parent.remove(include)
        for offset, declaration in enumerate(child for child in module if isinstance(child.tag, str)):
            size = sum(1 for _ in declaration.iter(tag=etree.Element))
            inlined[id(declaration)] = (declaration, module_origins[at:at + size])
            at += size
            parent.insert(position + offset, declaration)

    def walk(element: etree._Element) -> None:
        if id(element) in inlined and inlined[id(element)][0] is element:
            origins.extend(inlined[id(element)][1])
            return
        origins.append((path, element.sourceline or 0))
        for child in element:
            if isinstance(child.tag, str):
                walk(child)

    walk(root)
    return root


def compile_stylesheet(path: Path) -> PyXsltExecutable:
    """Compile a stylesheet file and the modules it includes, once per process.

    Saxon itself is never allowed to read a file, not even the stylesheet:
    the processor is locked when created (a lock that cannot be lifted), so
    the modules are read here with lxml and inlined (``xsl:include`` has the
    semantics of textual inclusion) before Saxon compiles the text. A static
    error is reported at its line in the author's file (``StylesheetError``),
    not at the line of the inlined text.
    """
    origins: list[tuple[Path, int]] = []
    text = etree.tostring(_inline_includes(path, set(), origins), encoding="unicode")
    try:
        executable = processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
    except PySaxonApiError as exc:
        raise _located(str(exc), text, origins, path) from exc
    _COMPILED[executable] = (text, origins, path)
    return executable


# what compile_stylesheet compiled, to place a run-time error (relocate)
_COMPILED: dict[PyXsltExecutable, tuple[str, list[tuple[Path, int]], Path]] = {}


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
    return StylesheetError(_shown(file), line, col, " ".join(message.split()))


def _shown(path: Path) -> str:
    """A stylesheet's path as the user knows it: relative to where they are, if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
