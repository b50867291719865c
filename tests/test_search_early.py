"""The search index's shards made while the pages are published (cmctei/search_early.py).

- The date read from a master's header is the one its page is sorted by (html.xsl's
  ``cm:date``), on every seed and on crafted headers; what it cannot read is None, never a
  wrong date, and nothing of the file is parsed.
- Published from scratch in shards, the masters go shard after shard, each shard is indexed
  before the site's pages are made, none is made again after, Pagefind runs on one core for
  them, and the site is the bytes a publish without any of this gives.
- Whatever goes wrong early is mended by the index made after the pages: dates guessed wrong,
  a master that fails, a shard Pagefind could not make; what a run tells is in the order of
  the files either way.
- The previous/next links are not in what Pagefind is given, nor in a shard's record: a
  document added elsewhere changes its neighbours' links, not their shards.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from cmctei import search, search_early, search_shards
from cmctei.publish import Publisher, documents
from test_search_shards import masters, needs_pagefind, refuse_pagefind, shard_ids, tree  # noqa: F401  (masters: a fixture)

inodes = shard_ids  # each shard folder and its inode: a shard made again is a new folder


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, bool]]:
    """Each folder Pagefind is asked to make, and whether on one core (early)."""
    made: list[tuple[str, bool]] = []
    real = search._index_folder

    def index_folder(publisher, binary, folder, fill, one_thread=False):
        made.append((folder, one_thread))
        return real(publisher, binary, folder, fill, one_thread)

    monkeypatch.setattr(search, "_index_folder", index_folder)
    return made


def without_early(masters: Path, out: Path, monkeypatch, pages: int = 1) -> Path:
    """The site as publishing gives it with every shard made after the pages."""
    with monkeypatch.context() as patch:
        patch.setattr(search_early.EarlyShards, "plan", classmethod(lambda cls, publisher, dates: None))
        Publisher(out, search_shard_pages=pages).run(documents(masters))
    return out / "html"


# ------------------------------------------------------------------ the date in the header

def test_the_date_read_from_each_seeds_header_is_the_one_its_page_is_sorted_by(tmp_path):
    out = tmp_path / "out"
    Publisher(out, search=False).run(documents(ROOT / "tei"))
    pages = 0
    for master in documents(ROOT / "tei"):
        page = (out / "html" / f"{master.stem}.html").read_bytes()
        sorted_by = re.search(rb'data-pagefind-sort="date:([^"]*)"', page)
        assert sorted_by, master.name
        assert search_early.predicted_date(master.read_bytes()) == sorted_by.group(1).decode(), master.name
        pages += 1
    assert pages == 5


@pytest.mark.parametrize("header,expected", [
    (b'<creation>\n  <date when="1962-10-27" cert="high">27/X-62</date>\n</creation>', "1962-10-27"),
    (b"<creation><date cert='high' when='1962-10'>October</date></creation>", "1962-10"),
    (b'<creation><date when="1962-10-27T14:05:00">afternoon</date></creation>', "1962-10-27"),
    (b'<creation><date when="2000">2000</date></creation>', "2000"),
    (b'<creation><date notBefore="1962-10-01" notAfter="1962-10-31"/></creation>', None),  # the stylesheets' call
    (b'<creation><date>27 October 1962</date></creation>', None),
    (b'<creation><date when="undated">n.d.</date></creation>', None),
    (b'<publicationStmt><date when="2026-01-01"/></publicationStmt>', None),  # not the document's date
    (b"", None),
])
def test_the_date_read_from_a_header_is_the_creation_date_or_none(header, expected):
    raw = (b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>'
           b"<profileDesc>" + header + b"</profileDesc></teiHeader><text><body><p><creation><date when=\"1999\"/>"
           b"</creation></p></body></text></TEI>")
    assert search_early.predicted_date(raw) == expected


def test_a_header_that_is_not_xml_gives_no_date_and_nothing_is_parsed():
    hostile = (b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b"<TEI><teiHeader><creation><date when='&e;'/></creation></teiHeader></TEI>")
    assert search_early.predicted_date(hostile) is None
    assert search_early.predicted_date(b"\xff\xfe\x00garbage") is None


# ------------------------------------------------------------------ publishing from scratch

@needs_pagefind
def test_shards_are_made_as_their_pages_are_and_the_site_is_the_one_made_after(masters, tmp_path, monkeypatch, calls):
    from cmctei import site as site_module

    made_when: list[int] = []  # how many shards were made when the site's own pages were begun
    real_write = site_module.write

    def write(publisher, corpus):
        made_when.append(len(calls))
        return real_write(publisher, corpus)

    published: list[str] = []
    real_process = Publisher.process

    def process(self, task):
        published.append(task[0].stem)
        return real_process(self, task)

    monkeypatch.setattr(site_module, "write", write)
    monkeypatch.setattr(Publisher, "process", process)
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    assert not [p for p in report.problems if p.severity in ("error", "warning")], report.problems
    html = out / "html"
    shards = [name for name in inodes(html) if name != search_shards.PRIMARY]
    assert len(shards) == 5
    # each shard once, on one core, before the site's pages; after the pages, the words' index alone
    assert sorted(folder for folder, early in calls if early) == sorted(shards)
    assert [folder for folder, early in calls if not early] == [search_shards.PRIMARY]
    assert made_when and made_when[0] >= 1
    # the masters in the shards' order: by date (the telegram of October 27 first, the chapter last)
    dates = [search_early.predicted_date((masters / f"{docid}.xml").read_bytes()) for docid in published]
    assert dates == sorted(dates) and len(published) == 5
    assert tree(html) == tree(without_early(masters, tmp_path / "after", monkeypatch))


@needs_pagefind
def test_dates_guessed_wrong_cost_time_not_a_different_index(masters, tmp_path, monkeypatch, calls):
    """Shards of several pages (4 a shard: the seeds cut in two), the chapter guessed the
    earliest: the shards the guess cut are not the pages' own, and are made again."""
    guesses = iter(["1066-10-14", "1962-10-27", "1962-11-12", "1962-11-14", "1962-10-30"])  # the files' order
    monkeypatch.setattr(search_early, "predicted_date", lambda raw: next(guesses))
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=4).run(documents(masters))
    assert not [p for p in report.problems if p.severity in ("error", "warning")], report.problems
    early = [folder for folder, one_core in calls if one_core]
    again = [folder for folder, one_core in calls if not one_core and folder != search_shards.PRIMARY]
    assert early and again  # cut otherwise than the pages are: made again from the pages as they are
    monkeypatch.undo()
    reference = without_early(masters, tmp_path / "reference", monkeypatch, pages=4)
    assert tree(out / "html") == tree(reference)
    assert not any((out / "html" / folder).exists() for folder in set(early) - set(inodes(reference)))


@needs_pagefind
def test_masters_that_fail_leave_their_shards_to_the_index_made_after(masters, tmp_path, monkeypatch, calls):
    broken = ["chapter-denouement.xml", "excomm-24-1962-11-12.xml"]  # the last and the third by date
    for name in broken:
        master = masters / name
        master.write_text(master.read_text(encoding="utf-8").replace("</teiHeader>", "</teiHeader><oops/>", 1),
                          encoding="utf-8")
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    errors = [p for p in report.problems if p.severity == "error"]
    assert {Path(p.path).name for p in errors} == set(broken) and len(report.published) == 3
    # what a run tells is in the order of the files, not the order they were published in
    told = [Path(p.path).name for p in report.problems]
    assert told == sorted(told) and told[0] == broken[0] and told[-1] == broken[1]
    assert sum(one_core for _, one_core in calls) == 3  # the pages made: their shards, early
    assert tree(out / "html") == tree(without_early(masters, tmp_path / "reference", monkeypatch))


@needs_pagefind
def test_a_shard_pagefind_could_not_make_early_is_made_after_the_pages(masters, tmp_path, monkeypatch):
    refused = refuse_pagefind(monkeypatch, lambda folder, one_thread, refused: one_thread and not refused)
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    assert refused and not [p for p in report.problems if p.severity in ("error", "warning")], report.problems
    assert (out / "html" / refused[0] / "pagefind-entry.json").is_file()
    monkeypatch.undo()
    assert tree(out / "html") == tree(without_early(masters, tmp_path / "after", monkeypatch))


@needs_pagefind
def test_a_run_that_publishes_some_documents_again_makes_no_shard_early(masters, tmp_path, calls):
    out = tmp_path / "out"
    Publisher(out, search_shard_pages=1).run(documents(masters))
    calls.clear()
    memo = masters / "rfk-memo-to-rusk.xml"
    memo.write_text(memo.read_text(encoding="utf-8").replace(" the ", " the the ", 1), encoding="utf-8")
    Publisher(out, search_shard_pages=1).run(documents(masters))
    assert len(calls) == 1 and not calls[0][1]  # the edited page's shard, after the pages


# ------------------------------------------------------------------ the links are not indexed

def test_a_page_is_given_to_pagefind_and_recorded_without_its_previous_next_links(tmp_path):
    def page(top: str, bottom: str) -> bytes:
        return (f"<html><body><header><!--cmctei:sequence-top-->{top}<!--/cmctei:sequence-top--></header>"
                "<main data-pagefind-body=''><h1>Memo</h1><span data-pagefind-sort=\"date:1962-10-27\"></span></main>"
                f"<footer><!--cmctei:sequence-bottom-->{bottom}<!--/cmctei:sequence-bottom--></footer></body></html>"
                ).encode("utf-8")

    bare, linked = page("", ""), page('<nav class="sequence-top"><a rel="next" href="b.html">next</a></nav>',
                                      '<nav>\n<a rel="prev" href="a.html">previous</a>\n</nav>')
    assert search_shards.as_indexed(linked) == bare
    (tmp_path / "a.html").write_bytes(bare)
    (tmp_path / "b.html").write_bytes(linked)
    read_a, read_b = search_shards.read_page(tmp_path / "a.html"), search_shards.read_page(tmp_path / "b.html")
    assert read_a is not None and read_b is not None
    assert read_a[0].digest == read_b[0].digest and read_a[0].date == "1962-10-27"
    site = tmp_path / "site"
    site.mkdir()
    search._fill_shard(tmp_path, search_shards.Shard("pagefind", (read_b[0],)), False, site)
    assert (site / "b.html").read_bytes() == bare
    edited = linked.replace(b"<h1>Memo</h1>", b"<h1>Memo 2</h1>")  # the body is what counts
    assert search_shards.as_indexed(edited) != bare
    only_top = b"<header><!--cmctei:sequence-top-->x<!--/cmctei:sequence-top--></header><main>y</main>"
    assert search_shards.as_indexed(only_top) == only_top.replace(b"-->x<!--", b"--><!--")
    assert search_shards.as_indexed(b"<main>no links</main>") == b"<main>no links</main>"


@needs_pagefind
def test_a_document_added_changes_its_neighbours_links_not_their_shards(masters, tmp_path):
    aside = tmp_path / "rfk-memo-to-rusk.xml"  # October 30, 1962: between the telegram and the ExComm
    shutil.move(masters / "rfk-memo-to-rusk.xml", aside)
    out = tmp_path / "out"
    Publisher(out, search_shard_pages=1).run(documents(masters))
    html = out / "html"
    before = inodes(html)
    neighbours = {name: (html / name).read_bytes() for name in ("dobrynin-telegram-1962-10-27.html", "excomm-24-1962-11-12.html")}
    shutil.move(aside, masters / "rfk-memo-to-rusk.xml")
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    assert not [p for p in report.problems if p.severity in ("error", "warning")], report.problems
    assert all((html / name).read_bytes() != page for name, page in neighbours.items())  # their links changed
    after = inodes(html)
    assert sorted(name for name in after if before.get(name) != after[name]) == sorted(
        [search_shards.PREFIX + hashlib.sha256(b"rfk-memo-to-rusk.html").hexdigest()[:12],
         search_shards.PRIMARY])  # the new page's shard, and the words' index that lists it


@needs_pagefind
def test_pagefind_runs_on_one_core_beside_publishing_and_on_all_after(masters, tmp_path, monkeypatch):
    import subprocess

    real = subprocess.run
    threads: list[str | None] = []

    def run(command, **options):
        if "--site" in command:
            threads.append((options.get("env") or {}).get("RAYON_NUM_THREADS"))
        return real(command, **options)

    monkeypatch.setattr(search.subprocess, "run", run)
    Publisher(tmp_path / "out", search_shard_pages=1).run(documents(masters))
    assert threads == ["1"] * 5 + [None]  # the shards beside the pages; the words' index alone, after


@needs_pagefind
def test_a_run_that_stops_waits_for_the_shard_being_made_and_no_other(masters, tmp_path, monkeypatch, calls):
    import threading
    import time

    counted = search._index_folder  # (the fixture's, which counts)

    def slow(*args, **options):
        time.sleep(1.0)  # the shards of the first pages are still waiting when the run stops
        return counted(*args, **options)

    monkeypatch.setattr(search, "_index_folder", slow)
    real_process = Publisher.process
    seen = []

    def process(self, task):
        seen.append(task[0].name)
        if len(seen) == 4:
            raise OSError("No space left on device")  # a write that fails stops the run
        return real_process(self, task)

    monkeypatch.setattr(Publisher, "process", process)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        Publisher(out, search_shard_pages=1).run(documents(masters))
    assert len(calls) == 1 and calls[0][1]  # the first page's shard, made; the next two, not begun
    assert not [t for t in threading.enumerate() if t.name == "cmctei-background"]
    assert not list(out.glob(".search-site-*")) and not list((out / "html").glob(".pagefind*"))
