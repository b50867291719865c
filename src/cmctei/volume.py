"""TEI that cmctei did not write: what kind of file it is, and a volume cut into documents.

A *volume* is a TEI file whose text holds two or more ``div[@type='document']``
(outermost ones: FRUS). It is published as a volume: one page per document
and a contents page holding everything else (title page, front matter,
chapter and subchapter headings, back matter), with each document there as
an entry.

Publishing streams it: each document is handed to Saxon on its own, as the
volume's ``teiHeader`` followed by a text holding only that document (the
way FRUS cuts single documents itself), so Saxon never holds the volume;
once published, the document's subtree is let go from the lxml tree
(:meth:`Volume.release`), which ends as the contents page. The page breaks
that stand just before a document (between documents) go with it; a
document that starts on a page begun earlier says so through the outline.

The *outline* (:meth:`Volume.outline`) is what the stylesheets learn about
the volume besides the document in hand (``cm:volume`` in common.xsl): its
documents in order (id, number, title, date, pages, the page each is
published on) and, for every element that something in the volume points
at (``#id``), the page it is published on, so a pointer from one document to
another, or to the persons and terms lists of the front matter, is a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cmctei import output_paths
from cmctei.xmlio import TEI_NS, XML_NS

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
CM_NS = "urn:cmctei"
POINTING = ("target", "corresp", "ref")


def is_tei(root: etree._Element) -> bool:
    return root.tag in (T + "TEI", T + "teiCorpus")


def is_master(root: etree._Element, path: Path, tei_dir: Path) -> bool:
    """A cmctei master: in the project's tei/ folder, or declaring itself one (an idno of
    type cmctei). Anything else is TEI that cmctei did not write."""
    if path.resolve().parent == tei_dir.resolve():
        return True
    return bool(root.xpath("t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[@type='cmctei']",
                           namespaces={"t": TEI_NS}))


def document_divs(root: etree._Element) -> list[etree._Element]:
    """The outermost ``div[@type='document']`` of the text, in order."""
    return root.xpath("t:text//t:div[@type='document'][not(ancestor::t:div[@type='document'])]",
                      namespaces={"t": TEI_NS})


@dataclass
class Part:
    """One document of a volume."""

    local: str  # its id in the volume (xml:id, else @n, else its position)
    key: str  # its output id: <volume>-<local>, safe (output_paths)
    position: int
    element: etree._Element
    leading: list[etree._Element] = field(default_factory=list)  # page breaks just before it
    n: str = ""
    first_page: str = ""
    last_page: str = ""
    facts: dict = field(default_factory=dict)  # title, date … (facts.xsl), filled in by publish

    @property
    def pages(self) -> str:
        if self.first_page and self.last_page and self.last_page != self.first_page:
            return f"{self.first_page}–{self.last_page}"
        return self.first_page or self.last_page


class Volume:
    """A volume: its documents (:attr:`parts`) and where each pointed-at element is published."""

    def __init__(self, root: etree._Element, volume_id: str) -> None:
        self.root = root
        self.id = output_paths.output_id(volume_id)
        self.parts: list[Part] = []
        used: set[str] = {self.id}
        for position, div in enumerate(document_divs(root), start=1):
            local = div.get(XML_ID) or div.get("n") or str(position)
            key = output_paths.output_id(self.id, local)
            if key in used:  # two documents with the same id, or ids equal once made safe
                key = output_paths.output_id(self.id, local, str(position))
            used.add(key)
            self.parts.append(Part(local=local, key=key, position=position, element=div,
                                   n=(div.get("n") or "").strip()))
        self._leading_page_breaks()
        self._pages()
        self.targets = self._targets()

    @property
    def href(self) -> str:
        return f"{self.id}.html"

    def _leading_page_breaks(self) -> None:
        """A page break standing just before a document (only page breaks and whitespace
        between) belongs to that document: it is where it starts."""
        for part in self.parts:
            sibling = part.element.getprevious()
            leading = []
            while sibling is not None and sibling.tag == T + "pb" and not (sibling.tail or "").strip():
                leading.insert(0, sibling)
                sibling = sibling.getprevious()
            part.leading = leading

    def _pages(self) -> None:
        """The first and last page of each document, from the page breaks in reading order."""
        starts = {id(p.element): p for p in self.parts}
        leading = {id(pb): p for p in self.parts for pb in p.leading}
        current = ""
        inside: Part | None = None
        end: etree._Element | None = None
        for element in self.root.iter(T + "pb", T + "div"):
            if inside is not None and end is not None and not _is_descendant(element, end):
                inside, end = None, None
            if element.tag == T + "div":
                part = starts.get(id(element))
                if part is not None:
                    part.first_page = part.first_page or current
                    part.last_page = current
                    inside, end = part, element
                continue
            n = (element.get("n") or "").strip()
            if not n:
                continue
            current = n
            owner = leading.get(id(element))
            if owner is not None:
                owner.first_page = n
            if inside is not None:
                if not inside.first_page:
                    inside.first_page = n
                inside.last_page = n

    def _targets(self) -> dict[str, str]:
        """For every element of the text that something points at (#id): the href of the
        page it is published on (a document's page, or the contents page)."""
        wanted: set[str] = set()
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in POINTING:
                value = element.get(attribute)
                if value and "#" in value:
                    wanted.update(token[1:] for token in value.split() if token.startswith("#"))
        text = self.root.find(T + "text")
        if text is None or not wanted:
            return {}
        hrefs: dict[str, str] = {}
        for part in self.parts:
            page = f"{part.key}.html"
            for top in [*part.leading, part.element]:
                for element in top.iter():
                    ident = element.get(XML_ID) if isinstance(element.tag, str) else None
                    if ident in wanted:
                        hrefs[ident] = page if element is part.element else f"{page}#{ident}"
        for element in text.iter():
            ident = element.get(XML_ID) if isinstance(element.tag, str) else None
            if ident in wanted and ident not in hrefs:
                hrefs[ident] = f"{self.href}#{ident}"
        return hrefs

    # ------------------------------------------------------------ what Saxon gets

    def header_text(self) -> str:
        header = self.root.find(T + "teiHeader")
        return etree.tostring(header, encoding="unicode", with_tail=False) if header is not None else ""

    def part_text(self, part: Part, header: str) -> str:
        """One document as a TEI document of its own: the volume's header, then a text
        holding the page breaks just before it and the document."""
        root_attributes = {"xml:id": part.key}
        lang = self.root.get(XML_LANG)
        if lang:
            root_attributes["xml:lang"] = lang
        inherited = _inherited_lang(part.element)
        body = f' xml:lang="{_escape(inherited)}"' if inherited and inherited != lang else ""
        attributes = "".join(f' {name}="{_escape(value)}"' for name, value in root_attributes.items())
        pieces = [etree.tostring(e, encoding="unicode", with_tail=False) for e in [*part.leading, part.element]]
        return (f'<TEI xmlns="{TEI_NS}"{attributes}>{header}<text><body{body}>'
                + "\n".join(pieces) + "</body></text></TEI>")

    def release(self, part: Part) -> None:
        """Let the document go: its page breaks leave the tree, the document stays as an
        empty entry (its attributes) for the contents page."""
        for pb in part.leading:
            _remove_keeping_tail(pb)
        element = part.element
        for child in list(element):
            element.remove(child)
        element.text = None

    def contents_text(self) -> str:
        """The volume without its documents (each an empty entry): the contents page."""
        return etree.tostring(self.root, encoding="unicode")

    def outline(self, title: str) -> str:
        """The outline the stylesheets get as ``cm:volume`` (see common.xsl)."""
        root = etree.Element(f"{{{CM_NS}}}volume", nsmap={"cm": CM_NS}, id=self.id, href=self.href, title=title)
        for part in self.parts:
            entry = etree.SubElement(root, f"{{{CM_NS}}}part", id=part.local, key=part.key,
                                     href=f"{part.key}.html", position=str(part.position))
            if part.n:
                entry.set("n", part.n)
            for name in ("title", "date"):
                if part.facts.get(name):
                    entry.set(name, str(part.facts[name]))
            if part.pages:
                entry.set("pages", part.pages)
        for ident, href in sorted(self.targets.items()):
            etree.SubElement(root, f"{{{CM_NS}}}target", id=ident, href=href)
        return etree.tostring(root, encoding="unicode")


def _is_descendant(element: etree._Element, ancestor: etree._Element) -> bool:
    node = element.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _inherited_lang(element: etree._Element) -> str:
    node = element.getparent()
    while node is not None:
        if node.get(XML_LANG):
            return node.get(XML_LANG)
        node = node.getparent()
    return ""


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
