"""Citations of TEI that cmctei did not write (issue 19): a document of a FRUS volume cited as a
chapter in its volume, the volume itself and other projects' editions cited as books, with
what their headers say (authors, editors, publisher, place, year, ISBN, DOI, URL, licence,
language), and nothing made up where a header is silent.

Checked as test_citations.py checks cmctei's own masters, by software cmctei did not write:
citeproc-js with the official Chicago styles, the CSL-JSON schema, biber's data-model check,
pybtex, rispy with Zotero's RIS import table, and Zotero's Embedded Metadata translator. The
inputs: tests/fixtures/foreign (two FRUS headers copied from HistoryAtState/frus, a crafted
edition; no ../shared needed), the single FRUS document copied in tests/fixtures/shared/frus,
and the real files of ../shared/foreign (skipped when absent). Every expected value below was
read by hand from the TEI file named beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from citeproc_helpers import (ZOTERO_RIS, ZOTERO_RIS_TYPES, biber_warnings, chicago_texts, citeproc_differences,
                              pybtex_entries, ris_tags, rispy_records, zotero_embedded_metadata)
from conftest import FIXTURES, REGISTER, SHARED_COPIES, shared_path
from cmctei.publish import Publisher

FOREIGN = FIXTURES / "foreign"
D117 = SHARED_COPIES / "frus" / "frus1961-63v15-d117.xml"
BASE = "https://example.org/site/"
# Files that give no date anywhere (read by hand: no date in their header or text): biblatex
# wants a date for every entry type, and nothing is made up, so biber reports these alone.
UNDATED = {"figures-tables", "tokens", "tei-test", "tei-testnotes1"}


def publish(out: Path, files: list[Path], **options) -> Path:
    report = Publisher(out, register=REGISTER, **options).run(files)
    assert not [p for p in report.problems if p.severity == "error"], [p.format() for p in report.problems]
    return out


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    return publish(tmp_path_factory.mktemp("foreign-cite"), [*sorted(FOREIGN.glob("*.xml")), D117],
                   outputs=("html", "cite"))


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    folder = shared_path("foreign")
    return publish(tmp_path_factory.mktemp("shared-foreign-cite"), sorted(folder.glob("*.xml")), outputs=("cite",))


def csl(build: Path, docid: str) -> dict:
    return json.loads((build / "cite" / f"{docid}.json").read_text(encoding="utf-8"))[0]


def bib(build: Path, docid: str):
    return pybtex_entries(build / "cite" / f"{docid}.bib")[docid]


def ris(build: Path, docid: str) -> dict:
    return rispy_records(build / "cite" / f"{docid}.ris")[0]


# ------------------------------------------------------------------ the clients read every format

@pytest.mark.parametrize("corpus", ["crafted", "shared"])
def test_citeproc_js_renders_our_chicago_words(corpus, request):
    assert citeproc_differences(request.getfixturevalue(corpus) / "cite") == []


@pytest.mark.parametrize("corpus", ["crafted", "shared"])
def test_csl_json_is_valid(corpus, request):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency")
    schema = json.loads((SHARED_COPIES / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
    cite = request.getfixturevalue(corpus) / "cite"
    for path in cite.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("corpus", ["crafted", "shared"])
def test_biber_and_pybtex_read_every_entry(corpus, request, tmp_path):
    """biber's data-model check finds nothing but the missing date of the documents that have
    none (biblatex wants one; cmctei does not make one up); pybtex reads every entry strictly."""
    cite = request.getfixturevalue(corpus) / "cite"
    warned = set()
    for line in biber_warnings(cite / "all.bib", tmp_path):
        assert "Missing mandatory field - one of 'date, year' must be defined" in line, line
        warned.add(line.split("Entry '")[1].split("'")[0])
    assert warned == UNDATED & {p.stem for p in cite.glob("*.json")}
    docids = sorted(p.stem for p in cite.glob("*.json") if p.stem != "all")
    assert sorted(pybtex_entries(cite / "all.bib")) == docids


@pytest.mark.parametrize("corpus", ["crafted", "shared"])
def test_every_ris_tag_maps_to_a_zotero_field(corpus, request):
    cite = request.getfixturevalue(corpus) / "cite"
    records = rispy_records(cite / "all.ris")
    assert records and all("unknown_tag" not in r for r in records)
    for record in ris_tags(cite / "all.ris"):
        item_type = ZOTERO_RIS_TYPES[record[0][1]]
        for tag, _ in record:
            assert tag in ZOTERO_RIS[item_type], f"{tag} has no Zotero field for {item_type}"


# ------------------------------------------------------------------ a document of a FRUS volume

def test_a_frus_document_is_a_chapter_in_its_volume(crafted):
    """frus-modern.xml (the header of HistoryAtState/frus frus1955-57v10.xml), document 1: series
    "Foreign Relations of the United States" and sub-series "1955–1957", volume-number "Volume X",
    volume "Foreign Aid and Economic Defense Policy", the three editors of role "primary" (not
    the general editor, John P. Glennon), publisher, pubPlace, publication-date 1989 (not the
    content-date); the heading without its number "1. " and its note; frus:doc-dateTime-min/max
    1955-01-11; pages 1 (the pb before the compilation) to 2 (the pb inside it)."""
    item = csl(crafted, "frus-modern-d1")
    title = ("Memorandum From the Counselor of the Department of State (MacArthur) to the Under Secretary of "
             "State (Hoover)")
    editors = [{"family": "McMahon", "given": "Robert J."}, {"family": "Sanford", "given": "William F."},
               {"family": "Wells", "given": "Sherrill B."}]
    assert item == {
        "id": "frus-modern-d1", "type": "chapter", "title": title, "title-short": "Memorandum From the Counselor",
        "editor": editors, "issued": {"date-parts": [[1989]]}, "event-date": {"date-parts": [[1955, 1, 11]]},
        "container-title": "Foreign Relations of the United States, 1955–1957",
        "volume-title": "Foreign Aid and Economic Defense Policy", "volume": "10", "page": "doc. 1, 1–2",
        "publisher": "United States Government Printing Office", "publisher-place": "Washington"}
    assert chicago_texts(crafted / "cite", "frus-modern-d1")["note"] == (
        f"Robert J. McMahon, William F. Sanford, and Sherrill B. Wells, eds., “{title},” in Foreign Relations of "
        "the United States, 1955–1957, vol. 10, Foreign Aid and Economic Defense Policy, January 11, 1955 "
        "(Washington: United States Government Printing Office, 1989), doc. 1, 1–2.")
    entry = bib(crafted, "frus-modern-d1")
    # no author: biblatex's @incollection needs one, so @misc, its edition in howpublished
    assert entry.type == "misc" and entry.fields["date"] == "1955-01-11"
    assert [str(p) for p in entry.persons["editor"]] == ["McMahon, Robert J.", "Sanford, William F.", "Wells, Sherrill B."]
    assert "1955–1957, vol. 10, Foreign Aid and Economic Defense Policy" in entry.fields["howpublished"]
    assert entry.fields["howpublished"].endswith("Washington: United States Government Printing Office, 1989, doc. 1, 1–2")
    record = ris(crafted, "frus-modern-d1")
    assert (record["type_of_reference"], record["year"], record["volume"], record["start_page"]) == (
        "CHAP", "1989", "10", "doc. 1, 1–2")
    assert record["secondary_title"] == "Foreign Aid and Economic Defense Policy"
    assert record["tertiary_title"] == "Foreign Relations of the United States, 1955–1957"
    assert record["secondary_authors"] == ["McMahon, Robert J.", "Sanford, William F.", "Wells, Sherrill B."]
    assert "Date of the document: January 11, 1955" in record["notes"]


def test_a_documents_pages_come_from_the_page_breaks(crafted):
    """frus-modern.xml: document 2 starts on page 2 (no page break before it) and holds the break
    to page 3; document 4 follows the break to page 4."""
    assert csl(crafted, "frus-modern-d2")["page"] == "doc. 2, 2–3"
    assert csl(crafted, "frus-modern-d4")["page"] == "doc. 4, 4"
    assert bib(crafted, "frus-modern-d2").fields["howpublished"].endswith(", doc. 2, 2–3")


def test_undated_and_month_only_documents_are_not_given_a_day(crafted):
    """frus-modern.xml: document 3 (an editorial note) has no frus:doc-dateTime and no dateline;
    document 4 has frus:doc-dateTime-min 1955-03-01 and -max 1955-03-31 and a dateline date
    notBefore 1955-03-01, notAfter 1955-03-31: March 1955, not March 1."""
    undated = csl(crafted, "frus-modern-d3")
    assert "event-date" not in undated and undated["issued"] == {"date-parts": [[1989]]}
    note = chicago_texts(crafted / "cite", "frus-modern-d3")["note"]
    assert "n.d." not in note and "Policy (Washington" in note
    assert bib(crafted, "frus-modern-d3").fields["date"] == "1989"  # @misc: dated by its edition
    assert not any(n.startswith("Date of the document") for n in ris(crafted, "frus-modern-d3").get("notes", []))
    month = csl(crafted, "frus-modern-d4")
    assert month["event-date"] == {"date-parts": [[1955, 3]]}
    assert ", March 1955 (Washington" in chicago_texts(crafted / "cite", "frus-modern-d4")["note"]
    assert bib(crafted, "frus-modern-d4").fields["date"] == "1955-03"


def test_a_volume_numbered_otherwise_its_isbn_and_numbered_headings(crafted):
    """frus-retrospective.xml (the header of HistoryAtState/frus frus1952-54Guat.xml): volume
    number "Retrospective Volume", editor Susan Holly (primary; David S. Patterson is the general
    editor), ISBN-13 9780160513046 (and ISBN-10 0160513049); document 2's heading "No. 2. A
    crafted telegram", dated August 20, 1952, pages 1 to 2."""
    item = csl(crafted, "frus-retrospective-d2")
    assert (item["title"], item["volume"], item["volume-title"], item["ISBN"], item["page"]) == (
        "A crafted telegram", "Retrospective Volume", "Guatemala", "9780160513046", "doc. 2, 1–2")
    assert item["editor"] == [{"family": "Holly", "given": "Susan"}]
    assert item["container-title"] == "Foreign Relations of the United States, 1952–1954"
    assert ris(crafted, "frus-retrospective-d2")["issn"] == "9780160513046"  # rispy's name for SN
    volume = bib(crafted, "frus-retrospective")
    assert (volume.type, volume.fields["titleaddon"], volume.fields["isbn"]) == (
        "collection", "Retrospective Volume", "9780160513046")


def test_the_volume_itself_is_a_book(crafted):
    """frus-modern.xml's contents page: the volume, cited as a book of its editors."""
    item = csl(crafted, "frus-modern")
    assert (item["type"], item["title"], item["volume"], item["volume-title"], item["issued"]) == (
        "book", "Foreign Relations of the United States, 1955–1957", "10", "Foreign Aid and Economic Defense Policy",
        {"date-parts": [[1989]]})
    assert chicago_texts(crafted / "cite", "frus-modern")["note"] == (
        "Robert J. McMahon, William F. Sanford, and Sherrill B. Wells, eds., Foreign Relations of the United States, "
        "1955–1957, vol. 10, Foreign Aid and Economic Defense Policy (Washington: United States Government Printing "
        "Office, 1989).")
    entry = bib(crafted, "frus-modern")
    assert (entry.type, entry.fields["maintitle"], entry.fields["title"], entry.fields["volume"]) == (
        "collection", "{Foreign Relations of the United States, 1955–1957}", "{Foreign Aid and Economic Defense Policy}",
        "10")
    record = ris(crafted, "frus-modern")
    assert (record["type_of_reference"], record["volume"], record["publisher"], record["year"]) == (
        "BOOK", "10", "United States Government Printing Office", "1989")
    assert record["tertiary_authors"] == ["McMahon, Robert J.", "Sanford, William F.", "Wells, Sherrill B."]  # A3


def test_a_language_nobody_declared_is_not_cited(crafted):
    """frus-modern.xml declares no language (no xml:lang, no langUsage): no format says one."""
    assert "language" not in csl(crafted, "frus-modern-d1")
    assert "langid" not in bib(crafted, "frus-modern-d1").fields
    assert "language" not in ris(crafted, "frus-modern-d1")
    page = html.parse(str(crafted / "html" / "frus-modern-d1.html")).getroot()
    assert not page.xpath("//meta[@name='citation_language' or @name='DC.language']")


# ------------------------------------------------------------------ an edition of one text

def test_an_edition_is_cited_with_what_its_header_says(crafted):
    """edition.xml: author "Arouet, François-Marie, 1694-1778." (catalogue form, with dates of
    life), editor Jeanne Martin, Presses de l’Essai, Genève, 2019-03-01; DOI as a doi.org address;
    ISBN-13 with a wrong check digit, ISBN-10 0-306-40615-2; URI; licence CC BY-SA 4.0
    (its @target); xml:lang fr; sourceDesc date 1759."""
    item = csl(crafted, "edition")
    assert item == {
        "id": "edition", "type": "book", "title": "Candide, ou l’Optimisme",
        "author": [{"family": "Arouet", "given": "François-Marie"}], "editor": [{"family": "Martin", "given": "Jeanne"}],
        "issued": {"date-parts": [[2019]]}, "original-date": {"date-parts": [[1759]]},
        "publisher": "Presses de l’Essai", "publisher-place": "Genève", "ISBN": "0306406152",
        "DOI": "10.5555/candide.2019", "URL": "https://editions.example.org/candide", "language": "fr",
        "note": "Licence: https://creativecommons.org/licenses/by-sa/4.0/"}
    texts = chicago_texts(crafted / "cite", "edition")
    assert texts["note"] == ("François-Marie Arouet, Candide, ou l’Optimisme, ed. Jeanne Martin (1759; Genève: Presses de "
                             "l’Essai, 2019), https://doi.org/10.5555/candide.2019.")
    assert texts["bibliography"].startswith("Arouet, François-Marie. Candide, ou l’Optimisme. Edited by Jeanne Martin.")
    entry = bib(crafted, "edition")
    assert (entry.type, entry.fields["date"], entry.fields["origdate"], entry.fields["isbn"], entry.fields["doi"]) == (
        "book", "2019", "1759", "0306406152", "10.5555/candide.2019")
    assert (entry.fields["langid"], entry.fields["url"]) == ("french", "https://editions.example.org/candide")
    assert entry.fields["note"] == "Licence: https://creativecommons.org/licenses/by-sa/4.0/"
    assert [str(p) for p in entry.persons["author"]] == ["Arouet, François-Marie"]
    record = ris(crafted, "edition")
    assert (record["type_of_reference"], record["authors"], record["tertiary_authors"]) == (
        "BOOK", ["Arouet, François-Marie"], ["Martin, Jeanne"])
    assert (record["doi"], record["issn"], record["language"], record["urls"]) == (
        "10.5555/candide.2019", "0306406152", "fr", ["https://editions.example.org/candide"])
    assert "Licence: https://creativecommons.org/licenses/by-sa/4.0/" in record["notes"]


def test_the_page_tags_say_the_same_as_zotero_reads_them(crafted):
    page = lambda name: zotero_embedded_metadata(html.parse(str(crafted / "html" / f"{name}.html")).getroot())  # noqa: E731
    document = page("frus-modern-d1")
    assert (document["itemType"], document["date"], document["bookTitle"], document["series"], document["volume"]) == (
        "bookSection", "1989", "Foreign Aid and Economic Defense Policy",
        "Foreign Relations of the United States, 1955–1957", "10")
    assert [(c["lastName"], c["firstName"]) for c in document["editors"]] == [
        ("McMahon", "Robert J"), ("Sanford", "William F"), ("Wells", "Sherrill B")]
    edition = page("edition")
    assert (edition["itemType"], edition["date"], edition["publisher"], edition["ISBN"], edition["DOI"]) == (
        "book", "2019", "Presses de l’Essai", "0306406152", "10.5555/candide.2019")
    assert (edition["language"], edition["rights"], edition["url"]) == (
        "fr", "https://creativecommons.org/licenses/by-sa/4.0/", "https://editions.example.org/candide")
    assert [(c["lastName"], c["firstName"]) for c in edition["authors"]] == [("Arouet", "François-Marie")]
    assert page("frus-modern")["itemType"] == "book"


def test_the_sites_address_wins_over_the_editions(tmp_path):
    """With a base URL every format carries the page's canonical address (as for cmctei's
    masters); the edition's DOI is still what Chicago prints, as the CSL styles do."""
    build = publish(tmp_path / "build", [FOREIGN / "edition.xml"], outputs=("cite",), base_url=BASE.rstrip("/"))
    item = csl(build, "edition")
    assert item["URL"] == f"{BASE}edition.html" and item["DOI"] == "10.5555/candide.2019"
    assert bib(build, "edition").fields["url"] == f"{BASE}edition.html"
    assert chicago_texts(build / "cite", "edition")["note"].endswith("2019), https://doi.org/10.5555/candide.2019.")


def test_a_single_frus_document_without_its_volume_is_cited_as_itself(crafted):
    """tests/fixtures/shared/frus/frus1961-63v15-d117.xml: one document in a header of its own
    whose title is the document's heading (so no volume is named), publisher the Office of the
    Historian, no publication date, the document dated 1962-09-17, availability "Public domain
    (U.S. government work).": no year is given to the publication."""
    item = csl(crafted, "frus1961-63v15-d117")
    assert item["type"] == "book" and "issued" not in item and "container-title" not in item
    assert item["original-date"] == {"date-parts": [[1962, 9, 17]]}
    assert item["publisher"] == "Office of the Historian, U.S. Department of State"
    assert item["note"] == "Licence: Public domain (U.S. government work)."
    assert chicago_texts(crafted / "cite", "frus1961-63v15-d117")["note"].endswith(
        "(1962; Office of the Historian, U.S. Department of State, n.d.).")


# ------------------------------------------------------------------ the real files of ../shared/foreign

def test_real_frus_volumes(shared):
    """../shared/foreign/frus1918Russiav03.xml: series "Papers Relating to the Foreign Relations of
    the United States, 1918", volumenumber "Volume III", volume "Russia", no editor (an empty
    editor element), Washington, United States Government Printing Office, 1932; document 2
    (heading "The Ambassador in Russia (Francis) to the Secretary of State", dateline April 6,
    1917) on pages 2 and 3. frus1894Nicaragua.xml: no volume title apart (its complete title is
    the edition's), 1895; document 61, heading "No. 61. Mr. Baker to Mr. Gresham", June 9, 1894,
    pages 102 to 103."""
    russia = csl(shared, "frus1918Russiav03-d2")
    assert russia == {
        "id": "frus1918Russiav03-d2", "type": "chapter",
        "title": "The Ambassador in Russia (Francis) to the Secretary of State", "title-short": "Ambassador in Russia (Francis)",
        "issued": {"date-parts": [[1932]]}, "event-date": {"date-parts": [[1917, 4, 6]]},
        "container-title": "Papers Relating to the Foreign Relations of the United States, 1918", "volume-title": "Russia",
        "volume": "3", "page": "doc. 2, 2–3", "publisher": "United States Government Printing Office",
        "publisher-place": "Washington"}
    nicaragua = csl(shared, "frus1894Nicaragua-d61")
    assert (nicaragua["title"], nicaragua["container-title"], nicaragua["page"], nicaragua["issued"]) == (
        "Mr. Baker to Mr. Gresham", "Foreign Relations of the United States, 1894, Nicaragua (Mosquito Territory)",
        "doc. 61, 102–103", {"date-parts": [[1895]]})
    assert "volume" not in nicaragua and "editor" not in nicaragua
    volume = csl(shared, "frus1918Russiav03")
    assert (volume["type"], volume["title"], volume["volume"], volume["volume-title"]) == (
        "book", "Papers Relating to the Foreign Relations of the United States, 1918", "3", "Russia")
    every = [p for p in (shared / "cite").glob("frus1918Russiav03-*.json")]
    assert all(csl(shared, p.stem)["type"] == "chapter" for p in every)


def test_real_editions_from_other_projects(shared):
    """ParlaMint-ES-CT_2015-11-10-0302.xml: main title in Catalan (the document's xml:lang "ca"),
    publisher's orgName in Catalan, publicationStmt date 2023-09-30, idno URI (handle), licence
    CC BY 4.0, the sitting's date 2015-11-10, no author or editor (its respStmts are coordination
    and encoding). tei-test14.xml (TCP): author "Psalmanazar, George, 1679?-1763.", University of
    Michigan Library, Ann Arbor, Michigan, 2006, licence ref target CC BY-SA 3.0, the source printed
    1704, langUsage "eng". tei-test.xml: Charles Dickens (forename, surname), no publisher, no date."""
    parla = csl(shared, "ParlaMint-ES-CT_2015-11-10-0302")
    assert parla == {
        "id": "ParlaMint-ES-CT_2015-11-10-0302", "type": "book",
        "title": "Corpus Parlamentari en català ParlaMint-ES-CT, 2015-11-10 0302 [ParlaMint]",
        "title-short": "Corpus Parlamentari en català", "issued": {"date-parts": [[2023]]},
        "original-date": {"date-parts": [[2015, 11, 10]]}, "publisher": "Infraestructura d'investigació CLARIN",
        "URL": "http://hdl.handle.net/11356/1859", "language": "ca",
        "note": "Licence: http://creativecommons.org/licenses/by/4.0/"}
    assert bib(shared, "ParlaMint-ES-CT_2015-11-10-0302").fields["langid"] == "catalan"
    tcp = csl(shared, "tei-test14")
    assert (tcp["author"], tcp["publisher"], tcp["publisher-place"], tcp["issued"], tcp["original-date"]) == (
        [{"family": "Psalmanazar", "given": "George"}], "University of Michigan Library", "Ann Arbor, Michigan",
        {"date-parts": [[2006]]}, {"date-parts": [[1704]]})
    assert (tcp["language"], tcp["note"]) == ("en", "Licence: http://creativecommons.org/licenses/by-sa/3.0/")
    dickens = csl(shared, "tei-test")
    assert dickens["author"] == [{"family": "Dickens", "given": "Charles"}]
    assert not {"issued", "original-date", "publisher", "language"} & set(dickens)
    assert chicago_texts(shared / "cite", "tei-test")["note"] == "Charles Dickens, A Christmas Carol (n.d.)."


# ------------------------------------------------------------------ dates are never made more precise

def _date(tmp_path: Path, date: str) -> str:
    """The date facts.xsl (header.xsl's cm:date, which every citation reads) gives a TEI whose
    creation date is the element written here."""
    from cmctei import saxon
    from conftest import ROOT

    path = tmp_path / "dated.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
                    '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
                    f'<profileDesc><creation>{date}</creation></profileDesc></teiHeader><text><body><p/></body></text>'
                    '</TEI>', encoding="utf-8")
    executable = saxon.compile_stylesheet(ROOT / "xslt" / "facts.xsl")
    executable.clear_parameters()
    node = saxon.processor().parse_xml(xml_text=path.read_text(encoding="utf-8"))
    return json.loads(executable.transform_to_string(xdm_node=node))["date"]


@pytest.mark.parametrize("date, expected", [
    ('<date notBefore="1962-10-01" notAfter="1962-10-31">October 1962</date>', "1962-10"),
    ('<date from="1962-10-27T09:00:00" to="1962-10-27T17:00:00">October 27, 1962</date>', "1962-10-27"),
    ('<date notBefore="1961-01-01" notAfter="1963-12-31">early 1960s</date>', ""),
    ('<date notBefore="1962-10-01">after October 1, 1962</date>', ""),
    ('<date notAfter="1996">undated</date>', ""),
    ('<date when="1962-10-30">October 30, 1962</date>', "1962-10-30"),
])
def test_a_date_range_gives_only_what_both_ends_share(tmp_path, date, expected):
    """TEI dates as the Guidelines define them (att.datable: @when, @notBefore/@notAfter,
    @from/@to): a range is cited to the precision both ends share, one end alone is no date."""
    assert _date(tmp_path, date) == expected
