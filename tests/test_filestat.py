"""Digests kept by file status (cmctei/filestat.py): an unchanged file is not read again, any
change of its bytes is seen, a file changed just before it was read is read again next time,
and a record that is not what cmctei writes is ignored. Then the two users: ``tei.zip``'s
members (teizip.py) and the search index's pages (search_shards.read_pages), whose outputs
stay those of a run that reads every file."""

from __future__ import annotations

import json
import os
import shutil
import time
import types
from pathlib import Path

import pytest

from conftest import ROOT
from cmctei import filestat, search_shards, teizip

SHAPE = lambda value: isinstance(value, str)  # noqa: E731  (the unit tests' values: strings)


@pytest.fixture
def settled(monkeypatch):
    """A clock ten seconds ahead: every file on disk is older than the settling time."""
    monkeypatch.setattr(filestat, "time", types.SimpleNamespace(time_ns=lambda: time.time_ns() + 10 ** 10))


def remembered(path, value="v1", recorded=None):
    memo = filestat.Memo(recorded, SHAPE)
    memo.put(path.name, path.stat(), value)
    return memo.record()


def test_a_file_whose_status_is_unchanged_gives_the_recorded_value(tmp_path, settled):
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a>one</a>")
    record = json.loads(json.dumps(remembered(path)))  # (as it is read back from the stamp)
    memo = filestat.Memo(record, SHAPE)
    assert memo.get("a.xml", path.stat()) == "v1"
    assert memo.record() == record and not memo.changed()
    assert filestat.Memo(record, SHAPE).get("b.xml", path.stat()) is None  # (another name)


@pytest.mark.parametrize("how", ["in place, times put back", "renamed over", "appended"])
def test_any_change_of_the_bytes_is_seen(tmp_path, settled, how):
    """Same size and modification time (``touch -r``) after an edit in place: the change time
    still moves. A new file renamed over the old one (how cmctei writes): a new inode."""
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a>one</a>")
    before = path.stat()
    record = remembered(path)
    time.sleep(0.02)  # (past the kernel clock's tick: the change time differs)
    if how == "in place, times put back":
        with path.open("r+b") as handle:
            handle.write(b"<a>two</a>")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    elif how == "renamed over":
        (tmp_path / "new").write_bytes(b"<a>two</a>")
        os.replace(tmp_path / "new", path)
    else:
        with path.open("ab") as handle:
            handle.write(b"\n")
    memo = filestat.Memo(record, SHAPE)
    assert memo.get("a.xml", path.stat()) is None
    assert memo.changed()  # (the entry that no longer holds is dropped)


def test_a_file_changed_just_before_it_was_read_is_not_kept(tmp_path):
    """Within the settling time the status may not tell two writes apart: such a file is read
    again next run (and kept then)."""
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a>one</a>")
    assert remembered(path) == {}
    old = time.time_ns() - 2 * filestat.SETTLE_NS
    os.utime(path, ns=(old, old))  # (the change time is still now)
    assert remembered(path) == {}


@pytest.mark.parametrize("shape", [
    "not a dict", "a list", "an entry that is not a list", "four fields", "a status field not an integer",
    "a status field a boolean", "a value of the wrong shape", "six fields", "a name not a string"])
def test_a_record_not_as_cmctei_writes_it_is_ignored(tmp_path, settled, shape):
    """The stamps are in build/, untrusted: nothing of the wrong shape is taken, nothing fails
    (each record below has the file's true status, so that only its shape decides)."""
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a>one</a>")
    ino, size, mtime, ctime = filestat.status(path.stat())
    record = {"not a dict": "x", "a list": [[ino, size, mtime, ctime, "v1"]],
              "an entry that is not a list": {"a.xml": "v1"}, "four fields": {"a.xml": [ino, size, mtime, ctime]},
              "a status field not an integer": {"a.xml": [ino, str(size), mtime, ctime, "v1"]},
              "a status field a boolean": {"a.xml": [ino, size, mtime, ctime, "v1"]} if size != 1 else {},
              "a value of the wrong shape": {"a.xml": [ino, size, mtime, ctime, 5]},
              "six fields": {"a.xml": [ino, size, mtime, ctime, "v1", 6]},
              "a name not a string": {7: [ino, size, mtime, ctime, "v1"]}}[shape]
    if shape == "a status field a boolean":  # (True == 1: an inode of 1 would match)
        path.write_bytes(b"1")
        ino, size, mtime, ctime = filestat.status(path.stat())
        record = {"a.xml": [ino, True, mtime, ctime, "v1"]}
    memo = filestat.Memo(record, SHAPE)
    assert memo.get("a.xml", path.stat()) is None
    assert memo.get("7", path.stat()) is None


# ------------------------------------------------------------------ tei.zip


def zip_collection(folder):
    html = folder / "build" / "html"
    shutil.copytree(ROOT / "tei", html / "tei")
    shutil.copytree(ROOT / "schemas", html / "schemas")
    return html


def count_reads(monkeypatch, module, name):
    read = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: read.append(args) or real(*args))
    return read


def test_the_zip_reads_only_the_members_that_changed(tmp_path, settled, monkeypatch):
    html = zip_collection(tmp_path)
    stamp = html.parent / teizip.ZIP_STAMP
    everything = len(list((html / "tei").glob("*.xml"))) + len(list((html / "schemas").iterdir()))
    read = count_reads(monkeypatch, teizip, "_fingerprint_of")
    teizip.write_zip(html, stamp)
    assert len(read) == everything
    read.clear()
    assert teizip.write_zip(html, stamp) == 0 and read == []  # nothing changed, nothing read
    master = html / "tei" / "rfk-memo-to-rusk.xml"
    before = master.stat()
    time.sleep(0.02)
    with master.open("r+b") as handle:  # an edit in place that keeps the size and the times
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace(b"Rusk", b"RUSK", 1))
    os.utime(master, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert teizip.write_zip(html, stamp) == 1 and len(read) == 1
    fresh = tmp_path / "fresh" / "html"
    shutil.copytree(html, fresh, ignore=shutil.ignore_patterns(teizip.ZIP_NAME))
    teizip.write_zip(fresh, tmp_path / "fresh" / "stamp.json")
    assert (html / teizip.ZIP_NAME).read_bytes() == (fresh / teizip.ZIP_NAME).read_bytes()


def test_the_zip_trusts_no_status_record_of_the_wrong_shape(tmp_path, settled, monkeypatch):
    """Fingerprints that are not a SHA-256, a CRC-32 and a size are not taken."""
    html = zip_collection(tmp_path)
    stamp, seen = html.parent / teizip.ZIP_STAMP, html.parent / ".cache" / teizip.SEEN_NAME
    teizip.write_zip(html, stamp)
    digest = json.loads(stamp.read_text(encoding="utf-8"))["files"]["tei/rfk-memo-to-rusk.xml"]
    record = json.loads(seen.read_text(encoding="utf-8"))
    name = os.path.abspath(html / "tei" / "rfk-memo-to-rusk.xml")
    for bad in (["../../etc/passwd", 1, 2], [digest, -1, 2], [digest, 1 << 32, 2], [digest, 1, "2"]):
        record[name] = [*record[name][:4], bad]
        seen.write_text(json.dumps(record), encoding="utf-8")
        read = count_reads(monkeypatch, teizip, "_fingerprint_of")
        teizip.write_zip(html, stamp)
        assert len(read) == 1, bad


# ------------------------------------------------------------------ the search index's pages


def pages_folder(folder, count=4):
    folder.mkdir()
    for i in range(count):
        (folder / f"d{i}.html").write_bytes(
            f'<main data-pagefind-body><span data-pagefind-sort="date:1962-10-{10 + i}"></span>{i}</main>'.encode())
    (folder / "index.html").write_bytes(b"<main>the site's own page</main>")
    return folder


def test_the_search_index_reads_only_the_pages_that_changed(tmp_path, settled, monkeypatch):
    html = pages_folder(tmp_path / "html")
    read = count_reads(monkeypatch, search_shards, "_page")
    first, memo = search_shards.read_pages(html, None)
    assert len(read) == 5 and [p.name for p in first] == ["d0.html", "d1.html", "d2.html", "d3.html"]
    record = json.loads(json.dumps(memo.record()))
    read.clear()
    again, memo = search_shards.read_pages(html, record)
    assert again == first and read == []  # the index page too: known as no document page
    time.sleep(0.02)
    (html / "d2.html").write_bytes(b'<main data-pagefind-body><span data-pagefind-sort="date:1962-10-30"></span>2</main>')
    (html / "index.html").write_bytes(b"<main data-pagefind-body>now a document page</main>")
    third, _ = search_shards.read_pages(html, memo.record())
    assert sorted(args[0] for args in read) == ["d2.html", "index.html"]
    assert third == [search_shards.read_page(p)[0] for p in sorted(html.glob("*.html"))]
    assert [p.date for p in third] == ["1962-10-10", "1962-10-11", "1962-10-30", "1962-10-13", None]


@pytest.mark.parametrize("value", [["xyz", None], ["0" * 64], ["0" * 64, 5], "page", ["0" * 63 + "g", None]])
def test_the_search_index_trusts_no_page_record_of_the_wrong_shape(tmp_path, settled, monkeypatch, value):
    html = pages_folder(tmp_path / "html", count=1)
    _, memo = search_shards.read_pages(html, None)
    record = memo.record()
    key = os.path.abspath(html / "d0.html")
    record[key] = [*record[key][:4], value]
    read = count_reads(monkeypatch, search_shards, "_page")
    pages, _ = search_shards.read_pages(html, record)
    assert [args[0] for args in read] == ["d0.html"]
    assert pages == [search_shards.read_page(html / "d0.html")[0]]


def fake_pagefind(folder: Path, says: str) -> Path:
    binary = folder / "pagefind"
    binary.write_text(f"#!/bin/sh\necho '{says}'\n", encoding="utf-8")
    binary.chmod(0o755)
    return binary


def count_version_runs(monkeypatch, search) -> list:
    runs = []
    real = search.subprocess.run

    def run(command, *args, **kwargs):
        runs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(search.subprocess, "run", run)
    return runs


def test_pagefind_is_asked_its_version_again_only_when_the_binary_changed(tmp_path, settled, monkeypatch):
    from cmctei import cache, search

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "build" / ".cache")
    binary = fake_pagefind(tmp_path, "pagefind 1.3.0")
    runs = count_version_runs(monkeypatch, search)
    assert search._version(str(binary)) == "pagefind 1.3.0" and len(runs) == 1
    assert search._version(str(binary)) == "pagefind 1.3.0" and len(runs) == 1  # from the record
    time.sleep(0.02)
    fake_pagefind(tmp_path, "pagefind 1.4.0")  # upgraded: another status
    assert search._version(str(binary)) == "pagefind 1.4.0" and len(runs) == 2
    assert search._version(str(binary)) == "pagefind 1.4.0" and len(runs) == 2


@pytest.mark.parametrize("value", ["pagefind 1.3.0\n; rm -rf /", "x" * 201, "", 13, None, ["pagefind"]])
def test_a_pagefind_version_record_of_the_wrong_shape_is_not_used(tmp_path, settled, monkeypatch, value):
    from cmctei import cache, search

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "build" / ".cache")
    binary = fake_pagefind(tmp_path, "pagefind 1.3.0")
    search._version(str(binary))
    record_path = tmp_path / "build" / ".cache" / search.VERSION_SEEN
    record = json.loads(record_path.read_text(encoding="utf-8"))
    key = os.path.abspath(binary)
    record[key] = [*record[key][:4], value]
    record_path.write_text(json.dumps(record), encoding="utf-8")
    runs = count_version_runs(monkeypatch, search)
    assert search._version(str(binary)) == "pagefind 1.3.0" and len(runs) == 1


# ------------------------------------------------------------------ in a publish


@pytest.mark.skipif(__import__("cmctei.search", fromlist=["x"]).executable() is None,
                    reason="Pagefind is not installed (make setup installs it)")
def test_a_publish_that_trusts_the_status_records_gives_a_clean_publish_s_site(tmp_path, settled, monkeypatch):
    """The seeds published, one master edited, published again with every unchanged page and
    member taken from the records: only the edited document's files are read, and the site
    (the zip and the search index included) is the one a publish from nothing gives. (The
    records in a folder of this test's own: another test's publish, running beside it, would
    write over them in the project's build/.cache.)"""
    from test_search_shards import publish, tree

    from cmctei import cache

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "build" / ".cache")
    masters = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", masters)
    out = tmp_path / "out"
    publish(masters, out)
    pages = count_reads(monkeypatch, search_shards, "_page")
    members = count_reads(monkeypatch, teizip, "_fingerprint_of")
    memo = masters / "rfk-memo-to-rusk.xml"
    memo.write_text(memo.read_text(encoding="utf-8").replace(" the ", " the the ", 1), encoding="utf-8")
    html = publish(masters, out)
    assert {args[0] for args in pages} == {"rfk-memo-to-rusk.html"}  # (by the index, then once its links are in)
    assert len(members) == 1
    assert tree(html) == tree(publish(masters, tmp_path / "clean"))


@pytest.mark.skipif(__import__("cmctei.search", fromlist=["x"]).executable() is None,
                    reason="Pagefind is not installed (make setup installs it)")
def test_after_a_publish_from_scratch_the_next_run_reads_no_page_again(tmp_path, settled, monkeypatch):
    """The search index is made beside the site's own pages, which put the previous/next links
    into the document pages after the index may have read them: the record is made again
    once they are in (search.remember_pages), so the next run, nothing changed, reads no page,
    and after an edit only the edited one."""
    import threading

    from test_search_shards import publish

    from cmctei import cache
    from cmctei.publish import Publisher

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "build" / ".cache")
    listed, real_read, real_site = threading.Event(), search_shards.read_pages, Publisher._site

    def read_pages(folder, recorded):
        found = real_read(folder, recorded)
        listed.set()
        return found

    def site(self, corpus):  # the site's own pages wait until the index has read the pages
        assert listed.wait(timeout=30)
        return real_site(self, corpus)

    monkeypatch.setattr(search_shards, "read_pages", read_pages)
    monkeypatch.setattr(Publisher, "_site", site)
    masters = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", masters)
    out = tmp_path / "out"
    publish(masters, out)
    monkeypatch.setattr(Publisher, "_site", real_site)
    pages = count_reads(monkeypatch, search_shards, "_page")
    publish(masters, out)
    assert pages == []
    memo = masters / "rfk-memo-to-rusk.xml"
    memo.write_text(memo.read_text(encoding="utf-8").replace(" the ", " the the ", 1), encoding="utf-8")
    publish(masters, out)
    assert {args[0] for args in pages} == {"rfk-memo-to-rusk.html"}  # (by the index, then once its links are in)


def test_a_copy_into_the_site_is_written_only_when_its_bytes_differ(tmp_path):
    """The schemas, register and assets copied into build/html on every run keep their file
    (and so their status) when unchanged; changed, or not a regular file, they are written."""
    from cmctei.output_paths import write_output_if_changed

    path = tmp_path / "site.css"
    assert write_output_if_changed(path, b"a{}") and path.read_bytes() == b"a{}"
    inode = path.stat().st_ino
    assert not write_output_if_changed(path, b"a{}") and path.stat().st_ino == inode
    assert write_output_if_changed(path, b"b{}") and path.read_bytes() == b"b{}"
    assert write_output_if_changed(path, b"b{}!") and path.read_bytes() == b"b{}!"
    (tmp_path / "elsewhere.css").write_bytes(b"c{}")
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.css")
    assert write_output_if_changed(path, b"c{}") and not path.is_symlink() and path.read_bytes() == b"c{}"


# ------------------------------------------------------------------ publishing's masters


def test_publishing_reads_only_the_masters_that_changed(tmp_path, settled, monkeypatch):
    """A second publish takes each unchanged master's digest from build/.cache/publish-seen.json;
    a master edited in place with its size and times put back is still republished; a record
    of the wrong shape is ignored."""
    from cmctei import cache, publish_plan, xmlio
    from cmctei.publish import Publisher, documents

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "build" / ".cache")
    masters = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", masters)
    out = tmp_path / "build"
    Publisher(out, search=False).run(documents(masters))
    read: list[str] = []
    real = xmlio.read_bytes
    monkeypatch.setattr(publish_plan.xmlio, "read_bytes", lambda path: (
        Path(path).parent == masters and read.append(path.name)) or real(path))
    report = Publisher(out, search=False).run(documents(masters))
    assert read == [] and len(report.reused) == len(documents(masters))
    memo = masters / "rfk-memo-to-rusk.xml"
    before = memo.stat()
    time.sleep(0.02)
    data = memo.read_bytes()
    with memo.open("r+b") as handle:
        handle.write(data.replace(b"Rusk", b"RUSK", 1))
    os.utime(memo, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = Publisher(out, search=False).run(documents(masters))
    assert "rfk-memo-to-rusk" not in report.reused and read[0] == "rfk-memo-to-rusk.xml"
    assert "RUSK" in (out / "html" / "tei" / "rfk-memo-to-rusk.xml").read_text(encoding="utf-8")
    record_path = tmp_path / "build" / ".cache" / publish_plan.SEEN
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record = {name: [*entry[:4], "../../etc/passwd"] for name, entry in record.items()}
    record_path.write_text(json.dumps(record), encoding="utf-8")
    read.clear()
    report = Publisher(out, search=False).run(documents(masters))
    assert sorted(read) == sorted(p.name for p in documents(masters)) and len(report.reused) == len(read)
