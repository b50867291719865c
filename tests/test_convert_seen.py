"""``convert --changed`` takes what it knows of unchanged masters and sources from
build/.cache/convert-seen.json instead of reading them (cmctei/convert/seen.py, issue 18).
What it decides must be what reading decides: an edit by hand to a master, or a change to a
source, is seen whatever the file's times say; and the record, untrusted, can at worst leave a
document unconverted, never overwrite a hand edit."""

from __future__ import annotations

import json
import os
import time
import types

import pytest

from convert_helpers import project, seed_text
from cmctei import filestat
from cmctei.convert import masters, seen as seen_module

MEMO = seed_text("rfk-memo-to-rusk")
ENTRY = '[documents.{d}]\nsource = "{d}.txt"\noverrides = {{ date = "1962-10-30" }}\n'
EDIT = ("We met in my office.", "We met in my office. [Hand edit.]")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CMCTEI_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    # a clock ten seconds ahead: the files just written count as settled (filestat.py)
    monkeypatch.setattr(filestat, "time", types.SimpleNamespace(time_ns=lambda: time.time_ns() + 10 ** 10))
    return tmp_path


@pytest.fixture
def reads(monkeypatch):
    """The masters and sources convert --changed reads to decide (not the conversions')."""
    found: list[str] = []
    real_master, real_bytes = masters.read_master, seen_module.read_bytes
    monkeypatch.setattr(masters, "read_master", lambda path: found.append(path.name) or real_master(path))
    monkeypatch.setattr(seen_module, "read_bytes", lambda path: (
        path.name != seen_module.NAME and found.append(path.name)) or real_bytes(path))
    return found


def converted(home, run_cli):
    catalog, _ = project(home, {f"{d}.txt": MEMO for d in "abc"}, "".join(ENTRY.format(d=d) for d in "abc"))
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", home / "tei", "--quiet")
    assert code == 0, err
    return catalog


def edit_in_place(path, old: bytes, new: bytes) -> None:
    """Change bytes of ``path`` in place and put its size and modification time back, as a
    careless tool or ``touch -r`` could: only the change time tells."""
    before = path.stat()
    time.sleep(0.02)  # (past the kernel clock's tick)
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    with path.open("r+b") as handle:
        handle.write(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def changed(run_cli, catalog, home):
    code, out, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", home / "tei")
    return code, out + err


def test_files_known_unchanged_are_not_read_again(home, run_cli, reads):
    catalog = converted(home, run_cli)
    reads.clear()
    assert changed(run_cli, catalog, home)[0] == 0 and sorted(reads) == ["a.txt", "a.xml", "b.txt", "b.xml", "c.txt", "c.xml"]
    reads.clear()
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and reads == [] and "3 unchanged" in said


def test_a_hand_edit_that_keeps_size_and_times_is_still_kept(home, run_cli, reads):
    catalog = converted(home, run_cli)
    changed(run_cli, catalog, home)
    master = home / "tei" / "b.xml"
    edit_in_place(master, b"We met in my office.", b"We met in MY office.")
    reads.clear()
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and reads == ["b.xml"]
    assert "tei/b.xml: kept (edited by hand; its source has not changed)" in said
    edited = master.read_bytes()
    edit_in_place(home / "sources" / "b.txt", b"We met in my office.", b"We met in my offICE.")
    code, said = changed(run_cli, catalog, home)
    assert code != 0 and "tei/b.xml: error: edited by hand since it was generated; not overwritten" in said
    assert master.read_bytes() == edited


def test_a_source_changed_in_place_is_converted(home, run_cli, reads):
    catalog = converted(home, run_cli)
    changed(run_cli, catalog, home)
    edit_in_place(home / "sources" / "c.txt", b"We met in my office.", b"We met in my offICE.")
    reads.clear()
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and "tei/c.xml: written" in said
    assert b"offICE" in (home / "tei" / "c.xml").read_bytes()


def test_a_forged_record_cannot_get_a_hand_edit_overwritten(home, run_cli):
    """The record says the hand-edited master is pristine and out of date: convert_one reads
    it, finds the edit, and keeps it (or, its source changed, refuses), as it always did."""
    catalog = converted(home, run_cli)
    changed(run_cli, catalog, home)
    master = home / "tei" / "a.xml"
    master.write_bytes(master.read_bytes().replace(*(s.encode() for s in EDIT), 1))
    edited = master.read_bytes()
    changed(run_cli, catalog, home)  # (recorded as edited)
    record_path = home / "build" / ".cache" / seen_module.NAME
    record = json.loads(record_path.read_text(encoding="utf-8"))
    key = os.path.abspath(home / "tei" / "a.xml")
    assert record["masters"][key][4][0] == "edited"
    record["masters"][key][4] = ["pristine", {"source-sha256": "0" * 64}]
    record_path.write_text(json.dumps(record), encoding="utf-8")
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and "tei/a.xml: kept (edited by hand; its source has not changed)" in said
    assert master.read_bytes() == edited
    source = home / "sources" / "a.txt"  # and with its source changed: a conflict, not an overwrite
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added to the source.\n", encoding="utf-8")
    code, said = changed(run_cli, catalog, home)
    assert code != 0 and "tei/a.xml: error: edited by hand since it was generated; not overwritten" in said
    assert master.read_bytes() == edited


@pytest.mark.parametrize("forged", [
    ["pristine"], ["clean", {}], ["pristine", {"script": "rm -rf /"}], ["pristine", {"source-sha256": 5}],
    ["pristine", []], "pristine"])
def test_a_master_entry_of_the_wrong_shape_is_ignored(home, run_cli, reads, forged):
    catalog = converted(home, run_cli)
    changed(run_cli, catalog, home)
    record_path = home / "build" / ".cache" / seen_module.NAME
    record = json.loads(record_path.read_text(encoding="utf-8"))
    key = os.path.abspath(home / "tei" / "a.xml")
    record["masters"][key][4] = forged
    record["sources"][os.path.abspath(home / "sources" / "a.txt")][4] = "../../etc/passwd"
    record_path.write_text(json.dumps(record), encoding="utf-8")
    reads.clear()
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and sorted(reads) == ["a.txt", "a.xml"] and "3 unchanged" in said


@pytest.mark.parametrize("damaged", [b"{\"sources\": ", b"\xff\xfe", b"[1, 2]", b'{"sources": 5, "masters": "x"}'])
def test_a_damaged_record_is_ignored(home, run_cli, reads, damaged):
    catalog = converted(home, run_cli)
    changed(run_cli, catalog, home)
    (home / "build" / ".cache" / seen_module.NAME).write_bytes(damaged)
    reads.clear()
    code, said = changed(run_cli, catalog, home)
    assert code == 0 and len(reads) == 6 and "3 unchanged" in said
