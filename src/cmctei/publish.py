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
version) is not validated or transformed again; the aggregate citation
files are always rebuilt, from the manifest, and the site's own pages (the
index pages, the persons and search pages, the previous/next links) when what
they are made from changed (:mod:`cmctei.site_record`,
``build/.cmctei-site.json``). Outputs of masters that no longer exist are
removed.

What is published is what was validated: each master is read once, and
those bytes are validated (unless the validation record knows those very
bytes to be clean) and published. Nothing read from data becomes a path
unchecked: every output path made from a file name, a document value or the
manifest goes through :func:`output_file`, and the manifest and the
validation record are read as untrusted input (an unsound entry costs a
rebuild).

TEI that cmctei did not write (any TEI P5 file: FRUS volumes, other projects'
editions) is checked against TEI P5 tei_all instead of the profile, its
problems shown as warnings, and published (:mod:`cmctei.foreign`); a volume
(many ``div[@type='document']``) as a contents page and a page per document
(:mod:`cmctei.volume`). A file that is not TEI, or not well-formed, is
reported at its place and skipped.

Layout::

    build/html/<docid>.html, index.html, index-<facet>-<value>.html,
               persons.html, search.html, cmctei.css, cmctei.js, search.js,
               tei/<docid>.xml, tei/persons.xml, schemas/, text/<docid>.txt,
               cite/<docid>.{txt,html,json,bib,ris}, cite/all.*, dc/<docid>.xml,
               tei.zip, sitemap.xml and oai.xml (with a base URL), pagefind/
               (the search index): build/html alone is the whole site
    build/text/<docid>.txt
    build/cite/<docid>.{txt,html,json,bib,ris}, all.json, all.bib, all.ris
    build/.cmctei-publish.json
    (a volume: <volume>.html, its contents, and <volume>-<document>.html …
    for each document, in html/, text/ and cite/ alike)
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from cmctei import (cache, manifest, output_paths, parallel, paths, publish_plan, publish_workers, saxon,
                    search_early, site, volume, xmlio)
from cmctei.output_paths import output_file
from cmctei.paths import documents  # noqa: F401  (the files to publish; imported from here by cli and tests)
from cmctei.site import BadBaseURL, base_url_setting  # noqa: F401
from cmctei.harvest import BadAdminEmail, admin_email_setting  # noqa: F401
from cmctei.diagnostics import ERROR, Diagnostic, StylesheetError, internal_error
from cmctei.saxon_limits import SaxonUnavailable
from cmctei.progress import Stopwatch
from cmctei.render import CORPUS_CITATIONS_RECORD, DocumentOutputs, TransformFailed, write_corpus_citations  # noqa: F401  (foreign.py imports it from here)
from cmctei.validate import Validator
from cmctei.xmlio import TEI_NS

NS = {"t": TEI_NS}
OUTPUTS = ("html", "text", "cite")
# each output's main file (folder in build/, suffix after the docid): there when that output was made
MAIN = {"html": ("html", ".html"), "text": ("text", ".txt"), "cite": ("cite", ".json")}


MANIFEST = ".cmctei-publish.json"


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


class Publisher(DocumentOutputs):
    """A publishing run: which masters, validated how, in how many processes, and what the
    site's aggregates are made from (one document's outputs: :class:`cmctei.render.DocumentOutputs`)."""

    def __init__(self, out: Path, outputs: tuple[str, ...] = OUTPUTS, register: Path | None = None,
                 site_title: str | None = None, base_url: str = "", stylesheets: Path | None = None,
                 admin_email: str = "", search: bool = True, tei_all: bool = False,
                 search_shard_pages: int | None = None) -> None:
        self.out = out
        self.search = search  # make the search index (Pagefind) after the pages
        # pages per shard of the search index (search_shards.py); None: what the collection's size calls for
        self.search_shard_pages = search_shard_pages
        self.jobs = 1  # set by run()
        self.outputs = outputs
        self.site_title = site_title  # None: the stylesheets' own default (a customisation's, if it sets one)
        self.base_url = base_url_setting(base_url) if base_url else ""
        # the OAI-PMH administrator (oai.xml is written only with it and a base URL: harvest.py)
        self.admin_email = admin_email_setting(admin_email) if admin_email else ""
        self.register_path = register
        self.xslt = paths.project_root() / "xslt"
        # a customisation: stylesheets (html.xsl, text.xsl, cite.xsl, index.xsl, persons.xsl) that
        # replace cmctei's, usually by importing them, and assets/ that add to or replace cmctei's
        self.custom = stylesheets
        self._sheets: dict[str, object] = {}
        # tei_all: validate as `cmctei validate --tei-all` does, every finding told (warnings
        # too), in the run that publishes: each master parsed once, one Saxon tree (`make`)
        self.validator = Validator(register=register, tei_all=tei_all)
        self.watch = Stopwatch()
        self.current = ""  # the master being published, for what the stylesheets say
        self.dc_records: dict[str, str] = {}  # the Dublin Core records of the file in hand, by output id
        self._register_node = None
        self.entries: dict[str, dict] = {}  # the manifest entries of this run (the site's aggregates read them)
        self.early_search: search_early.EarlyShards | None = None  # shards indexed while pages are made (run)
        self.sequence_digests: dict[str, str] = {}  # the previous/next links each page now has (site.py)
        self.config_digest = ""  # this run's config() (the site's pages are made again when it changes)
        self.rebuild = False  # `publish --all`: no record of an earlier run is trusted

    @property
    def proc(self):
        """The Saxon processor, started when first used: a run that has not used it before its
        workers start forks them instead of spawning them (:func:`cmctei.parallel.start_method`)."""
        return saxon.processor()

    def needs(self, name: str) -> bool:
        """Whether this run uses the stylesheet ``name`` (the HTML page embeds the citation)."""
        return name in self.outputs or ("html" in self.outputs and name in (
            "index", "persons", "cite", "text", "dc", "sequence", "search"))

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
        return cache.fingerprint(*files, extra=f"site=2 outputs={','.join(self.outputs)} title={self.site_title} "
                                                f"base-url={self.base_url} "
                                                f"custom={self.custom.resolve() if self.custom else ''}")

    def canonical_url(self, docid: str) -> str:
        """The document page's address on the published site, or "" when no base URL is set."""
        return self.base_url + quote(docid) + ".html" if self.base_url else ""

    # ------------------------------------------------------------ one document

    # ------------------------------------------------------------ the corpus

    def process(self, task: tuple[Path, str | None]) -> "Done":
        """:meth:`process_document`, with a bug met on this one master reported as its problem:
        the others are still published. (A write that fails, a stylesheet that does not
        compile, a Saxon that cannot start are not bugs of one document: they stop the run.)"""
        self.dc_records = {}
        try:
            done = self.process_document(task)
            if not done.failed:
                done.dc = dict(self.dc_records)
            return done
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
                        None, None, stages, master=False)
        digest = cache.sha256(raw)
        started = time.perf_counter()
        loaded, problems = xmlio.parse_document(raw, path, str(path))
        del raw  # from now on only `loaded` holds the bytes, and lets them go before Saxon parses
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
        if digest != clean_digest:
            stages["parse"] = time.perf_counter() - started
            # the summary is made while the lxml tree is there; the tree is then let go, and
            # the rules and the stylesheets share one Saxon tree: never two large trees at once
            problems = self.validator.check(loaded, path, stages, before_rules=summarise)
        stages = {"validate": sum(stages.values())} if stages else {}
        errors = [p for p in problems if p.severity == ERROR]
        told = problems if self.validator.tei_all else errors  # (warnings: what validate would say)
        if errors:
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

    def run(self, files: list[Path], *, jobs: int = 1, rebuild: bool = False, progress=None,
            warm: "parallel.Warm | None" = None) -> Report:
        """Publish ``files``; only those changed since the last run unless ``rebuild``.
        ``warm``: a worker already set up for this publisher (publish_workers.start_warm);
        without it, a run after an earlier one starts one now. Ended when the run ends."""
        self.early_search = None
        if warm is None and not rebuild:
            # a run after an earlier one usually publishes a few masters, or none: one worker
            # sets itself up (the stylesheets compiled) while this process reads what the last
            # run left and finds out what changed; it publishes them if they are few
            warm = publish_workers.start_warm(self, jobs)
        try:
            return self._run(files, jobs=jobs, rebuild=rebuild, progress=progress, warm=warm)
        finally:
            if warm is not None:
                warm.close()
            if self.early_search is not None:  # never left running, whatever happened (a run
                self.early_search.result(cancel=True)  # that made its index has its result already)

    def _run(self, files: list[Path], *, jobs: int, rebuild: bool, progress, warm: "parallel.Warm | None") -> Report:
        self.jobs = jobs  # (the search index reads new pages' words in as many processes: search.py)
        manifest_path = self.out / MANIFEST
        config = self.config_digest = self.config()
        self.rebuild = rebuild
        report = Report()
        last = {} if rebuild else manifest.read(manifest_path, config)
        known: dict[str, dict] = last.get("documents", {})
        validated = cache.ValidationCache(cache.cache_dir() / "validate.json", self.validator.config())
        root = paths.project_root()
        decided = publish_plan.plan(self, files, known, validated, report, progress)
        publishable, entries, todo, dates = decided.publishable, decided.entries, decided.todo, decided.dates
        by_stem = {path.stem: path for path, _ in todo}
        # Nothing published before: the search index's shards are made while the pages are
        # (search_early.py), the masters published shard after shard; what each tells is
        # still told in the order of the files.
        self.early_search = early = search_early.EarlyShards.plan(self, dates) if not known and dates else None
        if early is not None:
            rank = {docid: i for i, docid in enumerate(early.order())}
            todo.sort(key=lambda task: rank.get(task[0].stem, len(rank)))
        told: dict[str, tuple[list[Diagnostic], list[str]]] = {}
        resolve = paths.Resolver()
        for done in parallel.run(todo, publish_workers.process, jobs=jobs, setup=publish_workers.setup,
                                 setup_args=publish_workers.settings(self), warm=warm):
            if progress is not None:
                progress.advance()
            for stage, seconds in done.stages.items():
                report.stages[stage] = report.stages.get(stage, 0.0) + seconds
            path = by_stem[done.docid]
            if done.master and done.sha256 and resolve(path).is_relative_to(root):  # what was checked, by its digest
                validated.record(path, self.validator.cache_key(path, done.sha256), tei_all=self.validator.tei_all,
                                 clean=not (done.problems if self.validator.tei_all else done.failed))
            told[done.docid] = (done.problems, done.notes)
            if early is not None:
                early.written(done.docid)
            if done.failed:
                entries.pop(done.docid, None)
                continue
            old_parts = manifest.parts(known.get(done.docid, {}))
            for stale in sorted(set(old_parts) - set(done.parts)):
                self._remove_outputs(stale)  # documents a volume no longer has
            # the digest of the bytes that were validated and published, which may be newer than
            # those read above
            entries[done.docid].update(summary=done.summary, citation=done.citation)
            if done.dc:
                entries[done.docid].update(dc=done.dc)
            if done.sha256:
                entries[done.docid].update(sha256=done.sha256)
            if done.parts:
                entries[done.docid].update(parts=done.parts, part_citations=done.part_citations)
        for docid in by_stem:  # (in the order of the files, whatever order they were published in)
            problems, notes = told.get(docid, ([], []))
            report.problems.extend(problems)
            report.notes.extend(notes)
        # masters that are gone (deleted, renamed): their outputs go too
        current = {p.stem for p in files}
        for docid in sorted(set(known) - current):  # (the manifest's names are checked: manifest.read)
            if not Path(str(known[docid].get("master", ""))).is_file():
                self._remove_outputs(docid, manifest.parts(known[docid]))
                known.pop(docid)
        # The document pages are all made (and the gone ones removed): Pagefind (its own process)
        # indexes them from a thread while this one makes the site's own pages, the zip, the
        # repository and the corpus citations. Nothing of those is read by the index: the
        # previous/next links the site's pages put into the document pages are left out of
        # what Pagefind is given (search_shards.as_indexed) (issue 18).
        searching: parallel.Background | None = None
        if "html" in self.outputs and any("summary" in entries.get(path.stem, {}) for path in publishable):
            searching = parallel.Background(site.search_index, self)
        try:
            self._aggregates(publishable, entries, known, manifest_path, config, validated, report,
                             last.get("summaries", {}))
        finally:
            if searching is not None:  # (waited for even when the above failed: no half-made index)
                found, seconds = searching.result()
                report.problems.extend(found)
                self.watch.stages["search"] = seconds
        if searching is not None and self.search:
            from cmctei import search

            search.remember_pages(self)  # (the pages as the site's own pages left them)
        report.stages.update(self.watch.take())
        return report

    def _aggregates(self, publishable: list[Path], entries: dict[str, dict], known: dict[str, dict],
                    manifest_path: Path, config: str, validated: "cache.ValidationCache", report: "Report",
                    parsed: dict[str, tuple[str, etree._Element]]) -> None:
        """What the run makes of all the documents together, once each is published: the site's
        own pages, the zip, the repository, the corpus citations, the run's records. ``parsed``:
        the summaries the manifest's check parsed (manifest.read), taken while their text is the
        entry's (a document published again has a new one)."""
        corpus = etree.Element("corpus")
        citations: list[tuple[str, str, dict]] = []
        for path in publishable:
            entry = entries.get(path.stem)
            if entry is None or "summary" not in entry:
                continue
            text, summary = parsed.pop(path.stem, (None, None))
            corpus.append(summary if summary is not None and text == entry["summary"]
                          else xmlio.parse_untrusted(entry["summary"]))
            citations.append((corpus[-1].get("date", ""), path.stem, entry.get("citation") or {}))
            for index, part_citation in enumerate(entry.get("part_citations") or []):
                if isinstance(part_citation, dict):
                    citations.append((corpus[-1].get("date", ""), f"{path.stem}\u0000{index:06d}", part_citation))
            report.published.append(path.stem)
        self.watch.take()
        if not len(corpus):  # nothing published, now or before: no empty index, no empty files
            if manifest_path.exists():
                manifest.write(manifest_path, config, {})
            validated.save()
            return
        self.entries = entries
        site_made = "html" in self.outputs
        if site_made:
            with self.watch("site index"):
                try:
                    report.problems.extend(self._site(corpus))
                except TransformFailed as exc:  # the documents' pages stand; the index does not
                    report.problems.append(Diagnostic(self.current, 0, 0, ERROR, "publish-failed",
                                                      f"the site index was not made: {exc}"))
                    site_made = False
        with self.watch("aggregates"):
            if site_made:
                report.problems.extend(site.write_rest(self, corpus))
            # build/cite/ and the site's own copies of the corpus citations
            folders = [self.out / folder for output, folder in (("cite", "cite"), ("html", "html/cite"))
                       if output in self.outputs]
            if folders:
                write_corpus_citations(folders, citations, cache.cache_dir() / CORPUS_CITATIONS_RECORD)
        for docid, digest in self.sequence_digests.items():
            if docid in entries and "summary" in entries[docid]:
                entries[docid]["sequence"] = digest
        kept = {docid: entry for docid, entry in known.items() if docid not in entries}
        kept.update({docid: entry for docid, entry in entries.items() if "summary" in entry})
        manifest.write(manifest_path, config, kept)
        validated.save()

    def _outputs(self, docid: str) -> dict[str, list[Path]]:
        """The files one document gives, per output (the first of each is its main file, :data:`MAIN`)."""
        html, cite = self.out / "html", self.out / "cite"
        return {"html": [output_file(html, f"{docid}.html"), output_file(html / "tei", f"{docid}.xml"),
                         output_file(html / "text", f"{docid}.txt"), output_file(html / "dc", f"{docid}.xml"),
                         *(output_file(html / "cite", f"{docid}.{ext}") for ext in ("json", "txt", "html", "bib", "ris"))],
                "text": [output_file(self.out / "text", f"{docid}.txt")],
                "cite": [output_file(cite, f"{docid}.{ext}") for ext in ("json", "txt", "html", "bib", "ris")]}

    def _made(self) -> dict[str, set[str]]:
        """Per output, the names of the regular files in the folder of its main files, each
        folder listed once: asking for each document's files one by one cost a third of a
        second at 1,000 documents (issue 18)."""
        made: dict[str, set[str]] = {}
        for name in self.outputs:
            try:
                with os.scandir(self.out / MAIN[name][0]) as found:
                    made[name] = {entry.name for entry in found if entry.is_file()}
            except OSError:  # (no folder yet)
                made[name] = set()
        return made

    def _outputs_exist(self, docid: str, parts: list[str], made: dict[str, set[str]]) -> bool:
        """Whether the main file of each output of ``docid`` (and of a volume's ``parts``) is
        there; ``made``: :meth:`_made`."""
        return all(f"{key}{MAIN[name][1]}" in made[name] for key in [docid, *parts] for name in self.outputs)

    def _remove_outputs(self, docid: str, parts: list[str] | None = None) -> None:
        for key in [docid, *(parts or [])]:
            if output_paths.checked(key) is None and key != docid:
                continue
            for files in self._outputs(key).values():
                for path in files:
                    path.unlink(missing_ok=True)

    def register_node(self):
        """The person register as the document pages get it (:func:`cmctei.site.register_node`),
        parsed once; None without a register."""
        if self._register_node is None:
            self._register_node = site.register_node(self)
        return self._register_node

    def _title(self) -> dict:
        """The site title parameter, when one was given."""
        return {} if self.site_title is None else {"site-title": self.proc.make_string_value(self.site_title)}

    def _summary(self, docid: str, tree: etree._ElementTree) -> etree._Element:
        """What the index pages need to know about one master (:func:`cmctei.site.summary`)."""
        return site.summary(docid, tree)

    def _site(self, corpus: etree._Element) -> list[Diagnostic]:
        """Write the site's own pages (:func:`cmctei.site.write`); the problems of pages not made."""
        return site.write(self, corpus)


@dataclass
class Done:
    """One file, processed: its problems, or its citation and index entry (and, for a
    volume, its documents' output ids and citations)."""

    docid: str
    problems: list[Diagnostic]
    citation: dict | None
    summary: str | None
    stages: dict[str, float]
    sha256: str | None = None  # of the bytes validated and published (None: not a master, or unread)
    master: bool = True  # validated against the profile (its verdict may be recorded)
    parts: list[str] = field(default_factory=list)
    part_citations: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dc: dict[str, str] = field(default_factory=dict)  # Dublin Core records by output id (harvest.py)

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)
