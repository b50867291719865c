"""Publishing: TEI masters → an HTML site, plain text and citations in ``build/``.

Every stylesheet is compiled once per run (:func:`cmctei.saxon.compile_stylesheet`);
each document is parsed once by lxml (safely) and handed to Saxon as text.
A master that fails validation is reported (path:line:col) and not
published; the rest are, and the run exits 1 at the end. Outputs are
written atomically and are byte-identical for the same inputs.

Layout::

    build/html/<docid>.html, index.html, index-<facet>-<value>.html,
               persons.html, cmctei.css, cmctei.js, tei/<docid>.xml
    build/text/<docid>.txt
    build/cite/<docid>.{txt,html,json,bib,ris}, all.json, all.bib, all.ris
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cmctei import paths, saxon, xmlio
from cmctei.convert.masters import write_atomic
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.validate import Validator
from cmctei.xmlio import TEI_NS, XML_NS

NS = {"t": TEI_NS}
OUTPUTS = ("html", "text", "cite")


@dataclass
class Report:
    published: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def _string(value) -> str:
    return " ".join(str(value).split())


class Publisher:
    def __init__(self, out: Path, outputs: tuple[str, ...] = OUTPUTS, register: Path | None = None,
                 site_title: str = "cmctei") -> None:
        self.out = out
        self.outputs = outputs
        self.site_title = site_title
        self.register_path = register
        xslt = paths.project_root() / "xslt"
        self.xslt = xslt
        self.proc = saxon.processor()
        self.sheets = {name: saxon.compile_stylesheet(xslt / f"{name}.xsl")
                       for name in ("html", "text", "cite", "index", "persons")
                       if name in outputs or (name in ("index", "persons") and "html" in outputs)
                       or (name == "cite" and "html" in outputs)}
        self.validator = Validator(register=register)

    # ------------------------------------------------------------ one document

    def _transform(self, name: str, node, **params) -> str:
        executable = self.sheets[name]
        executable.clear_parameters()
        for key, value in params.items():
            executable.set_parameter(key, value)
        return executable.transform_to_string(xdm_node=node) or ""

    def publish_document(self, path: Path, loaded: xmlio.LoadedXML) -> dict:
        docid = path.stem
        node = self.proc.parse_xml(xml_text=etree.tostring(loaded.tree, encoding="unicode"))
        citation = None
        if "cite" in self.sheets:
            citation = json.loads(self._transform("cite", node))
        if "cite" in self.outputs and citation is not None:
            self._write_citation(docid, citation)
        if "text" in self.outputs:
            write_atomic(self.out / "text" / f"{docid}.txt", self._transform("text", node).encode("utf-8"))
        if "html" in self.outputs:
            params = {"site-title": self.proc.make_string_value(self.site_title)}
            if citation is not None:
                fragment = f'<cite xmlns="http://www.w3.org/1999/xhtml">{citation["chicago-note-html"]}</cite>'
                params["cite"] = self.proc.parse_xml(xml_text=fragment)
            html = self._transform("html", node, **params)
            write_atomic(self.out / "html" / f"{docid}.html", html.encode("utf-8"))
            write_atomic(self.out / "html" / "tei" / f"{docid}.xml", path.read_bytes())
        return citation or {}

    def _write_citation(self, docid: str, citation: dict) -> None:
        cite = self.out / "cite"
        plain = (f"Note:\n{citation['chicago-note']}\n\nShort note:\n{citation['chicago-short']}\n\n"
                 f"Bibliography:\n{citation['chicago-bibliography']}\n")
        html = (f'<p class="chicago-note">{citation["chicago-note-html"]}</p>\n'
                f'<p class="chicago-bibliography">{citation["chicago-bibliography-html"]}</p>\n')
        write_atomic(cite / f"{docid}.txt", plain.encode("utf-8"))
        write_atomic(cite / f"{docid}.html", html.encode("utf-8"))
        write_atomic(cite / f"{docid}.json", (json.dumps([citation["csl"]], indent=2, ensure_ascii=False)
                                              + "\n").encode("utf-8"))
        write_atomic(cite / f"{docid}.bib", citation["bibtex"].encode("utf-8"))
        write_atomic(cite / f"{docid}.ris", citation["ris"].encode("utf-8"))

    # ------------------------------------------------------------ the corpus

    def run(self, files: list[Path]) -> Report:
        report = Report()
        corpus = etree.Element("corpus")
        citations: list[tuple[str, str, dict]] = []
        for path in files:
            problems = self.validator.validate_file(path, str(path))
            errors = [p for p in problems if p.severity == ERROR]
            if errors:
                report.problems.extend(errors)
                report.problems.append(Diagnostic(str(path), 0, 0, ERROR, "publish-skipped",
                                                  "not published: the file is not valid (see above)"))
                continue
            loaded, _ = xmlio.load(path)
            assert loaded is not None
            citation = self.publish_document(path, loaded)
            corpus.append(self._summary(path.stem, loaded.tree))
            citations.append((corpus[-1].get("date", ""), path.stem, citation))
            report.published.append(path.stem)
        if "html" in self.outputs:
            self._site(corpus)
        if "cite" in self.outputs:
            ordered = [c for _, _, c in sorted(citations, key=lambda t: (t[0], t[1])) if c]
            cite = self.out / "cite"
            write_atomic(cite / "all.json", (json.dumps([c["csl"] for c in ordered], indent=2, ensure_ascii=False)
                                             + "\n").encode("utf-8"))
            write_atomic(cite / "all.bib", "\n".join(c["bibtex"] for c in ordered).encode("utf-8"))
            write_atomic(cite / "all.ris", "\n".join(c["ris"] for c in ordered).encode("utf-8"))
        return report

    def _summary(self, docid: str, tree: etree._ElementTree) -> etree._Element:
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
        doc.set("date-label", _long_date(date))
        doc.set("genre-label", label("genre", genre) or "Unknown")
        doc.set("classification-label", label("classification", level) or "Unmarked")
        doc.set("banner", _string("".join(t for t in mark[0].itertext())) if mark else "")
        doc.set("title", _string(x("string((//t:titleStmt/t:title[@type='main'] | //t:titleStmt/t:title[1])[1])")))
        roles: list[tuple[str, str]] = []

        def local_to_register(pointer: str) -> str | None:
            token = pointer.split()[0] if pointer.split() else ""
            if token.startswith("persons.xml#"):
                return token.split("#", 1)[1]
            if token.startswith("#"):
                found = root.xpath("//*[@xml:id=$id]/@sameAs", id=token[1:])
                if found and str(found[0]).startswith("persons.xml#"):
                    return str(found[0]).split("#", 1)[1]
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

    def _site(self, corpus: etree._Element) -> None:
        html = self.out / "html"
        register = self.register_path or paths.tei_dir() / paths.REGISTER_NAME
        loaded, _ = xmlio.load(register) if register.is_file() else (None, [])
        if loaded is not None:
            for person in loaded.root.iter(f"{{{TEI_NS}}}person"):
                pid = person.get(f"{{{XML_NS}}}id")
                main = person.xpath("string((t:persName[@type='main'] | t:persName[1])[1])", namespaces=NS)
                entry = etree.SubElement(corpus, "person", id=pid, name=_string(main),
                                         sort=_string(main).split()[-1].lower() if main.split() else pid)
                for variant in person.xpath("t:persName[@type='variant']", namespaces=NS):
                    etree.SubElement(entry, "variant").text = _string("".join(variant.itertext()))
                for occupation in person.xpath("t:occupation", namespaces=NS):
                    etree.SubElement(entry, "occupation").text = _string("".join(occupation.itertext()))
        node = self.proc.parse_xml(xml_text=etree.tostring(corpus, encoding="unicode"))
        title = self.proc.make_string_value(self.site_title)
        write_atomic(html / "index.html", self._transform("index", node, **{"site-title": title}).encode("utf-8"))
        for facet in ("genre", "classification"):
            for value in sorted({d.get(facet) for d in corpus.iter("doc")}):
                page = self._transform("index", node, **{
                    "site-title": title, "facet": self.proc.make_string_value(facet),
                    "value": self.proc.make_string_value(value)})
                write_atomic(html / f"index-{facet}-{value}.html", page.encode("utf-8"))
        write_atomic(html / "persons.html", self._transform("persons", node, **{"site-title": title}).encode("utf-8"))
        for asset in sorted((self.xslt / "assets").iterdir()):
            write_atomic(html / asset.name, asset.read_bytes())


def _long_date(iso: str) -> str:
    from datetime import date

    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        value = date.fromisoformat(iso)
        return f"{months[value.month - 1]} {value.day}, {value.year}"
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return f"{months[int(iso[5:7]) - 1]} {iso[:4]}"
    return iso or "undated"


def documents(tei_dir: Path) -> list[Path]:
    """The masters to publish: every *.xml in tei/ except the register."""
    return sorted(p for p in tei_dir.glob("*.xml") if p.name != paths.REGISTER_NAME)


def clean_output(out: Path, outputs: tuple[str, ...]) -> None:
    for name in outputs:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
