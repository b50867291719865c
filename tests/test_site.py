"""The reading room, read from the files (issue 15): the collection page, titles that say who
wrote to whom, previous/next, the person index, build/html as the whole site, the TEI
download, the sitemap, Dublin Core and the static OAI-PMH repository (validated against the
OAI and DCMI schemas, tests/fixtures/oai/), and the search index. The browser's side is
tests/test_site_browser.py."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from convert_helpers import convert_crafted
from conftest import FIXTURES, ROOT, need_module
from cmctei import search, search_bytes
from cmctei.publish import Publisher, documents
from test_outputs import local_links, resolve

SEEDS = documents(ROOT / "tei")
BASE = "https://archive.example.org/cuba/"
OAI = FIXTURES / "oai"
# Hand-read from the masters' creation dates: the primary documents in date order, and the one
# secondary source (the book chapter of 2000), walked apart.
PRIMARY = ["dobrynin-telegram-1962-10-27", "rfk-memo-to-rusk", "excomm-24-1962-11-12", "oval-office-1962-11-14"]
SECONDARY = ["chapter-denouement"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    report = Publisher(out, base_url=BASE, admin_email="archives@example.org").run(SEEDS)
    assert not [p for p in report.problems if p.severity == "error"], report.problems
    return out / "html"


def page(site: Path, name: str):
    return html.parse(str(site / name)).getroot()


def squeeze(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ navigation

def test_a_generic_title_says_who_wrote_to_whom_and_the_printed_head_stays(site):
    """The telegram's main title is "Ciphered Telegram" (a genre word): its page says who sent it
    to whom (correspDesc), its printed heading is still CIPHERED TELEGRAM; a title that says more
    (the RFK memorandum's) is kept as it is."""
    telegram = page(site, "dobrynin-telegram-1962-10-27.html")
    title = "Ciphered Telegram From Anatoly Dobrynin to the Soviet Ministry of Foreign Affairs"
    assert squeeze(telegram.xpath("string(//h1)")) == title
    assert squeeze(telegram.xpath("string(//title)")).startswith(title)
    assert "CIPHERED TELEGRAM" in [squeeze(h.text_content()) for h in telegram.xpath("//section[@id='text']//*")]
    memo = page(site, "rfk-memo-to-rusk.html")
    assert squeeze(memo.xpath("string(//h1)")) == "Memorandum From Attorney General Kennedy to Secretary of State Rusk"


def test_collection_page_says_what_it_holds_and_keeps_secondary_sources_apart(site):
    index = page(site, "index.html")
    counts = squeeze(index.xpath("string(//p[@class='counts'])"))
    assert counts.startswith("5 documents: 4 primary documents, dated from October 27, 1962 to November 14, 1962, "
                             "and 1 secondary source.")
    primary = index.xpath("//section[@id='primary']//tbody/tr")
    secondary = index.xpath("//section[@id='secondary']//tbody/tr")
    assert [r.xpath("string(td[2]/a/@href)") for r in primary] == [f"{d}.html" for d in PRIMARY]
    assert [r.xpath("string(td[2]/a/@href)") for r in secondary] == [f"{d}.html" for d in SECONDARY]
    # From and To, as the register names the persons (hand-read from correspDesc)
    cells = {r.xpath("string(td[2]/a/@href)"): (squeeze(r.xpath("string(td[3])")), squeeze(r.xpath("string(td[4])")))
             for r in primary}
    assert cells["dobrynin-telegram-1962-10-27.html"] == ("Anatoly Dobrynin", "Soviet Ministry of Foreign Affairs")
    assert cells["rfk-memo-to-rusk.html"] == ("Robert F. Kennedy", "Dean Rusk")
    assert cells["oval-office-1962-11-14.html"] == ("", "")
    assert index.xpath("//a[@href='tei.zip']") and index.xpath("//a[@href='cite/all.bib']")


def follow(site: Path, start: str, rel: str) -> list[str]:
    walked, current = [start], start
    while True:
        links = page(site, f"{current}.html").xpath(f"//nav[contains(@class, 'sequence-top')]//a[@rel='{rel}']/@href")
        if not links:
            return walked
        current = links[0].removesuffix(".html")
        assert current not in walked, walked
        walked.append(current)


def test_previous_and_next_walk_the_primary_documents_in_date_order(site):
    assert follow(site, PRIMARY[0], "next") == PRIMARY
    assert follow(site, PRIMARY[-1], "prev") == PRIMARY[::-1]
    assert follow(site, SECONDARY[0], "next") == SECONDARY == follow(site, SECONDARY[0], "prev")
    telegram = page(site, "dobrynin-telegram-1962-10-27.html")
    crumbs = [squeeze(li.text_content()) for li in telegram.xpath("//nav[@class='breadcrumbs']//li")]
    assert crumbs[1:] == ["Primary documents", squeeze(telegram.xpath("string(//h1)"))]
    chapter = page(site, "chapter-denouement.html")
    assert chapter.xpath("string(//nav[@class='breadcrumbs']//li[2])") == "Secondary sources"


def test_a_document_added_later_gets_its_neighbours_links_without_retransforming_them(tmp_path, monkeypatch):
    """Publish four documents, then add the telegram (dated first): the memorandum, not
    transformed again, gets its "previous" link, and the site is byte for byte a full build's."""
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    later = [s for s in SEEDS if s.stem != "dobrynin-telegram-1962-10-27"]
    Publisher(incremental).run(later)
    memo_before = page(incremental / "html", "rfk-memo-to-rusk.html")
    assert not memo_before.xpath("//nav[contains(@class, 'sequence-top')]//a[@rel='prev']")
    report = Publisher(incremental).run(SEEDS)
    assert "rfk-memo-to-rusk" in report.reused
    memo = page(incremental / "html", "rfk-memo-to-rusk.html")
    assert memo.xpath("//nav[contains(@class, 'sequence-top')]//a[@rel='prev']/@href") == ["dobrynin-telegram-1962-10-27.html"]
    Publisher(full).run(SEEDS)

    def files(build: Path) -> dict[str, bytes]:
        return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*"))
                if p.is_file() and not p.name.startswith(".")}

    assert files(incremental) == files(full)


# ------------------------------------------------------------------ people

def test_a_person_only_mentioned_is_listed_with_the_document_and_nobody_is_said_unnamed(site):
    """Castro speaks, writes and receives nothing in the seeds; the converter tagged his name in
    the memorandum's text: the person index lists the memorandum for him, as named in the text."""
    persons = page(site, "persons.html")
    castro = persons.xpath("//section[@id='castro']")[0]
    items = {li.xpath("string(a/@href)"): squeeze(li.text_content()) for li in castro.xpath(".//ul[@class='documents']/li")}
    assert "rfk-memo-to-rusk.html" in items and items["rfk-memo-to-rusk.html"].endswith("named in the text")
    text = squeeze(persons.text_content())
    assert "Not named in a published document" not in text
    # offices with the dates the register gives them
    jfk = squeeze(persons.xpath("string(//section[@id='jfk'])"))
    assert "President of the United States (January 20, 1961 – November 22, 1963)" in jfk
    # a link's words are the title its page shows
    for link in persons.xpath("//section[@id='castro']//li/a"):
        assert squeeze(page(site, link.get("href")).xpath("string(//h1)")) == squeeze(link.text_content())


# ------------------------------------------------------------------ deployable

def test_build_html_alone_is_the_whole_site(site, tmp_path):
    """Only build/html deployed: every link of every page (the documents' text and citation
    downloads included) lands inside it, and the published TEI finds what it points at."""
    alone = tmp_path / "deployed"
    shutil.copytree(site, alone)
    broken = []
    for path in sorted(alone.glob("*.html")):
        for href in local_links(html.parse(str(path)).getroot()):
            target, fragment = resolve(alone, path, href)
            if not target.is_file() or not target.resolve().is_relative_to(alone.resolve()):
                broken.append(f"{path.name}: {href}")
            elif fragment and target.suffix == ".html" and fragment not in html.parse(str(target)).getroot().xpath("//@id"):
                broken.append(f"{path.name}: {href} (no id)")
    assert broken == []
    for master in sorted((alone / "tei").glob("*.xml")):
        tree = etree.parse(str(master))
        for pi in tree.xpath("/processing-instruction('xml-model')"):
            href = pi.get("href")
            assert (master.parent / href).resolve().is_file(), (master.name, href)
        for ref in tree.xpath("//@ref[starts-with(., 'persons.xml#')]"):
            assert (master.parent / "persons.xml").is_file()
            register = etree.parse(str(master.parent / "persons.xml"))
            assert register.xpath("//*[@xml:id=$id]", id=ref.split("#")[1]), ref


def test_the_tei_download_is_the_published_tei_and_reproducible(site, tmp_path):
    with zipfile.ZipFile(site / "tei.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {f"tei/{s.name}" for s in SEEDS} | {"tei/persons.xml", "schemas/cmctei.xsd",
                                                                  "schemas/cmctei.sch", "schemas/xml.xsd"}
        for seed in SEEDS:
            assert archive.read(f"tei/{seed.name}") == seed.read_bytes()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    again = tmp_path / "again"
    Publisher(again, base_url=BASE, admin_email="archives@example.org").run(SEEDS, jobs=2)
    for name in ("tei.zip", "sitemap.xml", "oai.xml", "index.html", "persons.html", "search.html"):
        assert (again / "html" / name).read_bytes() == (site / name).read_bytes(), name


def test_sitemap_lists_every_page_by_its_address_and_needs_one(site, tmp_path):
    tree = etree.parse(str(site / "sitemap.xml"))
    locs = tree.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert sorted(locs) == sorted(BASE + p.name for p in site.glob("*.html"))
    bare = tmp_path / "bare"
    Publisher(bare).run(SEEDS[:1])
    assert not (bare / "html" / "sitemap.xml").exists() and not (bare / "html" / "oai.xml").exists()
    assert (bare / "html" / "dc" / f"{SEEDS[0].stem}.xml").is_file()  # a record needs no address


# ------------------------------------------------------------------ Dublin Core and OAI-PMH

def oai_schema(name: str):
    xmlschema = need_module("xmlschema", "xmlschema is a runtime dependency")
    mapping = {
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": str(OAI / "OAI-PMH.xsd"),
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": str(OAI / "oai_dc.xsd"),
        "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": str(OAI / "simpledc20021212.xsd"),
        "http://www.w3.org/2001/03/xml.xsd": str(ROOT / "schemas" / "xml.xsd"),
        "http://www.w3.org/2001/xml.xsd": str(ROOT / "schemas" / "xml.xsd"),
    }
    return xmlschema.XMLSchema(str(OAI / name), uri_mapper=lambda url: mapping.get(url, url), allow="sandbox")


def test_dublin_core_records_are_valid_oai_dc_and_say_what_the_page_says(site):
    schema = oai_schema("oai_dc.xsd")
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    for seed in SEEDS:
        record = site / "dc" / f"{seed.stem}.xml"
        schema.validate(str(record))
        tree = etree.parse(str(record))
        meta = {m.get("name"): m.get("content") for m in page(site, f"{seed.stem}.html").xpath("//meta[@name]")}
        assert tree.xpath("string(dc:title)", namespaces=dc) == meta["DC.title"]
        assert tree.xpath("string(dc:identifier)", namespaces=dc) == meta["DC.identifier"] == f"{BASE}{seed.stem}.html"
        assert tree.xpath("string(dc:language)", namespaces=dc) == meta["DC.language"] == "en"
        assert tree.xpath("string(dc:date)", namespaces=dc) == meta.get("DC.date", "")
        assert tree.xpath("dc:creator/text()", namespaces=dc) == [m.get("content") for m in page(
            site, f"{seed.stem}.html").xpath("//meta[@name='DC.creator']")]
        assert "Text" in tree.xpath("dc:type/text()", namespaces=dc)
    telegram = etree.parse(str(site / "dc" / "dobrynin-telegram-1962-10-27.xml"))
    assert telegram.xpath("string(dc:description)", namespaces=dc) == \
        "Ciphered Telegram From Anatoly Dobrynin to the Soviet Ministry of Foreign Affairs"


def test_the_static_oai_repository_is_valid_and_lists_every_document(site):
    oai_schema("static-repository.xsd").validate(str(site / "oai.xml"))
    ns = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
    tree = etree.parse(str(site / "oai.xml"))
    identifiers = tree.xpath("//oai:record/oai:header/oai:identifier/text()", namespaces=ns)
    assert sorted(identifiers) == sorted(f"oai:archive.example.org:{s.stem}" for s in SEEDS)
    # each record is the document's own
    for record in tree.xpath("//oai:record", namespaces=ns):
        docid = record.xpath("string(oai:header/oai:identifier)", namespaces=ns).rsplit(":", 1)[1]
        own = etree.parse(str(site / "dc" / f"{docid}.xml")).getroot()
        assert record.xpath("string(.//dc:identifier)", namespaces=ns) == own.xpath("string(dc:identifier)", namespaces=ns)
    assert tree.xpath("string(//oai:adminEmail)", namespaces=ns) == "archives@example.org"


def test_foreign_tei_gets_dublin_core_from_its_header(tmp_path):
    """TEI cmctei did not write: the language its header declares, the DCMI type, valid oai_dc;
    a volume's documents each get a record too."""
    out = tmp_path / "out"
    files = [FIXTURES / "foreign" / "choice.xml", FIXTURES / "foreign" / "volume.xml"]
    report = Publisher(out, base_url=BASE, admin_email="archives@example.org").run(files)
    assert report.published == ["choice", "volume"], report.problems
    schema = oai_schema("oai_dc.xsd")
    records = sorted((out / "html" / "dc").glob("*.xml"))
    assert len(records) > 2  # the volume's documents have theirs
    for record in records:
        schema.validate(str(record))
    oai_schema("static-repository.xsd").validate(str(out / "html" / "oai.xml"))
    choice = etree.parse(str(FIXTURES / "foreign" / "choice.xml")).getroot()
    lang = choice.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    dc = etree.parse(str(out / "html" / "dc" / "choice.xml"))
    assert dc.xpath("string(*[local-name()='language'])") == lang.split("-")[0][:2] or lang


# ------------------------------------------------------------------ search

def test_the_search_index_is_the_same_bytes_for_the_same_pages(site, tmp_path):
    """Pagefind 1.5 writes its filter lists in a different order from run to run (measured: 4
    runs, 4 different filter files; upstream Pagefind/pagefind#638); search_bytes puts them in
    order, so a second publish of the same masters gives the same index, file for file."""
    if search.executable() is None:
        pytest.skip("Pagefind is not installed (make setup installs it)")
    again = tmp_path / "again"
    Publisher(again, base_url=BASE, admin_email="archives@example.org").run(SEEDS)

    def digests(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digests(site / "pagefind") == digests(again / "html" / "pagefind")
    assert len([k for k in digests(site / "pagefind") if k.startswith("fragment/")]) == len(SEEDS)  # pages only
    # in order, and read back by Pagefind's own format: the filters by name, each one's values by value
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = search_bytes.read(site / "pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) and set(names) == {"classification", "genre", "kind", "person", "year"}
    for name, file_hash in meta[3]:
        values = [value for value, _ in search_bytes.read(site / "pagefind" / "filter" / f"{file_hash}.pf_filter")[1]]
        assert values == sorted(values) and values, name


def test_no_search_leaves_no_index_behind(tmp_path, run_cli):
    """publish --no-search: no index, and the one an earlier run made goes (it would find the pages
    as they were); the search page is still there and says there is none."""
    if search.executable() is None:
        pytest.skip("Pagefind is not installed (make setup installs it)")
    out = tmp_path / "out"
    code, _, err = run_cli("publish", "--quiet", "--out", out, *SEEDS[:2])
    assert code == 0 and (out / "html" / "pagefind" / "pagefind.js").is_file(), err
    code, _, err = run_cli("publish", "--quiet", "--no-search", "--out", out, *SEEDS[:2])
    assert code == 0, err
    assert not (out / "html" / "pagefind").exists() and not (out / search.STAMP).exists()
    assert (out / "html" / "search.html").is_file()


def test_a_pagefind_layout_not_known_is_left_as_written_with_a_warning(tmp_path):
    """Another Pagefind version's files are not rewritten blindly: they stay as Pagefind wrote
    them, and the run says the index may differ between runs."""
    folder = tmp_path / "pagefind"
    (folder / "filter").mkdir(parents=True)
    meta = gzip.compress(search_bytes.SIGNATURE + bytes([0x81, 0x61]) + b"x", mtime=0)  # ["x"]: no filter list
    (folder / "pagefind.en_0123456789.pf_meta").write_bytes(meta)
    (folder / "pagefind-entry.json").write_text('{"languages": {"en": {"hash": "en_0123456789"}}}', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(search_bytes.Unexpected):
        search_bytes.canonicalise(folder)
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_without_pagefind_the_site_is_published_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "executable", lambda: None)
    out = tmp_path / "out"
    report = Publisher(out).run(SEEDS[:2])
    assert report.published == [s.stem for s in SEEDS[:2]] and not report.failed
    warnings = [p for p in report.problems if p.rule == "search-not-built"]
    assert len(warnings) == 1 and warnings[0].severity == "warning" and "Pagefind" in warnings[0].message
    assert (out / "html" / "search.html").is_file() and not (out / "html" / "pagefind").exists()


@pytest.mark.parametrize("middle", ["Ünïcödé text, line after line.\n", "no line break at all; "])
def test_the_links_of_a_long_page_are_filled_in_without_reading_all_of_it(tmp_path, monkeypatch, middle):
    """site._fill_slots reads the ends of a long page only (a 50 MB page would be held three
    times over): the result is the very bytes of filling in the whole text, whatever the
    middle holds (multi-byte characters at the cuts, no line break to cut at)."""
    from cmctei import site as site_module

    monkeypatch.setattr(site_module, "EDGE", 256)
    page = tmp_path / "long.html"
    text = ("<html><header>\n<!--cmctei:sequence-top--><!--/cmctei:sequence-top-->\n</header>\n"
            + middle * 40 + "\n<footer><!--cmctei:sequence-bottom-->old<!--/cmctei:sequence-bottom-->\n</footer></html>\n")
    page.write_text(text, encoding="utf-8")
    top, bottom = '<a rel="prev" href="a.html">Previous</a>', '<a rel="next" href="b.html">Next</a>'
    with monkeypatch.context() as patched:  # the page is never read whole
        patched.setattr(Path, "read_text", lambda *a, **k: pytest.fail("the whole page was read"))
        site_module._fill_slots(page, top, bottom)
    expected = text.replace("<!--cmctei:sequence-top--><!--/cmctei:sequence-top-->",
                            f"<!--cmctei:sequence-top-->{top}<!--/cmctei:sequence-top-->")
    expected = expected.replace("<!--cmctei:sequence-bottom-->old<!--/cmctei:sequence-bottom-->",
                                f"<!--cmctei:sequence-bottom-->{bottom}<!--/cmctei:sequence-bottom-->")
    assert page.read_text(encoding="utf-8") == expected


def test_an_undated_document_is_shown_undated_never_with_its_editions_year(tmp_path, run_cli):
    """The crafted McCone memorandum prints no dateline and its catalog gives no date: its master
    is undated, bounded by the edition (notAfter 1996). The page said "Date 1996" (the source's
    imprint standing in for the document's own date); it must say it is undated, with the bound."""
    master = convert_crafted(tmp_path, "mccone-memo-to-bundy") / "mccone-memo-to-bundy.xml"
    date = etree.parse(str(master)).find(".//{http://www.tei-c.org/ns/1.0}creation/{http://www.tei-c.org/ns/1.0}date")
    assert date.get("when") is None and date.get("notAfter") == "1996"
    out = tmp_path / "build"
    code, _, err = run_cli("publish", "--register", ROOT / "tei" / "persons.xml", "--out", out, "--quiet",
                           "--no-search", master)
    assert code == 0, err
    about = html.parse(str(out / "html" / "mccone-memo-to-bundy.html")).find(".//dl[@class='about']")
    facts = dict(zip((squeeze(dt.text_content()) for dt in about.iter("dt")),
                     (squeeze(dd.text_content()) for dd in about.iter("dd"))))
    assert facts["Date"] == "Undated (not after 1996)", facts
    assert not about.findall(".//time")
    text = (out / "text" / "mccone-memo-to-bundy.txt").read_text(encoding="utf-8")
    assert "1996" not in text.split("=" * 20)[0], text[:400]



def test_a_struck_classification_is_struck_in_the_collection_and_the_plain_text(site):
    """The ExComm record's pages are marked with TOP SECRET struck through, then SENSITIVE (the
    master encodes <del>TOP SECRET</del> in its classification <fw>, read from the raw source's
    strike). The collection's classification column and the plain text's banner line say the
    struck words are struck; shown plain, they would read as the document's level."""
    master = etree.parse(str(ROOT / "tei" / "excomm-24-1962-11-12.xml"))
    mark = master.xpath("(//t:fw[@type='classification'])[1]", namespaces={"t": "http://www.tei-c.org/ns/1.0"})[0]
    struck = [squeeze(d.xpath("string()")) for d in mark.xpath("t:del", namespaces={"t": "http://www.tei-c.org/ns/1.0"})]
    assert struck == ["TOP SECRET"]
    for name in ("index.html", "index-genre-summary-record.html", "index-classification-top-secret.html"):
        row = page(site, name).xpath("//tr[.//a[@href='excomm-24-1962-11-12.html']]")[0]
        level = row.xpath(".//span[contains(@class, 'level')]")[0]
        assert [squeeze(d.text_content()) for d in level.xpath(".//del")] == struck, name
        assert squeeze(level.text_content()) == "TOP SECRET - SENSITIVE"
    unstruck = page(site, "index.html").xpath("//tr[.//a[@href='dobrynin-telegram-1962-10-27.html']]//span[contains(@class, 'level')]")[0]
    assert not unstruck.xpath(".//del") and squeeze(unstruck.text_content()).startswith("TOP SECRET")
    text = (site / "text" / "excomm-24-1962-11-12.txt").read_text(encoding="utf-8").splitlines()
    assert text[0] == "[struck: TOP SECRET] - SENSITIVE" and text[-1] == text[0]


def test_unmarked_documents_share_one_label_whoever_wrote_their_tei(tmp_path, run_cli):
    """Masters without a classification (the memorandum, the transcript, the chapter) and TEI
    from elsewhere, which has no classification taxonomy (a crafted ParlaMint-like speech, a FRUS
    volume), published together: one label in the collection's column and on the facet page,
    the one the masters' own taxonomy gives, not two for the same facet."""
    out = tmp_path / "out"
    code, _, err = run_cli("publish", "--no-search", "--out", out, ROOT / "tei", FIXTURES / "foreign" / "speech.xml",
                           FIXTURES / "foreign" / "volume.xml")
    assert code == 0, err
    master = etree.parse(str(ROOT / "tei" / "rfk-memo-to-rusk.xml"))
    label = squeeze(master.xpath("string(//t:taxonomy[@xml:id='classification']/t:category[@xml:id='unmarked']/t:catDesc)",
                                 namespaces={"t": "http://www.tei-c.org/ns/1.0"}))
    assert label == "No classification marking"
    for name in ("index.html", "index-classification-unmarked.html"):
        rows = page(out / "html", name).xpath("//tr[@data-classification='unmarked']")
        hrefs = {r.xpath("string(.//a/@href)") for r in rows}
        assert {"rfk-memo-to-rusk.html", "speech.html"} <= hrefs, (name, hrefs)
        assert {squeeze(r.xpath("string(.//span[contains(@class, 'level')])")) for r in rows} == {label}, name
