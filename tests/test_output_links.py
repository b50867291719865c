"""A document's plain text and citation files are the same bytes in build/text/, build/cite/
and the site's own html/text/, html/cite/: written once, hard-linked under the other names
(output_paths.write_outputs_alike, issue 18). The site and the folders are what writing each
file gives; where no link can be made, each file is written."""

from __future__ import annotations

import errno
import os
import re
import shutil

from conftest import ROOT
from cmctei import output_paths
from cmctei.publish import Publisher, documents

ALIKE = [("text", "html/text", ".txt"), *(("cite", "html/cite", ext) for ext in (".json", ".txt", ".html", ".bib", ".ris"))]


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def publish(out, tmp_path):
    masters = tmp_path / "tei"
    if not masters.exists():
        shutil.copytree(ROOT / "tei", masters)
    report = Publisher(out, search=False).run(documents(masters))
    assert not report.problems, report.problems
    return [p.stem for p in documents(masters)]


def test_the_same_bytes_are_one_file_under_two_names(tmp_path):
    docids = publish(tmp_path / "out", tmp_path)
    out = tmp_path / "out"
    for docid in docids:
        for one, other, ext in ALIKE:
            a, b = out / one / f"{docid}{ext}", out / other / f"{docid}{ext}"
            assert a.read_bytes() == b.read_bytes() and a.stat().st_ino == b.stat().st_ino, (a, b)
    assert not [p for p in out.rglob("*") if "cmctei-tmp" in p.name]  # no temporary left


def test_without_links_each_file_is_written_and_the_outputs_are_the_same(tmp_path, monkeypatch):
    publish(tmp_path / "linked", tmp_path)

    def no_link(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(output_paths.os, "link", no_link)
    docids = publish(tmp_path / "written", tmp_path)
    written = tmp_path / "written"
    for docid in docids:
        for one, other, ext in ALIKE:
            assert (written / one / f"{docid}{ext}").stat().st_ino != (written / other / f"{docid}{ext}").stat().st_ino
    assert tree(written) == tree(tmp_path / "linked")
    assert not [p for p in written.rglob("*") if "cmctei-tmp" in p.name]


def test_a_document_published_again_gets_both_names_renewed(tmp_path):
    """An edit republishes the document: both names hold the new bytes (a link made before is
    replaced, never written through)."""
    out = tmp_path / "out"
    publish(out, tmp_path)
    old = (out / "text" / "rfk-memo-to-rusk.txt").read_bytes()
    kept = out / "kept.txt"
    os.link(out / "text" / "rfk-memo-to-rusk.txt", kept)  # another name for the old file
    memo = tmp_path / "tei" / "rfk-memo-to-rusk.xml"
    text = memo.read_text(encoding="utf-8")
    head, body = text.split("<body>", 1)
    memo.write_text(head + "<body>" + re.sub(r"(<p\b[^>]*>)", r"\1Words added. ", body, count=1), encoding="utf-8")
    publish(out, tmp_path)
    new = (out / "text" / "rfk-memo-to-rusk.txt").read_bytes()
    assert new != old and (out / "html" / "text" / "rfk-memo-to-rusk.txt").read_bytes() == new
    assert kept.read_bytes() == old  # (the old file was replaced, not written over)


def test_whatever_has_a_temporary_s_name_is_removed_not_written_through(tmp_path):
    """The temporary file each output is first written to: a link someone put under its name
    (build/ is anyone's to write) is removed, not followed, so the file it points to keeps its
    bytes; a temporary a killed run of the same process id left is replaced; a folder that is
    missing is made (asked only when it is: atomic.opened_for)."""
    from cmctei.atomic import write_atomic

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"not yours")
    out = tmp_path / "out"
    (out / "cite").mkdir(parents=True)
    pid = os.getpid()
    planted = {out / "cite" / f".a.txt.cmctei-tmp-{pid}": "link", out / "cite" / f".b.txt.cmctei-tmp-{pid}": "file",
               out / "html" / "cite" / f".a.txt.cmctei-tmp-{pid}": "link"}
    (out / "html" / "cite").mkdir(parents=True)
    for path, kind in planted.items():
        path.symlink_to(victim) if kind == "link" else path.write_bytes(b"left by a killed run")
    output_paths.write_outputs_alike([out / "cite" / "a.txt", out / "html" / "cite" / "a.txt"], b"a citation")
    write_atomic(out / "cite" / "b.txt", b"another", durable=False)
    write_atomic(out / "new" / "deeper" / "c.txt", b"in a folder made now", durable=False)
    assert victim.read_bytes() == b"not yours"
    assert (out / "cite" / "a.txt").read_bytes() == (out / "html" / "cite" / "a.txt").read_bytes() == b"a citation"
    assert (out / "cite" / "a.txt").stat().st_ino == (out / "html" / "cite" / "a.txt").stat().st_ino
    assert (out / "cite" / "b.txt").read_bytes() == b"another"
    assert (out / "new" / "deeper" / "c.txt").read_bytes() == b"in a folder made now"
    assert not [p for p in out.rglob("*") if "cmctei-tmp" in p.name]
    output_paths.write_outputs_alike([out / "text" / "d.txt", out / "html" / "text" / "d.txt"], b"two new folders")
    assert (out / "html" / "text" / "d.txt").stat().st_ino == (out / "text" / "d.txt").stat().st_ino
