"""TEI that cmctei did not write, published through `cmctei publish`: crafted files for each
construct (tests/fixtures/foreign, no ../shared needed), a crafted FRUS-like volume, and the
real files of ../shared/foreign (skipped when absent): every word kept (token recall), every
footnote, page break, speech and gap, and every page valid HTML (Nu checker)."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree, html

from conftest import FIXTURES, shared_path
from foreign_words import html_text, recall, reference_text, tokens
from test_publish import vnu_jar

FOREIGN = FIXTURES / "foreign"
CRAFTED = sorted(FOREIGN.glob("*.xml"))
T = "{http://www.tei-c.org/ns/1.0}"


def outputs_of(out: Path, stem: str, kind: str, ext: str) -> list[Path]:
    """Every output of one file: its own, and its documents' (a volume)."""
    return sorted(p for p in (out / kind).glob(f"{stem}*.{ext}") if p.stem == stem or p.stem.startswith(stem + "-"))


@pytest.fixture(scope="module")
def crafted(tmp_path_factory, run_cli_module):
    out = tmp_path_factory.mktemp("foreign")
    code, stdout, stderr = run_cli_module("publish", "--out", out, FOREIGN)
    assert code == 0, stderr
    return out, stdout, stderr


@pytest.fixture(scope="module")
def run_cli_module():
    from cmctei.cli import main
    import contextlib
    import io

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        return code, out.getvalue(), err.getvalue()

    return run


def page(out: Path, name: str):
    return html.parse(str(out / "html" / f"{name}.html")).getroot()


def text(out: Path, name: str) -> str:
    return (out / "text" / f"{name}.txt").read_text(encoding="utf-8")


def flat(s: str) -> str:
    return " ".join(s.split())


# ------------------------------------------------------------------ the command

def test_foreign_tei_is_checked_against_tei_all_and_published_saying_so(crafted):
    out, stdout, stderr = crafted
    for fixture in CRAFTED:
        assert re.search(rf"{re.escape(fixture.name)}: TEI that is not a cmctei master: .*tei_all.*published", stdout), fixture
    assert f"{len(CRAFTED)} of {len(CRAFTED)} documents published" in stdout
    assert "published as a volume of 3 documents" in stdout
    assert "[xsd" not in stderr and "[fn-" not in stderr  # the profile's rules are not applied


def test_not_tei_or_not_well_formed_is_located_and_skipped_the_rest_published(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "html.xml").write_text("<html>\n  <body/>\n</html>\n", encoding="utf-8")
    (tmp_path / "in" / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<text>\n</TEI>\n",
                                                encoding="utf-8")
    (tmp_path / "in" / "good.xml").write_bytes((FOREIGN / "choice.xml").read_bytes())
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("publish", "--out", out, tmp_path / "in")
    assert code == 1
    assert re.search(r"html\.xml:1:1: error: \[publish-not-tei\] .*root element is html, not TEI", stderr)
    assert re.search(r"broken\.xml:3:\d+: error: \[xml-wellformed\]", stderr)
    assert "1 of 3 documents published" in stdout and "Traceback" not in stderr
    assert (out / "html" / "good.html").is_file() and not (out / "html" / "html.html").exists()


def test_a_run_that_publishes_nothing_writes_nothing_empty(tmp_path, run_cli):
    bad = tmp_path / "x.xml"
    bad.write_text("<notTEI/>", encoding="utf-8")
    code, stdout, _ = run_cli("publish", "--out", tmp_path / "out", bad)
    assert code == 1 and "0 of 1 document published" in stdout
    written = [p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert [p for p in written if not p.name.startswith(".")] == [], written


# ------------------------------------------------------------------ common TEI

def test_choice_shows_one_reading_and_the_other_after_it(crafted):
    out = crafted[0]
    body = flat(page(out, "choice").xpath("string(//section[@id='text'])"))
    assert "1728 [sic: 1724]" in body and "favor [orig: favour]" in body and "Doctor [abbr: Dr.]" in body
    assert "17241728" not in body and "favourfavor" not in body
    assert "1728 [sic: 1724]" in flat(text(out, "choice"))
    choice = page(out, "choice").xpath("//span[@class='choice']")[0]
    assert choice.get("title") == "sic: 1724"


def test_renditions(crafted):
    doc = page(out := crafted[0], "choice")
    assert doc.xpath("//span[contains(@class, 'rend-smallcaps')][.='small capitals']")
    assert doc.xpath("//b/i[.='bold and italic']")
    assert doc.xpath("//sup[.='up']") and doc.xpath("//sub[.='down']") and doc.xpath("//u[.='under']")
    assert doc.xpath("//s[.='struck']") and doc.xpath("//i[.='styled']") and doc.xpath("//code[.='typed']")
    assert "bold and italic" in text(out, "choice")


def test_header_facts_of_ordinary_tei(crafted):
    out = crafted[0]
    about = flat(" ".join(page(out, "choice").xpath("//dl[@class='about']")[0].itertext()))
    for expected in ("Author Jonathan Swift", "Edited by Ann Editor; Ben Second", "Published Oxford, Test Press, 2020",
                     "Licence https://creativecommons.org/licenses/by/4.0/", "local: gulliver-1", "Date 1726"):
        assert expected in about, (expected, about)
    assert page(out, "choice").get("lang") == "en"  # xml:lang="eng" → BCP 47 "en"
    sitting = page(out, "speech")  # published under its file's name, whatever its xml:id
    assert "November 10, 2015" in sitting.xpath("string(//dl[@class='about'])")
    csl = json.loads((out / "cite" / "speech.json").read_text(encoding="utf-8"))[0]
    # the sitting's date is the date of the text the edition gives; the edition itself says no
    # year of publication (docs/citations.md, TEI from elsewhere)
    assert csl["id"] == "speech" and csl["original-date"]["date-parts"] == [[2015, 11, 10]] and "issued" not in csl
    keys = re.findall(r"^@\w+\{([^,]+),", (out / "cite" / "all.bib").read_text(encoding="utf-8"), flags=re.M)
    assert len(keys) == len(set(keys)), keys  # no two files share a BibTeX key (all were "document")
    ris = (out / "cite" / "volume-d1.ris").read_text(encoding="utf-8")
    # a date, never a date-time (the dateline's when="1917-04-03T18:00:00"); a document of a volume
    # is dated by its volume (PY), its own date in a note, as for cmctei's FRUS masters
    assert "PY  - 1932\n" in ris and "N1  - Date of the document: April 3, 1917\n" in ris and "T18" not in ris
    assert "date = {1917-04-03}," in (out / "cite" / "volume-d1.bib").read_text(encoding="utf-8")


def test_speeches_keep_their_speakers(crafted):
    out = crafted[0]
    doc = page(out, "speech")
    turns = doc.xpath("//div[contains(@class, 'u')]")
    assert [flat(t.xpath("string(span[@class='speaker'])")) for t in turns] == [
        "La presidenta:", "Inés Arrimadas García:", "Mas:"]
    assert not doc.xpath("//section[contains(@class, 'notes')]")  # labels and comments are no endnotes
    assert doc.xpath("//div[contains(@class, 'u')]//*[contains(@class, 'note-inline')][contains(., 'Debat del programa')]")
    assert doc.xpath("//p[@class='seg'][@lang='ca'][.='Moltes gràcies.']")
    plain = text(out, "speech")
    assert "La presidenta: Es reprèn la sessió." in flat(plain)
    assert "\n\nInés Arrimadas García: Gracias, señora presidenta.\n" in plain
    assert "[Aplaudiments.]" in plain and "[Debat del programa]" in flat(plain)


def test_figures_and_tables(crafted):
    out = crafted[0]
    doc = page(out, "figures-tables")
    captions = [flat(c.text_content()) for c in doc.xpath("//figcaption")]
    assert captions == ["The second figure A drawing of a tower."]
    assert doc.xpath("//span[contains(@class, 'figure')][contains(@class, 'block')][contains(., 'A Temple')]")
    assert doc.xpath("//figure//p[.='Its legend paragraph.']")
    table = doc.xpath("//table")[0]
    assert flat(table.xpath("string(caption)")) == "Pictures from Fagaras mountains"
    assert table.xpath(".//th[.='Image']") and table.xpath(".//td[@rowspan='2']") and table.xpath(".//td[@colspan='2']")
    assert table.xpath(".//td/span[@class='pb']")  # the page break between rows, kept in a cell
    assert [li.get("class") for li in doc.xpath("//ul[@class='list']/li")] == ["head", "item", "item"]
    plain = text(out, "figures-tables")
    assert "A Temple" in plain and "Pictures from Fagaras mountains" in plain and "[page 12]" in plain


def test_text_in_closers_and_openers_and_gaps(crafted):
    out = crafted[0]
    plain = flat(text(out, "closer-gap"))
    assert "(and fifty citizens of the United States)." in plain and "Dear Sir," in plain and "greetings." in plain
    assert "R[GAP: 2 letters, illegible]kmo" in plain
    assert "[GAP: 3 lines, omitted]" in plain and "[GAP: 1 page, duplicate]" in plain
    assert "Author," in plain and "Conferences." in plain  # line breaks inside a word join it
    body = flat(page(out, "closer-gap").xpath("string(//section[@id='text'])"))
    assert "R[2 letters omitted — illegible]kmo" in body and "[3 lines omitted — omitted]" in body
    assert "(and fifty citizens of the United States)." in body and "Author," in body
    doc = page(out, "closer-gap")
    assert doc.xpath("//i[@lang='fr'][.='radiateur']") and doc.xpath("//i[@lang='zh-TW']")
    assert doc.xpath("//i[not(@lang)][.='zzz']") and doc.get("lang") == "en"


def test_tokens_are_spaced_as_join_says(crafted):
    out = crafted[0]
    assert "Thank you, Madam President! (really)" in flat(text(out, "tokens"))
    assert "Thank you, Madam President! (really)" in flat(page(out, "tokens").xpath("string(//section[@id='text'])"))


# ------------------------------------------------------------------ a volume

def test_a_volume_is_published_as_contents_and_one_page_per_document(crafted):
    out = crafted[0]
    contents = page(out, "volume")
    entries = contents.xpath("//p[@class='toc-entry']")
    assert [e.xpath("string(a/@href)") for e in entries] == ["volume-d1.html", "volume-d2.html", "volume-d3.html"]
    assert flat(entries[0].text_content()).startswith("No. 1: The Secretary of State to the Ambassador in Russia (Francis)")
    assert "April 3, 1917" in entries[0].text_content()
    assert flat(entries[2].xpath("string(a)")) == "3. The Secretary of State to the Ambassador"  # its own number
    assert contents.xpath("//h3[contains(., 'Chapter II. Trade')]") and contents.xpath("//*[@id='p_FDR1']")
    d2 = page(out, "volume-d2")
    nav = d2.xpath("//nav[contains(@class, 'volume-top')]//a/@href")
    assert nav == ["volume-d1.html", "volume.html", "volume-d3.html"]
    assert flat(d2.xpath("string(//h1)")) == "The Ambassador in Russia (Francis) to the Secretary of State"
    about = flat(" ".join(d2.xpath("//dl[@class='about']")[0].itertext()))
    assert "April 6, 1917" in about and "In Papers Relating to a Test, Volume I" in about
    assert ", document 2, pages 2–3" in about
    assert "Edited by Ed Itor" in about and "Washington, Government Printing Office, 1932" in about


def test_a_volumes_footnotes_page_breaks_and_links_are_per_document(crafted):
    out = crafted[0]
    d2 = page(out, "volume-d2")
    assert [li.xpath("string(span[@class='note-label'])") for li in d2.xpath("//ol[@class='notes']/li")] == ["1", "2"]
    assert [p.get("aria-label") for p in d2.xpath("//span[@class='pb']")] == ["Page 2", "Page 3"]
    assert d2.xpath("//span[@class='pb']")[0].get("id") == "pg_2"
    assert d2.xpath("//p[contains(@class, 'note-inline')][.='[Enclosure]']")  # inline, not an endnote
    assert d2.xpath("//a[@href='volume.html#p_FDR1'][.='Francis']")
    d1 = page(out, "volume-d1")
    assert d1.xpath("//a[@href='volume.html#t_WTB1'][.='WTB']") and d1.xpath("//a[@href='volume-d2.html'][.='No. 2']")
    assert d1.xpath("//p[contains(@class, 'note-inline')][.='[Telegram]']")
    d3 = page(out, "volume-d3")
    assert d3.xpath("//a[@href='volume-d1.html']") and d3.xpath("//a[@href='volume-d2.html#pg_2']")
    contents = page(out, "volume")
    labels = [li.xpath("string(span[@class='note-label'])") for li in contents.xpath("//ol[@class='notes']/li")]
    assert labels == ["1", "2"]  # two chapter notes both printed "1": not repeated on one page
    assert contents.xpath("//a[@href='volume-d2.html#pg_3'][.='3']")  # the index points into a document
    for name in ("volume", "volume-d1", "volume-d2", "volume-d3"):
        for link in page(out, name).xpath("//a[starts-with(@href, 'volume')]/@href"):
            target, _, fragment = link.partition("#")
            linked = page(out, target[:-5])
            assert not fragment or linked.xpath("//*[@id=$f]", f=fragment), (name, link)


def test_a_volumes_citations_are_per_document(crafted):
    out = crafted[0]
    bib = (out / "cite" / "all.bib").read_text(encoding="utf-8")
    for key in ("volume-d1", "volume-d2", "volume-d3", "volume"):
        assert re.search(rf"^@\w+\{{{key},$", bib, flags=re.M), key
    d2 = json.loads((out / "cite" / "volume-d2.json").read_text(encoding="utf-8"))[0]
    assert d2["title"].startswith("The Ambassador in Russia") and d2["event-date"]["date-parts"] == [[1917, 4, 6]]
    assert d2["type"] == "chapter" and d2["issued"]["date-parts"] == [[1932]]  # dated by its volume, as in print
    assert page(out, "volume-d2").xpath("//section[@class='cite']")


# ------------------------------------------------------------------ every word, every page valid

def _counts(path: Path) -> dict[str, int]:
    tree = etree.parse(str(path))
    text = tree.getroot().find(f"{T}text")
    notes = [n for n in text.iter(f"{T}note") if _footnote(n)]
    return {"notes": len(notes), "pb": len(list(text.iter(f"{T}pb"))),
            "speeches": len(list(text.iter(f"{T}u"))) + len(list(text.iter(f"{T}sp"))),
            "gaps": len(list(text.iter(f"{T}gap")))}


def _footnote(note) -> bool:
    if note.get("type") == "speaker" or note.get("place") == "inline" or note.get("rend") == "inline":
        return False
    in_speech = any(a.tag == f"{T}u" for a in note.iterancestors()) or note.getparent().find(f"{T}u") is not None
    return not (not (note.get("place") or note.get("n")) and in_speech)


def assert_everything_kept(source: Path, out: Path, stem: str) -> None:
    reference = tokens(reference_text(source))
    pages = outputs_of(out, stem, "html", "html")
    texts = outputs_of(out, stem, "text", "txt")
    assert pages and texts
    html_tokens = sum((tokens(html_text(p)) for p in pages), Counter())
    text_tokens = sum((tokens(p.read_text(encoding="utf-8")) for p in texts), Counter())
    for kind, published in (("html", html_tokens), ("text", text_tokens)):
        share, missing = recall(reference, published)
        assert share >= 0.999, (source.name, kind, share, missing)
    expected = _counts(source)
    roots = [html.parse(str(p)).getroot() for p in pages]
    found = {"notes": sum(len(r.xpath("//ol[@class='notes']/li")) for r in roots),
             "pb": sum(len(r.xpath("//span[@class='pb']")) for r in roots),
             "speeches": sum(len(r.xpath("//div[contains(concat(' ', @class, ' '), ' sp ')]")) for r in roots),
             "gaps": sum(len(r.xpath("//span[contains(concat(' ', @class, ' '), ' gap ')]")) for r in roots)}
    assert found == expected, (source.name, "html", found, expected)
    plain = "\n".join(p.read_text(encoding="utf-8") for p in texts)
    assert plain.count("[page") == expected["pb"], source.name
    assert len(re.findall(r"\[(GAP|EXCISED|WHITED OUT|INAUDIBLE|NOT TRANSCRIBED)", plain)) == expected["gaps"]
    notes = sum(len(re.findall(r"^\[\S+\] ", p.read_text(encoding="utf-8").split("\nNotes\n\n", 1)[1], flags=re.M))
                for p in texts if "\nNotes\n\n" in p.read_text(encoding="utf-8"))
    assert notes == expected["notes"], (source.name, "text notes", notes, expected["notes"])


@pytest.mark.parametrize("fixture", [p.name for p in CRAFTED])
def test_crafted_files_keep_every_word_note_page_speech_and_gap(crafted, fixture):
    assert_everything_kept(FOREIGN / fixture, crafted[0], Path(fixture).stem)


def _nu(pages: list[Path]) -> None:
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--format", "gnu", "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr[:3000]


def test_crafted_pages_are_valid_html(crafted):
    _nu(sorted((crafted[0] / "html").glob("*.html")))


@pytest.fixture(scope="module")
def shared_foreign(tmp_path_factory, run_cli_module):
    folder = shared_path("foreign")
    out = tmp_path_factory.mktemp("shared-foreign")
    code, stdout, stderr = run_cli_module("publish", "--out", out, folder)
    assert code == 0, stderr[-3000:]
    return folder, out, stdout


def test_every_shared_foreign_file_publishes_without_error(shared_foreign):
    folder, out, stdout = shared_foreign
    files = sorted(folder.glob("*.xml"))
    assert f"{len(files)} of {len(files)} documents published" in stdout
    for file in files:
        assert (out / "html" / f"{file.stem}.html").is_file(), file.name


@pytest.mark.parametrize("name", ["ParlaMint-ES-CT_2015-11-10-0302.xml", "frus1894Nicaragua.xml", "frus1918Russiav03.xml",
                                  "tei-test.xml", "tei-test14.xml", "tei-testnotes1.xml"])
def test_shared_foreign_files_keep_every_word_note_page_speech_and_gap(shared_foreign, name):
    folder, out, _ = shared_foreign
    if not (folder / name).exists():
        pytest.skip(f"../shared/foreign/{name} is not present")
    assert_everything_kept(folder / name, out, Path(name).stem)


def test_every_shared_foreign_page_is_valid_html(shared_foreign):
    _nu(sorted((shared_foreign[1] / "html").glob("*.html")))


def test_shared_frus_volume_is_published_as_a_volume(shared_foreign):
    folder, out, _ = shared_foreign
    source = folder / "frus1918Russiav03.xml"
    documents = etree.parse(str(source)).xpath("//t:div[@type='document']", namespaces={"t": T[1:-1]})
    assert len(outputs_of(out, "frus1918Russiav03", "html", "html")) == len(documents) + 1
    d2 = page(out, "frus1918Russiav03-d2")
    assert d2.xpath("//a[@href='frus1918Russiav03.html#p_FDR1']")  # the persons list, on the contents page
    assert d2.xpath("//nav[contains(@class, 'volume-top')]//a[@rel='prev'][@href='frus1918Russiav03-d1.html']")
    assert "April 6, 1917" in d2.xpath("string(//dl[@class='about'])")
    assert len(list((out / "cite").glob("frus1918Russiav03-*.bib"))) == len(documents)  # a citation per document


def test_output_names_made_from_document_data_are_safe(tmp_path, run_cli):
    """A volume's documents are published under names made from their @xml:id or @n: no path
    separator, no "..", whatever the data says; names read back from the manifest are checked."""
    volume = (FOREIGN / "volume.xml").read_text(encoding="utf-8")
    hostile = (volume.replace('xml:id="d1" n="1"', 'n="../../../escaped"')
               .replace('xml:id="d2" n="2"', 'n="a/b\\c d"').replace('xml:id="d3" n="3"', 'n="..."'))
    source = tmp_path / "in" / "v.xml"
    source.parent.mkdir()
    source.write_text(hostile, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("publish", "--out", out, source)
    assert code == 0, stderr
    pages = sorted(p.name for p in (out / "html").glob("v*.html"))
    assert pages == ["v-3.html", "v-a_b_c_d.html", "v-escaped.html", "v.html"], pages  # "..." is nothing: its position
    assert not list(tmp_path.glob("escaped*")) and not list((tmp_path / "in").glob("*.html"))
    manifest = out / ".cmctei-publish.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["documents"]["v"]["parts"].append("../../in/v")  # a manifest someone edited
    manifest.write_text(json.dumps(data), encoding="utf-8")
    source.unlink()
    code, _, _ = run_cli("publish", "--out", out, FOREIGN / "choice.xml")
    assert source.parent.is_dir() and not list((out / "html").glob("v*.html"))  # its outputs went, nothing else


def test_a_stylesheet_that_stops_on_one_document_of_a_volume_leaves_none_of_it(tmp_path, run_cli):
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "text.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:tei="http://www.tei-c.org/ns/1.0"><xsl:import href="cmctei:text.xsl"/>'
        '<xsl:template match="tei:div[@xml:id = \'d2\']" mode="blocks">'
        '<xsl:message terminate="yes">no second document here</xsl:message></xsl:template>'
        '</xsl:stylesheet>', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("publish", "--stylesheets", custom, "--out", out,
                                   FOREIGN / "volume.xml", FOREIGN / "choice.xml")
    assert code == 1 and "1 of 2 documents published" in stdout
    assert re.search(r"volume\.xml:0:0: error: \[publish-failed\] .*no second document here", stderr), stderr
    assert sorted(p.name for p in out.rglob("volume*")) == []  # no page, text, citation or copy of it
    assert (out / "html" / "choice.html").is_file()


def _facts(path: Path, document_id: str = "") -> dict:
    from cmctei import saxon
    from conftest import ROOT

    executable = saxon.compile_stylesheet(ROOT / "xslt" / "facts.xsl")
    executable.clear_parameters()
    if document_id:
        executable.set_parameter("{urn:cmctei}document-id", saxon.processor().make_string_value(document_id))
    node = saxon.processor().parse_xml(xml_text=path.read_text(encoding="utf-8-sig"))
    return json.loads(executable.transform_to_string(xdm_node=node))


def test_header_facts_are_read_where_ordinary_tei_has_them():
    """header.xsl (what cite.xsl and html.xsl read a document's facts with), on crafted files."""
    choice = _facts(FOREIGN / "choice.xml", "choice")
    assert (choice["id"], choice["title"], choice["date"], choice["lang"]) == ("choice", "Gulliver, corrected", "1726", "en")
    assert (choice["authors"], choice["editors"]) == (["Jonathan Swift"], ["Ann Editor", "Ben Second"])
    assert (choice["publisher"], choice["pub-place"], choice["pub-year"]) == ("Test Press", "Oxford", "2020")
    assert choice["licence"] == "https://creativecommons.org/licenses/by/4.0/" and choice["idnos"] == ["local: gulliver-1"]
    speech = _facts(FOREIGN / "speech.xml")
    assert (speech["id"], speech["title"], speech["date"], speech["lang"]) == ("sitting-1", "Sessió de prova", "2015-11-10", "ca")
    assert speech["publisher"] == "Infraestructura de prova" and speech["licence"] == "http://creativecommons.org/licenses/by/4.0/"
    volume = _facts(FOREIGN / "volume.xml")
    assert (volume["title"], volume["date"], volume["documents"], volume["editors"]) == (
        "Papers Relating to a Test, Volume I", "1932", 3, ["Ed Itor"])  # a volume: dated by its publication
    assert _facts(FOREIGN / "closer-gap.xml")["lang"] == "en"  # langUsage ident "eng"


def test_header_facts_of_a_single_frus_document():
    d117 = _facts(shared_path("frus", "frus1961-63v15-d117.xml"), "frus1961-63v15-d117")
    assert d117["id"] == "frus1961-63v15-d117"  # not the volume's idno
    assert d117["date"] == "1962-09-17" and d117["number"] == "117"  # a date, not a date-time
    assert d117["title"].startswith("117. Memorandum of Telephone Conversation Between Secretary of State Rusk")
