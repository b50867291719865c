"""Publishing: TEI masters → an HTML site, plain text and citations in ``build/``.

Every stylesheet is compiled once per process, on first use
(:func:`cmctei.saxon.compile_stylesheet`); each document is parsed once by
lxml (safely) and handed to Saxon as text. A master that fails validation
is reported (path:line:col) and not published; the rest are, and the run
exits 1 at the end. Outputs are written atomically and are byte-identical
for the same inputs, whatever the number of jobs.

Incremental: ``build/.cmctei-publish.json`` (the manifest) records, per
document, the SHA-256 of the master it was made from, with the document's
index entry and citation. A master whose bytes are unchanged since the
last run (under the same stylesheets, schemas, register and cmctei
version) is not validated or transformed again; the site index, the
persons page and the aggregate citation files are always rebuilt, from the
manifest. Outputs of masters that no longer exist are removed.

TEI that cmctei did not write (any TEI P5 file: FRUS volumes, other projects'
editions) is checked against TEI P5 tei_all instead of the profile, its
problems shown as warnings, and published (:mod:`cmctei.foreign`); a volume
(many ``div[@type='document']``) as a contents page and a page per document
(:mod:`cmctei.volume`). A file that is not TEI, or not well-formed, is
reported at its place and skipped.

Layout::

    build/html/<docid>.html, index.html, index-<facet>-<value>.html,
               persons.html, cmctei.css, cmctei.js, tei/<docid>.xml
    build/text/<docid>.txt
    build/cite/<docid>.{txt,html,json,bib,ris}, all.json, all.bib, all.ris
    build/.cmctei-publish.json
    (a volume: <volume>.html, its contents, and <volume>-<document>.html …
    for each document, in html/, text/ and cite/ alike)
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from saxonche import PySaxonApiError

from cmctei import cache, outnames, parallel, paths, saxon, volume, xmlio
from cmctei.convert.masters import write_atomic as _write_atomic
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.progress import Stopwatch
from cmctei.validate import Validator
from cmctei.xmlio import TEI_NS, XML_NS

NS = {"t": TEI_NS}
OUTPUTS = ("html", "text", "cite")


MANIFEST = ".cmctei-publish.json"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Outputs are atomic but not synced one by one (see masters.write_atomic)."""
    _write_atomic(path, data, durable=False)


@dataclass
class Report:
    published: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was published, and how (TEI from elsewhere)
    reused: list[str] = field(default_factory=list)  # unchanged since the last run: not redone
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def _string(value) -> str:
    return " ".join(str(value).split())


class Publisher:
    def __init__(self, out: Path, outputs: tuple[str, ...] = OUTPUTS, register: Path | None = None,
                 site_title: str | None = None, stylesheets: Path | None = None) -> None:
        self.out = out
        self.outputs = outputs
        self.site_title = site_title  # None: the stylesheets' own default (a customisation's, if it sets one)
        self.register_path = register
        self.xslt = paths.project_root() / "xslt"
        # a customisation: stylesheets (html.xsl, text.xsl, cite.xsl, index.xsl, persons.xsl) that
        # replace cmctei's, usually by importing them, and assets/ that add to or replace cmctei's
        self.custom = stylesheets
        self.proc = saxon.processor()
        self._sheets: dict[str, object] = {}
        self.validator = Validator(register=register)
        self.watch = Stopwatch()
        self.current = ""  # the master being published, for what the stylesheets say

    def needs(self, name: str) -> bool:
        """Whether this run uses the stylesheet ``name`` (the HTML page embeds the citation)."""
        return name in self.outputs or ("html" in self.outputs and name in ("index", "persons", "cite"))

    def sheet_path(self, name: str) -> Path:
        """The stylesheet ``name``: the customisation's if it has one, else cmctei's."""
        if self.custom is not None and (self.custom / f"{name}.xsl").is_file():
            return self.custom / f"{name}.xsl"
        return self.xslt / f"{name}.xsl"

    def sheet(self, name: str):
        if name not in self._sheets:
            path = self.sheet_path(name)
            executable = (saxon.compile_stylesheet(path) if self.custom is None
                          else saxon.compile_stylesheet(path, [self.custom, self.xslt]))
            executable.set_save_xsl_message(True)  # said with the file they concern (_transform)
            self._sheets[name] = executable
        return self._sheets[name]

    def config(self) -> str:
        """What every output depends on besides its own master (the manifest is void if it changes)."""
        files = sorted(self.xslt.glob("*.xsl")) + sorted((self.xslt / "assets").glob("*"))
        if self.custom is not None:
            files += sorted(p for p in self.custom.rglob("*") if p.is_file())
        register = self.register_path or paths.tei_dir() / paths.REGISTER_NAME
        files += [register, self.validator.xsd_path, self.validator.sch_path]
        return cache.fingerprint(*files, extra=f"outputs={','.join(self.outputs)} title={self.site_title} "
                                             f"custom={self.custom.resolve() if self.custom else ''}")

    # ------------------------------------------------------------ one document

    def _transform(self, name: str, node, **params) -> str:
        """The output of stylesheet ``name``. What it says with xsl:message goes to stderr,
        or into the error when the stylesheet stops (``TransformFailed``)."""
        executable = self.sheet(name)
        executable.clear_parameters()
        for key, value in params.items():
            executable.set_parameter(key, value)
        try:
            result = executable.transform_to_string(xdm_node=node) or ""
        except PySaxonApiError as exc:
            raise TransformFailed(f"{name}.xsl", saxon.relocate(executable, str(exc)), _messages(executable)) from exc
        for message in _messages(executable):
            print(f"{self.current}: {name}.xsl says: {message}", file=sys.stderr)
        return result

    def publish_document(self, path: Path, loaded: xmlio.LoadedXML) -> dict:
        """Write every output of one document; ``loaded`` is spent afterwards (Saxon has its own tree)."""
        docid = path.stem
        if "html" in self.outputs:  # the master as it is, next to its page; then its bytes can go
            write_atomic(self.out / "html" / "tei" / f"{docid}.xml", loaded.raw)
        node = saxon.document(loaded, release_source=True)
        return self.write_outputs(docid, node)

    def write_outputs(self, docid: str, node, params: dict | None = None) -> dict:
        """The citation, plain text and page of the document ``node`` (a Saxon node) under the
        output id ``docid``; ``params`` go to every stylesheet. Returns the citation."""
        params = params or {}
        citation = None
        if self.needs("cite"):
            with self.watch("cite"):
                try:
                    citation = json.loads(self._transform("cite", node, **params))
                except json.JSONDecodeError as exc:
                    raise TransformFailed("cite.xsl", f"its output is not JSON ({exc})", []) from exc
        if "cite" in self.outputs and citation is not None:
            with self.watch("cite"):
                self._write_citation(docid, citation)
        if "text" in self.outputs:
            with self.watch("text"):
                write_atomic(self.out / "text" / f"{docid}.txt", self._transform("text", node, **params))
        if "html" in self.outputs:
            with self.watch("html"):
                self._write_html(docid, node, citation, params)
        return citation or {}

    def _write_html(self, docid: str, node, citation: dict | None, extra: dict | None = None) -> None:
        params = {**self._title(), **(extra or {})}
        if citation is not None:
            fragment = f'<cite xmlns="http://www.w3.org/1999/xhtml">{citation["chicago-note-html"]}</cite>'
            params["cite"] = self.proc.parse_xml(xml_text=fragment)
        html = self._transform("html", node, **params)
        write_atomic(self.out / "html" / f"{docid}.html", html)

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

    def process(self, task: tuple[Path, bool]) -> "Done":
        """Validate (unless known clean), transform and summarise one file (in a worker, or here).

        A cmctei master is validated against the profile and published if valid; TEI that
        cmctei did not write goes to :mod:`cmctei.foreign`; anything else is reported."""
        path, known_clean = task
        stages: dict[str, float] = {}
        summaries: list[str] = []

        def summarise(document: xmlio.LoadedXML) -> None:
            with self.watch("summary"):
                summaries.append(etree.tostring(self._summary(path.stem, document.tree), encoding="unicode"))

        self.watch.take()
        try:
            loaded, problems = xmlio.load(path)
        except xmlio.CannotRead as exc:
            return Done(path.stem, [Diagnostic(str(path), 0, 0, ERROR, "publish-skipped", f"not published: {exc}")],
                        None, None, stages, master=False)
        if loaded is None:
            problems.append(Diagnostic(str(path), 0, 0, ERROR, "publish-skipped",
                                       "not published: the file is not well-formed XML (see above)"))
            return Done(path.stem, problems, None, None, stages, master=False)
        if not volume.is_tei(loaded.root):
            line, col = loaded.locate(loaded.root)
            name = etree.QName(loaded.root)
            shown = f"{{{name.namespace}}}{name.localname}" if name.namespace else name.localname
            return Done(path.stem, [Diagnostic(str(path), line, col, ERROR, "publish-not-tei",
                                               f"not published: the root element is {shown}, not TEI "
                                               f"(TEI in the namespace {xmlio.TEI_NS})")],
                        None, None, stages, master=False)
        if not volume.is_master(loaded.root, path, paths.tei_dir()):
            from cmctei import foreign  # TEI that cmctei did not write

            return foreign.process(self, path, loaded)
        if not known_clean:
            # the summary is made while the lxml tree is there; the tree is then let go, and
            # the rules and the stylesheets share one Saxon tree: never two large trees at once
            problems = self.validator.check(loaded, path, stages, before_rules=summarise)
        stages = {"validate": sum(stages.values())} if stages else {}
        errors = [p for p in problems if p.severity == ERROR]
        if errors:
            errors.append(Diagnostic(str(path), 0, 0, ERROR, "publish-skipped",
                                     "not published: the file is not valid (see above)"))
            return Done(path.stem, errors, None, None, stages)
        if not summaries:
            summarise(loaded)
        self.current = str(path)
        try:
            citation = self.publish_document(path, loaded)
        except (TransformFailed, xmlio.CannotRead) as exc:
            # a stylesheet stopped on this document (a customised xslt/, TEI nobody
            # foresaw), or the master changed since it was validated: the other documents
            # are still published, this one has no outputs at all rather than some of
            # them, and the run fails
            self._remove_outputs(path.stem)
            reason = str(exc).removeprefix(f"{loaded.display}: ")
            return Done(path.stem, [Diagnostic(str(path), 0, 0, ERROR, "publish-failed",
                                               f"not published: {reason}")], None, None, stages)
        stages.update(self.watch.take())
        return Done(path.stem, [], citation, summaries[0], stages)

    def run(self, files: list[Path], *, jobs: int = 1, rebuild: bool = False, progress=None) -> Report:
        """Publish ``files``; only those changed since the last run unless ``rebuild``."""
        report = Report()
        manifest_path = self.out / MANIFEST
        config = self.config()
        manifest = {} if rebuild else _read_manifest(manifest_path, config)
        known: dict[str, dict] = manifest.get("documents", {})
        entries: dict[str, dict] = {}
        todo: list[tuple[Path, bool]] = []
        validated = cache.ValidationCache(cache.cache_dir() / "validate.json", self.validator.config())
        keys: dict[Path, list[str]] = {}
        root = paths.project_root()
        for path in files:
            digest = cache.sha256(xmlio.read_bytes(path))
            entry = known.get(path.stem)
            if (entry and entry.get("sha256") == digest and entry.get("master") == str(path.resolve())
                    and self._outputs_exist(path.stem, _parts(entry))):
                entries[path.stem] = entry
                report.reused.append(path.stem)
                if progress is not None:
                    progress.advance()
            else:
                entries[path.stem] = {"sha256": digest, "master": str(path.resolve())}
                known_clean = False
                if path.resolve().is_relative_to(root):  # `cmctei validate` may just have passed it
                    keys[path] = self.validator.cache_key(path, digest)
                    known_clean = validated.is_clean(path, keys[path], False)
                todo.append((path, known_clean))
        by_stem = {path.stem: path for path, _ in todo}
        for done in parallel.run(todo, _process_in_worker, jobs=jobs, setup=_setup_worker,
                                 setup_args=(self.out, self.outputs, self.register_path, self.site_title, self.custom)):
            if progress is not None:
                progress.advance()
            for stage, seconds in done.stages.items():
                report.stages[stage] = report.stages.get(stage, 0.0) + seconds
            path = by_stem[done.docid]
            if path in keys and done.master:
                validated.record(path, keys[path], clean=not done.problems, tei_all=False)
            report.problems.extend(done.problems)
            report.notes.extend(done.notes)
            if done.failed:
                entries.pop(done.docid, None)
                continue
            old_parts = _parts(known.get(done.docid, {}))
            for stale in sorted(set(old_parts) - set(done.parts)):
                self._remove_outputs(stale)  # documents a volume no longer has
            entries[done.docid].update(summary=done.summary, citation=done.citation)
            if done.parts:
                entries[done.docid].update(parts=done.parts, part_citations=done.part_citations)
        # masters that are gone (deleted, renamed): their outputs go too
        current = {p.stem for p in files}
        for docid in sorted(set(known) - current):
            if not Path(str(known[docid].get("master", ""))).is_file():
                self._remove_outputs(docid, _parts(known[docid]))
                known.pop(docid)
        corpus = etree.Element("corpus")
        citations: list[tuple[str, str, dict]] = []
        for path in files:
            entry = entries.get(path.stem)
            if entry is None or "summary" not in entry:
                continue
            corpus.append(etree.fromstring(entry["summary"]))
            citations.append((corpus[-1].get("date", ""), path.stem, entry.get("citation") or {}))
            for index, part_citation in enumerate(entry.get("part_citations") or []):
                if isinstance(part_citation, dict):
                    citations.append((corpus[-1].get("date", ""), f"{path.stem}\u0000{index:06d}", part_citation))
            report.published.append(path.stem)
        self.watch.take()
        if not len(corpus):  # nothing published, now or before: no empty index, no empty files
            if manifest_path.exists():
                _write_manifest(manifest_path, config, {})
            validated.save()
            return report
        if "html" in self.outputs:
            with self.watch("site index"):
                try:
                    self._site(corpus)
                except TransformFailed as exc:  # the documents' pages stand; the index does not
                    report.problems.append(Diagnostic(self.current, 0, 0, ERROR, "publish-failed",
                                                      f"the site index was not made: {exc}"))
        if "cite" in self.outputs:
            with self.watch("aggregates"):
                ordered = [c for _, _, c in sorted(citations, key=lambda t: (t[0], t[1])) if c]
                cite = self.out / "cite"
                write_atomic(cite / "all.json", (json.dumps([c["csl"] for c in ordered], indent=2,
                                                            ensure_ascii=False) + "\n").encode("utf-8"))
                write_atomic(cite / "all.bib", "\n".join(c["bibtex"] for c in ordered).encode("utf-8"))
                write_atomic(cite / "all.ris", "\n".join(c["ris"] for c in ordered).encode("utf-8"))
        report.stages.update(self.watch.take())
        kept = {docid: entry for docid, entry in known.items() if docid not in entries}
        kept.update({docid: entry for docid, entry in entries.items() if "summary" in entry})
        _write_manifest(manifest_path, config, kept)
        validated.save()
        return report

    def _outputs(self, docid: str) -> dict[str, list[Path]]:
        """The files one document gives, per output (the first of each is its main file)."""
        return {"html": [self.out / "html" / f"{docid}.html", self.out / "html" / "tei" / f"{docid}.xml"],
                "text": [self.out / "text" / f"{docid}.txt"],
                "cite": [self.out / "cite" / f"{docid}.{ext}" for ext in ("json", "txt", "html", "bib", "ris")]}

    def _outputs_exist(self, docid: str, parts: list[str] | None = None) -> bool:
        for key in [docid, *(parts or [])]:
            files = self._outputs(key)
            if not all(files[name][0].is_file() for name in self.outputs):
                return False
        return True

    def _remove_outputs(self, docid: str, parts: list[str] | None = None) -> None:
        for key in [docid, *(parts or [])]:
            if outnames.checked(key) is None and key != docid:
                continue
            for files in self._outputs(key).values():
                for path in files:
                    path.unlink(missing_ok=True)

    def _title(self) -> dict:
        """The site title parameter, when one was given."""
        return {} if self.site_title is None else {"site-title": self.proc.make_string_value(self.site_title)}

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

    def _site(self, corpus: etree._Element) -> None:
        html = self.out / "html"
        register = self.register_path or paths.tei_dir() / paths.REGISTER_NAME
        self.current = str(register)  # the index pages are made from the register and the summaries
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
        title = self._title()
        write_atomic(html / "index.html", self._transform("index", node, **title).encode("utf-8"))
        written = set()
        for facet in ("genre", "classification"):
            for value in sorted({d.get(facet) for d in corpus.iter("doc")}):
                written.add(f"index-{facet}-{value}.html")
                page = self._transform("index", node, **{
                    **title, "facet": self.proc.make_string_value(facet),
                    "value": self.proc.make_string_value(value)})
                write_atomic(html / f"index-{facet}-{value}.html", page.encode("utf-8"))
        for stale in html.glob("index-*-*.html"):
            if stale.name not in written:
                stale.unlink()
        write_atomic(html / "persons.html", self._transform("persons", node, **title).encode("utf-8"))
        assets = {asset.name: asset for asset in sorted((self.xslt / "assets").iterdir())}
        if self.custom is not None and (self.custom / "assets").is_dir():  # a customisation's own
            assets.update({asset.name: asset for asset in sorted((self.custom / "assets").iterdir()) if asset.is_file()})
        for name, asset in sorted(assets.items()):
            write_atomic(html / name, asset.read_bytes())


class TransformFailed(Exception):
    """A stylesheet stopped (a dynamic error, or xsl:message terminate="yes")."""

    def __init__(self, sheet: str, error: str, messages: list[str]) -> None:
        said = "; ".join(messages)
        error = " ".join(error.split())
        super().__init__(f"{sheet} stopped on this document: {said + ' (' + error + ')' if said else error}")


def _messages(executable) -> list[str]:
    """The xsl:message texts of the last transform, and forget them."""
    value = executable.get_xsl_messages()
    executable.clear_xsl_messages()
    return [" ".join(str(item.string_value).split()) for item in value] if value is not None else []


@dataclass
class Done:
    """One file, processed: its problems, or its citation and index entry (and, for a
    volume, its documents' output ids and citations)."""

    docid: str
    problems: list[Diagnostic]
    citation: dict | None
    summary: str | None
    stages: dict[str, float]
    master: bool = True  # validated against the profile (its verdict may be recorded)
    parts: list[str] = field(default_factory=list)
    part_citations: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


_WORKER: dict = {}


def _setup_worker(out: Path, outputs: tuple[str, ...], register: Path | None, site_title: str | None,
                  stylesheets: Path | None = None) -> None:
    _WORKER["publisher"] = Publisher(out, outputs, register=register, site_title=site_title, stylesheets=stylesheets)


def _process_in_worker(task: tuple[Path, bool]) -> Done:
    return _WORKER["publisher"].process(task)


def _parts(entry: object) -> list[str]:
    """A volume's documents' output ids, as recorded in the manifest: only safe names
    (the manifest is read back, and its values become file names)."""
    parts = entry.get("parts") if isinstance(entry, dict) else None
    if not isinstance(parts, list):
        return []
    return [name for name in (outnames.checked(p) for p in parts or []) if name]


def _read_manifest(path: Path, config: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("config") != config or not isinstance(data.get("documents"), dict):
        return {}
    return data


def _write_manifest(path: Path, config: str, documents: dict[str, dict]) -> None:
    data = {"config": config, "documents": dict(sorted(documents.items()))}
    # (not sort_keys: the citations keep their order, so all.json is the same from the manifest)
    write_atomic(path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))


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


def documents(tei_dir: Path, recursive: bool = False) -> list[Path]:
    """The files to publish in a folder: every *.xml (in its subfolders too if ``recursive``,
    hidden ones aside) except the person register."""
    found = tei_dir.rglob("*.xml") if recursive else tei_dir.glob("*.xml")
    return sorted(p for p in found if p.is_file() and p.name != paths.REGISTER_NAME
                  and not any(part.startswith(".") for part in p.relative_to(tei_dir).parts))


def clean_output(out: Path, outputs: tuple[str, ...]) -> None:
    for name in outputs:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
