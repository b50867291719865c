"""One document's outputs: its citation, plain text, Dublin Core record and page, each made by
its stylesheet from one Saxon tree and written atomically into ``build/``.

Kept apart from :mod:`cmctei.publish`, which decides which documents are published and
how (validation, the manifest, workers, the site's aggregates): the same writing serves a
cmctei master, each document of a FRUS volume and other projects' TEI (:mod:`cmctei.foreign`).
What a stylesheet says with ``xsl:message`` is told with the file it concerns; a stylesheet
that stops (``TransformFailed``) fails that document alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

from saxonche import PySaxonApiError

from cmctei import filestat, saxon, xmlio
from cmctei.output_paths import write_output as write_atomic, write_outputs_alike


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


class DocumentOutputs:
    """The writing of one document's outputs, for :class:`cmctei.publish.Publisher` (which
    provides ``sheet``, ``outputs``, ``needs``, ``proc``, ``watch``, ``current``,
    ``dc_records``, ``canonical_url``, ``register_node``, ``_outputs`` and ``_title``)."""

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
        return self.write_outputs(docid, node)

    def write_outputs(self, docid: str, node, params: dict | None = None) -> dict:
        """The citation, plain text and page of the document ``node`` (a Saxon node) under the
        output id ``docid``; ``params`` go to every stylesheet. Returns the citation."""
        params = params or {}
        files = self._outputs(docid)
        citation = None
        url = {"canonical-url": self.proc.make_string_value(self.canonical_url(docid))}
        register = {"{urn:cmctei}register": self.register_node()} if "html" in self.outputs and \
            self.register_node() is not None else {}
        if self.needs("cite"):
            with self.watch("cite"):
                try:
                    citation = json.loads(self._transform("cite", node, **params, **url))
                except json.JSONDecodeError as exc:
                    raise TransformFailed("cite.xsl", f"its output is not JSON ({exc})", []) from exc
        # build/cite/ and the site's own copies (build/html alone is the site): written once, linked
        cite_folders = ([files["cite"]] if "cite" in self.outputs else []) + (
            [[p for p in files["html"] if p.parent.name == "cite"]] if "html" in self.outputs else [])
        if citation is not None and cite_folders:
            with self.watch("cite"):
                self._write_citation(cite_folders, citation)
        if self.needs("text"):
            with self.watch("text"):
                text = self._transform("text", node, **params)
                write_outputs_alike(([files["text"][0]] if "text" in self.outputs else []) + [
                    p for p in files["html"] if p.parent.name == "text"], text)
                del text  # (tens of MB for a long document: not held while the page is made)
        if "html" in self.outputs:
            with self.watch("html"):
                record = self._transform("dc", node, **params, **url, **register)
                write_atomic([p for p in files["html"] if p.parent.name == "dc"][0], record)
                self.dc_records[docid] = record
                self._write_html(files["html"][0], node, citation, {**params, **url, **register})
        return citation or {}

    def _write_html(self, page: Path, node, citation: dict | None, extra: dict | None = None) -> None:
        params = {**self._title(), **(extra or {})}
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

    def _write_citation(self, folders: list[list[Path]], citation: dict) -> None:
        """The citation's five files, into each folder's list of them (the order of _outputs)."""
        as_json, as_text, as_html, as_bib, as_ris = zip(*folders)
        # a document nobody can look up again has no bibliography entry (CMOS 14.114): no section
        plain = f"Note:\n{citation['chicago-note']}\n\nShort note:\n{citation['chicago-short']}\n"
        html = f'<p class="chicago-note">{citation["chicago-note-html"]}</p>\n'
        if citation["chicago-bibliography"]:
            plain += f"\nBibliography:\n{citation['chicago-bibliography']}\n"
            html += f'<p class="chicago-bibliography">{citation["chicago-bibliography-html"]}</p>\n'
        write_outputs_alike(list(as_text), plain.encode("utf-8"))
        write_outputs_alike(list(as_html), html.encode("utf-8"))
        write_outputs_alike(list(as_json), (json.dumps([citation["csl"]], indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        write_outputs_alike(list(as_bib), citation["bibtex"].encode("utf-8"))
        write_outputs_alike(list(as_ris), citation["ris"].encode("utf-8"))


CORPUS_CITATIONS_RECORD = "corpus-citations.json"
"""In ``build/.cache``: what the corpus citations were last made from, and the digests of the
files written (:func:`write_corpus_citations`)."""


def write_corpus_citations(folders: list[Path], citations: list[tuple], record: Path | None = None) -> None:
    """``all.json``, ``all.bib`` and ``all.ris`` in each of ``folders``: every citation, in the
    order of the sort keys the run gave them (the first two members of each tuple; the third
    is the citation, or None for a document that has none). Made once, written to each
    (the indented JSON of 1,000 citations takes a tenth of a second: issue 18).

    ``record``: kept there, what they were made from and what was written; when the citations
    are what they were and each file still has the bytes written, nothing is made or written
    again (an edit seldom changes a citation: 0.1 to 0.2 s of an incremental run). The
    record is untrusted: the files' bytes are compared with it, never taken from it."""
    ordered = [c for _, _, c in sorted(citations, key=lambda t: (t[0], t[1])) if c]
    # what the files are made of, in json's C encoder (the indented form is pure Python)
    made_from = hashlib.sha256(json.dumps([[c["csl"], c["bibtex"], c["ris"]] for c in ordered], ensure_ascii=False,
                                          separators=(",", ":")).encode("utf-8")).hexdigest()
    kept = filestat.read_record(record) if record is not None else None
    if isinstance(kept, dict) and kept.get("made-from") == made_from and _written_as(folders, kept.get("files")):
        return
    files = {"all.json": (json.dumps([c["csl"] for c in ordered], indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
             "all.bib": "\n".join(c["bibtex"] for c in ordered).encode("utf-8"),
             "all.ris": "\n".join(c["ris"] for c in ordered).encode("utf-8")}
    for folder in folders:
        for name, data in files.items():
            write_atomic(folder / name, data)
    if record is not None:
        filestat.write_record(record, {"made-from": made_from,
                                       "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}})


def _written_as(folders: list[Path], digests: object) -> bool:
    """Whether each corpus citation file in each folder is a regular file of the recorded digest."""
    if not isinstance(digests, dict) or set(digests) != {"all.json", "all.bib", "all.ris"}:
        return False
    for folder in folders:
        for name, digest in digests.items():
            if not filestat.is_sha256(digest):
                return False
            try:  # (not through a link, nor a pipe or a device under the name: then written again)
                fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError:
                return False
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(fd).st_mode) or hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                    return False
    return True
