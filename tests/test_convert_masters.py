"""Masters are precious: no run overwrites a hand edit or leaves half a file."""

from __future__ import annotations

import os

import pytest

from convert_helpers import project, seed_text
from cmctei.convert import masters

CATALOG = '[documents.memo]\nsource = "memo.txt"\noverrides = { date = "1962-10-30" }\n'


@pytest.fixture()
def memo(tmp_path):
    return project(tmp_path, {"memo.txt": seed_text("rfk-memo-to-rusk")}, CATALOG)


def convert(run_cli, catalog, tei, *extra):
    return run_cli("convert", "--catalog", catalog, "--tei-dir", tei, *extra)


def test_first_conversion_is_sealed_and_pristine(memo, run_cli):
    catalog, tei = memo
    code, out, err = convert(run_cli, catalog, tei)
    assert code == 0, err
    assert "tei/memo.xml: written (memorandum)" in out
    assert masters.state(tei / "memo.xml") is masters.State.PRISTINE


def test_twice_in_a_row_changes_nothing(memo, run_cli):
    catalog, tei = memo
    convert(run_cli, catalog, tei)
    first = (tei / "memo.xml").read_bytes()
    mtime = os.stat(tei / "memo.xml").st_mtime_ns
    for extra in ((), ("--changed",)):
        code, out, _ = convert(run_cli, catalog, tei, *extra)
        assert code == 0 and "1 unchanged" in out
    assert (tei / "memo.xml").read_bytes() == first
    assert os.stat(tei / "memo.xml").st_mtime_ns == mtime  # not even rewritten


def test_hand_edit_is_never_overwritten(memo, run_cli):
    catalog, tei = memo
    convert(run_cli, catalog, tei)
    master = tei / "memo.xml"
    edited = master.read_text(encoding="utf-8").replace("We met in my office.", "We met in my office (edited).")
    master.write_text(edited, encoding="utf-8")
    assert masters.state(master) is masters.State.EDITED

    # make convert: the source has not changed, so the edit is simply kept
    code, out, err = convert(run_cli, catalog, tei, "--changed")
    assert code == 0 and "kept (edited by hand" in out
    assert master.read_text(encoding="utf-8") == edited and not (tei / "memo.xml.new").exists()

    # an explicit conversion refuses, writes .new beside it, exits 1
    code, out, err = convert(run_cli, catalog, tei)
    assert code == 1
    assert "edited by hand since it was generated; not overwritten" in err and "memo.xml.new" in err
    assert master.read_text(encoding="utf-8") == edited
    assert masters.state(tei / "memo.xml.new") is masters.State.PRISTINE

    # the source changes: still refused
    (catalog.parent / "memo.txt").write_text(seed_text("rfk-memo-to-rusk") + "\nA new paragraph.\n", encoding="utf-8")
    code, _, _ = convert(run_cli, catalog, tei, "--changed")
    assert code == 1 and master.read_text(encoding="utf-8") == edited
    assert "A new paragraph." in (tei / "memo.xml.new").read_text(encoding="utf-8")

    # --force replaces it and clears the stale .new
    code, out, _ = convert(run_cli, catalog, tei, "--force")
    assert code == 0 and "replaced a hand-edited master" in out
    assert "(edited)" not in master.read_text(encoding="utf-8")
    assert not (tei / "memo.xml.new").exists()


def test_foreign_file_without_checksum_counts_as_edited(memo, run_cli):
    catalog, tei = memo
    (tei / "memo.xml").write_text("<TEI>typed by hand</TEI>", encoding="utf-8")
    code, _, err = convert(run_cli, catalog, tei)
    assert code == 1 and (tei / "memo.xml").read_text(encoding="utf-8") == "<TEI>typed by hand</TEI>"


def test_changed_source_regenerates_a_pristine_master(memo, run_cli):
    catalog, tei = memo
    convert(run_cli, catalog, tei)
    (catalog.parent / "memo.txt").write_text(seed_text("rfk-memo-to-rusk") + "\nAnother paragraph.\n", encoding="utf-8")
    code, out, _ = convert(run_cli, catalog, tei, "--changed")
    assert code == 0 and "written" in out
    assert "Another paragraph." in (tei / "memo.xml").read_text(encoding="utf-8")


def test_catalog_change_regenerates(memo, run_cli):
    catalog, tei = memo
    convert(run_cli, catalog, tei)
    catalog.write_text(CATALOG.replace("1962-10-30", "1962-10-31"), encoding="utf-8")
    code, out, _ = convert(run_cli, catalog, tei, "--changed")
    assert code == 0 and "written" in out
    assert 'when="1962-10-31"' in (tei / "memo.xml").read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "doc.xml"
    target.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        masters.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.xml"]


def test_a_string_is_written_as_utf8_a_slice_at_a_time(tmp_path, monkeypatch):
    """Transform outputs are written from the string without one whole encoded copy; slices
    are cut between characters, so none is split, astral characters included."""
    from cmctei import atomic

    monkeypatch.setattr(atomic, "_CHUNK", 3)
    text = "a\U0001F600é—b\n" * 7
    target = tmp_path / "out.txt"
    masters.write_atomic(target, text, durable=False)
    assert target.read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_seal_detects_any_change(tmp_path):
    sealed = masters.seal(b'<x><idno type="generated-sha256">' + b"0" * 64 + b"</idno>text</x>")
    assert b"0" * 64 not in sealed
    assert masters.seal(sealed) == sealed  # sealing is idempotent
    path = tmp_path / "x.xml"
    path.write_bytes(sealed)
    assert masters.state(path) is masters.State.PRISTINE
    for edited in (sealed.replace(b"text", b"texT"), sealed.replace(b"text", b"text "), sealed + b"\n"):
        path.write_bytes(edited)
        assert masters.state(path) is masters.State.EDITED
    path.unlink()
    assert masters.state(path) is masters.State.MISSING
