"""Publishing TEI that cmctei did not write: FRUS volumes, other projects' editions.

Such a file is not a cmctei master, so the profile (which would report
thousands of errors on a FRUS volume) does not apply. It is checked against
TEI P5 ``tei_all`` instead; what tei_all finds is shown as warnings (FRUS
volumes use elements of their own namespace, which tei_all does not know)
and the file is published all the same, with a note saying so.

One document is published as a cmctei master is, under its file's name. A
volume (:mod:`cmctei.volume`) is published one document at a time: a first
pass reads each document's facts (``facts.xsl``: title, date), which the
outline needs for the contents and the previous/next links; a second pass
writes each document's page, text and citation, then lets the document go;
the contents page comes last, from what is left of the volume.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from cmctei import output_paths, saxon, xmlio
from cmctei.diagnostics import ERROR, WARNING, Diagnostic
from cmctei.volume import Volume, document_divs

CM = "{urn:cmctei}"
SHOWN_TEI_ALL = 10  # tei_all findings shown per file; the rest are counted
_TEI_ALL = None


def tei_all():
    """tei_all, set up once per process (each file is checked with the grammar pruned to
    its own elements: tei_all's verdict and messages, never the full grammar's compile)."""
    global _TEI_ALL
    if _TEI_ALL is None:
        from cmctei.validate.teiall import TeiAllValidator

        _TEI_ALL = TeiAllValidator()
    return _TEI_ALL


def check(loaded: xmlio.LoadedXML) -> tuple[list[Diagnostic], str]:
    """tei_all's findings as warnings (the first few), and a phrase saying what it found."""
    from cmctei.validate.teiall import TeiAllUnavailable

    try:
        found = tei_all().check(loaded)
    except TeiAllUnavailable as exc:
        return [], f"not checked against TEI P5 tei_all ({exc})"
    shown = [Diagnostic(d.path, d.line, d.col, WARNING, d.rule, d.message) for d in found[:SHOWN_TEI_ALL]]
    if len(found) > SHOWN_TEI_ALL:
        last = shown[-1]
        shown.append(Diagnostic(last.path, last.line, 0, WARNING, "tei-all",
                                f"{len(found) - SHOWN_TEI_ALL} more tei_all findings not shown "
                                f"(cmctei validate --tei-all lists them all)"))
    said = "valid TEI P5 (tei_all)" if not found else \
        f"checked against TEI P5 tei_all: {len(found)} finding{'s' if len(found) != 1 else ''}, shown as warnings"
    return shown, said


def process(publisher, path: Path, loaded: xmlio.LoadedXML):
    """Publish one TEI file that is not a cmctei master; returns its ``publish.Done``."""
    from cmctei.publish import Done, TransformFailed

    stages: dict[str, float] = {}
    with publisher.watch("tei_all"):
        warnings, said = check(loaded)
    docid = output_paths.output_id(path.stem)
    publisher.current = str(path)
    count = len(document_divs(loaded.root))
    try:
        if count >= 2:
            summary, citation, parts, citations = _publish_volume(publisher, docid, loaded)
            what = f"as a volume of {count} documents ({docid}.html: the contents)"
        else:
            summary, citation = _publish_one(publisher, docid, loaded)
            parts, citations = [], []
            what = f"as {docid}.html"
    except (TransformFailed, xmlio.CannotRead) as exc:
        publisher._remove_outputs(docid)
        reason = str(exc).removeprefix(f"{loaded.display}: ")
        return Done(path.stem, [*warnings, Diagnostic(str(path), 0, 0, ERROR, "publish-failed",
                                                      f"not published: {reason}")], None, None, stages, master=False)
    stages.update(publisher.watch.take())
    note = f"{path}: TEI that is not a cmctei master: {said} (not against the profile); published {what}"
    return Done(path.stem, warnings, citation, summary, stages, master=False, parts=parts,
                part_citations=citations, notes=[note])


def _string(value: str):
    return saxon.processor().make_string_value(value)


def _facts(publisher, node, params: dict) -> dict:
    try:
        return json.loads(publisher._transform("facts", node, **params))
    except json.JSONDecodeError as exc:
        from cmctei.publish import TransformFailed

        raise TransformFailed("facts.xsl", f"its output is not JSON ({exc})", []) from exc


def _publish_one(publisher, docid: str, loaded: xmlio.LoadedXML) -> tuple[str, dict]:
    if "html" in publisher.outputs:  # the file as it is, next to its page

        output_paths.write_output(publisher.out / "html" / "tei" / f"{docid}.xml", loaded.raw)
    node = saxon.document(loaded, release_source=True)
    params = {CM + "document-id": _string(docid), "tei-href": _string(f"tei/{docid}.xml")}
    facts = _facts(publisher, node, {CM + "document-id": _string(docid)})
    citation = publisher.write_outputs(docid, node, params)
    return _summary(docid, facts, "foreign", "TEI from elsewhere"), citation


def _publish_volume(publisher, docid: str, loaded: xmlio.LoadedXML) -> tuple[str, dict, list[str], list[dict]]:

    proc = saxon.processor()
    if "html" in publisher.outputs:
        output_paths.write_output(publisher.out / "html" / "tei" / f"{docid}.xml", loaded.raw)
    loaded.drop_source()  # the tree stays: it is cut into documents
    volume = Volume(loaded.root, docid)
    header = volume.header_text()
    tei_href = _string(f"tei/{volume.id}.xml")
    # the volume's own facts, from its header alone (the documents are not needed for them)
    own = proc.parse_xml(xml_text=f'<TEI xmlns="{xmlio.TEI_NS}">{header}<text><body><p/></body></text></TEI>')
    facts = _facts(publisher, own, {CM + "document-id": _string(volume.id)})
    for part in volume.parts:  # first pass: each document's title and date, for the outline
        node = proc.parse_xml(xml_text=volume.part_text(part, header))
        part.facts = _facts(publisher, node, {CM + "document-id": _string(part.key)})
    outline = proc.parse_xml(xml_text=volume.outline(facts.get("title") or volume.id))
    citations = []
    try:
        for part in volume.parts:  # second pass: one document at a time, then let go
            node = proc.parse_xml(xml_text=volume.part_text(part, header))
            citations.append(publisher.write_outputs(part.key, node, {
                CM + "document-id": _string(part.key), CM + "volume": outline, CM + "part": _string(part.local),
                "tei-href": tei_href}))
            del node
            volume.release(part)
        contents = proc.parse_xml(xml_text=volume.contents_text())
        loaded.release_source()
        citation = publisher.write_outputs(volume.id, contents, {
            CM + "document-id": _string(volume.id), CM + "volume": outline, "tei-href": tei_href})
    except Exception:  # a stylesheet stopped on one document: none of the volume is left half-published
        publisher._remove_outputs(volume.id, [p.key for p in volume.parts])
        raise
    return _summary(volume.id, facts, "volume", "Volume"), citation, [p.key for p in volume.parts], citations


def _summary(docid: str, facts: dict, genre: str, genre_label: str) -> str:
    """The site index entry (the shape ``Publisher._summary`` gives a master's)."""
    from cmctei.site import UNMARKED_LABEL, long_date as _long_date

    date = str(facts.get("date") or "")
    doc = etree.Element("doc", id=docid, date=date, genre=genre, classification="unmarked")
    doc.set("date-label", _long_date(date))
    doc.set("genre-label", genre_label)
    doc.set("classification-label", UNMARKED_LABEL)
    doc.set("banner", "")
    doc.set("title", " ".join(str(facts.get("title") or docid).split()))
    return etree.tostring(doc, encoding="unicode")
