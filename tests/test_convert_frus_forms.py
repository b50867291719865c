"""FRUS documents in forms the development set does not show: ids with capitals, microfiche
summaries, receipt notes after datelines, datelines at the foot, dates in two calendars.

The crafted texts are shaped like documents of other FRUS volumes (the 1961–1963 microfiche
supplement, the 1918 Russia volumes); the wording is made up. With ../shared/ present, the
maintainers' renderer runs on FRUS's own files too: the two FRUS samples, and two whole volumes
of another century (../shared/foreign). Every expected value is read off the text by hand.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, shared_path
from convert_helpers import project, seed_text
from cmctei.convert import catalog as cat
from cmctei.convert import catalog_cache
from cmctei.convert.opener import title_like
from cmctei.convert.text import find_date

NS = {"t": "http://www.tei-c.org/ns/1.0"}
MEMO = seed_text("rfk-memo-to-rusk")
EDITION = 'published = { series = "Foreign Relations of the United States", document = "5", year = "1932" }'


def convert(run_cli, tmp_path: Path, texts: dict[str, str], entries: str) -> tuple[int, str, Path]:
    catalog, tei = project(tmp_path, texts, entries)
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    return code, err, tei


def one(run_cli, tmp_path: Path, text: str, published: str = EDITION, genre: str = "memorandum"):
    """The master of one crafted document (it must convert, and validate: the validator fixture
    is asked by the tests that need it)."""
    code, err, tei = convert(run_cli, tmp_path, {"d.txt": text},
                             f'[documents.d]\nsource = "d.txt"\ngenre = "{genre}"\n{published}\n')
    assert code == 0, err
    return etree.parse(str(tei / "d.xml")), err, tei / "d.xml"


def text_of(tree, path: str) -> str:
    return " ".join(tree.xpath(f"string({path})", namespaces=NS).split())


# ------------------------------------------------------------------ docids

def test_a_docid_with_capitals_converts_validates_and_publishes(run_cli, tmp_path, validator):
    docid = "frus1961-63v10-12mSupp-d516"
    code, err, tei = convert(run_cli, tmp_path, {f"{docid}.txt": MEMO},
                             f'[documents.{docid}]\nsource = "{docid}.txt"\n'
                             'overrides = { date = "1962-11-12" }\n')
    assert code == 0, err
    master = tei / f"{docid}.xml"
    assert etree.parse(str(master)).getroot().get("{http://www.w3.org/XML/1998/namespace}id") == docid
    assert [p.format() for p in validator.validate_file(master) if p.severity == "error"] == []
    code, _, err = run_cli("publish", "--out", tmp_path / "build", "--register", tei / "persons.xml",
                           "--no-search", master)
    assert code == 0, err
    assert (tmp_path / "build" / "html" / f"{docid}.html").is_file()
    assert (tmp_path / "build" / "cite" / f"{docid}.bib").is_file()


def test_docids_that_differ_only_in_case_are_refused_at_the_second(run_cli, tmp_path):
    code, err, tei = convert(run_cli, tmp_path, {"a.txt": MEMO, "b.txt": MEMO},
                             '[documents.memo]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n\n'
                             '[documents.Memo]\nsource = "b.txt"\n')
    assert code == 2
    assert "catalog.toml:5:1: error: [documents.Memo] the docid differs from 'memo' (line 1) only in case" in err
    assert sorted(p.name for p in tei.iterdir() if not p.name.startswith(".")) == ["memo.xml", "persons.xml"]


@pytest.mark.parametrize("docid", ["Index", "PERSONS", "All", "Index-genre-memorandum"])
def test_reserved_docids_are_refused_in_any_case(run_cli, tmp_path, docid):
    code, err, _ = convert(run_cli, tmp_path, {"a.txt": MEMO}, f'[documents.{docid}]\nsource = "a.txt"\n')
    assert code == 2 and f"the docid {docid!r} is kept for the project's own files" in err


def test_a_master_named_like_a_site_page_in_other_case_is_not_published(run_cli, tmp_path):
    """Where file names do not tell case apart, Index.html would replace the site's index.html."""
    master = tmp_path / "Index.xml"
    shutil.copy2(ROOT / "tei" / "rfk-memo-to-rusk.xml", master)
    code, _, err = run_cli("publish", "--out", tmp_path / "build", "--no-search", master)
    assert code == 1 and "is kept for the site's own pages" in err
    assert not (tmp_path / "build" / "html" / "Index.html").exists()


def test_a_forged_catalog_record_cannot_bring_case_twins_past_the_check(tmp_path):
    """The kept catalog (build/.cache/catalog.json) is checked as a parse checks it: twins too."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("a.txt", "b.txt"):
        (sources / name).write_text(MEMO, encoding="utf-8")
    catalog = sources / "catalog.toml"
    catalog.write_bytes(b'[documents.memo]\nsource = "a.txt"\n\n[documents.Memo]\nsource = "b.txt"\n')
    raw = catalog.read_bytes()
    record = tmp_path / "catalog.json"
    record.write_text(json.dumps({"format": catalog_cache.FORMAT, "key": catalog_cache._key(raw, sources.resolve()),
                                  "documents": [["memo", 1, {"source": "a.txt"}], ["Memo", 4, {"source": "b.txt"}]]}),
                      encoding="utf-8")
    with pytest.raises(cat.CatalogError, match=r"\[documents.Memo\] the docid differs from 'memo'"):
        catalog_cache.load(catalog, record)


# ------------------------------------------------------------------ headings and datelines

def test_a_microfiche_summary_heading_is_the_heading(run_cli, tmp_path, validator):
    summary = ("516. NSC Executive Committee record of action, November 12. Readiness of the forces; "
               "the intelligence of the day; the talks at the United Nations; what assurance to give; "
               "how to verify that the weapons are gone. Top Secret. 2 pp. Kennedy Library, "
               "Meetings and Memoranda Series, Executive Committee Meetings, Vol. II. 0")
    assert not title_like(summary)  # (anywhere else, a paragraph)
    tree, _, master = one(run_cli, tmp_path, f"{summary}\n\nNovember 12, 1962\n")
    assert tree.xpath("//t:body/t:div/@n", namespaces=NS) == ["516"]
    assert text_of(tree, "//t:body/t:div/t:head").startswith("516. NSC Executive Committee record of action")
    assert tree.xpath("//t:body/t:div/t:head/t:note[@type='source']/@n", namespaces=NS) == ["0"]
    assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == ["1962-11-12"]
    assert text_of(tree, "//t:opener/t:dateline") == "November 12, 1962"
    assert [p.format() for p in validator.validate_file(master) if p.severity == "error"] == []


def test_a_note_of_receipt_after_the_dateline_stays_in_it_and_never_dates_the_document(run_cli, tmp_path):
    line = "Moscow, July 16, 1918, 6 p.m.[Received July 24, 9.35 p.m.; July 26, 4.30 a.m.]"
    tree, _, _ = one(run_cli, tmp_path, f"The Consul General at Moscow to the Secretary of State\n\n{line}\n\n"
                                        "The stocks of oil are large and the transport is poor.\n", genre="telegram")
    assert text_of(tree, "//t:opener/t:dateline") == line
    assert tree.xpath("//t:opener/t:dateline/t:date/@when", namespaces=NS) == ["1918-07-16"]
    assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == ["1918-07-16"]


def test_an_undated_document_is_bounded_by_its_receipt(run_cli, tmp_path):
    line = "Harbin, undated.[Received November 24, 1917, 4.05 p.m.]"
    text = f"The Consul at Harbin to the Secretary of State\n\n{line}\n\nThe railway is quiet.\n"
    tree, err, _ = one(run_cli, tmp_path, text, published='published = { series = "Foreign Relations", document = "5" }',
                       genre="telegram")
    [date] = tree.xpath("//t:creation/t:date", namespaces=NS)
    assert (date.get("when"), date.get("notAfter"), date.text) == (None, "1917-11-24", "undated")
    assert "sources/d.txt:3:1: warning: the text prints “undated”: the master is undated, no later than its " \
           "receipt (1917-11-24)" in err
    # with an edition year too, the receipt is the tighter bound
    (tmp_path / "with-edition").mkdir()
    tree, _, _ = one(run_cli, tmp_path / "with-edition", text, genre="telegram")
    assert tree.xpath("//t:creation/t:date/@notAfter", namespaces=NS) == ["1917-11-24"]


def test_an_undated_text_without_receipt_or_edition_is_still_refused(run_cli, tmp_path):
    code, err, _ = convert(run_cli, tmp_path, {"d.txt": "Note\n\nHarbin, undated.\n\nThe railway is quiet.\n"},
                           '[documents.d]\nsource = "d.txt"\ngenre = "memorandum"\n')
    assert code == 1 and "the text undated and the catalog gives no edition year" in err


def test_a_dateline_at_the_foot_dates_a_document_whose_opening_prints_none(run_cli, tmp_path, validator):
    text = ("The British Embassy to the Department of State\n\nMemorandum\n\n"
            "His Majesty's Government have the honour to propose a joint commission.\n\n"
            "Washington, September 5, 1918.[Received September 6.]\n")
    tree, _, master = one(run_cli, tmp_path, text)
    assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == ["1918-09-05"]
    [closer] = tree.xpath("//t:body/t:div/t:closer", namespaces=NS)
    assert [etree.QName(c).localname for c in closer] == ["dateline"]
    assert text_of(closer, ".") == "Washington, September 5, 1918.[Received September 6.]"
    # it is the last block: nothing moved
    assert etree.QName(tree.xpath("//t:body/t:div/*", namespaces=NS)[-1]).localname == "closer"
    assert [p.format() for p in validator.validate_file(master) if p.severity == "error"] == []


def test_a_text_of_page_furniture_alone_has_no_dateline_at_its_foot(run_cli, tmp_path):
    """Nothing but furniture: no line of text to date the document by, and no internal error."""
    code, err, tei = convert(run_cli, tmp_path, {"d.txt": "SECRET\n\n- 2 -\n"},
                             f'[documents.d]\nsource = "d.txt"\ngenre = "memorandum"\n{EDITION}\n')
    assert code == 0 and "internal-error" not in err, err
    tree = etree.parse(str(tei / "d.xml"))
    assert [f.get("type") for f in tree.xpath("//t:body/t:div/t:fw", namespaces=NS)] == ["classification", "pageNum"]
    assert tree.xpath("//t:creation/t:date/@notAfter", namespaces=NS) == ["1932"]


def test_a_dateline_above_the_signature_opens_its_closer(run_cli, tmp_path):
    text = ("Mr. Baker to Mr. Gresham\n\nThe river is low and the mail is late.\n\n"
            "Managua, March 3, 1894.\n\nLewis Baker\n")
    tree, _, _ = one(run_cli, tmp_path, text)
    assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == ["1894-03-03"]
    [closer] = tree.xpath("//t:body/t:div/t:closer", namespaces=NS)
    assert [etree.QName(c).localname for c in closer] == ["dateline", "signed"]
    assert text_of(closer, "t:signed") == "Lewis Baker"


def test_a_dateline_at_the_foot_of_a_document_dated_at_its_head_stays_a_paragraph(run_cli, tmp_path):
    text = ("Mr. Baker to Mr. Gresham\n\nManagua, March 1, 1894.\n\nThe river is low.\n\n"
            "Managua, March 3, 1894.\n")
    tree, _, _ = one(run_cli, tmp_path, text)
    assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == ["1894-03-01"]
    assert tree.xpath("//t:body//t:closer", namespaces=NS) == []
    assert text_of(tree, "(//t:body//t:p)[last()]") == "Managua, March 3, 1894."


@pytest.mark.parametrize("printed, iso", [
    ("Petrograd, May 2/15, 1917.", "1917-05-02"),
    ("June 28/July 11, 1917", "1917-06-28"),
    ("March 3/15, 1894", "1894-03-03"),
    ("Sept. 5/18, 1917", "1917-09-05"),
])
def test_a_day_in_both_calendars_is_the_julian_day(printed, iso):
    assert find_date(printed).iso == iso


@pytest.mark.parametrize("printed", ["May 2/16, 1917", "May 2/15, 1962x", "June 28/July 12, 1917"])
def test_a_slash_that_is_not_the_other_calendar_is_no_date(printed):
    found = find_date(printed)
    assert found is None or found.iso not in ("1917-05-02", "1917-06-28")


# ------------------------------------------------------------------ footnote markers printed as digits

WEB = "12. Memorandum From Smith to Jones 0\n\nWashington, November 1, 1962.\n\n{}\n"


def notes_after(tree) -> list[tuple[str, str]]:
    """(number, the last word printed just before the marker) of each footnote."""
    return [(n.get("n"), ("".join(n.xpath("preceding::text()[1]")).split() or [""])[-1])
            for n in tree.xpath("//t:body//t:note[@place='foot']", namespaces=NS)]


def test_a_marker_glued_to_an_editorial_insertion_s_bracket(run_cli, tmp_path):
    tree, _, _ = one(run_cli, tmp_path, WEB.format(
        "We refer to the memorandum of October 22 [21]1 with regard to the proposals.\n\n"
        "The telegram [not printed]2 said so, and Deptel 456 [Document 21].3 Then more."))
    assert notes_after(tree) == [("1", "]"), ("2", "]"), ("3", "].")]
    assert "October 22 [21] with regard" in text_of(tree, "//t:body")  # the digit is not left as text


def test_a_list_of_counts_is_not_a_run_of_markers(run_cli, tmp_path):
    tree, _, _ = one(run_cli, tmp_path, WEB.format(
        "Arrange to send 12 units, each unit to consist of 1 division superintendent, 1 master mechanic, "
        "1 chief train dispatcher, 2 train masters and 6 dispatchers.\n\n"
        "It is carried on by 15 missionaries (12 of whom are Europeans, 3 colored), 2 lay missionaries, and "
        "7 teachers."))
    assert notes_after(tree) == []
    assert "1 master mechanic, 1 chief train dispatcher, 2 train masters" in text_of(tree, "//t:body")


def test_a_number_sign_s_number_is_not_a_marker(run_cli, tmp_path):
    tree, _, _ = one(run_cli, tmp_path, WEB.format("Accompanying Inclosure No.1 are many documents.1 Then more."))
    assert notes_after(tree) == [("1", "documents.")]
    assert "Inclosure No.1 are many" in text_of(tree, "//t:body")


def test_a_marker_standing_after_a_name_or_a_day(run_cli, tmp_path):
    """Where FRUS's markup has a space before its note, the web copy prints the marker alone."""
    tree, _, _ = one(run_cli, tmp_path, WEB.format(
        "In my farewell call on President Thieu 1 I made much of it. Your letter of October 26th 2 was read "
        "with care.\n\nThe telegram misrepresenting Harriman 3 could not have come at a worse time, as "
        "your message of October twenty-eight 4 said."))
    assert notes_after(tree) == [("1", "Thieu"), ("2", "26th"), ("3", "Harriman"), ("4", "twenty-eight")]


def test_numbers_after_months_designations_and_sentence_openings_are_not_markers(run_cli, tmp_path):
    text = ("The rocketing of Saigon on November 1 complicated the problem, as his Nov 2 declaration did.\n\n"
            "Phase 1 of the plan and Annex 2 to it were read. He left. Only 1 was left, and Mr. Rusk 2 hours "
            "later said so.")
    tree, _, _ = one(run_cli, tmp_path, WEB.format(text))
    assert notes_after(tree) == []
    assert "on November 1 complicated" in text_of(tree, "//t:body") and "Only 1 was left" in text_of(tree, "//t:body")


# ------------------------------------------------------------------ FRUS's own files

def _render_and_convert(tmp_path: Path, corpus: Path, volume_map: dict, imprints: dict) -> tuple[dict, Path, str]:
    """The maintainers' renderer and catalog writer (../shared/devset/tools) on ``corpus``, then
    `cmctei convert` on what they wrote, as ../shared/devset/run.sh does."""
    tools = shared_path("devset", "tools")
    rendered, sources, tei = tmp_path / "rendered", tmp_path / "sources", tmp_path / "tei"
    subprocess.run([sys.executable, str(tools / "render.py"), str(rendered), str(corpus),
                    "--volume-map", json.dumps(volume_map)], check=True, capture_output=True, timeout=600)
    (tmp_path / "imprints.json").write_text(json.dumps(imprints), encoding="utf-8")
    made = subprocess.run([sys.executable, str(tools / "catalog.py"), "catalog", str(rendered),
                           "--imprints", str(tmp_path / "imprints.json")],
                          check=True, capture_output=True, text=True, timeout=600)
    sources.mkdir()
    tei.mkdir()
    for text in rendered.glob("*.txt"):
        shutil.copy2(text, sources / text.name)
    (sources / "catalog.toml").write_text(made.stdout, encoding="utf-8")
    shutil.copy2(ROOT / "tei" / "persons.xml", tei / "persons.xml")
    said = subprocess.run([sys.executable, "-m", "cmctei", "convert", "--catalog", str(sources / "catalog.toml"),
                           "--tei-dir", str(tei), "--jobs", "2", "--quiet"], capture_output=True, text=True,
                          timeout=900, cwd=tmp_path, env={**os.environ, "CMCTEI_HOME": str(tmp_path)})
    return json.loads((rendered / "gold.json").read_text(encoding="utf-8")), tei, said.stderr


def _split(volume: Path, into: Path, limit: int | None = None) -> None:
    """A FRUS file's documents, one file each, named as render.py expects (<volume>-d<N>.xml)."""
    into.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"-d\d+$", "", volume.stem)  # (a sample of one document is named so already)
    tree = etree.parse(str(volume))
    divs = tree.xpath("//t:div[@type='document'][starts-with(@xml:id, 'd')]", namespaces=NS)
    for div in divs[:limit]:
        (into / f"{name}-{div.get('{http://www.w3.org/XML/1998/namespace}id')}.xml").write_bytes(
            etree.tostring(div, encoding="utf-8"))


def test_the_frus_samples_convert_under_their_own_ids(tmp_path):
    frus = shared_path("frus")  # skips, saying why, without ../shared
    corpus = tmp_path / "corpus"
    for volume in sorted(frus.glob("*.xml")):
        _split(volume, corpus)
    volumes = {"frus1961-63v10-12mSupp": "1997", "frus1961-63v15": "1994"}
    gold, tei, said = _render_and_convert(
        tmp_path / "run", corpus, {f"{v}-": v for v in volumes},
        {v: {"series": "Foreign Relations of the United States, 1961–1963", "year": y} for v, y in volumes.items()})
    assert sorted(gold) == ["frus1961-63v10-12mSupp-d516", "frus1961-63v15-d117"]
    for docid, facts in gold.items():
        tree = etree.parse(str(tei / f"{docid}.xml"))  # converted, under the id FRUS gives it
        assert tree.xpath("//t:creation/t:date/@when", namespaces=NS) == [facts["date"]], said


def test_two_volumes_of_another_century_convert(tmp_path):
    """616 documents of 1894 and 1918 (../shared/foreign): all convert; the dates the text prints
    at the head are found, and those it prints at the foot, where FRUS's own markup has a plain
    paragraph (its gold then has no date)."""
    foreign = shared_path("foreign")
    corpus = tmp_path / "corpus"
    for name in ("frus1894Nicaragua", "frus1918Russiav03"):
        _split(foreign / f"{name}.xml", corpus)
    imprints = {"frus1894Nicaragua": {"series": "Papers Relating to the Foreign Relations of the United States",
                                      "year": "1895"},
                "frus1918Russiav03": {"series": "Papers Relating to the Foreign Relations of the United States",
                                      "year": "1932"}}
    gold, tei, said = _render_and_convert(tmp_path / "run", corpus, {f"{v}-": v for v in imprints}, imprints)
    assert len(gold) == 616
    missing = sorted(docid for docid in gold if not (tei / f"{docid}.xml").is_file())
    assert missing == [], said[-3000:]
    dated = at_foot = 0
    for docid, facts in gold.items():
        tree = etree.parse(str(tei / f"{docid}.xml"))
        when = tree.xpath("//t:creation/t:date/@when", namespaces=NS)
        if facts["date"]:
            dated += 1
            assert when == [facts["date"]] or docid == "frus1918Russiav03-d187", docid  # (its date is its enclosure's)
        elif when:
            at_foot += 1
            assert tree.xpath("//t:body/t:div/t:closer/t:dateline/t:date/@when", namespaces=NS) == when, docid
    assert dated > 500 and 0 < at_foot < 20
