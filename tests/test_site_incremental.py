"""The site's own pages in an incremental publish (issue 18): the index pages, persons.html,
search.html and the previous/next links are made again only when what they are made from
changed (build/.cmctei-site.json, cmctei.site_record), and the site is then byte for byte
the one a publish from a clean build/ gives.

Each test publishes the seeds in a project of its own (CMCTEI_HOME), changes one thing,
publishes again, and compares every file under build/ (html/, text/, cite/ and the site
record) with a publish into an empty folder. Which stylesheets ran is seen by a spy on
the one place transforms are made (DocumentOutputs._transform).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import unavailable
from cmctei import search, site_record
from cmctei.publish import Publisher, documents
from cmctei.render import DocumentOutputs
from test_incremental import SEEDS, project  # noqa: F401  (project: the seeds in a project of their own)
from test_incremental import edit as edit_text

SITE_SHEETS = {"index", "persons", "search", "sequence"}  # the site's own pages and the links
MEMO = "rfk-memo-to-rusk"


@pytest.fixture()
def sheets(monkeypatch) -> list[str]:
    """The names of the stylesheets run, in order (every transform goes through _transform)."""
    used: list[str] = []
    original = DocumentOutputs._transform

    def spy(self, name, node, **params):
        used.append(name)
        return original(self, name, node, **params)

    monkeypatch.setattr(DocumentOutputs, "_transform", spy)
    return used


def tree(out: Path, pagefind: bool = False) -> dict[str, bytes]:
    """Every output file under ``out``, byte for byte, with the site record; the other records
    of build/ aside (they name the master's path, or are Pagefind's), and Pagefind's folder
    unless ``pagefind``."""
    files = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or (name.startswith(".") and name != site_record.RECORD):
            continue
        if name.startswith("html/pagefind/") and not pagefind:
            continue
        files[name] = path.read_bytes()
    return files


def assert_same_as_a_full_publish(project: Path, run_cli, *args) -> None:
    """build/ is, file for file, what a publish into an empty folder gives."""
    full = project.parent / "full"
    shutil.rmtree(full, ignore_errors=True)
    code, _, err = run_cli("publish", *args, "--out", full)
    assert code == 0, err
    incremental, clean = tree(project / "build"), tree(full)
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []


def replace_once(path: Path, before: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"{before!r} is no longer in {path.name} once: update this test"
    path.write_text(text.replace(before, after), encoding="utf-8")


def links(page: Path) -> str:
    """The previous/next slots of a document page, as filled."""
    text = page.read_text(encoding="utf-8")
    return text[text.index("<!--cmctei:sequence-top-->"):text.index("<!--/cmctei:sequence-top-->")]


# ------------------------------------------------------------------ (a) an edit the pages do not show

def test_a_text_edit_redoes_the_document_and_no_site_page(project, run_cli, sheets):
    """One master's paragraph edited: its page is made again and gets its previous/next links
    from the record (no sequence transform), no index page is transformed or even rewritten,
    and build/ is a full publish's, byte for byte."""
    assert run_cli("publish", "--no-search")[0] == 0
    html = project / "build" / "html"
    pages = ["index.html", "persons.html", "search.html", *(p.name for p in html.glob("index-*-*.html"))]
    assert len(pages) > 5
    written = {name: (html / name).stat().st_mtime_ns for name in pages}
    record = (project / "build" / site_record.RECORD).read_bytes()
    edit_text(project / "tei" / f"{MEMO}.xml")
    sheets.clear()
    code, out, err = run_cli("publish", "--no-search")
    assert code == 0 and f"{len(SEEDS) - 1} unchanged since the last run" in out, err
    assert "html" in sheets and not SITE_SHEETS & set(sheets), sheets
    assert {name: (html / name).stat().st_mtime_ns for name in pages} == written
    assert (project / "build" / site_record.RECORD).read_bytes() == record  # not rewritten either
    page = (html / f"{MEMO}.html").read_text(encoding="utf-8")
    assert "Edited by hand." in page and 'rel="prev"' in links(html / f"{MEMO}.html")
    assert_same_as_a_full_publish(project, run_cli, "--no-search")


def test_a_text_edit_with_the_search_index(project, run_cli, sheets):
    """The same with Pagefind: the search index follows the edited page, and build/html, the
    index included, is a full publish's."""
    if search.executable() is None:
        unavailable("Pagefind is not installed (make setup installs it)")
    assert run_cli("publish")[0] == 0
    index = {k: v for k, v in tree(project / "build", pagefind=True).items() if k.startswith("html/pagefind/")}
    assert index
    edit_text(project / "tei" / f"{MEMO}.xml")
    sheets.clear()
    assert run_cli("publish")[0] == 0
    assert not SITE_SHEETS & set(sheets), sheets
    assert {k: v for k, v in tree(project / "build", pagefind=True).items() if k.startswith("html/pagefind/")} != index
    full = project.parent / "full"
    assert run_cli("publish", "--out", full)[0] == 0
    assert tree(project / "build", pagefind=True) == tree(full, pagefind=True)


# ------------------------------------------------------------------ (b) an edit the pages show

@pytest.mark.parametrize("before, after, shown", [
    ('<title type="main">Memorandum From Attorney General Kennedy to Secretary of State Rusk</title>',
     '<title type="main">Memorandum Retitled by Hand</title>', "Memorandum Retitled by Hand"),
    # dated after the ExComm record and the tape: the order, and so the neighbours' links, change
    ('<date when="1962-10-30">1962-10-30</date>', '<date when="1962-11-20">1962-11-20</date>', "November 20, 1962"),
], ids=["title", "date"])
def test_a_new_title_or_date_remakes_the_site_pages(project, run_cli, sheets, before, after, shown):
    assert run_cli("publish", "--no-search")[0] == 0
    html = project / "build" / "html"
    tape = links(html / "oval-office-1962-11-14.html")
    replace_once(project / "tei" / f"{MEMO}.xml", before, after)
    sheets.clear()
    code, _, err = run_cli("publish", "--no-search")
    assert code == 0, err
    assert SITE_SHEETS <= set(sheets), sheets
    assert shown in (html / "index.html").read_text(encoding="utf-8")
    if "date" in before:  # the tape, not transformed again, now leads to the memorandum
        assert links(html / "oval-office-1962-11-14.html") != tape
        assert f'href="{MEMO}.html"' in links(html / "oval-office-1962-11-14.html")
    assert_same_as_a_full_publish(project, run_cli, "--no-search")


def test_each_index_entry_is_parsed_once_a_run(project, run_cli, monkeypatch):
    """The manifest's check parses each document's index entry; the site's index takes that
    element instead of parsing the text again (issue 18). A document published again brings
    its new entry, parsed then (and its new title is on the index page)."""
    from cmctei import xmlio

    assert run_cli("publish", "--no-search")[0] == 0
    manifest = project / "build" / ".cmctei-publish.json"
    before = {d: e["summary"] for d, e in json.loads(manifest.read_text(encoding="utf-8"))["documents"].items()}
    parsed: list[str] = []
    original = xmlio.parse_untrusted

    def counting(data):
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if text.startswith("<doc"):
            parsed.append(text)
        return original(data)

    monkeypatch.setattr(xmlio, "parse_untrusted", counting)
    replace_once(project / "tei" / f"{MEMO}.xml", '<title type="main">Memorandum From',
                 '<title type="main">A Memorandum From')
    code, _, err = run_cli("publish", "--no-search")
    assert code == 0, err
    after = {d: e["summary"] for d, e in json.loads(manifest.read_text(encoding="utf-8"))["documents"].items()}
    assert len(before) == len(SEEDS) and after[MEMO] != before[MEMO]
    assert sorted(parsed) == sorted([*before.values(), after[MEMO]])
    assert "A Memorandum From" in (project / "build" / "html" / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ (c) documents added and removed

def test_a_document_removed_then_added_again(project, run_cli, sheets):
    assert run_cli("publish", "--no-search")[0] == 0
    telegram = project / "tei" / "dobrynin-telegram-1962-10-27.xml"
    kept = telegram.read_bytes()
    telegram.unlink()
    sheets.clear()
    assert run_cli("publish", "--no-search")[0] == 0
    assert SITE_SHEETS <= set(sheets), sheets
    index = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "dobrynin-telegram-1962-10-27" not in index
    assert not (project / "build" / "html" / "index-genre-telegram.html").exists()  # its only telegram
    assert_same_as_a_full_publish(project, run_cli, "--no-search")
    telegram.write_bytes(kept)
    assert run_cli("publish", "--no-search")[0] == 0
    assert (project / "build" / "html" / "index-genre-telegram.html").is_file()
    assert_same_as_a_full_publish(project, run_cli, "--no-search")


# ------------------------------------------------------------------ (d) a page changed by hand

@pytest.mark.parametrize("how", ["deleted", "edited"])
def test_a_site_page_deleted_or_edited_by_hand_is_made_again(project, run_cli, sheets, how):
    """Only the record's digest of each page's bytes says a page is as written: a page deleted,
    or edited (here: cut short), is made again, with the others."""
    assert run_cli("publish", "--no-search")[0] == 0
    for name in ("index.html", "index-genre-telegram.html", "persons.html", "search.html"):
        page = project / "build" / "html" / name
        made = page.read_bytes()
        if how == "deleted":
            page.unlink()
        else:
            page.write_bytes(made[:len(made) // 2])
        sheets.clear()
        assert run_cli("publish", "--no-search")[0] == 0
        assert SITE_SHEETS <= set(sheets), (name, sheets)
        assert page.read_bytes() == made, name
    assert_same_as_a_full_publish(project, run_cli, "--no-search")


# ------------------------------------------------------------------ (e) stylesheets and parameters

CUSTOM_INDEX = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="cmctei:index.xsl"/>
  <xsl:param name="site-title" select="'{title}'"/>
</xsl:stylesheet>
"""


def test_a_customisation_and_its_edit_remake_the_site_pages(project, run_cli, sheets, tmp_path):
    """A customisation's index.xsl that sets the site title, then the same file edited: the
    masters are unchanged, the corpus is the same, and yet the index pages follow."""
    assert run_cli("publish", "--no-search")[0] == 0
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "index.xsl").write_text(CUSTOM_INDEX.format(title="Our Archive"), encoding="utf-8")
    for title in ("Our Archive", "Another Archive"):
        (custom / "index.xsl").write_text(CUSTOM_INDEX.format(title=title), encoding="utf-8")
        sheets.clear()
        assert run_cli("publish", "--no-search", "--stylesheets", custom)[0] == 0
        assert "index" in sheets, sheets
        assert f"<h1>{title}</h1>" in (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
        assert_same_as_a_full_publish(project, run_cli, "--no-search", "--stylesheets", custom)


def test_the_site_title_parameter_remakes_the_site_pages(project, sheets):
    """The site title given to the publisher (a parameter of every page), changed between runs."""
    files = documents(project / "tei")
    out = project / "build"
    for title in (None, "Reading Room", "Another Reading Room"):
        sheets.clear()
        report = Publisher(out, site_title=title, search=False).run(files)
        assert report.published and not report.problems, report.problems
        assert "index" in sheets and "sequence" in sheets, sheets
        index = (out / "html" / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{title or 'cmctei'}</h1>" in index
        full = project.parent / f"full-{title}"
        Publisher(full, site_title=title, search=False).run(files)
        assert tree(out) == tree(full)
    sheets.clear()
    Publisher(out, site_title="Another Reading Room", search=False).run(files)
    assert not SITE_SHEETS & set(sheets), sheets  # the same title again: nothing to redo


def test_publish_all_remakes_the_site_pages(project, run_cli, sheets):
    assert run_cli("publish", "--no-search")[0] == 0
    sheets.clear()
    assert run_cli("publish", "--no-search", "--all")[0] == 0
    assert SITE_SHEETS <= set(sheets), sheets


# ------------------------------------------------------------------ the record is untrusted

def _tampered(record: dict, how: str) -> bytes:
    if how == "not json":
        return b"{\"version\": 1, \"inputs\": "
    if how == "a list":
        return b"[]\n"
    if how == "other inputs":
        return json.dumps({**record, "inputs": "0" * 64}).encode("utf-8")
    if how == "a page name that leaves build":  # never used as a path: the names are the corpus's
        pages = {**record["pages"], "../../outside.html": "0" * 64}
        return json.dumps({**record, "pages": pages}).encode("utf-8")
    if how == "links that are not the ones recorded":
        sequence = record["sequence"].replace('rel=\\"prev\\"', 'rel=\\"prev\\" class=\\"planted\\"')
        assert sequence != record["sequence"]
        return json.dumps({**record, "sequence": sequence}).encode("utf-8")
    raise AssertionError(how)


def test_a_damaged_record_costs_time_only(project, run_cli, sheets):
    """A record that is not what was written is not used: every site page is made again, the
    document pages get the links a full publish gives them, nothing is written elsewhere."""
    assert run_cli("publish", "--no-search")[0] == 0
    path = project / "build" / site_record.RECORD
    for how in ("not json", "a list", "other inputs", "a page name that leaves build",
                "links that are not the ones recorded"):
        path.write_bytes(_tampered(json.loads(path.read_text(encoding="utf-8")), how))
        edit_text(project / "tei" / f"{MEMO}.xml")  # its page gets its links from the record, or not
        sheets.clear()
        assert run_cli("publish", "--no-search")[0] == 0
        assert SITE_SHEETS <= set(sheets), (how, sheets)
        assert not (project.parent / "outside.html").exists() and not (project / "outside.html").exists()
        assert "planted" not in (project / "build" / "html" / f"{MEMO}.html").read_text(encoding="utf-8")
    assert_same_as_a_full_publish(project, run_cli, "--no-search")


# ------------------------------------------------------------------ the per-document checks

def test_each_outputs_main_file_is_the_one_looked_for(tmp_path):
    """publish.MAIN (the folder listing that says a document's outputs are there) names the
    first file of each output, as _outputs lists them."""
    from cmctei.publish import MAIN, OUTPUTS

    publisher = Publisher(tmp_path)
    files = publisher._outputs("doc")
    assert set(MAIN) == set(OUTPUTS)
    for name, (folder, suffix) in MAIN.items():
        assert files[name][0] == tmp_path / folder / f"doc{suffix}"


def test_a_missing_main_output_redoes_its_document_only(project, run_cli, sheets):
    """A document whose page (or plain text, or citation) was deleted by hand is made again;
    the others are not, and neither are the site's pages."""
    assert run_cli("publish", "--no-search")[0] == 0
    build = project / "build"
    for missing in (build / "html" / f"{MEMO}.html", build / "text" / f"{MEMO}.txt", build / "cite" / f"{MEMO}.json"):
        missing.unlink()
        sheets.clear()
        code, out, _ = run_cli("publish", "--no-search")
        assert code == 0 and f"{len(SEEDS) - 1} unchanged since the last run" in out
        assert missing.is_file() and not SITE_SHEETS & set(sheets), sheets
    assert_same_as_a_full_publish(project, run_cli, "--no-search")
