"""The site's own pages: the index entry of each document, the index and person pages.

Each published document leaves a summary (:func:`summary`: date, genre, classification,
title, sender and recipient, the register's persons and what they do in it), kept in the
manifest; from all of them and the person register, :func:`write` makes the collection
page (index.html), one index page per genre and per classification, the person index and
the search page, fills in each document page's previous/next links (:func:`fill_sequence`),
copies the assets and what the published TEI points at (the register, the schemas), and
has :mod:`cmctei.harvest` and :mod:`cmctei.search` make the rest of the site. The pages and
the links are transformed only when what they are made from changed since the last run
(:mod:`cmctei.site_record`): an edit that no index shows costs no site transform.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from lxml import etree

from cmctei import paths, site_record, xmlio
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.output_paths import UnsafeName, output_file
from cmctei.output_paths import write_output as write_atomic, write_output_if_changed
from cmctei.xmlio import TEI_NS, XML_NS

if TYPE_CHECKING:
    from cmctei.publish import Publisher

NS = {"t": TEI_NS}
# The label of "no classification" where a document's own taxonomy gives none (TEI from
# elsewhere): the converter's (convert/header.py), so that one facet of a mixed collection
# is not split in two ("Unmarked" beside "No classification marking").
UNMARKED_LABEL = "No classification marking"


def _string(value) -> str:
    return " ".join(str(value).split())


class BadBaseURL(ValueError):
    """The site base URL is not an absolute http(s) address."""


def base_url_setting(value: str) -> str:
    """The site's base URL as the outputs use it: absolute http(s), ending with "/".

    Checked because it is written into every page and citation: an address that is not
    one (a relative path, a javascript: URL, spaces) would be published as a link."""
    parts = urlsplit(value.strip())
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment
            or any(ch.isspace() or ch in '"<>\\' for ch in value.strip())):
        raise BadBaseURL(f"the base URL must be an absolute http:// or https:// address without query or "
                         f"fragment, such as https://example.org/cmctei/ (got {value!r})")
    url = value.strip()
    return url if url.endswith("/") else url + "/"


# What the index pages need of a document (summary), compiled once: compiling them for each
# document cost more than evaluating them (issue 18)
_SUMMARY = {name: etree.XPath(expr, namespaces=NS) for name, expr in {
    "date": "string((//t:profileDesc/t:creation/t:date/@when)[1])",
    "genre": "substring(string((//t:catRef[@scheme='#genre']/@target)[1]), 2)",
    "classification": "substring(string((//t:catRef[@scheme='#classification']/@target)[1]), 2)",
    "label": "string((//t:taxonomy[@xml:id=$tax]/t:category[@xml:id=$code]/t:catDesc)[1])",
    "banner": "(//t:text//t:fw[@type='classification'])[1]",
    "title": "string((//t:titleStmt/t:title[@type='main'] | //t:titleStmt/t:title[1])[1])",
    "revised": "//t:teiHeader/t:revisionDesc//@when",
    "corresp": "//t:profileDesc/t:correspDesc/t:correspAction[@type='sent' or @type='received']",
    "corresp names": "t:persName | t:name | t:orgName",
    "same-as": "//*[@sameAs][@xml:id]",
    "speaks": "//t:sp/@who",
    "sends": "//t:correspAction[@type='sent']/t:persName/@ref",
    "receives": "//t:correspAction[@type='received']/t:persName/@ref",
    "signs": "//t:closer/t:signed/t:persName/@ref",
    "writes": "//t:titleStmt/t:author/t:persName/@ref",
    "is named": "//t:text//t:persName/@ref | //t:text//@who[not(parent::t:sp)]",
    "takes part": "//t:particDesc//t:person/@xml:id",
}.items()}


def register_node(publisher: "Publisher"):
    """The person register as the document pages get it (site.xsl's cm:register: main names
    by id), as a Saxon node; None without a register."""
    register = publisher.register_path or paths.tei_dir() / paths.REGISTER_NAME
    loaded, _ = xmlio.load(register) if register.is_file() else (None, [])
    if loaded is None:
        return None
    persons = etree.Element("persons")
    for person in loaded.root.iter(f"{{{TEI_NS}}}person", f"{{{TEI_NS}}}personGrp"):
        main = person.xpath("string((t:persName[@type='main'] | t:persName[1] | t:name[1])[1])", namespaces=NS)
        pid = person.get(f"{{{XML_NS}}}id")
        if pid:
            etree.SubElement(persons, "person", id=pid, name=_string(main) or pid)
    return publisher.proc.parse_xml(xml_text=etree.tostring(persons, encoding="unicode"))


def summary(docid: str, tree: etree._ElementTree) -> etree._Element:
    """What the index pages need to know about one document."""
    root = tree.getroot()
    x = lambda name, **variables: _SUMMARY[name](root, **variables)  # noqa: E731
    date = _string(x("date"))
    genre = _string(x("genre"))
    level = _string(x("classification"))
    label = lambda tax, code: _string(x("label", tax=tax, code=code)) or code  # noqa: E731
    mark = x("banner")
    doc = etree.SubElement(etree.Element("x"), "doc", id=docid, date=date, genre=genre or "unknown",
                           classification=level or "unmarked")
    doc.set("date-label", long_date(date))
    doc.set("genre-label", label("genre", genre) or "Unknown")
    doc.set("classification-label", label("classification", level) or UNMARKED_LABEL)
    doc.set("banner", _string("".join(t for t in mark[0].itertext())) if mark else "")
    if mark:  # the mark as printed, its struck words struck (index.xsl): "TOP SECRET" struck is no level
        _printed_mark(doc, mark[0])
    doc.set("title", _string(x("title")))
    revised = sorted(d[:10] for d in x("revised") if re.match(r"\d{4}-\d{2}-\d{2}", d))
    if revised:
        doc.set("revised", revised[-1])  # the record's datestamp in oai.xml (harvest.py)
    # who sent and who received it, as printed (index.xsl and site.xsl say "From … to …")
    for action in x("corresp"):
        for name in _SUMMARY["corresp names"](action):
            corresp = etree.SubElement(doc, "corresp", type=action.get("type"),
                                       element=etree.QName(name).localname)
            ref = (name.get("ref") or "").split()
            if ref and ref[0].startswith("persons.xml#"):
                corresp.set("person", ref[0].split("#", 1)[1])
            corresp.text = _string("".join(name.itertext()))
    roles: list[tuple[str, str]] = []

    # one pass for every local id's sameAs (a lookup per pointer would be quadratic)
    same_as = {str(e.get(f"{{{XML_NS}}}id")): str(e.get("sameAs")) for e in x("same-as")}

    def local_to_register(pointer: str) -> str | None:
        token = pointer.split()[0] if pointer.split() else ""
        if token.startswith("persons.xml#"):
            return token.split("#", 1)[1]
        if token.startswith("#"):
            found = same_as.get(token[1:])
            if found and found.startswith("persons.xml#"):
                return found.split("#", 1)[1]
        return None

    for kind in ("speaks", "sends", "receives", "signs", "writes", "is named", "takes part"):
        for value in x(kind):
            roles.append((kind, ("#" + value) if kind == "takes part" else value))
    seen: set[tuple[str, str]] = set()
    for kind, pointer in roles:
        for token in str(pointer).split():
            person = local_to_register(token)
            if person and (person, kind) not in seen:
                seen.add((person, kind))
                etree.SubElement(doc, "role", person=person, role=kind)
    return doc


_MARK_TEXT = etree.XPath(".//text()[not(ancestor::t:note)]", namespaces=NS)
_DEL = f"{{{TEI_NS}}}del"


def _struck(text) -> bool:
    """Whether a text node (an lxml string result) is inside a ``<del>``."""
    holder = text.getparent()
    if holder is not None and text.is_tail:
        holder = holder.getparent()
    while holder is not None:
        if holder.tag == _DEL:
            return True
        holder = holder.getparent()
    return False


def _printed_mark(doc: etree._Element, mark: etree._Element) -> None:
    """``<banner>`` in the summary: the mark's words (not its notes), each run of struck words
    in a ``<del>``, spaces collapsed as in ``@banner``."""
    runs: list[list] = []  # [struck, text]
    for node in _MARK_TEXT(mark):
        struck = _struck(node)
        if runs and runs[-1][0] == struck:
            runs[-1][1] += str(node)
        else:
            runs.append([struck, str(node)])
    if not any(struck for struck, _ in runs):
        return
    text = "".join(part for _, part in runs)
    lead, trail = len(text) - len(text.lstrip()), len(text.rstrip())
    banner = etree.SubElement(doc, "banner")
    at, last = 0, None
    for struck, part in runs:
        start, end = max(at, lead), min(at + len(part), trail)
        at += len(part)
        words = re.sub(r"\s+", " ", text[start:end]) if end > start else ""
        if not words:
            continue
        if struck:
            last = etree.SubElement(banner, "del")
            last.text = words
        elif last is None:
            banner.text = (banner.text or "") + words
        else:
            last.tail = (last.tail or "") + words


def write(publisher: "Publisher", corpus: etree._Element) -> list[Diagnostic]:
    """Write the index pages and the person index, fill in each page's previous/next links,
    copy the register, schemas and assets; the problems of pages not made. The zip, the
    sitemap, the repository (:func:`write_rest`) and the search index (:func:`search_index`)
    come after, from the finished pages."""
    html = publisher.out / "html"
    problems: list[Diagnostic] = []
    register = publisher.register_path or paths.tei_dir() / paths.REGISTER_NAME
    publisher.current = str(register)  # the index pages are made from the register and the summaries
    loaded, _ = xmlio.load(register) if register.is_file() else (None, [])
    if loaded is not None:
        revised = sorted(d[:10] for d in loaded.root.xpath("//t:teiHeader/t:revisionDesc//@when", namespaces=NS)
                         if re.match(r"\d{4}-\d{2}-\d{2}", d))
        if revised:
            corpus.set("register-revised", revised[-1])
        # groups too: a transcript's unidentified speakers link to the register's personGrp
        for person in loaded.root.iter(f"{{{TEI_NS}}}person", f"{{{TEI_NS}}}personGrp"):
            pid = person.get(f"{{{XML_NS}}}id")
            main = person.xpath("string((t:persName[@type='main'] | t:persName[1] | t:name[1])[1])",
                                namespaces=NS)
            entry = etree.SubElement(corpus, "person", id=pid, name=_string(main),
                                     sort=_string(main).split()[-1].lower() if main.split() else pid)
            for variant in person.xpath("t:persName[@type='variant']", namespaces=NS):
                etree.SubElement(entry, "variant").text = _string("".join(variant.itertext()))
            for occupation in person.xpath("t:occupation", namespaces=NS):
                held = etree.SubElement(entry, "occupation")
                held.text = _string("".join(occupation.itertext()))
                for edge in ("from", "to", "notBefore", "notAfter", "when"):
                    if occupation.get(edge):
                        held.set(edge, _string(occupation.get(edge)))
            for event in ("birth", "death"):
                when = person.xpath(f"string((t:{event}/@when | t:{event}/t:date/@when)[1])", namespaces=NS)
                if when:
                    entry.set(event, _string(when))
    text = etree.tostring(corpus, encoding="unicode")  # what Saxon parses: what the pages are made from
    pages: list[tuple[Path, str, dict[str, str]]] = [(html / "index.html", "index", {})]
    for facet in ("genre", "classification"):
        for value in sorted({d.get(facet) for d in corpus.iter("doc")}):
            try:
                target = output_file(html, f"index-{facet}-{value}.html")
            except UnsafeName as exc:  # a value no schema closed (TEI that cmctei did not write)
                problems.append(Diagnostic(publisher.current, 0, 0, ERROR, "publish-failed",
                                           f"the index page of {facet} {value!r} was not made: {exc}"))
                continue
            pages.append((target, "index", {"facet": facet, "value": value}))
    pages += [(html / "persons.html", "persons", {}), (html / "search.html", "search", {})]
    record = publisher.out / site_record.RECORD
    inputs = site_record.inputs_digest(publisher.config_digest or publisher.config(), text)
    navs = None if publisher.rebuild else site_record.reusable(record, inputs, [target for target, _, _ in pages])
    if navs is None:  # something they are made from changed, or a page is not as it was written
        navs = _make_pages(publisher, text, pages, record, inputs)
    written = {target.name for target, _, _ in pages}
    for stale in html.glob("index-*-*.html"):
        if stale.name not in written:
            stale.unlink()
    publisher.sequence_digests = fill_sequence(publisher, navs, corpus)
    # what the published TEI points at: the register (ref="persons.xml#…") and the schemas
    # (<?xml-model href="../schemas/…"?>), so that build/html/tei/ validates where it stands
    if register.is_file():
        write_output_if_changed(html / "tei" / paths.REGISTER_NAME, register.read_bytes())
    for schema in sorted(paths.schemas_dir().glob("*.xsd")) + sorted(paths.schemas_dir().glob("*.sch")):
        write_output_if_changed(html / "schemas" / schema.name, schema.read_bytes())
    assets = {asset.name: asset for asset in sorted((publisher.xslt / "assets").iterdir())}
    if publisher.custom is not None and (publisher.custom / "assets").is_dir():  # a customisation's own
        assets.update({asset.name: asset for asset in sorted((publisher.custom / "assets").iterdir()) if asset.is_file()})
    for name, asset in sorted(assets.items()):
        write_output_if_changed(html / name, asset.read_bytes())
    return problems


def write_rest(publisher: "Publisher", corpus: etree._Element) -> list[Diagnostic]:
    """What is made from the finished pages and the corpus: the zip, the sitemap and the
    static repository (harvest.py). Run by ``publish`` while the search index is made."""
    from cmctei import harvest

    return harvest.write(publisher, corpus)


def search_index(publisher: "Publisher") -> list[Diagnostic]:
    """The search index of the finished document pages (search.py), or none with
    ``--no-search``; its problems."""
    from cmctei import search

    return search.index(publisher) if publisher.search else search.remove(publisher)


def _make_pages(publisher: "Publisher", text: str, pages: list[tuple[Path, str, dict[str, str]]],
                record: Path, inputs: str) -> dict:
    """Transform and write the site's own pages and make the previous/next links; record
    them (:mod:`cmctei.site_record`). Returns the links, by document."""
    site_record.forget(record)
    node = publisher.proc.parse_xml(xml_text=text)
    title = publisher._title()
    written: dict[str, str] = {}
    for target, sheet, params in pages:
        page = publisher._transform(sheet, node, **title, **{
            name: publisher.proc.make_string_value(value) for name, value in params.items()}).encode("utf-8")
        write_atomic(target, page)
        written[target.name] = hashlib.sha256(page).hexdigest()
    sequence = publisher._transform("sequence", node, **title)
    navs = json.loads(sequence)
    site_record.write(record, inputs, written, sequence)
    return navs


SLOT = re.compile(r"<!--cmctei:sequence-(top|bottom)-->.*?<!--/cmctei:sequence-\1-->", re.S)


def fill_sequence(publisher: "Publisher", navs: dict, corpus: etree._Element) -> dict[str, str]:
    """Put each document's previous/next links (``navs``: sequence.xsl's output, by document)
    into the slots its page left for them; returns, per document, the digest of the links it
    now has.

    A page is rewritten only when its links differ from those the manifest says it has (a
    document added, removed or redated elsewhere), or when the page itself was just made:
    an incremental run gives the bytes of a full one without transforming unchanged
    documents again."""
    html = publisher.out / "html"
    digests: dict[str, str] = {}
    for doc in corpus.iter("doc"):
        docid = doc.get("id") or ""
        links = navs.get(docid) if isinstance(navs, dict) else None
        if not isinstance(links, dict):
            continue
        top, bottom = str(links.get("top", "")), str(links.get("bottom", ""))
        digest = hashlib.sha256(f"{top}\0{bottom}".encode("utf-8")).hexdigest()
        digests[docid] = digest
        entry = publisher.entries.get(docid) or {}
        if entry.get("sequence") == digest:
            continue  # the page has these links already
        try:
            _fill_slots(output_file(html, f"{docid}.html"), top, bottom)
        except (UnsafeName, OSError):
            continue
    return digests


EDGE = 1 << 20  # the slots are in the header and the footer: this much of each end is read


def _fill_slots(page: Path, top: str, bottom: str) -> None:
    """Put the links into the page's slots, reading only the ends of the page where they are
    (a page can be tens of megabytes: its middle is copied, never held)."""
    size = page.stat().st_size

    def filled(text: str) -> str:
        return SLOT.sub(lambda m: f"<!--cmctei:sequence-{m[1]}-->{top if m[1] == 'top' else bottom}"
                                  f"<!--/cmctei:sequence-{m[1]}-->", text)

    with page.open("rb") as handle:
        head = handle.read(EDGE)
        handle.seek(max(size - EDGE, 0))
        tail = handle.read()
    # cut both ends at a line break, so that no character is split between the three parts
    head = head[:head.rfind(b"\n") + 1]
    tail = tail[tail.find(b"\n") + 1:]
    whole = (size <= 2 * EDGE or b"\n" not in tail or b"<!--/cmctei:sequence-top-->" not in head
             or b"<!--cmctei:sequence-bottom-->" not in tail)
    if whole:  # a small page, or one whose slots are not where they are expected: read it all
        text = page.read_text(encoding="utf-8")
        if filled(text) != text:
            write_atomic(page, filled(text).encode("utf-8"))
        return
    new_head, new_tail = (filled(part.decode("utf-8")).encode("utf-8") for part in (head, tail))
    if new_head == head and new_tail == tail:
        return

    def write(target) -> None:
        target.write(new_head)
        with page.open("rb") as source:
            source.seek(len(head))
            remaining = size - len(head) - len(tail)
            while remaining > 0:
                chunk = source.read(min(remaining, EDGE))
                if not chunk:
                    break
                target.write(chunk)
                remaining -= len(chunk)
        target.write(new_tail)

    write_atomic(page, write)


def long_date(iso: str) -> str:
    """"1962-10-27" → "October 27, 1962"; a year stays a year; no date: "undated"."""
    from datetime import date

    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        value = date.fromisoformat(iso)
        return f"{months[value.month - 1]} {value.day}, {value.year}"
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return f"{months[int(iso[5:7]) - 1]} {iso[:4]}"
    return iso or "undated"
