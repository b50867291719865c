"""Citations as the clients historians use read them (issue 14; escaping: issue 16 item 6).

Every format must carry the same facts as our own Chicago note, so that any client renders
the same citation. The clients themselves are run: citeproc-js (Zotero's CSL engine) with
the official Chicago 17th styles, biber's data-model check, pybtex, rispy, and Zotero's RIS
import table and Embedded Metadata translator (encoded from their source in
citeproc_helpers.py). The corpus: the five masters in tei/, the crafted raw documents in
tests/fixtures/crafted converted afresh, variants of the seeds for the shapes the corpus
lacks, hostile strings, and the development set (../shared/devset) converted afresh.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from lxml import etree, html

from citeproc_helpers import (ZOTERO_RIS, ZOTERO_RIS_TYPES, biber_warnings, chicago_texts, citeproc, expected_text,
                              citeproc_differences, latex_text, pybtex_entries, ris_tags, rispy_records,
                              zotero_embedded_metadata)
from conftest import FIXTURES, ROOT, shared_path
from cmctei.publish import Publisher, documents

SEEDS = documents(ROOT / "tei")
REGISTER = ROOT / "tei" / "persons.xml"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
BASE = "https://example.org/cmctei/"


def publish(out: Path, files: list[Path], register: Path = REGISTER, **options) -> Path:
    report = Publisher(out, register=register, **options).run(files)
    assert not report.problems, [p.format() for p in report.problems]
    assert sorted(report.published) == sorted(f.stem for f in files)
    return out


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    return publish(tmp_path_factory.mktemp("seeds"), SEEDS)


@pytest.fixture(scope="module")
def seeds_with_url(tmp_path_factory) -> Path:
    return publish(tmp_path_factory.mktemp("seeds-url"), SEEDS, base_url=BASE.rstrip("/"))


def convert(catalog: Path, tei: Path, *docids: str) -> str:
    """cmctei convert, in this process; returns what it printed."""
    from cmctei.cli import main
    import contextlib
    import io

    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        main(["convert", "--catalog", str(catalog), "--tei-dir", str(tei), "--quiet", *docids])
    return said.getvalue()


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    """tests/fixtures/crafted converted afresh, then published."""
    work = tmp_path_factory.mktemp("crafted")
    tei = work / "tei"
    tei.mkdir()
    shutil.copy2(REGISTER, tei / "persons.xml")
    convert(FIXTURES / "crafted" / "catalog.toml", tei)
    files = documents(tei)
    assert len(files) == 16
    return publish(work / "build", files, register=tei / "persons.xml")


@pytest.fixture(scope="module")
def devset(tmp_path_factory) -> Path:
    """The development set rendered, catalogued and converted as ../shared/devset/run.sh does
    (render.py, catalog.py, convert, convert again with the genre where asked), then published."""
    frus = shared_path("devset", "frus")
    tools = frus.parent / "tools"
    work = tmp_path_factory.mktemp("devset")
    import subprocess

    subprocess.run([sys.executable, str(tools / "render.py"), str(work / "rendered"), str(frus)],
                   check=True, capture_output=True, timeout=600)
    sources = work / "sources"
    sources.mkdir()
    for text in (work / "rendered").glob("*.txt"):
        shutil.copy2(text, sources / text.name)

    def catalog(*docids: str) -> None:
        made = subprocess.run([sys.executable, str(tools / "catalog.py"), "catalog", str(work / "rendered"), *docids],
                              check=True, capture_output=True, text=True, timeout=600)
        (sources / "catalog.toml").write_text(made.stdout, encoding="utf-8")

    tei = work / "tei"
    tei.mkdir()
    shutil.copy2(REGISTER, tei / "persons.xml")
    catalog()
    said = convert(sources / "catalog.toml", tei)
    asked = re.findall(r"^sources/([^:]*)\.txt:\d+:\d+: error: cannot tell the genre from the text", said, flags=re.M)
    if asked:
        catalog(*asked)
        convert(sources / "catalog.toml", tei, *asked)
    files = documents(tei)
    assert len(files) >= 50, said[-2000:]
    return publish(work / "build", files, register=tei / "persons.xml", outputs=("cite",))


# ------------------------------------------------------------------ variants of the seeds

def _load(docid: str) -> etree._ElementTree:
    return etree.parse(str(ROOT / "tei" / f"{docid}.xml"))


def _rename(tree: etree._ElementTree, docid: str) -> None:
    """The document under another id: its file name, idno and the ids made from it."""
    root = tree.getroot()
    old = root.findtext(".//t:publicationStmt/t:idno", namespaces=NS)
    for idno in root.iterfind(".//t:publicationStmt/t:idno", NS):
        idno.text = docid
    for element in root.iter():
        for name, value in element.attrib.items():
            if value == old or value.startswith(old + "-") or f"#{old}-" in value:
                element.set(name, value.replace(old, docid))


def _el(tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.Element(f"{{{TEI}}}{tag}", **attributes)
    element.text = text
    return element


def _variants() -> dict[str, etree._ElementTree]:
    """Shapes the five seeds do not have, each made from a seed by a small edit."""
    made = {}

    # a telegram nobody can look up again (no archive): no bibliography entry, names in full
    tree = _load("dobrynin-telegram-1962-10-27")
    ms = tree.find(".//t:sourceDesc/t:msDesc", NS)
    source = ms.getparent()
    source.replace(ms, _el("p", "Transcribed from a copy in private hands."))
    made["var-unfindable-telegram"] = tree

    # four and eleven authors: "et al." in notes, seven and "et al." past ten in the bibliography
    for count in (4, 11):
        tree = _load("excomm-24-1962-11-12")
        title_stmt = tree.find(".//t:titleStmt", NS)
        ids = [p.get("sameAs") for p in tree.iterfind(".//t:particDesc//t:person", NS)][1:count]
        position = list(title_stmt).index(title_stmt.find("t:author", NS)) + 1
        for offset, ref in enumerate(ids):
            author = _el("author")
            author.append(_el("persName", "someone", ref=ref))
            title_stmt.insert(position + offset, author)
        made[f"var-{count}-authors"] = tree

    # an edition with editors and an author: biblatex @incollection; a volume in roman numerals
    tree = _load("rfk-memo-to-rusk")
    monogr = tree.find(".//t:sourceDesc/t:biblStruct/t:monogr", NS)
    imprint = monogr.find("t:imprint", NS)
    for name in ("Edward C. Keefer", "Charles S. Sampson", "Louis J. Smith"):
        editor = _el("editor")
        editor.append(_el("persName", name))
        imprint.addprevious(editor)
    made["var-edited-volume"] = tree

    # book chapters: page ranges as Chicago abbreviates them, names with particles and suffixes
    for docid, pages, author in (("var-pages-101", "101-108", "Charles de Gaulle"),
                                 ("var-pages-321", "321–328", "Martin Luther King Jr."),
                                 ("var-pages-1496", "1496-1504", "Jean de la Fontaine"),
                                 ("var-pages-96", "96-117", "Ludwig van Beethoven")):
        tree = _load("chapter-denouement")
        for name in tree.iterfind(".//t:author/t:persName", NS):
            name.text = author
        monogr = tree.find(".//t:sourceDesc/t:biblStruct/t:monogr", NS)
        monogr.append(_el("biblScope", pages, unit="page"))
        made[docid] = tree
    for docid, tree in made.items():
        _rename(tree, docid)
    return made


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("variants")
    files = []
    for docid, tree in _variants().items():
        path = work / "tei" / f"{docid}.xml"
        path.parent.mkdir(exist_ok=True)
        tree.write(str(path), xml_declaration=True, encoding="UTF-8")
        files.append(path)
    return publish(work / "build", files)


# ------------------------------------------------------------------ citeproc-js: the same words

@pytest.mark.parametrize("corpus", ["seeds", "seeds_with_url", "crafted", "variants"])
def test_citeproc_js_renders_our_chicago_words(corpus, request):
    """Done when 1: citeproc-js with the Chicago 17th full-note, shortened-note and bibliography
    styles renders, from our CSL-JSON, the same words as our own Chicago (case and punctuation
    aside), for every document."""
    build = request.getfixturevalue(corpus)
    assert citeproc_differences(build / "cite") == []


def test_citeproc_js_renders_our_chicago_words_on_the_development_set(devset):
    assert citeproc_differences(devset / "cite") == []


def test_the_seeds_chicago_texts(seeds):
    """The Chicago texts themselves, written by hand from The Chicago Manual of Style, 17th ed.
    (letters in collections 14.111–117, manuscripts 14.219–232, edited volumes 14.103–109,
    multivolume works 14.116–121, short notes 14.29–30), in the order the Chicago CSL styles
    give the same facts. Not produced by the code under test."""
    expected = {
        "rfk-memo-to-rusk": (
            "Robert F. Kennedy, “Memorandum From Attorney General Kennedy to Secretary of State Rusk,” to Dean "
            "Rusk, October 30, 1962, in Foreign Relations of the United States, 1961–1963, vol. 11, Cuban Missile "
            "Crisis and Aftermath (Washington: United States Government Printing Office, 1996), doc. 96.",
            "Kennedy to Rusk, “Memorandum From Attorney General.”",
            "Kennedy, Robert F. “Memorandum From Attorney General Kennedy to Secretary of State Rusk.” To Dean "
            "Rusk, October 30, 1962. In Foreign Relations of the United States, 1961–1963, vol. 11, Cuban Missile "
            "Crisis and Aftermath, doc. 96. Washington: United States Government Printing Office, 1996."),
        "dobrynin-telegram-1962-10-27": (
            "Anatoly Dobrynin, ciphered telegram to Soviet Ministry of Foreign Affairs, October 27, 1962, Archive "
            "of Foreign Policy of the Russian Federation (AVP RF), Moscow.",
            "Dobrynin, ciphered telegram to Soviet Ministry of Foreign Affairs, October 27, 1962.",
            "Dobrynin, Anatoly. Ciphered telegram to Soviet Ministry of Foreign Affairs, October 27, 1962. Archive "
            "of Foreign Policy of the Russian Federation (AVP RF), Moscow."),
        "oval-office-1962-11-14": (
            "Timothy Naftali and David Coleman, eds., “Off-the-Record Oval Office Conversation on Cuba,” in The "
            "Presidential Recordings: John F. Kennedy, vol. 4, November 14, 1962 (New York: W. W. Norton), Tape 58, "
            "President's Office Files, Presidential Recordings Collection, John F. Kennedy Library.",
            "Naftali and Coleman, “Off-the-Record Oval Office Conversation.”",
            "Naftali, Timothy, and David Coleman, eds. “Off-the-Record Oval Office Conversation on Cuba.” In The "
            "Presidential Recordings: John F. Kennedy, vol. 4. November 14, 1962. New York: W. W. Norton. Tape 58, "
            "President's Office Files, Presidential Recordings Collection, John F. Kennedy Library."),
        "excomm-24-1962-11-12": (
            "Bromley Smith, “Summary Record of NSC Executive Committee Meeting No. 24,” November 12, 1962, National "
            "Security Files, Meetings and Memoranda Series, Executive Committee Meetings, Vol. II, Meetings 17–24, "
            "John F. Kennedy Library, Boston.",
            "Smith, “Summary Record of NSC.”",
            "Smith, Bromley. “Summary Record of NSC Executive Committee Meeting No. 24.” November 12, 1962. National "
            "Security Files, Meetings and Memoranda Series, Executive Committee Meetings, Vol. II, Meetings 17–24. "
            "John F. Kennedy Library, Boston."),
        "chapter-denouement": (
            "Lawrence Freedman, “The Denouement,” in Kennedy's Wars: Berlin, Cuba, Laos, and Vietnam (New York: "
            "Oxford University Press, 2000).",
            "Freedman, “Denouement.”",
            "Freedman, Lawrence. “The Denouement.” In Kennedy's Wars: Berlin, Cuba, Laos, and Vietnam. New York: "
            "Oxford University Press, 2000."),
    }
    for docid, (note, short, bibliography) in expected.items():
        assert chicago_texts(seeds / "cite", docid) == {"note": note, "short": short, "bibliography": bibliography}


def test_chicago_where_ours_is_the_more_correct_the_data_carries_it(seeds):
    """A short title drops its initial article (CMOS 14.30): carried as CSL title-short, and
    citeproc-js then prints it, rather than our text being bent to "The Denouement"."""
    item = json.loads((seeds / "cite" / "chapter-denouement.json").read_text(encoding="utf-8"))[0]
    assert item["title-short"] == "Denouement"
    assert citeproc([item])["chapter-denouement"]["short"] == "Freedman, “Denouement.”"


def test_variants_say_what_chicago_says(variants):
    cite = variants / "cite"
    unfindable = chicago_texts(cite, "var-unfindable-telegram")
    assert unfindable["bibliography"] == ""  # CMOS 14.114: what a reader cannot retrieve is not listed
    assert unfindable["short"].startswith("Anatoly Dobrynin, ciphered telegram to")
    assert chicago_texts(cite, "var-4-authors")["note"].startswith("Bromley Smith et al., “Summary Record")
    eleven = chicago_texts(cite, "var-11-authors")["bibliography"]
    assert eleven.startswith("Smith, Bromley, Maxwell D. Taylor, John F. Kennedy,") and ", et al. “Summary" in eleven
    assert "(Boston" not in chicago_texts(cite, "var-pages-101")["note"]
    assert chicago_texts(cite, "var-pages-101")["note"].endswith("2000), 101–8.")
    assert chicago_texts(cite, "var-pages-321")["note"].endswith("2000), 321–28.")
    assert chicago_texts(cite, "var-pages-1496")["note"].endswith("2000), 1496–504.")
    assert chicago_texts(cite, "var-pages-96")["note"].endswith("2000), 96–117.")
    assert chicago_texts(cite, "var-pages-321")["bibliography"].startswith("King, Martin Luther, Jr. “The Denouement.”")
    assert chicago_texts(cite, "var-pages-101")["bibliography"].startswith("Gaulle, Charles de.")
    assert ", ed. Edward C. Keefer, Charles S. Sampson, and Louis J. Smith (Washington" in \
        chicago_texts(cite, "var-edited-volume")["note"]


# ------------------------------------------------------------------ CSL-JSON

@pytest.mark.parametrize("corpus", ["seeds", "seeds_with_url", "crafted", "variants"])
def test_csl_json_stays_valid(corpus, request):
    """Done when 5: CSL-JSON valid against the CSL schema's csl-data.json."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency")
    schema = json.loads(shared_path("schemas", "csl-data.json").read_text(encoding="utf-8"))
    cite = request.getfixturevalue(corpus) / "cite"
    jsonschema.validate(json.loads((cite / "all.json").read_text(encoding="utf-8")), schema)
    for single in cite.glob("*.json"):
        jsonschema.validate(json.loads(single.read_text(encoding="utf-8")), schema)


def test_csl_json_carries_the_facts(seeds):
    items = {i["id"]: i for i in json.loads((seeds / "cite" / "all.json").read_text(encoding="utf-8"))}
    frus = items["rfk-memo-to-rusk"]
    assert frus["type"] == "personal_communication"
    assert frus["issued"] == {"date-parts": [[1996]]}           # the edition's year
    assert frus["event-date"] == {"date-parts": [[1962, 10, 30]]}  # the memorandum's date
    assert frus["author"] == [{"family": "Kennedy", "given": "Robert F."}]
    assert frus["recipient"] == [{"family": "Rusk", "given": "Dean"}]
    assert (frus["container-title"], frus["volume"], frus["volume-title"], frus["page"]) == (
        "Foreign Relations of the United States, 1961–1963", "11", "Cuban Missile Crisis and Aftermath", "doc. 96")
    telegram = items["dobrynin-telegram-1962-10-27"]
    assert "title" not in telegram and telegram["genre"] == "ciphered telegram"
    assert telegram["recipient"] == [{"literal": "Soviet Ministry of Foreign Affairs"}]
    tape = items["oval-office-1962-11-14"]
    assert "author" not in tape and "issued" not in tape  # nothing made up: the book's year is unknown
    assert tape["archive_location"].startswith("Tape 58, President's Office Files")


# ------------------------------------------------------------------ BibTeX: biber and pybtex

@pytest.mark.parametrize("corpus", ["seeds", "seeds_with_url", "crafted", "variants"])
def test_biber_validates_every_bib_with_no_warning(corpus, request, tmp_path):
    """Done when 2: biber --tool --validate-datamodel reads every .bib with no warning."""
    cite = request.getfixturevalue(corpus) / "cite"
    for bib in sorted(cite.glob("*.bib")):
        assert biber_warnings(bib, tmp_path) == [], bib.name


def test_biber_validates_the_development_set(devset, tmp_path):
    assert biber_warnings(devset / "cite" / "all.bib", tmp_path) == []


@pytest.mark.parametrize("corpus", ["seeds", "crafted", "variants"])
def test_pybtex_reads_every_bib_with_no_warning(corpus, request):
    cite = request.getfixturevalue(corpus) / "cite"
    docids = [p.stem for p in cite.glob("*.json") if p.stem != "all"]
    entries = pybtex_entries(cite / "all.bib")
    assert sorted(entries) == sorted(docids)
    for docid in docids:
        assert list(pybtex_entries(cite / f"{docid}.bib")) == [docid]


def test_bibtex_years_are_the_editions_or_the_documents(seeds):
    """Never an impossible imprint: a printed document's entry is dated by its edition, and
    its own date is origdate; an archival one is dated by itself."""
    entries = pybtex_entries(seeds / "cite" / "all.bib")
    frus = entries["rfk-memo-to-rusk"]
    assert (frus.type, frus.fields["date"], frus.fields["year"], frus.fields["origdate"]) == (
        "inbook", "1996", "1996", "1962-10-30")
    assert frus.fields["volume"] == "11" and frus.fields["pages"] == "doc. 96"
    assert str(frus.persons["author"][0]) == "Kennedy, Robert F."
    telegram = entries["dobrynin-telegram-1962-10-27"]
    assert (telegram.type, telegram.fields["date"]) == ("unpublished", "1962-10-27")
    assert "Moscow" in telegram.fields["addendum"]
    chapter = entries["chapter-denouement"]
    assert (chapter.type, chapter.fields["date"]) == ("inbook", "2000") and "note" not in chapter.fields
    tape = entries["oval-office-1962-11-14"]
    assert (tape.type, tape.fields["date"]) == ("misc", "1962-11-14")  # no year known for the book
    assert [str(p) for p in tape.persons["editor"]] == ["Naftali, Timothy", "Coleman, David"]


# ------------------------------------------------------------------ RIS: rispy and Zotero

@pytest.mark.parametrize("corpus", ["seeds", "seeds_with_url", "crafted", "variants"])
def test_every_ris_tag_maps_to_a_zotero_field(corpus, request):
    """Done when 3: rispy reads every .ris with no unknown tag; every tag is one Zotero's RIS
    import maps to a field of that item type; dates are valid RIS."""
    cite = request.getfixturevalue(corpus) / "cite"
    for ris in sorted(cite.glob("*.ris")):
        records = rispy_records(ris)
        assert records and all("unknown_tag" not in r for r in records), ris.name
        for record in ris_tags(ris):
            item_type = ZOTERO_RIS_TYPES[record[0][1]]
            for tag, value in record:
                assert tag in ZOTERO_RIS[item_type], f"{ris.name}: {tag} has no Zotero field for {item_type}"
                if tag == "PY":
                    assert re.fullmatch(r"\d{4}", value), value
                if tag == "DA":
                    assert re.fullmatch(r"\d{4}/(\d{2})?/(\d{2})?/", value), value


def test_ris_carries_the_facts(seeds):
    records = {r["title"]: r for r in rispy_records(seeds / "cite" / "all.ris")}
    frus = records["Memorandum From Attorney General Kennedy to Secretary of State Rusk"]
    assert (frus["type_of_reference"], frus["year"], frus["volume"], frus["start_page"]) == ("CHAP", "1996", "11", "doc. 96")
    assert frus["secondary_title"] == "Cuban Missile Crisis and Aftermath"
    assert frus["tertiary_title"] == "Foreign Relations of the United States, 1961–1963"
    assert "Date of the document: October 30, 1962" in frus["notes"]
    telegram = records["Ciphered telegram to Soviet Ministry of Foreign Affairs"]
    assert (telegram["type_of_reference"], telegram["date"]) == ("PCOMM", "1962/10/27/")
    assert telegram["secondary_authors"] == ["Soviet Ministry of Foreign Affairs"]  # Zotero: recipient
    assert telegram["name_of_database"].endswith(", Moscow")  # Zotero: archive (RIS has no archive place)


# ------------------------------------------------------------------ <meta> tags, read as Zotero does

def test_meta_tags_read_as_zotero_embedded_metadata_does(seeds_with_url):
    """Done when 4: each page's <meta> tags, read with the Embedded Metadata translator's tag
    names and creator parsing, give the right item type, creators, date and container."""
    expected = {
        "rfk-memo-to-rusk": ("bookSection", [("Kennedy", "Robert F")], [], "1996",
                             "Cuban Missile Crisis and Aftermath", "Foreign Relations of the United States, 1961–1963"),
        "dobrynin-telegram-1962-10-27": ("letter", [("Dobrynin", "Anatoly")], [], "1962/10/27", "", ""),
        "excomm-24-1962-11-12": ("manuscript", [("Smith", "Bromley")], [], "1962/11/12", "", ""),
        "oval-office-1962-11-14": ("bookSection", [], [("Naftali", "Timothy"), ("Coleman", "David")], "",
                                   "The Presidential Recordings: John F. Kennedy", ""),
        "chapter-denouement": ("bookSection", [("Freedman", "Lawrence")], [], "2000",
                               "Kennedy's Wars: Berlin, Cuba, Laos, and Vietnam", ""),
    }
    for docid, (item_type, authors, editors, date, book, series) in expected.items():
        page = html.parse(str(seeds_with_url / "html" / f"{docid}.html")).getroot()
        item = zotero_embedded_metadata(page)
        assert item["itemType"] == item_type, docid
        assert [(c["lastName"], c["firstName"]) for c in item["authors"]] == authors, docid
        assert [(c["lastName"], c["firstName"]) for c in item["editors"]] == editors, docid
        assert (item["date"], item["bookTitle"], item["series"]) == (date, book, series), docid
        assert item["url"] == f"{BASE}{docid}.html"
        assert page.xpath("//head/link[@rel='canonical']/@href") == [f"{BASE}{docid}.html"]


def test_a_body_as_author_stays_one_name_in_zotero(tmp_path):
    """"the Embassy in the Soviet Union" (a telegram with no signature: its heading names the
    office that sent it) is one name, not given name + family name."""
    sources, tei = tmp_path / "sources", tmp_path / "tei"
    sources.mkdir()
    tei.mkdir()
    shutil.copy2(REGISTER, tei / "persons.xml")
    (sources / "embtel.txt").write_text(
        "SECRET - PRIORITY\n\nTelegram From the Embassy in the Soviet Union to the Department of State\n\n"
        "Moscow, November 21, 1962, 3 p.m.\n\n1. Foreign Ministry received the note today.\n", encoding="utf-8")
    (sources / "catalog.toml").write_text(
        '[documents.embtel]\nsource = "embtel.txt"\npublished = { series = "Foreign Relations of the United '
        'States, 1961–1963", volume = "V", document = "270", publisher = "GPO", place = "Washington", '
        'year = "1998" }\n', encoding="utf-8")
    convert(sources / "catalog.toml", tei)
    publish(tmp_path / "build", [tei / "embtel.xml"], register=tei / "persons.xml", outputs=("html",))
    page = html.parse(str(tmp_path / "build" / "html" / "embtel.html")).getroot()
    assert zotero_embedded_metadata(page)["authors"] == [{"lastName": "the Embassy in the Soviet Union", "firstName": ""}]


# ------------------------------------------------------------------ the base URL setting

def test_without_a_base_url_no_format_carries_a_url(seeds):
    for path in (seeds / "cite").iterdir():
        assert "http" not in path.read_text(encoding="utf-8"), path.name
    page = (seeds / "html" / "rfk-memo-to-rusk.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and "citation_public_url" not in page


def test_with_a_base_url_every_format_carries_the_page_address(seeds_with_url):
    cite = seeds_with_url / "cite"
    url = f"{BASE}dobrynin-telegram-1962-10-27.html"
    assert json.loads((cite / "dobrynin-telegram-1962-10-27.json").read_text(encoding="utf-8"))[0]["URL"] == url
    assert f"UR  - {url}" in (cite / "dobrynin-telegram-1962-10-27.ris").read_text(encoding="utf-8")
    assert pybtex_entries(cite / "dobrynin-telegram-1962-10-27.bib")["dobrynin-telegram-1962-10-27"].fields["url"] == url
    texts = chicago_texts(cite, "dobrynin-telegram-1962-10-27")
    assert texts["note"].endswith(f", {url}.") and texts["bibliography"].endswith(f" {url}.")


@pytest.mark.parametrize("bad", ["example.org/cmctei", "javascript:alert(1)", "/site/", "ftp://example.org/",
                                 "https://exa mple.org/", "https://example.org/?q=1", 'https://e.org/"><x'])
def test_a_bad_base_url_is_refused_before_anything_is_written(bad, run_cli, tmp_path):
    code, out, err = run_cli("publish", "--out", tmp_path / "build", "--base-url", bad, *SEEDS)
    assert code == 2 and "--base-url" in err and "Traceback" not in err
    assert not (tmp_path / "build").exists()


# ------------------------------------------------------------------ hostile strings (issue 16, item 6)

HOSTILE = [
    "Unbalanced { brace swallows the next entry",
    "A closing } brace",
    r"Back\slash \textbf{bold} \end{document}",
    "50% & $5 #1 _under_",
    "TeX notation ^^7b and ^^5c",
    "Tilde ~ and caret ^",
    "{{Double braces}}",
    "@comment{ at sign",
    'Double "quote" marks',
    "Line\u2028separator and next\u0085line",
    "PDF ligature \ue010fi\ue011 marks",
    "<i>HTML</i> & <b>tags</b> &amp;",
    "ER  - fake end of record",
    "A and B, Jr., and C",
    "Émile Zola’s “quotes”, — dashes",
    "%comment at the start",
    "No\u00a0break and\u2003em\u2009thin spaces\u00a0",
]


def _expected(text: str) -> str:
    """The text every format must give back: the same, with line breaks counted as spaces
    (no format keeps one inside a field)."""
    return expected_text(text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    (work / "tei").mkdir()
    files = []
    for index, text in enumerate(HOSTILE):
        tree = _load("rfk-memo-to-rusk")
        tree.find(".//t:titleStmt/t:title", NS).text = text
        tree.find(".//t:monogr/t:title[@type='sub']", NS).text = text
        tree.find(".//t:monogr/t:imprint/t:publisher", NS).text = text
        _rename(tree, f"hostile-printed-{index:02}")
        archival = _load("excomm-24-1962-11-12")
        archival.find(".//t:titleStmt/t:title", NS).text = text
        archival.find(".//t:msIdentifier/t:repository", NS).text = text
        archival.find(".//t:msIdentifier/t:collection", NS).text = text
        _rename(archival, f"hostile-archival-{index:02}")
        for docid, document in ((f"hostile-printed-{index:02}", tree), (f"hostile-archival-{index:02}", archival)):
            path = work / "tei" / f"{docid}.xml"
            document.write(str(path), xml_declaration=True, encoding="UTF-8")
            files.append(path)
    files += [work / "tei" / "seed.xml"]
    shutil.copy2(ROOT / "tei" / "chapter-denouement.xml", files[-1])
    tree = etree.parse(str(files[-1]))
    _rename(tree, "seed")
    tree.write(str(files[-1]), xml_declaration=True, encoding="UTF-8")
    return publish(work / "build", files)


def test_hostile_strings_come_back_the_same_from_every_format(hostile, tmp_path):
    """Issue 16, item 6: every string comes out of BibTeX (read by pybtex, then as LaTeX
    prints it), RIS (rispy) and CSL-JSON as the same text; no entry swallows another; biber
    reads the lot with no warning; the Chicago note in the page is that text too."""
    cite = hostile / "cite"
    entries = pybtex_entries(cite / "all.bib")
    assert len(entries) == 2 * len(HOSTILE) + 1
    assert biber_warnings(cite / "all.bib", tmp_path) == []
    assert len(rispy_records(cite / "all.ris")) == 2 * len(HOSTILE) + 1
    items = {i["id"]: i for i in json.loads((cite / "all.json").read_text(encoding="utf-8"))}
    for index, text in enumerate(HOSTILE):
        want = _expected(text)
        printed, archival = f"hostile-printed-{index:02}", f"hostile-archival-{index:02}"
        assert items[printed]["title"] == want and items[printed]["volume-title"] == want
        assert items[printed]["publisher"] == want and items[archival]["archive"] == want
        assert latex_text(entries[printed].fields["title"]) == want
        assert latex_text(entries[printed].fields["booktitle"]) == want
        assert latex_text(entries[printed].fields["publisher"]) == want
        assert latex_text(entries[archival].fields["addendum"]).startswith(want)
        ris = rispy_records(cite / f"{printed}.ris")[0]
        assert (ris["title"], ris["secondary_title"], ris["publisher"]) == (want, want, want)
        ris = rispy_records(cite / f"{archival}.ris")[0]
        assert (ris["title"], ris["name_of_database"]) == (want, want + ", Boston")
        assert want in chicago_texts(cite, printed)["note"]
        page = html.parse(str(hostile / "html" / f"{printed}.html")).getroot()
        note = page.xpath("string(//p[@class='chicago-note'])")
        assert f"“{want},”" in note and not page.xpath("//p[@class='chicago-note']//i[. = 'fi']")


def test_private_use_characters_in_a_cited_text_do_not_stop_the_run(hostile):
    """Issue 16, item 4: U+E010/U+E011 (left by PDF extraction) in a title are text, in the
    page and in every citation; the other documents are published, and the indexes made."""
    assert (hostile / "html" / "index.html").is_file()
    marked = "PDF ligature \ue010fi\ue011 marks"
    docid = f"hostile-printed-{HOSTILE.index(marked):02}"
    assert marked in (hostile / "cite" / f"{docid}.html").read_text(encoding="utf-8")
    assert marked in (hostile / "html" / f"{docid}.html").read_text(encoding="utf-8")
