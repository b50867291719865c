"""The search index in shards (cmctei/search_shards.py, search_vocabulary.py, search.py).

- The cut: every page once, shards in date order, their sizes bounded, the same cut for the
  same pages; adding or removing a page changes at most two shards, editing one changes one.
- Publishing the seeds cut one shard per page: the list search.js merges, the words' index
  in ``pagefind/`` (one page per shard, with Pagefind's code) and the shards without the code;
  an edit that brings no new word re-indexes the edited page's shard alone, one that brings a
  word re-indexes that shard and the words' index, no other shard; either way the site is the
  bytes a clean publish gives. ``--no-search`` leaves nothing.

That merged shards answer as one index does is checked in Chromium (tests/test_site_browser.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from cmctei import search, search_early, search_shards, search_vocabulary
from cmctei.publish import Publisher, documents
from cmctei.search_shards import Page, plan


def pages(n: int, seed: int = 7) -> list[Page]:
    rng = random.Random(seed)
    made = []
    for i in range(n):
        date = None if i % 17 == 0 else f"19{rng.randrange(50, 70)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        made.append(Page(f"doc-{i:05d}.html", hashlib.sha256(str(i).encode()).digest(), date))
    return made


def order(p: Page):
    return (p.date is None, p.date or "", p.name)


@pytest.mark.parametrize("n,target", [(1, 64), (5, 64), (40, 64), (300, 16), (1000, 64), (777, 3)])
def test_every_page_once_in_date_order_in_bounded_shards(n, target):
    given = pages(n)
    shards = plan(given, target)
    flat = [p for s in shards for p in s.pages]
    assert flat == sorted(given, key=order)  # each page once; shard after shard in date order
    least, most = max(1, target // 2), 4 * max(1, target)
    if n < least:
        assert len(shards) == 1
    for shard in shards[:-1]:
        assert least <= len(shard.pages) <= most
    assert len(shards[-1].pages) <= most + least
    if len(shards) == 1:
        assert shards[0].folder == search_shards.PRIMARY
    else:  # pagefind/ is then the words' index (search_vocabulary.py)
        assert all(search_shards.NAME.fullmatch(s.folder) for s in shards)
    assert len({s.folder for s in shards}) == len(shards)
    assert plan(list(reversed(given)), target) == shards  # the cut is the pages', not the order given
    if n >= 300:
        assert least <= n / len(shards) <= 3 * target  # about `target` pages a shard (2 * least - 1)


def test_adding_removing_or_editing_a_page_changes_few_shards():
    given = pages(2000)
    before = plan(given, 32)
    assert len(before) > 30
    rng = random.Random(3)
    for trial in range(40):
        new = Page(f"new-{trial}.html", b"n" * 32, f"19{rng.randrange(50, 70)}-06-15")
        after = plan([*given, new], 32)
        assert len(set(after) - set(before)) <= 2, trial
        gone = rng.randrange(len(given))
        after = plan(given[:gone] + given[gone + 1:], 32)
        assert len(set(after) - set(before)) <= 2, trial
        edited = given[:gone] + [Page(given[gone].name, b"e" * 32, given[gone].date)] + given[gone + 1:]
        after = plan(edited, 32)
        assert [s.folder for s in after] == [s.folder for s in before]
        assert sum(a.digest() != b.digest() for a, b in zip(after, before)) == 1


def test_a_pages_words_are_its_body_lower_case_without_the_ignored_parts():
    page = ("<!DOCTYPE html><html><head><title>Not this</title></head><body><nav>Nor this</nav>"
            "<main data-pagefind-body=''><h1>The Cuban “Crisis”,</h1><p>U.S. <b>bo</b>ld café</p>"
            "<div data-pagefind-ignore=''>skipped</div></main></body></html>")
    words = search_vocabulary.page_words(page.encode("utf-8"))
    assert {"the", "cuban", "crisis", "u.s", "bold", "bo", "ld", "café"} <= words
    assert not {"not", "nor", "this", "skipped", "title"} & words


def test_reading_a_page_without_parsing_finds_the_words_parsing_finds(tmp_path):
    """The quick reading (cmctei's own pages) against lxml's parse, on the seeds' pages and a FRUS
    volume's; a page the quick reading cannot trust (an ignored part, a comment) is parsed."""
    out = tmp_path / "out"
    Publisher(out, search=False).run([*documents(ROOT / "tei"), FIXTURES / "foreign" / "volume.xml"])
    pages = [p.read_bytes() for p in sorted((out / "html").glob("*.html"))]
    bodies = [p for p in pages if b"data-pagefind-body" in p]
    assert len(bodies) >= 6
    for page in bodies:
        assert search_vocabulary._body_texts(page) is not None
        assert search_vocabulary.page_words(page) == search_vocabulary._parsed_words(page)
    tricky = (b"<html><body><main data-pagefind-body=''><p>One &amp; <i>tw</i>o</p><!-- not words -->"
              b"<div data-pagefind-ignore=''>skipped</div></main></body></html>")
    assert search_vocabulary._body_texts(tricky) is None
    assert search_vocabulary.page_words(tricky) == {"one", "tw", "o", "two"}


# ------------------------------------------------------------------ publishing the seeds in shards

needs_pagefind = pytest.mark.skipif(search.executable() is None,
                                    reason="Pagefind is not installed (make setup installs it)")


def publish(masters: Path, out: Path) -> Path:
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    assert not [p for p in report.problems if p.severity in ("error", "warning")], report.problems
    return out / "html"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shard_ids(html: Path) -> dict[str, int]:
    """Each shard folder and the inode it has: a shard indexed again is a new folder."""
    return {p.name: p.stat().st_ino for p in html.iterdir() if p.name.startswith("pagefind")}


@pytest.fixture
def masters(tmp_path) -> Path:
    folder = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", folder)
    return folder


@needs_pagefind
def test_the_seeds_cut_one_shard_per_page_are_listed_for_the_search_page_in_date_order(masters, tmp_path):
    html = publish(masters, tmp_path / "out")
    listed = json.loads((html / search.SHARD_LIST).read_text(encoding="utf-8"))
    document_pages = [p for p in html.glob("*.html") if b"data-pagefind-body" in p.read_bytes()]
    assert len(document_pages) == 5 and len(listed) == 5  # one shard a page
    assert sorted(shard_ids(html)) == sorted(["pagefind", *(name.rstrip("/") for name in listed)])
    words = json.loads((html / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert words["languages"]["en"]["page_count"] == 5  # the words' index: a page for each shard
    assert (html / "pagefind" / "pagefind.js").is_file()
    # in date order: the first shard holds the earliest page (the telegram, October 27, 1962)
    first = json.loads((html / listed[0] / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert first["languages"]["en"]["page_count"] == 1
    for name in listed:
        assert not (html / name / "pagefind.js").exists() and (html / name / "pagefind-entry.json").is_file()


@needs_pagefind
def test_an_edit_reindexes_its_shard_alone_and_gives_the_site_a_clean_publish_gives(masters, tmp_path):
    html = publish(masters, tmp_path / "out")
    before = shard_ids(html)
    memo = masters / "rfk-memo-to-rusk.xml"
    text = memo.read_text(encoding="utf-8")
    edited = text.replace(" the ", " the the ", 1)  # no word the collection lacks
    assert edited != text
    memo.write_text(edited, encoding="utf-8")
    publish(masters, tmp_path / "out")
    after = shard_ids(html)
    assert before.keys() == after.keys()
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1, changed
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))

    memo.write_text(edited.replace(" the the ", " the Xylograph ", 1), encoding="utf-8")  # a new word
    publish(masters, tmp_path / "out")
    again = shard_ids(html)
    assert sorted(name for name in after if again[name] != after[name]) == sorted([changed[0], "pagefind"])
    shutil.rmtree(tmp_path / "clean")
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))


@needs_pagefind
def test_no_search_leaves_no_shard_no_list_and_no_words_behind(masters, tmp_path, run_cli):
    out = tmp_path / "out"
    html = publish(masters, out)
    assert (out / search.WORDS).is_dir() and len(shard_ids(html)) > 1
    code, _, err = run_cli("publish", "--no-search", "--out", out, masters)
    assert code == 0, err
    assert shard_ids(html) == {} and not (html / search.SHARD_LIST).exists() and not (out / search.WORDS).exists()


@pytest.mark.parametrize("value,said", [("0", "must be 1 or more"), ("-3", "must be 1 or more"), ("many", "not a number")])
def test_a_bad_shard_size_is_refused_before_anything_is_done(tmp_path, value, said):
    import subprocess
    import sys

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "cmctei", "publish", "--search-shard-pages", value, "--out", str(out),
                           str(ROOT / "tei")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not out.exists()


def refuse_pagefind(monkeypatch, refuses) -> list[str]:
    """Pagefind made to fail ("no space left on device") for each folder ``refuses(folder,
    one_thread, refused so far)`` says; the folders refused, in order."""
    real = search._index_folder
    refused: list[str] = []

    def flaky(publisher, binary, folder, fill, one_thread=False):
        if refuses(folder, one_thread, refused):
            refused.append(folder)
            return "no space left on device"
        return real(publisher, binary, folder, fill, one_thread)

    monkeypatch.setattr(search, "_index_folder", flaky)
    return refused


@needs_pagefind
def test_a_shard_pagefind_cannot_make_is_a_warning_and_left_out_of_the_list(masters, tmp_path, monkeypatch):
    """The other shards are still listed for the search page (one missing index would stop it
    from merging any), the run says what failed, and the next run tries that shard again."""
    failed = refuse_pagefind(monkeypatch, lambda folder, one_thread, refused: (
        folder != search_shards.PRIMARY and refused[:1] in ([], [folder])))  # (early, then again after the pages)
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    said = [p for p in report.problems if p.rule == "search-not-built"]
    assert len(said) == 1 and "no space left on device" in said[0].message
    listed = json.loads((out / "html" / search.SHARD_LIST).read_text(encoding="utf-8"))
    assert len(listed) == 4 and failed[0] + "/" not in listed
    monkeypatch.undo()
    html = publish(masters, out)  # the next run makes it, and lists it
    assert failed[0] + "/" in json.loads((html / search.SHARD_LIST).read_text(encoding="utf-8"))


@needs_pagefind
def test_only_the_edited_shards_words_are_read_unless_the_words_index_is_made_again(masters, tmp_path, monkeypatch):
    """The record keeps the digest of each shard's words: an edit reads the words of its own
    shard's pages; a new word makes the words' index again, which needs every shard's words,
    taken from one file a shard (``build/.cache/search-words/shards``), page by page only for a
    shard whose file is gone or not what cmctei writes; a record that is not what cmctei
    writes is not trusted, and the site is still a clean publish's."""
    out = tmp_path / "out"
    html = publish(masters, out)
    read: list[bytes] = []
    real = search_vocabulary.cached
    monkeypatch.setattr(search_vocabulary, "cached", lambda digest, cache: read.append(digest) or real(digest, cache))
    shard_reads: list[str] = []
    real_shard = search_vocabulary.cached_shard

    def cached_shard(key, cache):
        found = real_shard(key, cache)
        shard_reads.append(key) if found is not None else None
        return found

    monkeypatch.setattr(search_vocabulary, "cached_shard", cached_shard)
    memo = masters / "rfk-memo-to-rusk.xml"
    text = memo.read_text(encoding="utf-8")
    memo.write_text(text.replace(" the ", " the the ", 1), encoding="utf-8")
    publish(masters, out)
    assert len(read) == 1 and not shard_reads  # one shard a page: the edited page's words alone
    read.clear()
    memo.write_text(text.replace(" the ", " the Xylograph ", 1), encoding="utf-8")
    publish(masters, out)
    # the edited page's, then every other shard's for the words' index, one file each
    assert len(read) == 1 and len(shard_reads) == 4
    stamp = out / search.STAMP
    recorded = json.loads(stamp.read_text(encoding="utf-8"))
    assert len(recorded["words"]) == 5
    recorded["words"] = {key: "../../etc/passwd" for key in recorded["words"]}  # not digests: not trusted
    stamp.write_text(json.dumps(recorded), encoding="utf-8")
    shards = sorted((out / search.WORDS / search_vocabulary.SHARDS).glob("*.txt"))
    assert len(shards) == 5
    # (two shards the next edit leaves as they are: not the memo's, whose words have its new word)
    shards = [p for p in shards if "xylograph" not in p.read_text(encoding="utf-8").split("\n")]
    assert len(shards) == 4
    shards[0].unlink()  # gone, a named pipe in its place: that shard's page is read (not waited on)
    os.mkfifo(shards[0])
    shards[1].write_text("zebra\napple\n", encoding="utf-8")  # not sorted: not cmctei's, read again
    read.clear()
    shard_reads.clear()
    memo.write_text(text.replace(" the ", " the Xylographs ", 1), encoding="utf-8")
    publish(masters, out)
    # the record untrusted: every shard's words read; from pages for the memo's shard and the two
    # whose file is gone or not cmctei's, from their files for the other two
    assert len(read) == 3 and len(shard_reads) == 2
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))
    # the shards the site has now keep a file each (the memo's old one is gone), the forged one
    # made again from its pages
    kept = {p.stem for p in (out / search.WORDS / search_vocabulary.SHARDS).glob("*.txt")}
    assert len(kept) == 5 and shards[0].stem in kept
    again = shards[1].read_text(encoding="utf-8").split("\n")
    assert "zebra" not in again and again == sorted(again) and len(again) > 50


@needs_pagefind
def test_the_search_index_is_made_while_the_zip_and_the_corpus_citations_are(masters, tmp_path, monkeypatch):
    """Pagefind reads the finished pages while this process writes ``tei.zip``, the repository
    and ``all.json``: the index waits here until the corpus citations are written, which,
    made one after the other, would never happen first. The run then says the search's time
    as a stage of its own, and what the search found wrong reaches the report."""
    import threading

    from cmctei import render, site as site_module

    written = threading.Event()
    real_index, real_citations = search.index, render.write_corpus_citations
    waited = []

    def index(publisher):
        waited.append(written.wait(timeout=60))
        return real_index(publisher)

    def citations(folders, found, record=None):
        real_citations(folders, found, record)
        written.set()

    monkeypatch.setattr(search, "index", index)
    monkeypatch.setattr("cmctei.publish.write_corpus_citations", citations)
    out = tmp_path / "out"
    report = Publisher(out, search_shard_pages=1).run(documents(masters))
    assert waited == [True] and "search" in report.stages
    assert tree(out / "html") == tree(publish(masters, tmp_path / "clean"))

    monkeypatch.setattr(search, "index", lambda publisher: [site_module.Diagnostic(
        str(publisher.out), 0, 0, "warning", "search-not-built", "the search index was not made: test")])
    report = Publisher(tmp_path / "again").run(documents(masters))
    assert [p.rule for p in report.problems] == ["search-not-built"]


@needs_pagefind
def test_the_search_index_is_made_while_the_site_s_own_pages_are(masters, tmp_path, monkeypatch):
    """Pagefind starts as soon as the document pages are made, not after the site's own pages
    (the index, facet, person and search pages, and the previous/next links they put into the
    document pages): here the site's pages wait until the index has started, and the index
    until the site's pages are written, which, made one after the other in either order,
    would never happen. The links are left out of what Pagefind is given, so the site, index
    included, is a clean publish's, after an edit too."""
    import threading

    started, made = threading.Event(), threading.Event()
    real_index, real_site = search.index, Publisher._site
    waited: list[tuple[str, bool]] = []

    def index(publisher):
        started.set()
        waited.append(("index waited for the site's pages", made.wait(timeout=30)))
        return real_index(publisher)

    def site(self, corpus):
        waited.append(("the site's pages waited for the index", started.wait(timeout=30)))
        found = real_site(self, corpus)
        made.set()
        return found

    monkeypatch.setattr(search, "index", index)
    monkeypatch.setattr(Publisher, "_site", site)
    out = tmp_path / "out"
    Publisher(out, search_shard_pages=1).run(documents(masters))
    memo = masters / "rfk-memo-to-rusk.xml"
    memo.write_text(memo.read_text(encoding="utf-8").replace(" the ", " the Xylograph ", 1), encoding="utf-8")
    started.clear()
    made.clear()
    Publisher(out, search_shard_pages=1).run(documents(masters))
    assert all(ok for _, ok in waited) and len(waited) == 4, waited
    monkeypatch.undo()
    assert tree(out / "html") == tree(publish(masters, tmp_path / "clean"))


@needs_pagefind
def test_an_edit_that_brings_a_word_reads_every_shard_s_words_while_its_shard_is_indexed(masters, tmp_path,
                                                                                          monkeypatch):
    """The words' index needs the words of every shard; they are read while Pagefind indexes
    the edited shard, not after it: here the shard's indexing waits until they are read, which,
    done one after the other, would never happen first. The site is a clean publish's."""
    import threading

    out = tmp_path / "out"
    publish(masters, out)
    read = threading.Event()
    real_index_folder, real_shard_words = search._index_folder, search._shard_words
    waited = []

    def index_folder(publisher, binary, folder, fill, one_thread=False):
        if folder != search_shards.PRIMARY:
            waited.append(read.wait(timeout=30))
        return real_index_folder(publisher, binary, folder, fill, one_thread)

    def shard_words(publisher, html, shards):
        found = real_shard_words(publisher, html, shards)
        if len(shards) > 1:  # (every shard but the edited one, whose words were read first)
            read.set()
        return found

    monkeypatch.setattr(search, "_index_folder", index_folder)
    monkeypatch.setattr(search, "_shard_words", shard_words)
    memo = masters / "rfk-memo-to-rusk.xml"
    memo.write_text(memo.read_text(encoding="utf-8").replace(" the ", " the Xylograph ", 1), encoding="utf-8")
    html = publish(masters, out)
    assert waited == [True]
    monkeypatch.undo()
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))


@needs_pagefind
def test_the_shards_are_indexed_while_the_words_are_read(masters, tmp_path, monkeypatch):
    """A collection published from scratch reads every page's words for the words' index (2 to
    3 s of Python at 1,000 documents) while Pagefind indexes the shards: reading the words here
    waits until a shard's index is made, which, done one after the other, would never happen
    first. The words' index, which needs both, comes last, and the site is the one a publish
    without the wait gives."""
    import threading

    indexed = threading.Event()
    real_index_folder, real_shard_words = search._index_folder, search._shard_words
    waited, order = [], []

    def index_folder(publisher, binary, folder, fill, one_thread=False):
        said = real_index_folder(publisher, binary, folder, fill, one_thread)
        order.append(folder)
        indexed.set()
        return said

    def shard_words(publisher, html, shards):
        waited.append(indexed.wait(timeout=60))
        return real_shard_words(publisher, html, shards)

    monkeypatch.setattr(search, "_index_folder", index_folder)
    monkeypatch.setattr(search, "_shard_words", shard_words)
    # (every shard made after the pages, not while they are: test_search_early.py)
    monkeypatch.setattr(search_early.EarlyShards, "plan", classmethod(lambda cls, publisher, dates: None))
    html = publish(masters, tmp_path / "out")
    assert waited and all(waited)
    assert order[-1] == search_shards.PRIMARY and len(order) == len(shard_ids(html)) >= 3
    monkeypatch.undo()
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))
