"""One Saxon processor per process, configured to read nothing by itself.

SaxonC starts a small JVM-like runtime; starting it once per process (not
once per file) is what keeps validation and publishing fast. Its defaults
are open (its parser expands external entities; ``doc()`` and
``unparsed-text()`` read local files), so cmctei never lets Saxon parse a
file: lxml parses with safe settings and Saxon receives the text. Reading
URIs from inside a stylesheet is switched off with ``allowedProtocols``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor, PyXdmNode, PyXsltExecutable

from cmctei.xmlio import LoadedXML, safe_parser

ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
_PROCESSOR: PySaxonProcessor | None = None


def processor() -> PySaxonProcessor:
    global _PROCESSOR
    if _PROCESSOR is None:
        proc = PySaxonProcessor(license=False)
        # An empty list of protocols forbids every URI read from stylesheets
        # (doc(), document(), unparsed-text(), collection()).
        proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
        _PROCESSOR = proc
    return _PROCESSOR


XSL = "{http://www.w3.org/1999/XSL/Transform}"


def _inline_includes(path: Path, seen: set[Path]) -> etree._Element:
    """The stylesheet at ``path`` with every xsl:include replaced by the module's declarations."""
    path = path.resolve()
    if path in seen:
        raise ValueError(f"{path}: included twice (include cycle?)")
    seen.add(path)
    root = etree.parse(str(path), safe_parser()).getroot()
    for include in list(root.iter(XSL + "include")):
        module = _inline_includes((path.parent / include.get("href", "")), seen)
        parent = include.getparent()
        position = parent.index(include)
        parent.remove(include)
        for offset, declaration in enumerate(child for child in module if isinstance(child.tag, str)):
            parent.insert(position + offset, declaration)
    return root


def compile_stylesheet(path: Path) -> PyXsltExecutable:
    """Compile a stylesheet file and the modules it includes, once per process.

    Saxon itself is never allowed to read a file, not even the stylesheet:
    the processor is locked when created (a lock that cannot be lifted), so
    the modules are read here with lxml and inlined (``xsl:include`` has the
    semantics of textual inclusion) before Saxon compiles the text.
    """
    text = etree.tostring(_inline_includes(path, set()), encoding="unicode")
    return processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)


def document(loaded: LoadedXML, *, release_tree: bool = False, release_source: bool = False) -> PyXdmNode:
    """The document ``loaded`` (already parsed safely by lxml) as a Saxon node.

    Saxon gets the tree serialized with every non-ASCII character as a
    character reference: a Python string of one byte a character, where the
    plain Unicode serialization of a text with curly quotes takes two (four
    with any character outside the BMP). With ``release_tree`` the lxml tree
    is dropped before Saxon parses, so the two trees are never in memory
    together (it is parsed again from the file's bytes if asked for later).
    With ``release_source`` the file's bytes go as well (see
    ``LoadedXML.release_source``). Both are measured by ``make bench`` on a
    50 MB document. The node is kept on ``loaded``: validating and then
    publishing a document builds Saxon's tree once.
    """
    if loaded.saxon_node is None:
        loaded.saxon_node = _parse(loaded, release_tree, release_source)
    else:
        _release(loaded, release_tree, release_source)
    return loaded.saxon_node  # type: ignore[return-value]


def _parse(loaded: LoadedXML, release_tree: bool, release_source: bool) -> PyXdmNode:
    proc = processor()
    if not (loaded.raw.isascii() or _ascii_safe(loaded.tree)):
        text = etree.tostring(loaded.tree, encoding="unicode")
        _release(loaded, release_tree, release_source)
        return proc.parse_xml(xml_text=text)
    serialized = etree.tostring(loaded.tree, encoding="ascii", xml_declaration=False)
    _release(loaded, release_tree, release_source)
    text = serialized.decode("ascii")
    del serialized
    return proc.parse_xml(xml_text=text)


def _release(loaded: LoadedXML, tree: bool, source: bool) -> None:
    if source:
        loaded.release_source()
    elif tree:
        loaded.release_tree()


def _ascii_safe(tree: etree._ElementTree) -> bool:
    """Whether character references can stand for every non-ASCII character: not in a name
    (``<pr&#233;nom>`` is not XML), nor inside a comment or a processing instruction, where
    a reference is not a reference."""
    for node in tree.iter():
        tag = node.tag
        if isinstance(tag, str):
            if not tag.isascii() or (len(node.attrib) and not "".join(node.attrib.keys()).isascii()):
                return False
        elif not (node.text or "").isascii() or (isinstance(node, etree._ProcessingInstruction)
                                                  and not node.target.isascii()):
            return False
    return True
