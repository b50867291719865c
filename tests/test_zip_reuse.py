"""tei.zip made again after an edit reuses the compressed data of the members that did not
change (issue 18, cmctei/teizip.py), and is still the zip a build from scratch gives, byte
for byte: the zip Python's zipfile writes through its public API (``writestr``) from the
same files, read by zipfile and by Info-ZIP. The old zip and its stamp in build/ are
untrusted: cut short, damaged, crafted or beside a forged stamp, they never crash the run
and are never copied where a check fails."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, need_program
from cmctei import teizip

# The seeds' masters, the register and the schemas (as publish leaves them in build/html),
# and one master under a name that is not ASCII (zip's UTF-8 flag, on the reuse path too).
ACCENTED = "rfk-memo-à-rusk.xml"
MASTERS = sorted(p.name for p in (ROOT / "tei").glob("*.xml")) + [ACCENTED]
SCHEMAS = sorted(p.name for p in (ROOT / "schemas").iterdir())


def collection(folder: Path) -> Path:
    html = folder / "build" / "html"
    shutil.copytree(ROOT / "tei", html / "tei")
    shutil.copy(ROOT / "tei" / "rfk-memo-to-rusk.xml", html / "tei" / ACCENTED)
    shutil.copytree(ROOT / "schemas", html / "schemas")
    return html


def make_zip(html: Path) -> int:
    return teizip.write_zip(html, html.parent / teizip.ZIP_STAMP)


def members(html: Path) -> dict[str, bytes]:
    files = [*(html / "tei").glob("*.xml"), *(html / "schemas").iterdir()]
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in files if p.is_file()}


def zipfile_writes(files: dict[str, bytes]) -> bytes:
    """The zip of ``files`` as zipfile's public API writes it with tei.zip's settings (names
    sorted, 1980-01-01, rw-r--r-- on Unix, DEFLATE level 9): the bytes a build from scratch
    must give, made without cmctei."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def from_scratch(html: Path, folder: Path) -> bytes:
    """tei.zip made by cmctei from the same files with no old zip or stamp."""
    fresh = folder / "scratch" / "build" / "html"
    shutil.copytree(html, fresh, ignore=shutil.ignore_patterns(teizip.ZIP_NAME, ".*"))
    assert make_zip(fresh) == len(members(html))
    return (fresh / teizip.ZIP_NAME).read_bytes()


def edit_a_master(html: Path, name: str = "rfk-memo-to-rusk.xml") -> None:
    path = html / "tei" / name
    path.write_bytes(path.read_bytes().replace(b"Rusk", b"RUSK", 1))


def read_by_zipfile(data: bytes, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(files)
        assert {name: archive.read(name) for name in archive.namelist()} == files


def read_by_info_zip(path: Path, files: dict[str, bytes], out: Path) -> None:
    unzip = need_program("unzip", why="Info-ZIP unzip (Debian package unzip, `make setup-system`) reads tei.zip "
                                      "as a reader that is not Python's")
    tested = subprocess.run([unzip, "-t", str(path)], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout + tested.stderr
    subprocess.run([unzip, "-q", str(path), "-d", str(out)], check=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == files


# ------------------------------------------------------------------ the same bytes

def change(html: Path) -> None:
    edit_a_master(html)


def add(html: Path) -> None:
    shutil.copy(html / "tei" / "excomm-24-1962-11-12.xml", html / "tei" / "excomm-24-copy.xml")


def remove(html: Path) -> None:
    (html / "tei" / "excomm-24-1962-11-12.xml").unlink()


def rename(html: Path) -> None:  # (a new name compresses again; it also moves the members after it)
    (html / "tei" / "dobrynin-telegram-1962-10-27.xml").rename(html / "tei" / "zz-dobrynin-telegram.xml")


def schema(html: Path) -> None:
    path = html / "schemas" / "cmctei.sch"
    path.write_bytes(path.read_bytes().replace(b"</sch:schema>", b"<!-- local rule --></sch:schema>"))


def everything(html: Path) -> None:
    for edit in (change, add, remove, rename, schema):
        edit(html)


@pytest.mark.parametrize("edit, compressed", [(change, 1), (add, 1), (remove, 0), (rename, 1), (schema, 1),
                                              (everything, 4)], ids=lambda v: getattr(v, "__name__", ""))
def test_an_incremental_zip_is_the_bytes_of_one_made_from_scratch(tmp_path, edit, compressed):
    html = collection(tmp_path)
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == zipfile_writes(members(html))
    edit(html)
    assert make_zip(html) == compressed  # only what changed was compressed; the rest was copied
    incremental = (html / teizip.ZIP_NAME).read_bytes()
    assert incremental == from_scratch(html, tmp_path) == zipfile_writes(members(html))
    read_by_zipfile(incremental, members(html))


def test_the_incremental_zip_is_read_by_zipfile_and_by_info_zip(tmp_path):
    html = collection(tmp_path)
    make_zip(html)
    everything(html)
    assert make_zip(html) == 4
    read_by_zipfile((html / teizip.ZIP_NAME).read_bytes(), members(html))
    read_by_info_zip(html / teizip.ZIP_NAME, members(html), tmp_path / "unzipped")


def test_nothing_changed_writes_nothing_and_a_replaced_zip_is_made_again(tmp_path):
    html = collection(tmp_path)
    make_zip(html)
    before = os.stat(html / teizip.ZIP_NAME)
    assert make_zip(html) == 0
    assert os.stat(html / teizip.ZIP_NAME).st_ino == before.st_ino  # not even rewritten
    (html / teizip.ZIP_NAME).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip put in its place
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == zipfile_writes(members(html))


# ------------------------------------------------------------------ what is reused, and when

def same_size_and_crc(data: bytes, edit_at: int, patch_at: int) -> bytes:
    """``data`` with the byte at ``edit_at`` changed, and the four bytes at ``patch_at`` chosen
    so that the size and the CRC-32 stay those of ``data``. CRC-32 is affine in the bits of
    the data, so the four bytes are the solution of 32 linear equations over GF(2)."""
    edited = bytearray(data)
    edited[edit_at] ^= 0x20

    def crc(patch: int) -> int:
        trial = bytearray(edited)
        trial[patch_at:patch_at + 4] = bytes(a ^ b for a, b in zip(trial[patch_at:patch_at + 4],
                                                                   patch.to_bytes(4, "little")))
        return zlib.crc32(trial)

    basis: list[tuple[int, int]] = []  # (columns combined, the patch bits that give it), distinct top bits
    for bit in range(32):
        value, patch = crc(1 << bit) ^ crc(0), 1 << bit
        for top, bits in basis:
            if value ^ top < value:
                value, patch = value ^ top, patch ^ bits
        if value:
            basis = sorted([*basis, (value, patch)], reverse=True)
    wanted, patch = crc(0) ^ zlib.crc32(data), 0
    for top, bits in basis:
        if wanted ^ top < wanted:
            wanted, patch = wanted ^ top, patch ^ bits
    assert wanted == 0
    forged = bytes(edited[:patch_at]) + bytes(a ^ b for a, b in zip(edited[patch_at:patch_at + 4],
                                                                    patch.to_bytes(4, "little"))) + bytes(edited[patch_at + 4:])
    assert len(forged) == len(data) and zlib.crc32(forged) == zlib.crc32(data) and forged != data
    return forged


def test_an_edit_that_keeps_the_size_and_the_crc32_is_still_compressed_again(tmp_path):
    html = collection(tmp_path)
    make_zip(html)
    master = html / "tei" / "rfk-memo-to-rusk.xml"
    old = master.read_bytes()
    master.write_bytes(same_size_and_crc(old, old.index(b"Rusk") + 1, len(old) - 12))
    assert make_zip(html) == 1
    data = (html / teizip.ZIP_NAME).read_bytes()
    assert data == from_scratch(html, tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("tei/rfk-memo-to-rusk.xml") == master.read_bytes() != old


def forge_stamp(html: Path, **changes) -> None:
    """Make the stamp vouch for the tei.zip now in build/html (its size and SHA-256), as a
    hostile or mistaken writer of build/ could; ``changes`` replace other entries."""
    stamp = html.parent / teizip.ZIP_STAMP
    record = json.loads(stamp.read_text(encoding="utf-8"))
    data = (html / teizip.ZIP_NAME).read_bytes()
    record["zip"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    record.update(changes)
    stamp.write_text(json.dumps(record), encoding="utf-8")


def test_a_stamp_that_vouches_for_other_content_cannot_get_it_copied(tmp_path):
    """The old zip holds a master of the same size but other content; the stamp says it holds
    the master as it is now. The CRC-32 of the old entry, not the stamp, decides."""
    html = collection(tmp_path)
    master = html / "tei" / "rfk-memo-to-rusk.xml"
    good = master.read_bytes()
    edit_a_master(html)
    make_zip(html)
    master.write_bytes(good)
    stamp = json.loads((html.parent / teizip.ZIP_STAMP).read_text(encoding="utf-8"))
    forge_stamp(html, files={**stamp["files"], "tei/rfk-memo-to-rusk.xml": hashlib.sha256(good).hexdigest()})
    schema(html)  # (something the stamp does not vouch for, so that the zip is made again)
    assert make_zip(html) == 2
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


def test_another_compressor_reuses_nothing(tmp_path):
    """Data compressed by another zlib (or at another level) would not be the bytes a build
    from scratch gives: the stamp records the compressor, and a different one reuses nothing."""
    html = collection(tmp_path)
    make_zip(html)
    forge_stamp(html, compressor="cpython 3.11 zipfile, zlib 1.2.11, deflate level 6")
    edit_a_master(html)
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


# ------------------------------------------------------------------ an untrusted old zip

def central_directory(data: bytes) -> list[int]:
    """Where each central directory header of a (non-ZIP64) zip starts."""
    end = data.rindex(b"PK\x05\x06")
    size, offset = struct.unpack_from("<II", data, end + 12)
    found, at = [], offset
    while at < offset + size:
        assert data[at:at + 4] == b"PK\x01\x02"
        found.append(at)
        at += 46 + sum(struct.unpack_from("<HHH", data, at + 28))
    return found


def set_field(data: bytes, fmt: str, at: int, value: int) -> bytes:
    changed = bytearray(data)
    struct.pack_into(fmt, changed, at, value)
    return bytes(changed)


def every_entry(data: bytes, field: int, value) -> bytes:
    """``data`` with a 4-byte field of every central directory entry (+20 compressed size,
    +24 size, +42 the local header's offset) set to ``value(data)``."""
    for at in central_directory(data):
        data = set_field(data, "<I", at + field, value(data))
    return data


def last_offset(data: bytes) -> int:
    return struct.unpack_from("<I", data, central_directory(data)[-1] + 42)[0]


def last_entry(data: bytes, field: int, value: int) -> bytes:
    return set_field(data, "<I", central_directory(data)[-1] + field, value)


def past_the_end(data: bytes) -> bytes:
    """The last member's compressed size made longer than the file, in its central directory
    entry and its local header alike (+18), so that they still agree."""
    data = last_entry(data, 20, len(data))
    return set_field(data, "<I", struct.unpack_from("<I", data, central_directory(data)[-1] + 42)[0] + 18, len(data))


def zip64_compressed_size(data: bytes, size: int) -> bytes:
    """The last central directory entry given a ZIP64 extra field saying its compressed size
    is ``size`` (and 0xFFFFFFFF where it was, as ZIP64 wants)."""
    at = central_directory(data)[-1]
    name, extra, _ = struct.unpack_from("<HHH", data, at + 28)
    field = struct.pack("<HHQ", 1, 8, size)
    data = set_field(set_field(data, "<I", at + 20, 0xFFFFFFFF), "<H", at + 30, extra + len(field))
    data = data[:at + 46 + name + extra] + field + data[at + 46 + name + extra:]
    end = data.rindex(b"PK\x05\x06")
    return set_field(data, "<I", end + 12, struct.unpack_from("<I", data, end + 12)[0] + len(field))


# name: (the old zip's bytes -> damaged bytes, whether the stamp is forged to vouch for them,
# how many members are then compressed). The collection has 10 members; one master is edited.
# The last entry is the accented master, which is not edited: where only it is damaged, it
# and the edited master are compressed and the 8 others still copied.
ALL = len(MASTERS) + len(SCHEMAS)
DAMAGE = {
    "cut short": (lambda d: d[: len(d) // 2], False, ALL),
    "cut short, stamp forged": (lambda d: d[: len(d) // 2], True, ALL),
    "a byte of a member's data changed": (lambda d: set_field(d, "<B", 200, d[200] ^ 0xFF), False, ALL),
    "empty, stamp forged": (lambda d: b"", True, ALL),
    "not a zip, stamp forged": (lambda d: b"PK\x03\x04" + bytes(range(256)) * 40, True, ALL),
    "offsets past the end": (lambda d: every_entry(d, 42, lambda _: 0xFFFFFF00), True, ALL),
    "offsets all at the last member's header": (lambda d: every_entry(d, 42, last_offset), True, ALL - 1),
    "zip-bomb sizes": (lambda d: every_entry(every_entry(d, 20, lambda _: 0xFFFFFFFE), 24, lambda _: 0xFFFFFFFE),
                       True, ALL),
    "one member's data past the end": (past_the_end, True, 2),
    "one member's ZIP64 size of a terabyte": (lambda d: zip64_compressed_size(d, 1 << 40), True, 2),
    "one member's CRC-32 wrong": (lambda d: last_entry(d, 16, 0x12345678), True, 2),
    "central directory past the end": (lambda d: set_field(d, "<I", d.rindex(b"PK\x05\x06") + 16, 0x7FFFFF00),
                                       True, ALL),
    # (zipfile reads the central directory by its size, not by the count: each entry still
    # passes its own checks, so all but the edited master are copied, correctly)
    "a thousand entries claimed": (lambda d: set_field(set_field(d, "<H", d.rindex(b"PK\x05\x06") + 8, 1000), "<H",
                                                       d.rindex(b"PK\x05\x06") + 10, 1000), True, 1),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_or_crafted_old_zip_is_never_copied_and_never_crashes_the_run(tmp_path, damage):
    damaged, forged, compressed = DAMAGE[damage]
    html = collection(tmp_path)
    make_zip(html)
    path = html / teizip.ZIP_NAME
    path.write_bytes(damaged(path.read_bytes()))
    if forged:
        forge_stamp(html)
    edit_a_master(html)
    assert make_zip(html) == compressed
    assert path.read_bytes() == from_scratch(html, tmp_path)
    read_by_zipfile(path.read_bytes(), members(html))


STAMPS = {"not JSON": b"{\"zip\": ", "a list": b"[1, 2]", "not UTF-8": b"\xff\xfe{}",
          "wrong types": json.dumps({"zip": "x", "compressor": 9, "files": [1]}).encode(),
          "sizes as text": json.dumps({"zip": {"size": "1", "sha256": 1}, "files": {"tei/x.xml": None}}).encode(),
          "deeply nested": b"[" * 100_000 + b"]" * 100_000}


@pytest.mark.parametrize("stamp", [*STAMPS, "a named pipe"])
def test_a_damaged_stamp_costs_a_rebuild_nothing_else(tmp_path, stamp):
    html = collection(tmp_path)
    make_zip(html)
    path = html.parent / teizip.ZIP_STAMP
    path.unlink()
    if stamp == "a named pipe":
        os.mkfifo(path)  # (read naively, it would wait for ever)
    else:
        path.write_bytes(STAMPS[stamp])
    edit_a_master(html)
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


def test_a_named_pipe_in_place_of_the_old_zip_is_no_zip(tmp_path):
    html = collection(tmp_path)
    make_zip(html)
    (html / teizip.ZIP_NAME).unlink()
    os.mkfifo(html / teizip.ZIP_NAME)
    edit_a_master(html)
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


def test_an_old_zip_cut_short_after_its_check_is_not_copied(tmp_path, monkeypatch):
    """The old zip passed its checks, then lost its end before its data was copied (another
    process, a full disk): the zip is made from scratch instead, in the same run."""
    html = collection(tmp_path)
    make_zip(html)
    checked = teizip._reusable

    def then_cut(old, record, files):
        found = checked(old, record, files)
        os.truncate(html / teizip.ZIP_NAME, 100)
        return found

    monkeypatch.setattr(teizip, "_reusable", then_cut)
    edit_a_master(html)
    assert make_zip(html) == len(MASTERS) + len(SCHEMAS)
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


def test_an_interrupted_run_leaves_the_old_zip_whole(tmp_path, monkeypatch):
    html = collection(tmp_path)
    make_zip(html)
    old = (html / teizip.ZIP_NAME).read_bytes()
    copied = teizip._append_compressed
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        copied(*args)

    monkeypatch.setattr(teizip, "_append_compressed", interrupted)
    edit_a_master(html)
    with pytest.raises(KeyboardInterrupt):
        make_zip(html)
    assert (html / teizip.ZIP_NAME).read_bytes() == old
    assert not list(html.glob(".*tmp*")) and not list(html.parent.glob(".*tmp*"))
    monkeypatch.undo()
    assert make_zip(html) == 1
    assert (html / teizip.ZIP_NAME).read_bytes() == from_scratch(html, tmp_path)


# ------------------------------------------------------------------ ZIP64

def test_zip64_records_are_zipfiles_own_on_both_paths(tmp_path, monkeypatch):
    """More than 65,535 members, offsets past 2 GiB and members near 2 GiB need ZIP64: cannot
    be made in a test, so zipfile's own limits are lowered to 30,000 bytes and 4 members.
    Members over the limit get a ZIP64 local header and are compressed afresh; the others
    are reused, and the ZIP64 central directory and end records are zipfile's."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 30_000)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 4)
    html = collection(tmp_path)
    large = [name for name, data in members(html).items() if len(data) * 1.05 > 30_000]
    assert len(large) >= 2  # the chapter and the tape transcript, at least
    make_zip(html)
    edit_a_master(html)
    assert make_zip(html) == 1 + len(large)
    data = (html / teizip.ZIP_NAME).read_bytes()
    assert data == from_scratch(html, tmp_path) == zipfile_writes(members(html))
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # the ZIP64 end record and its locator
    read_by_zipfile(data, members(html))
    monkeypatch.undo()
    read_by_info_zip(html / teizip.ZIP_NAME, members(html), tmp_path / "unzipped")
