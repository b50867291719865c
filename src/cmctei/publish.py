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

What is published is what was validated: each master is read once, and
those bytes are validated (unless the validation record knows those very
bytes to be clean) and published. Nothing read from data becomes a path
unchecked: every output path made from a file name, a document value or the
manifest goes through :func:`output_file`, and the manifest and the
validation record are read as untrusted input (an unsound entry costs a
rebuild).

Layout::

    build/html/<docid>.html, index.html, index-<facet>-<value>.html,
               persons.html, cmctei.css, cmctei.js, tei/<docid>.xml
    build/text/<docid>.txt
    build/cite/<docid>.{txt,html,json,bib,ris}, all.json, all.bib, all.ris
    build/.cmctei-publish.json
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from lxml import etree
from saxonche import PySaxonApiError

from cmctei import cache, parallel, paths, saxon, xmlio
from cmctei.output_paths import UnsafeName, check_docid, output_file, sound_entry
from cmctei.atomic import write_atomic as _write_atomic
from cmctei.diagnostics import ERROR, WARNING, Diagnostic, StylesheetError, internal_error
from cmctei.saxon_limits import SaxonUnavailable
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
    reused: list[str] = field(default_factory=list)  # unchanged since the last run: not redone
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def _string(value) -> str:
    return " ".join(str(value).split())


# What the index pages need of a document (Publisher._summary), compiled once: compiling
# them for each document cost more than evaluating them
_SUMMARY = {name: etree.XPath(expr, namespaces={"t": TEI_NS, "xml": XML_NS}) for name, expr in {
    "date": "string((//t:profileDesc/t:creation/t:date/@when)[1])",
    "genre": "substring(string((//t:catRef[@scheme='#genre']/@target)[1]), 2)",
    "classification": "substring(string((//t:catRef[@scheme='#classification']/@target)[1]), 2)",
    "label": "string((//t:taxonomy[@xml:id=$tax]/t:category[@xml:id=$code]/t:catDesc)[1])",
    "banner": "(//t:text//t:fw[@type='classification'])[1]",
    "title": "string((//t:titleStmt/t:title[@type='main'] | //t:titleStmt/t:title[1])[1])",
    "same-as": "//*[@sameAs][@xml:id]",
    "speaks": "//t:sp/@who",
    "sends": "//t:correspAction[@type='sent']/t:persName/@ref",
    "receives": "//t:correspAction[@type='received']/t:persName/@ref",
    "signs": "//t:closer/t:signed/t:persName/@ref",
    "writes": "//t:titleStmt/t:author/t:persName/@ref",
    "is named": "//t:text//t:persName/@ref | //t:text//@who[not(parent::t:sp)]",
    "takes part": "//t:particDesc//t:person/@xml:id",
}.items()}


class Publisher:
    def __init__(self, out: Path, outputs: tuple[str, ...] = OUTPUTS, register: Path | None = None,
                 site_title: str = "cmctei", base_url: str = "", tei_all: bool = False) -> None:
        self.out = out
        self.outputs = outputs
        self.site_title = site_title
        self.base_url = base_url_setting(base_url) if base_url else ""
        self.register_path = register
        self.xslt = paths.project_root() / "xslt"
        self.proc = saxon.processor()
        self._sheets: dict[str, object] = {}
        # tei_all: validate as `cmctei validate --tei-all` does, every finding told (warnings
        # too), in the run that publishes: each master parsed once, one Saxon tree (`make`)
        self.validator = Validator(register=register, tei_all=tei_all)
        self.watch = Stopwatch()
        self.current = ""  # the master being published, for what the stylesheets say

    def needs(self, name: str) -> bool:
        """Whether this run uses the stylesheet ``name`` (the HTML page embeds the citation)."""
        return name in self.outputs or ("html" in self.outputs and name in ("index", "persons", "cite"))

    def sheet(self, name: str):
        if name not in self._sheets:
            executable = saxon.compile_stylesheet(self.xslt / f"{name}.xsl")
            executable.set_save_xsl_message(True)  # said with the file they concern (_transform)
            self._sheets[name] = executable
        return self._sheets[name]

    def config(self) -> str:
        """What every output depends on besides its own master (the manifest is void if it changes)."""
        files = sorted(self.xslt.glob("*.xsl")) + sorted((self.xslt / "assets").glob("*"))
        register = self.register_path or paths.tei_dir() / paths.REGISTER_NAME
        files += [register, self.validator.xsd_path, self.validator.sch_path]
        return cache.fingerprint(*files, extra=f"outputs={','.join(self.outputs)} title={self.site_title} "
                                                f"base-url={self.base_url}")

    def canonical_url(self, docid: str) -> str:
        """The document page's address on the published site, or "" when no base URL is set."""
        return self.base_url + quote(docid) + ".html" if self.base_url else ""

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
        files = self._outputs(docid)
        if "html" in self.outputs:  # the master as it is, next to its page; then its bytes can go
            write_atomic(files["html"][1], loaded.raw)
        node = saxon.document(loaded, release_source=True)
        citation = None
        url = {"canonical-url": self.proc.make_string_value(self.canonical_url(docid))}
        if self.needs("cite"):
            with self.watch("cite"):
                try:
                    citation = json.loads(self._transform("cite", node, **url))
                except json.JSONDecodeError as exc:
                    raise TransformFailed("cite.xsl", f"its output is not JSON ({exc})", []) from exc
        if "cite" in self.outputs and citation is not None:
            with self.watch("cite"):
                self._write_citation(files["cite"], citation)
        if "text" in self.outputs:
            with self.watch("text"):
                write_atomic(files["text"][0], self._transform("text", node))
        if "html" in self.outputs:
            with self.watch("html"):
                self._write_html(files["html"][0], node, citation, url)
        return citation or {}

    def _write_html(self, page: Path, node, citation: dict | None, url: dict) -> None:
        params = {"site-title": self.proc.make_string_value(self.site_title), **url}
        if citation is not None:
            # cite.xsl serialised the note itself (text escaped, italics as elements): it parses;
            # should a customised cite.xsl write something that does not, this document fails alone
            fragment = f'<cite xmlns="http://www.w3.org/1999/xhtml">{citation["chicago-note-html"]}</cite>'
            try:
                params["cite"] = self.proc.parse_xml(xml_text=fragment)
            except PySaxonApiError as exc:
                raise TransformFailed("cite.xsl", f"its chicago-note-html is not well-formed ({exc})", []) from exc
        html = self._transform("html", node, **params)
        write_atomic(page, html)

    def _write_citation(self, files: list[Path], citation: dict) -> None:
        as_json, as_text, as_html, as_bib, as_ris = files  # (the order of _outputs)
        # a document nobody can look up again has no bibliography entry (CMOS 14.114): no section
        plain = f"Note:\n{citation['chicago-note']}\n\nShort note:\n{citation['chicago-short']}\n"
        html = f'<p class="chicago-note">{citation["chicago-note-html"]}</p>\n'
        if citation["chicago-bibliography"]:
            plain += f"\nBibliography:\n{citation['chicago-bibliography']}\n"
            html += f'<p class="chicago-bibliography">{citation["chicago-bibliography-html"]}</p>\n'
        write_atomic(as_text, plain.encode("utf-8"))
        write_atomic(as_html, html.encode("utf-8"))
        write_atomic(as_json, (json.dumps([citation["csl"]], indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        write_atomic(as_bib, citation["bibtex"].encode("utf-8"))
        write_atomic(as_ris, citation["ris"].encode("utf-8"))

    # ------------------------------------------------------------ the corpus

    def process(self, task: tuple[Path, str | None]) -> "Done":
        """:meth:`process_document`, with a bug met on this one master reported as its problem:
        the others are still published. (A write that fails, a stylesheet that does not
        compile, a Saxon that cannot start are not bugs of one document: they stop the run.)"""
        try:
            return self.process_document(task)
        except (OSError, StylesheetError, SaxonUnavailable):
            raise
        except Exception as exc:  # noqa: BLE001
            self._remove_outputs(task[0].stem)
            return Done(task[0].stem, [internal_error(str(task[0]), exc)], None, None, {})

    def process_document(self, task: tuple[Path, str | None]) -> "Done":
        """Validate, transform and summarise one master (in a worker, or here).

        ``task`` is the master and the SHA-256 of bytes the validation record knows to be
        clean (or ``None``). The file is read once; those bytes are what is validated,
        unless they are exactly the bytes known clean, and what is published: a master
        saved again meanwhile is never published on the strength of an earlier check.
        """
        path, clean_digest = task
        stages: dict[str, float] = {}
        summaries: list[str] = []

        def summarise(document: xmlio.LoadedXML) -> None:
            with self.watch("summary"):
                summaries.append(etree.tostring(self._summary(path.stem, document.tree), encoding="unicode"))

        self.watch.take()
        try:
            raw = xmlio.read_bytes(path)
        except xmlio.CannotRead as exc:
            return Done(path.stem, [Diagnostic(str(path), 0, 0, ERROR, "publish-skipped",
                                               f"not published: {str(exc).removeprefix(f'{path}: ')}")],
                        None, None, stages)
        digest = cache.sha256(raw)
        started = time.perf_counter()
        loaded, problems = xmlio.parse_document(raw, path, str(path))
        del raw  # from now on only `loaded` holds the bytes, and lets them go before Saxon parses
        if digest != clean_digest:
            stages["parse"] = time.perf_counter() - started
            if loaded is not None:
                # the summary is made while the lxml tree is there; the tree is then let go, and
                # the rules and the stylesheets share one Saxon tree: never two large trees at once
                problems = self.validator.check(loaded, path, stages, before_rules=summarise)
        stages = {"validate": sum(stages.values())} if stages else {}
        errors = [p for p in problems if p.severity == ERROR]
        told = problems if self.validator.tei_all else errors  # (warnings: what validate would say)
        if errors or loaded is None:
            told.append(Diagnostic(str(path), 0, 0, ERROR, "publish-skipped",
                                   "not published: the file is not valid (see above)"))
            return Done(path.stem, told, None, None, stages, digest)
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
                                               f"not published: {reason}")], None, None, stages, digest)
        stages.update(self.watch.take())
        return Done(path.stem, told, citation, summaries[0], stages, digest)

    def run(self, files: list[Path], *, jobs: int = 1, rebuild: bool = False, progress=None) -> Report:
        """Publish ``files``; only those changed since the last run unless ``rebuild``."""
        report = Report()
        manifest_path = self.out / MANIFEST
        config = self.config()
        manifest = {} if rebuild else _read_manifest(manifest_path, config)
        known: dict[str, dict] = manifest.get("documents", {})
        entries: dict[str, dict] = {}
        todo: list[tuple[Path, str | None]] = []
        validated = cache.ValidationCache(cache.cache_dir() / "validate.json", self.validator.config())
        root = paths.project_root()
        publishable = []
        for path in files:
            try:
                check_docid(path.stem)
                digest = cache.sha256(xmlio.read_bytes(path))
            except (UnsafeName, xmlio.CannotRead) as exc:  # a folder named x.xml is only a warning
                report.problems.append(Diagnostic(str(path), 0, 0, WARNING if path.is_dir() else ERROR,
                                                  "publish-skipped",
                                                  f"not published: {str(exc).removeprefix(f'{path}: ')}"))
                if progress is not None:
                    progress.advance()
                continue
            publishable.append(path)
            entry = known.get(path.stem)
            if (entry and entry.get("sha256") == digest and entry.get("master") == str(path.resolve())
                    and self._outputs_exist(path.stem) and self._validated(validated, path, digest, root)):
                entries[path.stem] = entry
                report.reused.append(path.stem)
                if progress is not None:
                    progress.advance()
            else:
                entries[path.stem] = {"sha256": digest, "master": str(path.resolve())}  # (digest: see below)
                clean = None
                if path.resolve().is_relative_to(root):  # `cmctei validate` may just have passed it
                    if validated.is_clean(path, self.validator.cache_key(path, digest), self.validator.tei_all):
                        clean = digest
                todo.append((path, clean))
        by_stem = {path.stem: path for path, _ in todo}
        for done in parallel.run(todo, _process_in_worker, jobs=jobs, setup=_setup_worker,
                                 setup_args=(self.out, self.outputs, self.register_path, self.site_title,
                                             self.base_url, self.validator.tei_all)):
            if progress is not None:
                progress.advance()
            for stage, seconds in done.stages.items():
                report.stages[stage] = report.stages.get(stage, 0.0) + seconds
            path = by_stem[done.docid]
            if done.sha256 and path.resolve().is_relative_to(root):  # what was checked, by its own digest
                validated.record(path, self.validator.cache_key(path, done.sha256), clean=not done.problems,
                                 tei_all=self.validator.tei_all)
            report.problems.extend(done.problems)  # (with tei_all, a published master's warnings too)
            if any(p.severity == ERROR for p in done.problems):
                entries.pop(done.docid, None)
                continue
            # the digest of the bytes that were validated and published, which may be newer than
            # those read above
            entries[done.docid].update(sha256=done.sha256, summary=done.summary, citation=done.citation)
        # masters that are gone (deleted, renamed): their outputs go too
        current = {p.stem for p in files}
        for docid in sorted(set(known) - current):  # (the manifest's names are checked: _read_manifest)
            if not Path(known[docid].get("master", "")).is_file():
                self._remove_outputs(docid)
                known.pop(docid)
        corpus = etree.Element("corpus")
        citations: list[tuple[str, str, dict]] = []
        for path in publishable:
            entry = entries.get(path.stem)
            if entry is None or "summary" not in entry:
                continue
            corpus.append(xmlio.parse_untrusted(entry["summary"]))
            citations.append((corpus[-1].get("date", ""), path.stem, entry.get("citation") or {}))
            report.published.append(path.stem)
        self.watch.take()
        if "html" in self.outputs:
            with self.watch("site index"):
                try:
                    report.problems.extend(self._site(corpus))
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

    def _validated(self, validated: cache.ValidationCache, path: Path, digest: str, root: Path) -> bool:
        """Whether an unchanged master needs no new check: always, unless this run validates
        with tei_all and the record does not know these bytes clean at that level (a master
        published by a run without it; one with warnings, which are told again each run)."""
        return not self.validator.tei_all or (path.resolve().is_relative_to(root) and validated.is_clean(
            path, self.validator.cache_key(path, digest), True))

    def _outputs(self, docid: str) -> dict[str, list[Path]]:
        """The files one document gives, per output (the first of each is its main file)."""
        html, cite = self.out / "html", self.out / "cite"
        return {"html": [output_file(html, f"{docid}.html"), output_file(html / "tei", f"{docid}.xml")],
                "text": [output_file(self.out / "text", f"{docid}.txt")],
                "cite": [output_file(cite, f"{docid}.{ext}") for ext in ("json", "txt", "html", "bib", "ris")]}

    def _outputs_exist(self, docid: str) -> bool:
        files = self._outputs(docid)
        return all(files[name][0].is_file() for name in self.outputs)

    def _remove_outputs(self, docid: str) -> None:
        for files in self._outputs(docid).values():
            for path in files:
                path.unlink(missing_ok=True)

    def _summary(self, docid: str, tree: etree._ElementTree) -> etree._Element:
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
        doc.set("date-label", _long_date(date))
        doc.set("genre-label", label("genre", genre) or "Unknown")
        doc.set("classification-label", label("classification", level) or "Unmarked")
        doc.set("banner", _string("".join(t for t in mark[0].itertext())) if mark else "")
        doc.set("title", _string(x("title")))
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

    def _site(self, corpus: etree._Element) -> list[Diagnostic]:
        """Write the index pages and the person index; the problems of pages not made."""
        html = self.out / "html"
        problems: list[Diagnostic] = []
        register = self.register_path or paths.tei_dir() / paths.REGISTER_NAME
        self.current = str(register)  # the index pages are made from the register and the summaries
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
        node = self.proc.parse_xml(xml_text=etree.tostring(corpus, encoding="unicode"))
        title = self.proc.make_string_value(self.site_title)
        write_atomic(html / "index.html", self._transform("index", node, **{"site-title": title}).encode("utf-8"))
        written = set()
        for facet in ("genre", "classification"):
            for value in sorted({d.get(facet) for d in corpus.iter("doc")}):
                try:
                    target = output_file(html, f"index-{facet}-{value}.html")
                except UnsafeName as exc:  # a value no schema closed (TEI that cmctei did not write)
                    problems.append(Diagnostic(self.current, 0, 0, ERROR, "publish-failed",
                                               f"the index page of {facet} {value!r} was not made: {exc}"))
                    continue
                written.add(target.name)
                page = self._transform("index", node, **{
                    "site-title": title, "facet": self.proc.make_string_value(facet),
                    "value": self.proc.make_string_value(value)})
                write_atomic(target, page.encode("utf-8"))
        for stale in html.glob("index-*-*.html"):
            if stale.name not in written:
                stale.unlink()
        write_atomic(html / "persons.html", self._transform("persons", node, **{"site-title": title}).encode("utf-8"))
        for asset in sorted((self.xslt / "assets").iterdir()):
            write_atomic(html / asset.name, asset.read_bytes())
        return problems


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
    """One master, processed: its problems, or its citation and index entry."""

    docid: str
    problems: list[Diagnostic]
    citation: dict | None
    summary: str | None
    stages: dict[str, float]
    sha256: str | None = None  # of the bytes validated and published (None: they could not be read)


_WORKER: dict = {}


def _setup_worker(out: Path, outputs: tuple[str, ...], register: Path | None, site_title: str,
                  base_url: str, tei_all: bool = False) -> None:
    _WORKER["publisher"] = Publisher(out, outputs, register=register, site_title=site_title, base_url=base_url,
                                     tei_all=tei_all)


def _process_in_worker(task: tuple[Path, str | None]) -> Done:
    return _WORKER["publisher"].process(task)


def _read_manifest(path: Path, config: str) -> dict:
    """The manifest of the last run, with only the entries that are sound.

    It is read as untrusted input, like a master: a file in build/ can be damaged or
    written by anyone. An entry is kept only if its docid can name outputs
    (:func:`cmctei.output_paths.check_docid`), its digest is a SHA-256, its master a path, its index entry a
    ``<doc>`` of that docid whose facet values can name pages, and its citation the strings
    the aggregates are made of. Anything else is dropped, and the document is made again:
    a damaged record costs time, nothing else.
    """
    try:
        data = json.loads(xmlio.read_bytes(path).decode("utf-8"))
    except (xmlio.CannotRead, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("config") != config or not isinstance(data.get("documents"), dict):
        return {}
    documents = {docid: entry for docid, entry in data["documents"].items() if sound_entry(docid, entry)}
    return {"config": config, "documents": documents}


def _write_manifest(path: Path, config: str, documents: dict[str, dict]) -> None:
    data = {"config": config, "documents": dict(sorted(documents.items()))}
    # (not sort_keys: the citations keep their order, so all.json is the same from the manifest)
    write_atomic(path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))


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
