"""What a reader sees in each output, checked against values written independently of the code.

Every expected value here was read by hand from the seed sources (`sources/*.txt`,
`sources/catalog.toml`) or from the documented conventions (docs/encoding.md, the
headers of xslt/text.xsl and xslt/html.xsl), or is read from the output by software
cmctei did not write: lxml's HTML parser, pybtex (BibTeX), rispy (RIS). None is
produced by the code under test. Each test names the regression it guards, so that
`make mutate` (tests/mutations.toml) can show it is caught.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html

from conftest import FIXTURES, ROOT, need_module, summary_of
from convert_helpers import project
from cmctei.publish import documents

SEEDS = documents(ROOT / "tei")
NS = {"t": "http://www.tei-c.org/ns/1.0"}

# Hand-read from the sources (and, for the memorandum, the catalog: "FRUS dates the
# memorandum October 30, 1962"; the chapter is dated by its book, 2000).
DATES = {
    "rfk-memo-to-rusk": "1962-10-30",
    "dobrynin-telegram-1962-10-27": "1962-10-27",  # "27/X-62 A. DOBRYNIN"
    "oval-office-1962-11-14": "1962-11-14",
    "excomm-24-1962-11-12": "1962-11-12",  # "November 12, 1962 -- 11:00 AM"
    "chapter-denouement": "2000",
}


@pytest.fixture(scope="module")
def build(seed_site) -> Path:
    return seed_site


def page(build: Path, name: str):
    return html.parse(str(build / "html" / f"{name}.html")).getroot()


def text_of(build: Path, docid: str) -> str:
    return (build / "text" / f"{docid}.txt").read_text(encoding="utf-8")


def squeeze(s: str) -> str:
    return " ".join(s.split())


# ------------------------------------------------------------------ HTML: the header

def about(doc) -> list[tuple[str, str]]:
    """The document's facts as (label, value) pairs, each value beside its own label."""
    pairs, label = [], None
    for el in doc.xpath("//dl[@class='about']/*"):
        if el.tag == "dt":
            label = squeeze(el.text_content())
        elif el.tag == "dd":
            pairs.append((label, squeeze(el.text_content())))
    return pairs


@pytest.mark.parametrize("docid, sender, recipient", [
    # "Memorandum From Attorney General Kennedy to Secretary of State Rusk" (rfk-memo-to-rusk.txt:1)
    ("rfk-memo-to-rusk", "Attorney General Kennedy", "Secretary of State Rusk"),
    # signed "27/X-62 A. DOBRYNIN"; sent to the Ministry (catalog: the text does not say)
    ("dobrynin-telegram-1962-10-27", "A. DOBRYNIN", "Soviet Ministry of Foreign Affairs"),
])
def test_from_and_to_each_stand_beside_the_right_name(build, docid, sender, recipient):
    """Guards: the From and To labels swapped on the page."""
    facts = about(page(build, docid))
    assert ("From", sender) in facts and ("To", recipient) in facts, facts


@pytest.mark.parametrize("docid", sorted(DATES))
def test_page_date_is_a_valid_datetime_of_the_right_day(build, docid):
    """Guards: an invalid or wrong `datetime` (a machine reads it; the Nu checker checks its form)."""
    doc = page(build, docid)
    first = doc.xpath("//dl[@class='about']//time")[0]
    assert first.get("datetime") == DATES[docid]
    index = page(build, "index")
    row = index.xpath("//tbody/tr[.//a[@href=$h]]", h=f"{docid}.html")
    assert len(row) == 1 and row[0].xpath(".//time/@datetime") == [DATES[docid]]


@pytest.mark.parametrize("docid, label", [
    ("excomm-24-1962-11-12", "TOP SECRET — SENSITIVE"),
    ("dobrynin-telegram-1962-10-27", "TOP SECRET — Making Copies Prohibited"),
    ("rfk-memo-to-rusk", "No classification marking"),
    ("oval-office-1962-11-14", "No classification marking"),
])
def test_classification_shown_is_the_level_the_document_bears(build, docid, label):
    assert ("Classification", label) in about(page(build, docid))


# ------------------------------------------------------------------ HTML: the site's links

def local_links(doc) -> list[str]:
    return [a.get("href") for a in doc.xpath("//a[@href]") if not urlsplit(a.get("href")).scheme]


def resolve(build: Path, from_page: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    target = (from_page.parent / unquote(parts.path)).resolve() if parts.path else from_page
    return target, unquote(parts.fragment)


def test_every_link_of_the_site_is_followed_and_lands(build):
    """Guards: person-index links pointing at <docid>.xml, notes pointing nowhere, any broken link.
    Each local link is followed: the file exists, and its #fragment is an id of that page."""
    broken = []
    pages = sorted((build / "html").glob("*.html"))
    for path in pages:
        for href in local_links(html.parse(str(path)).getroot()):
            target, fragment = resolve(build, path, href)
            if not target.is_file():
                broken.append(f"{path.name}: {href} (no such file)")
            elif fragment and target.suffix == ".html":
                ids = html.parse(str(target)).getroot().xpath("//@id")
                if fragment not in ids:
                    broken.append(f"{path.name}: {href} (no id {fragment!r})")
    assert broken == [], broken[:10]


def test_person_index_links_each_person_to_the_pages_of_their_documents(build):
    """Hand-read: Rusk receives the memorandum and speaks in the tape; Dobrynin signs and sends the
    telegram; Bromley Smith writes the summary record. Each link opens that document's page."""
    persons = page(build, "persons")

    def linked(pid: str) -> set[str]:
        return set(persons.xpath("//section[@id=$p]//a/@href", p=pid))

    assert {"rfk-memo-to-rusk.html", "oval-office-1962-11-14.html"} <= linked("rusk")
    assert "dobrynin-telegram-1962-10-27.html" in linked("dobrynin")
    assert "excomm-24-1962-11-12.html" in linked("smith")
    for href in persons.xpath("//section[@class='person']//a/@href"):
        assert href.endswith(".html") and (build / "html" / href.split("#")[0]).is_file(), href
        title = html.parse(str(build / "html" / href.split("#")[0])).getroot().xpath("string(//h1)")
        assert title.strip(), href


# ------------------------------------------------------------------ HTML and text: the phenomena

def test_doubtful_reading_is_marked_on_the_page_and_in_the_text(build):
    """Source: "McNamara: What was his position today [*unclear*: on this]?¹⁸" (oval-office:368).
    Guards: the plain text (or the page) losing the [?] mark of a doubtful reading."""
    doc = page(build, "oval-office-1962-11-14")
    unclear = doc.xpath("//span[@class='unclear']")
    assert [squeeze(u.text_content()) for u in unclear] == ["on this[?]"]
    assert "What was his position today on this[?]" in squeeze(text_of(build, "oval-office-1962-11-14"))


def test_whited_out_passage_is_labelled_sanitized_never_excised(build):
    """Source: "[one-and-a-half lines whited out]" (dobrynin:35). Guards: the plain text labelling
    a sanitized passage EXCISED (or the page saying "classified")."""
    text = squeeze(text_of(build, "dobrynin-telegram-1962-10-27"))
    assert "regulate the Cuban conflict [WHITED OUT: 1.5 lines, sanitized]" in text
    assert "EXCISED" not in text
    gap = page(build, "dobrynin-telegram-1962-10-27").xpath("//span[contains(concat(' ', @class, ' '), ' gap ')]")
    assert [squeeze(g.text_content()) for g in gap] == ["one-and-a-half lines whited out [1.5 lines whited out — sanitized]"]


def test_excisions_of_the_tape_keep_their_extent_and_reason(build):
    """Source: "Seven seconds excised as classified information." (232) and "One minute,
    thirty-seven seconds excised as classified information." (370): two, in that order."""
    text = text_of(build, "oval-office-1962-11-14")
    assert re.findall(r"\[EXCISED: [^\]]*\]", text) == ["[EXCISED: 7 seconds, classified]",
                                                        "[EXCISED: 1 minute 37 seconds, classified]"]
    doc = page(build, "oval-office-1962-11-14")
    shown = [squeeze(g.text_content()) for g in doc.xpath("//span[contains(@class, 'gap-classified')]")]
    assert shown == ["Seven seconds excised as classified information. [7 seconds excised — classified]",
                     "One minute, thirty-seven seconds excised as classified information. "
                     "[1 minute 37 seconds excised — classified]"]


def test_inaudible_passages_are_each_shown(build):
    """Source: "[*Unclear*]", "[*unclear*]", "[Unclear]", "[unclear]", with or without a full stop:
    45 in the transcript (counted with grep), each an inaudible gap, with its printed word."""
    source = (ROOT / "sources" / "oval-office-1962-11-14.txt").read_text(encoding="utf-8")
    printed = [w.replace("*", "") for w in re.findall(r"\[\*?[Uu]nclear\.?\*?\]", source)]
    assert len(printed) == 45
    text = squeeze(text_of(build, "oval-office-1962-11-14"))
    assert ["[" + w for w in re.findall(r"\[INAUDIBLE: ([Uu]nclear\.?\])", text)] == printed
    doc = page(build, "oval-office-1962-11-14")
    shown = [squeeze(g.text_content()) for g in doc.xpath("//span[contains(@class, 'gap-inaudible')]")]
    assert shown == [w[1:-1] + " [inaudible]" for w in printed]  # the printed word, then the reason


def test_page_breaks_in_the_plain_text_are_one_rendering_in_order(build):
    """The summary record prints page numbers "- 2 -" to "- 5 -": the text shows each page break
    once, as "[page N]" (text.xsl's documented form), in order, and the printed number as furniture."""
    text = text_of(build, "excomm-24-1962-11-12")
    assert re.findall(r"\[page [^\]]*\]|\[page break\]", text) == ["[page 2]", "[page 3]", "[page 4]", "[page 5]"]
    assert re.findall(r"\[PAGE: [^\]]*\]", text) == ["[PAGE: - 2 -]", "[PAGE: - 3 -]", "[PAGE: - 4 -]",
                                                     "[PAGE: - 5 -]"]
    doc = page(build, "excomm-24-1962-11-12")
    assert [squeeze(p.text_content()) for p in doc.xpath("//span[@class='pb']")] != []
    assert doc.xpath("//span[@class='pb']/@id") == ["page-2", "page-3", "page-4", "page-5"]


def test_struck_words_and_stamps_are_labelled_as_such(build):
    """Source: "~~no~~-invasion" and "~~any~~" in running text; stamps "SANITIZED" and
    "NWK-80-29 / BY / MM / WARS. DATE 10/9/84" (one stamp over four lines)."""
    text = text_of(build, "excomm-24-1962-11-12")
    assert "[struck: no]-invasion" in text and "[struck: any] an economic blockade" in text
    assert re.findall(r"\[STAMP: [^\]]*\]", text) == ["[STAMP: SANITIZED]",
                                                      "[STAMP: NWK-80-29 BY MM WARS. DATE 10/9/84]"]
    doc = page(build, "excomm-24-1962-11-12")
    running = [squeeze(d.text_content()) for d in doc.xpath("//section[@id='text']//p//del")]
    assert running == ["no", "any"]


def test_classification_banner_is_first_and_last_line_of_the_text(build):
    """The top and bottom lines are the first classification line as printed (furniture where the
    profile puts it), its struck words said to be struck as the body says them (the source's
    ~~TOP SECRET~~); an unmarked document has none."""
    for docid, banner in (("excomm-24-1962-11-12", "[struck: TOP SECRET] - SENSITIVE"),
                          ("dobrynin-telegram-1962-10-27", "TOP SECRET Making Copies Prohibited Copy No. I")):
        lines = text_of(build, docid).rstrip("\n").splitlines()
        assert lines[0] == banner and lines[-1] == banner, docid
    memo = text_of(build, "rfk-memo-to-rusk").splitlines()
    assert memo[0] == "Memorandum From Attorney General Kennedy to Secretary of State Rusk"


def test_speaker_labels_and_tape_times_in_the_text(build):
    """Source lines 32 and 170: each turn begins with its printed label, the time as printed."""
    text = squeeze(text_of(build, "oval-office-1962-11-14"))
    assert "Llewellyn Thompson: [00:35] [INAUDIBLE: Unclear] Castro, with the Cubans." in text
    assert "Bundy: [10:52] But he [INAUDIBLE: unclear] us off that hook" in text


# ------------------------------------------------------------------ citations, read by outside software

# Hand-read: the document's own date (not the edition's); pybtex expands the month macro (oct → October).
# What each format says of each seed (docs/citations.md, read by the clients' own rules): a
# document printed in an edition is dated, as a citation, by its edition (the imprint: 1996) and
# keeps its own date beside it (BibTeX origdate, CSL event-date, an RIS note); an archival one
# is dated by itself. (type, year, the document's own date as the format carries it)
BIBTEX = {
    "rfk-memo-to-rusk": ("inbook", "1996", "origdate", "1962-10-30"),
    "dobrynin-telegram-1962-10-27": ("unpublished", "1962", "date", "1962-10-27"),
    "oval-office-1962-11-14": ("misc", "1962", "date", "1962-11-14"),
    "excomm-24-1962-11-12": ("unpublished", "1962", "date", "1962-11-12"),
    "chapter-denouement": ("inbook", "2000", "date", "2000"),
}


def test_bibtex_read_by_pybtex(build):
    """Guards: the BibTeX year of a document in an edition switched between the edition's year
    (1996, the imprint's) and the document's (1962)."""
    database = need_module("pybtex.database", "pybtex is a test dependency (pip install -e '.[test]')")
    whole = database.parse_string((build / "cite" / "all.bib").read_text(encoding="utf-8"), "bibtex")
    assert list(whole.entries) == ["dobrynin-telegram-1962-10-27", "rfk-memo-to-rusk", "excomm-24-1962-11-12",
                                   "oval-office-1962-11-14", "chapter-denouement"]  # in date order
    for docid, (kind, year, field, own) in BIBTEX.items():
        one = database.parse_string((build / "cite" / f"{docid}.bib").read_text(encoding="utf-8"), "bibtex")
        entry = one.entries[docid]
        assert (entry.type, entry.fields["year"], entry.fields[field]) == (kind, year, own), docid
        assert whole.entries[docid].fields == entry.fields
    memo = whole.entries["rfk-memo-to-rusk"]
    assert [str(p) for p in memo.persons["author"]] == ["Kennedy, Robert F."]
    assert memo.fields["volume"] == "11" and memo.fields["pages"] == "doc. 96"  # vol. XI, document 96
    assert memo.fields["maintitle"] == "{Foreign Relations of the United States, 1961–1963}"
    assert memo.fields["booktitle"] == "{Cuban Missile Crisis and Aftermath}"
    tape = whole.entries["oval-office-1962-11-14"]
    assert [str(p) for p in tape.persons["editor"]] == ["Naftali, Timothy", "Coleman, David"]
    assert "author" not in tape.persons
    telegram = whole.entries["dobrynin-telegram-1962-10-27"]
    assert [str(p) for p in telegram.persons["author"]] == ["Dobrynin, Anatoly"]


RIS = {  # TY, PY (a printed document: its edition's year), DA (the document's date, RIS form)
    "rfk-memo-to-rusk": ("CHAP", "1996", None),
    "dobrynin-telegram-1962-10-27": ("PCOMM", "1962", "1962/10/27/"),
    "oval-office-1962-11-14": ("CHAP", None, None),
    "excomm-24-1962-11-12": ("MANSCPT", "1962", "1962/11/12/"),
    "chapter-denouement": ("CHAP", "2000", None),
}


def test_ris_read_by_rispy(build):
    rispy = need_module("rispy", "rispy is a test dependency (pip install -e '.[test]')")
    records = rispy.loads((build / "cite" / "all.ris").read_text(encoding="utf-8"))
    assert [r["id"] if "id" in r else r["title"] for r in records] == [
        "Ciphered telegram to Soviet Ministry of Foreign Affairs",
        "Memorandum From Attorney General Kennedy to Secretary of State Rusk",
        "Summary Record of NSC Executive Committee Meeting No. 24",
        "Off-the-Record Oval Office Conversation on Cuba", "The Denouement"]  # in date order
    for docid, (kind, year, date) in RIS.items():
        record = rispy.loads((build / "cite" / f"{docid}.ris").read_text(encoding="utf-8"))
        assert len(record) == 1, docid
        record = record[0]
        assert (record["type_of_reference"], record.get("year"), record.get("date")) == (kind, year, date), docid
    memo = rispy.loads((build / "cite" / "rfk-memo-to-rusk.ris").read_text(encoding="utf-8"))[0]
    assert memo["authors"] == ["Kennedy, Robert F."] and memo["volume"] == "11"
    assert memo["secondary_title"] == "Cuban Missile Crisis and Aftermath"
    assert "Date of the document: October 30, 1962" in memo["notes"]
    excomm = rispy.loads((build / "cite" / "excomm-24-1962-11-12.ris").read_text(encoding="utf-8"))[0]
    assert excomm["name_of_database"] == "John F. Kennedy Library, Boston"
    assert excomm["authors"] == ["Smith, Bromley"]


def need_order() -> list[str]:
    return ["dobrynin-telegram-1962-10-27", "rfk-memo-to-rusk", "excomm-24-1962-11-12", "oval-office-1962-11-14",
            "chapter-denouement"]


def test_csl_json_dates_are_the_documents_own(build):
    """The document's own date is in CSL-JSON: issued, or, for a document printed in an edition,
    event-date beside issued = the edition's year (so a processor prints "(Washington: GPO, 1996)")."""
    import json

    items = {i["id"]: i for i in json.loads((build / "cite" / "all.json").read_text(encoding="utf-8"))}
    for docid, iso in DATES.items():
        item = items[docid]
        own = item.get("event-date") or item.get("issued")
        assert own and own["date-parts"] == [[int(part) for part in iso.split("-")]], docid
    assert items["rfk-memo-to-rusk"]["issued"]["date-parts"] == [[1996]]  # catalog: published.year
    assert "issued" not in items["oval-office-1962-11-14"] or items["oval-office-1962-11-14"]["issued"]["date-parts"] \
        == [[1962, 11, 14]]  # a draft transcript: no edition year yet


# ------------------------------------------------------------------ converter: the level a document bears

MEMO = """## MEMORANDUM FOR THE RECORD

{first}

The Secretary met the Ambassador at noon and they spoke of the quarantine.

- 2 -

{second}

The meeting ended at one.
"""


@pytest.mark.parametrize("first, second, highest", [("SECRET", "TOP SECRET", "top-secret"),
                                                    ("TOP SECRET", "SECRET", "top-secret"),
                                                    ("CONFIDENTIAL", "SECRET", "secret"),
                                                    ("SECRET", "SECRET", "secret"),
                                                    ("CONFIDENTIAL", "CONFIDENTIAL", "confidential")])
def test_highest_marking_is_the_documents_classification(tmp_path, run_cli, first, second, highest):
    """Profile: the classification is "the highest marking the document bears".
    Guards: SECRET ranked above TOP SECRET (the document shown lower than it is)."""
    catalog, tei = project(tmp_path, {"m.txt": MEMO.format(first=first, second=second)},
                           '[documents.m]\nsource = "m.txt"\ngenre = "memorandum"\n'
                           'overrides = { date = "1962-11-01" }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    master = etree.parse(str(tei / "m.xml"))
    assert master.xpath("//t:catRef[@scheme='#classification']/@target", namespaces=NS) == ["#" + highest]
    out = tmp_path / "build"
    code, _, err = run_cli("publish", "--out", out, "--register", tei / "persons.xml", tei / "m.xml")
    assert code == 0, err
    label = {"top-secret": "TOP SECRET", "secret": "SECRET", "confidential": "CONFIDENTIAL"}[highest]
    assert ("Classification", label) in about(html.parse(str(out / "html" / "m.html")).getroot())
    assert f"· {label}" in (out / "text" / "m.txt").read_text(encoding="utf-8").splitlines()[2]


# ------------------------------------------------------------------ validation: hostile XML and the parallel path

def doctype_beyond_the_prescan() -> str:
    """A DOCTYPE after a comment longer than the 64 KiB the pre-scan reads: only the parse sees it."""
    minimal = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    declaration, rest = minimal.split("?>", 1)
    return (declaration + "?>\n<!--" + "x" * 70_000 + "-->\n<!DOCTYPE TEI [ <!ENTITY who \"Bundy\"> ]>\n"
            + rest.lstrip())


def test_a_doctype_the_prescan_cannot_see_is_refused_by_validate_and_publish(tmp_path, run_cli):
    """Guards: the check of the parsed document for a DOCTYPE removed (the text pre-scan alone)."""
    path = tmp_path / "minimal.xml"
    path.write_text(doctype_beyond_the_prescan(), encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1 and "[xml-doctype]" in out and summary_of(out) == "1 file, 1 error, 0 warnings"
    code, _, err = run_cli("publish", "--out", tmp_path / "build", path)
    assert code == 1 and "[xml-doctype]" in err
    assert not (tmp_path / "build" / "html" / "minimal.html").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_tei_all_runs_on_every_file_on_both_paths(tmp_path, jobs):
    """16 files (two workers' worth: the parallel path), each with an element tei_all refuses:
    every file's verdict carries its tei-all error, with one job and with two.
    Guards: --tei-all silently skipped on the parallel path."""
    folder = tmp_path / "tei"
    folder.mkdir()
    minimal = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    for i in range(16):
        text = minimal.replace("minimal", f"doc{i:02d}").replace("<p>We met", "<p><redaction/>We met")
        (folder / f"doc{i:02d}.xml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cmctei", "validate", "--tei-all", "--no-cache", "--jobs", jobs,
                             "--register", ROOT / "tei" / "persons.xml", folder],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    flagged = {Path(line.split(":", 1)[0]).name for line in result.stdout.splitlines() if "[tei-all]" in line}
    assert flagged == {f"doc{i:02d}.xml" for i in range(16)}


def test_the_site_passes_no_file_that_is_not_a_page(build):
    """Every document page, index page and the person page is served; nothing else ends in .html."""
    names = sorted(p.name for p in (build / "html").glob("*.html"))
    expected = sorted([f"{s.stem}.html" for s in SEEDS] + ["index.html", "persons.html", "search.html"]
                      + [f"index-genre-{g}.html" for g in ("chapter", "memorandum", "summary-record", "telegram",
                                                           "transcript")]
                      + [f"index-classification-{c}.html" for c in ("top-secret", "unmarked")])
    assert names == expected  # hand-listed from the five seeds' genres and levels


# ------------------------------------------------------------------ the TEI master: each phenomenon of the profile

def source(docid: str) -> str:
    return (ROOT / "sources" / f"{docid}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """The five seed sources converted afresh (not the committed masters, which may be hand-edited)."""
    folder = tmp_path_factory.mktemp("fresh")
    tei = folder / "tei"
    tei.mkdir()
    shutil.copy2(ROOT / "tei" / "persons.xml", tei / "persons.xml")
    from cmctei.cli import main

    assert main(["convert", "--catalog", str(ROOT / "sources" / "catalog.toml"), "--tei-dir", str(tei),
                 "--quiet"]) == 0
    return tei


def census(tei: Path, docid: str, expr: str) -> list[str]:
    tree = etree.parse(str(tei / f"{docid}.xml"))
    return [squeeze(v if isinstance(v, str) else "".join(v.itertext())) for v in tree.xpath(expr, namespaces=NS)]


def test_each_phenomenon_of_the_profile_is_encoded_where_the_profile_puts_it(fresh):
    """Each row of the encoding profile's body table, on the seed that shows it, with the expected
    values taken from the source by the patterns given here (the source's own conventions, not the
    converter's). Guards: a phenomenon dropped, swapped for another, or mislabelled."""
    tape, telegram, excomm = source("oval-office-1962-11-14"), source("dobrynin-telegram-1962-10-27"), \
        source("excomm-24-1962-11-12")
    # words heard with doubt: "[*unclear*: on this]" → unclear[@reason='inaudible']
    assert census(fresh, "oval-office-1962-11-14", "//t:body//t:unclear[@reason='inaudible']") == \
        re.findall(r"\[\*unclear\*: ([^\]]+)\]", tape)
    # inaudible speech: "[*Unclear*]", "[unclear]" … → gap[@reason='inaudible'], the word kept in desc
    assert census(fresh, "oval-office-1962-11-14", "//t:text//t:gap[@reason='inaudible']/t:desc") == \
        [w.strip("*") for w in re.findall(r"\[(\*?[Uu]nclear\.?\*?)\]", tape)]
    # tape time stamps "[05:03]" → anchor[@synch] to a when whose interval is the seconds
    stamps = [int(m) * 60 + int(s) for m, s in re.findall(r"\[(\d\d):(\d\d)\]", tape)]
    tree = etree.parse(str(fresh / "oval-office-1962-11-14.xml"))
    intervals = [int(tree.xpath("string(//t:when[@xml:id=$i]/@interval)", namespaces=NS, i=a[1:]))
                 for a in tree.xpath("//t:body//t:anchor/@synch", namespaces=NS)]
    assert intervals == stamps and len(stamps) == 16
    # excisions of audio: quantity in seconds, the printed wording in desc
    gaps = tree.xpath("//t:body//t:gap[@reason='classified']", namespaces=NS)
    assert [(g.get("quantity"), g.get("unit"), g.get("dur")) for g in gaps] == [("7", "s", "PT7S"),
                                                                                ("97", "s", "PT1M37S")]
    # laughter → vocal; the bracketed events with named actors keep their @who
    assert census(fresh, "oval-office-1962-11-14", "//t:body//t:vocal/t:desc")[-1] == "McNamara and Bundy laugh"
    # editorial insertions "[their system]" → supplied; the whited-out passage → gap sanitized
    bracketed = [b for b in re.findall(r"\[([^\]*]+)\]", telegram) if "whited out" not in b]
    assert census(fresh, "dobrynin-telegram-1962-10-27", "//t:body//t:supplied[@reason='editorial']") == bracketed
    sanitized = etree.parse(str(fresh / "dobrynin-telegram-1962-10-27.xml")).xpath(
        "//t:body//t:gap[@reason='sanitized']", namespaces=NS)
    assert [(g.get("quantity"), g.get("unit"), squeeze(g.findtext(f"{{{NS['t']}}}desc")))
            for g in sanitized] == [("1.5", "line", "one-and-a-half lines whited out")]
    # struck-through words "~~no~~" → del[@rend='strikethrough'], in order
    assert census(fresh, "excomm-24-1962-11-12", "//t:body//t:del[@rend='strikethrough']") == \
        [squeeze(d) for d in re.findall(r"~~(.+?)~~", excomm)]
    # declassification stamps, with the stamp's date as date[@when]
    assert census(fresh, "excomm-24-1962-11-12", "//t:body//t:stamp[@type='declassification']") == \
        ["SANITIZED", "NWK-80-29 BY MM WARS. DATE 10/9/84"]
    assert census(fresh, "excomm-24-1962-11-12", "//t:body//t:stamp//t:date/@when") == ["1984-10-09"]
    # page numbers "- 2 -" → pb[@n] and fw[@type='pageNum']
    printed = re.findall(r"^- (\d+) -$", excomm, flags=re.M)
    assert census(fresh, "excomm-24-1962-11-12", "//t:body//t:pb/@n") == printed == ["2", "3", "4", "5"]
    assert census(fresh, "excomm-24-1962-11-12", "//t:body//t:fw[@type='pageNum']") == [f"- {n} -" for n in printed]
    # every classification line printed → fw[@type='classification'], struck marks inside del
    lines = [line.strip() for line in excomm.splitlines() if re.fullmatch(r"[~ ]*TOP SECRET[~ ]*-? ?(SENSITIVE)?[~ ]*",
                                                                          line.strip())]
    assert len(census(fresh, "excomm-24-1962-11-12", "//t:body//t:fw[@type='classification']")) == len(lines)
    # the FRUS source note "0" after the heading → note[@type='source'][@n='0'] in head; markers without
    # texts → notes holding gap[@reason='not-transcribed']
    assert census(fresh, "rfk-memo-to-rusk", "//t:head/t:note[@type='source']/@n") == ["0"]
    assert census(fresh, "rfk-memo-to-rusk", "//t:note[@place='foot'][t:gap[@reason='not-transcribed']]/@n") == \
        ["1", "2"]
    # section headings of the chapter (capitals on a line of their own) → div[@type='section']/head
    headings = re.findall(r"^([A-Z][A-Z0-9 .'-]+[A-Z])$", source("chapter-denouement"), flags=re.M)
    assert census(fresh, "chapter-denouement", "//t:div[@type='section']/t:head") == headings
    # signature and date line at the end: "27/X-62 A. DOBRYNIN"
    assert census(fresh, "dobrynin-telegram-1962-10-27", "//t:closer/t:dateline/t:date/@when") == ["1962-10-27"]
    assert census(fresh, "dobrynin-telegram-1962-10-27", "//t:closer/t:signed/t:persName/@ref") == \
        ["persons.xml#dobrynin"]
