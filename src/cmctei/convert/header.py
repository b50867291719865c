"""The teiHeader: what the text said about itself plus what the catalog adds.

Values inferred from the text carry ``@cert`` where the profile allows it,
and ``revisionDesc`` lists which values were inferred and which came from
the catalog, so an editor knows what to proof-read.
"""

from __future__ import annotations

import hashlib
from copy import deepcopy

from lxml import etree

from cmctei import __version__
from cmctei.convert import marks
from cmctei.convert.build import Builder
from cmctei.convert.catalog import Entry
from cmctei.convert.inline import append, el

GENRE_LABELS = {
    "memorandum": "Memorandum", "telegram": "Telegram", "transcript": "Transcript",
    "summary-record": "Summary record", "chapter": "Book chapter",
}
# The classification levels, highest first (data/marks.toml), and the level of a document with no mark.
LEVEL_LABELS = marks.vocabulary().labels | {"unmarked": "No classification marking"}
LANGUAGES = {"en": "English", "ru": "Russian", "es": "Spanish", "de": "German", "fr": "French"}


def _slug(caveat: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", caveat.lower()).strip("-") or "caveat"


def _terms_taxonomy(scheme: str, terms: list[str]) -> etree._Element:
    """A taxonomy declaring each printed term (handling caveats, precedences) as a category."""
    taxonomy = el("taxonomy", xml_id=scheme)
    prefix = "h-" if scheme == "handling" else "pr-"
    used: set[str] = set()
    for term in terms:
        slug = prefix + _slug(term)
        if slug in used:
            continue
        used.add(slug)
        category = el("category", xml_id=slug)
        category.append(el("catDesc", term))
        taxonomy.append(category)
    return taxonomy


def _pers(printed: str, pid: str | None) -> etree._Element:
    persname = el("persName", printed)
    if pid:
        persname.set("ref", "persons.xml#" + pid)
    return persname


def build(builder: Builder, entry: Entry, genre: str, source_sha: str, encoding: str,
          inferred: list[str], from_catalog: list[str]) -> etree._Element:
    info = builder.info
    header = el("teiHeader")
    file_desc = el("fileDesc")
    header.append(file_desc)

    # ---- titleStmt
    title_stmt = el("titleStmt")
    title = entry.overrides.get("title") or info.title or entry.book.get("chapter") or entry.docid
    title_stmt.append(el("title", title, type="main"))
    authors = list(info.sender)
    if not authors and info.signed:
        authors = [info.signed]
    if genre == "chapter" and entry.book.get("author"):
        authors = [(entry.book["author"], builder.register.resolve(entry.book["author"]))]
    for printed, pid in authors:
        title_stmt.append(append(el("author"), [_pers(printed, pid)]))
    if entry.translator:
        resp = el("respStmt")
        resp.append(el("resp", "translation"))
        resp.append(el("persName", entry.translator))
        title_stmt.append(resp)
    file_desc.append(title_stmt)

    # ---- publicationStmt
    publication = el("publicationStmt")
    publication.append(el("publisher", "cmctei"))
    publication.append(el("idno", entry.docid, type="cmctei"))
    if builder.stamps:
        availability = el("availability")
        paragraph = el("p", "Declassification as stamped on the document: ")
        for index, stamp in enumerate(builder.stamps):
            copy = deepcopy(stamp)  # the stamp itself, without the text that follows it
            copy.tail = "; " if index < len(builder.stamps) - 1 else "."
            paragraph.append(copy)
        availability.append(paragraph)
        publication.append(availability)
    file_desc.append(publication)

    # ---- sourceDesc
    source_desc = el("sourceDesc")
    if entry.published:
        source_desc.append(_published(entry.published))
    if entry.book:
        source_desc.append(_book(entry.book))
    if entry.archive:
        source_desc.append(_archive(entry.archive))
    if entry.recording:
        recording_stmt = el("recordingStmt")
        recording = el("recording", type="audio")
        paragraph = el("p", ", ".join(str(v) for k, v in entry.recording.items() if k in ("tape", "collection", "repository")))
        recording.append(paragraph)
        recording_stmt.append(recording)
        source_desc.append(recording_stmt)
    if not len(source_desc):
        source_desc.append(el("p", f"Transcribed from sources/{entry.source_name}; no published or archival "
                                   "source is recorded in the catalog."))
    file_desc.append(source_desc)

    # ---- encodingDesc
    level, caveats = builder.classification()
    if "classification" in entry.overrides:
        level = entry.overrides["classification"]
    encoding_desc = el("encodingDesc")
    class_decl = el("classDecl")
    genre_tax = el("taxonomy", xml_id="genre")
    for code, label in GENRE_LABELS.items():
        category = el("category", xml_id=code)
        category.append(el("catDesc", label))
        genre_tax.append(category)
    class_tax = el("taxonomy", xml_id="classification")
    for code, label in LEVEL_LABELS.items():
        category = el("category", xml_id=code)
        category.append(el("catDesc", label))
        class_tax.append(category)
    class_decl.append(genre_tax)
    class_decl.append(class_tax)
    precedence = builder.precedence()
    for scheme, terms in (("handling", caveats), ("precedence", precedence)):
        if terms:
            class_decl.append(_terms_taxonomy(scheme, terms))
    encoding_desc.append(class_decl)
    header.append(encoding_desc)

    # ---- profileDesc
    profile = el("profileDesc")
    creation = el("creation")
    when = entry.overrides.get("date") or info.date
    printed = info.date_printed if not entry.overrides.get("date") else None
    date = el("date", printed or str(when or "undated"))
    if not when and info.not_after:
        date.set("notAfter", info.not_after)
    if when:
        date.set("when", str(when))
        if info.date_cert:
            date.set("cert", info.date_cert)
        elif not entry.overrides.get("date") and info.date_printed:
            date.set("cert", "high")
    creation.append(date)
    profile.append(creation)
    lang = el("langUsage")
    lang.append(el("language", "English", ident="en"))
    if entry.language and entry.language != "en":
        original = el("language", f"{LANGUAGES.get(entry.language, entry.language)} (the original, translated)",
                      ident=entry.language)
        lang.append(original)
    profile.append(lang)
    text_class = el("textClass")
    text_class.append(el("catRef", scheme="#genre", target="#" + genre))
    text_class.append(el("catRef", scheme="#classification", target="#" + level))
    for scheme, terms in (("handling", caveats), ("precedence", precedence)):
        if terms:
            keywords = el("keywords", scheme="#" + scheme)
            for term in terms:
                keywords.append(el("term", term))
            text_class.append(keywords)
    profile.append(text_class)
    sender = list(info.sender) or ([info.signed] if info.signed and genre in ("telegram", "memorandum") else [])
    recipient = list(info.recipient)
    if entry.overrides.get("recipient"):
        rid = entry.overrides["recipient"]
        recipient = [(builder.register.main.get(rid, rid), rid if rid in builder.register.main else None)]
    if entry.overrides.get("sender"):
        sid = entry.overrides["sender"]
        sender = [(builder.register.main.get(sid, sid), sid if sid in builder.register.main else None)]
    if sender or recipient:
        corresp = el("correspDesc")
        for kind, people in (("sent", sender), ("received", recipient)):
            if not people:
                continue
            action = el("correspAction", type=kind)
            for printed_name, pid in people:
                action.append(_pers(printed_name, pid) if pid else el("name", printed_name))
            corresp.append(action)
        profile.append(corresp)
    if builder.participants or builder.groups or builder.locals:
        partic = el("particDesc")
        list_person = el("listPerson")
        for pid, name in builder.participants.items():
            person = el("person", xml_id=pid, sameAs="persons.xml#" + pid)
            person.append(el("persName", name))
            list_person.append(person)
        for gid in sorted(builder.groups):
            group = el("personGrp", xml_id=gid, sameAs="persons.xml#" + gid)
            group.append(el("name", builder.register.main.get(gid, gid.capitalize())))
            list_person.append(group)
        # named in the document but not for sure in the register (a namesake, a
        # teleconference party): declared here, with no register link
        for lid, (name, group) in builder.locals.items():
            local = el("personGrp" if group else "person", xml_id=lid)
            local.append(el("name" if group else "persName", name))
            list_person.append(local)
        partic.append(list_person)
        profile.append(partic)
    header.append(profile)

    # ---- revisionDesc
    revision = el("revisionDesc")
    change = el("change", type="conversion")
    catalog_sha = hashlib.sha256(entry.fingerprint().encode("utf-8")).hexdigest()
    append(change, [
        "Converted by cmctei ", el("idno", __version__, type="cmctei-version"),
        " from ", el("idno", f"sources/{entry.source_name}", type="source"),
        f" (read as {encoding}; SHA-256 ", el("idno", source_sha, type="source-sha256"),
        "; catalog entry SHA-256 ", el("idno", catalog_sha, type="catalog-sha256"),
        "). Generated file SHA-256 ", el("idno", "0" * 64, type="generated-sha256"),
        ". Inferred from the text: " + (", ".join(inferred) or "nothing") + ". From the catalog: "
        + (", ".join(from_catalog) or "nothing") + "."
        + ("".join(" " + note for note in builder.notes)),
    ])
    revision.append(change)
    header.append(revision)
    return header


def _imprint(source: dict) -> etree._Element:
    imprint = el("imprint")
    if source.get("place"):
        imprint.append(el("pubPlace", source["place"]))
    imprint.append(el("publisher", source.get("publisher", "unknown")))
    if source.get("year"):
        imprint.append(el("date", str(source["year"]), when=str(source["year"])))
    return imprint


def _published(published: dict) -> etree._Element:
    bibl = el("biblStruct")
    monogr = el("monogr")
    # The edition's title, then the volume's own title: citations need them apart.
    series = published.get("series") or published.get("title") or "Published edition"
    monogr.append(el("title", series, level="m", type="main"))
    volume_title = published.get("volume_title") or (published.get("title") if published.get("series") else None)
    if volume_title:
        monogr.append(el("title", volume_title, level="m", type="sub"))
    for editor in published.get("editors", []):  # after the title: monogr has no author
        monogr.append(append(el("editor"), [el("persName", editor)]))
    monogr.append(_imprint(published))
    for unit, key in (("volume", "volume"), ("document", "document"), ("page", "pages")):
        if published.get(key):
            monogr.append(el("biblScope", str(published[key]), unit=unit))
    bibl.append(monogr)
    return bibl


def _book(book: dict) -> etree._Element:
    bibl = el("biblStruct")
    if book.get("chapter"):
        analytic = el("analytic")
        if book.get("author"):
            analytic.append(append(el("author"), [el("persName", book["author"])]))
        analytic.append(el("title", book["chapter"], level="a"))
        bibl.append(analytic)
    monogr = el("monogr")
    if book.get("author"):
        monogr.append(append(el("author"), [el("persName", book["author"])]))
    monogr.append(el("title", book.get("title", "Untitled book"), level="m"))
    monogr.append(_imprint(book))
    if book.get("pages"):
        monogr.append(el("biblScope", str(book["pages"]), unit="page"))
    bibl.append(monogr)
    return bibl


def _archive(archive: dict) -> etree._Element:
    ms = el("msDesc")
    ident = el("msIdentifier")
    if archive.get("settlement"):
        ident.append(el("settlement", archive["settlement"]))
    if archive.get("institution"):
        ident.append(el("institution", archive["institution"]))
    ident.append(el("repository", archive.get("repository", "unknown")))
    for key in ("collection", "series", "box", "folder"):
        if archive.get(key):
            label = "" if key == "collection" else key.capitalize() + " "
            ident.append(el("collection", label + str(archive[key])))
    if archive.get("idno"):
        ident.append(el("idno", str(archive["idno"])))
    ms.append(ident)
    return ms
