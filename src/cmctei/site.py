"""The site's own pages: the index entry of each document, the index and person pages.

Each published document leaves a summary (:func:`summary`: date, genre, classification,
title, the register's persons and what they do in it), kept in the manifest; from all
of them and the person register, :func:`write` makes the site index, one index page per
genre and per classification, and the person index, and copies the assets.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from lxml import etree

from cmctei import paths, xmlio
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.output_paths import UnsafeName, output_file
from cmctei.output_paths import write_output as write_atomic
from cmctei.xmlio import TEI_NS, XML_NS

if TYPE_CHECKING:
    from cmctei.publish import Publisher

NS = {"t": TEI_NS}


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


def summary(docid: str, tree: etree._ElementTree) -> etree._Element:
    """What the index pages need to know about one document."""
    root = tree.getroot()
    x = lambda expr: root.xpath(expr, namespaces=NS)  # noqa: E731
    date = _string(x("string((//t:profileDesc/t:creation/t:date/@when)[1])"))
    genre = _string(x("substring(string((//t:catRef[@scheme='#genre']/@target)[1]), 2)"))
    level = _string(x("substring(string((//t:catRef[@scheme='#classification']/@target)[1]), 2)"))
    label = lambda tax, code: _string(x(  # noqa: E731
        f"string((//t:taxonomy[@xml:id='{tax}']/t:category[@xml:id='{code}']/t:catDesc)[1])")) or code
    mark = x("(//t:text//t:fw[@type='classification'])[1]")
    doc = etree.SubElement(etree.Element("x"), "doc", id=docid, date=date, genre=genre or "unknown",
                           classification=level or "unmarked")
    doc.set("date-label", long_date(date))
    doc.set("genre-label", label("genre", genre) or "Unknown")
    doc.set("classification-label", label("classification", level) or "Unmarked")
    doc.set("banner", _string("".join(t for t in mark[0].itertext())) if mark else "")
    doc.set("title", _string(x("string((//t:titleStmt/t:title[@type='main'] | //t:titleStmt/t:title[1])[1])")))
    roles: list[tuple[str, str]] = []

    # one pass for every local id's sameAs (a lookup per pointer would be quadratic)
    same_as = {str(e.get(f"{{{XML_NS}}}id")): str(e.get("sameAs"))
               for e in root.iter() if isinstance(e.tag, str) and e.get("sameAs") is not None
               and e.get(f"{{{XML_NS}}}id") is not None}

    def local_to_register(pointer: str) -> str | None:
        token = pointer.split()[0] if pointer.split() else ""
        if token.startswith("persons.xml#"):
            return token.split("#", 1)[1]
        if token.startswith("#"):
            found = same_as.get(token[1:])
            if found and found.startswith("persons.xml#"):
                return found.split("#", 1)[1]
        return None

    for who in x("//t:sp/@who"):
        roles.append(("speaks", who))
    for kind, expr in (("sends", "//t:correspAction[@type='sent']/t:persName/@ref"),
                       ("receives", "//t:correspAction[@type='received']/t:persName/@ref"),
                       ("signs", "//t:closer/t:signed/t:persName/@ref"),
                       ("writes", "//t:titleStmt/t:author/t:persName/@ref"),
                       ("is named", "//t:text//t:persName/@ref | //t:text//@who[not(parent::t:sp)]"),
                       ("takes part", "//t:particDesc//t:person/@xml:id")):
        for value in x(expr):
            roles.append((kind, ("#" + value) if kind == "takes part" else value))
    seen: set[tuple[str, str]] = set()
    for kind, pointer in roles:
        for token in str(pointer).split():
            person = local_to_register(token)
            if person and (person, kind) not in seen:
                seen.add((person, kind))
                etree.SubElement(doc, "role", person=person, role=kind)
    return doc


def write(publisher: "Publisher", corpus: etree._Element) -> list[Diagnostic]:
    """Write the index pages and the person index; the problems of pages not made."""
    html = publisher.out / "html"
    problems: list[Diagnostic] = []
    register = publisher.register_path or paths.tei_dir() / paths.REGISTER_NAME
    publisher.current = str(register)  # the index pages are made from the register and the summaries
    loaded, _ = xmlio.load(register) if register.is_file() else (None, [])
    if loaded is not None:
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
                etree.SubElement(entry, "occupation").text = _string("".join(occupation.itertext()))
    node = publisher.proc.parse_xml(xml_text=etree.tostring(corpus, encoding="unicode"))
    title = publisher._title()
    write_atomic(html / "index.html", publisher._transform("index", node, **title).encode("utf-8"))
    written = set()
    for facet in ("genre", "classification"):
        for value in sorted({d.get(facet) for d in corpus.iter("doc")}):
            try:
                target = output_file(html, f"index-{facet}-{value}.html")
            except UnsafeName as exc:  # a value no schema closed (TEI that cmctei did not write)
                problems.append(Diagnostic(publisher.current, 0, 0, ERROR, "publish-failed",
                                           f"the index page of {facet} {value!r} was not made: {exc}"))
                continue
            written.add(target.name)
            page = publisher._transform("index", node, **{
                **title, "facet": publisher.proc.make_string_value(facet),
                "value": publisher.proc.make_string_value(value)})
            write_atomic(target, page.encode("utf-8"))
    for stale in html.glob("index-*-*.html"):
        if stale.name not in written:
            stale.unlink()
    write_atomic(html / "persons.html", publisher._transform("persons", node, **title).encode("utf-8"))
    assets = {asset.name: asset for asset in sorted((publisher.xslt / "assets").iterdir())}
    if publisher.custom is not None and (publisher.custom / "assets").is_dir():  # a customisation's own
        assets.update({asset.name: asset for asset in sorted((publisher.custom / "assets").iterdir()) if asset.is_file()})
    for name, asset in sorted(assets.items()):
        write_atomic(html / name, asset.read_bytes())
    return problems


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
