"""The TEI download, ``build/html/tei.zip``: every published master, the register and the
schemas (``tei/…``, ``schemas/…``), made again only when one of them changed, and then
compressing only the files that changed.

Reproducible bytes: members sorted by name, a fixed date and fixed permissions, DEFLATE at
level 9, all written by :mod:`zipfile`. Compressing 40 MB of TEI again took 0.9 s of the 2 s
an incremental publish of 1,000 documents may take (issue 18), so a member whose bytes did
not change since the last ``tei.zip`` is *reused*: its compressed data is copied from the
old zip. The result is the zip a build from scratch gives, byte for byte:

- :mod:`zipfile` still writes everything but a reused member's data. For that member,
  :func:`_append_compressed` does what ``ZipFile.open(info, "w")`` and its ``close()`` do on a
  seekable file (the local header made by ``ZipInfo.FileHeader``, the member's offset, the
  list the central directory is written from), with the CRC-32 and sizes known beforehand.
  The central directory and end records are written by ``ZipFile.close()`` from the same
  ``ZipInfo`` values either way, ZIP64 records included (more than 65,535 members, offsets
  past zipfile's ``ZIP64_LIMIT`` of 2 GiB). A member large enough for zipfile to give it a
  ZIP64 *local* header (over 2 GiB / 1.05) is never reused: it is compressed afresh, by
  zipfile itself. ``tests/test_zip_reuse.py`` lowers zipfile's limits to check all of this.
- The copied data is what compressing again would give: DEFLATE is deterministic for one
  zlib, level and window, and the stamp records them (:data:`COMPRESSOR`); after an upgrade
  of zlib or Python every member is compressed afresh.

What is trusted. The old zip and its stamp (``build/.cmctei-zip.json``) are untrusted input,
like every record in build/: cut short, damaged, left by another run, or written by anyone.
A member is reused only when

1. the old zip is a regular file whose size and SHA-256 are those the stamp recorded when
   cmctei wrote it, and the stamp's compressor is this one: a damaged, truncated or replaced
   zip is not even parsed;
2. the stamp recorded, for that name, the SHA-256 the file has now: an edit that keeps the
   size and the CRC-32 (easy to make: CRC-32 is linear) is still an edit. (The file's
   SHA-256, CRC-32 and size are themselves kept in ``build/.cache/zip-seen.json`` with the
   file's status, and taken from there while the file keeps it: :mod:`cmctei.filestat`);
3. the old central directory's entry of that name is DEFLATE with the size and CRC-32
   computed on the file now, so the headers of the new zip carry the checksum the old zip's
   own records give those bytes;
4. the local header at the entry's offset is, byte for byte, the one the entry describes
   (so, the one the member gets now), and its data ends inside the old file: no offset or
   size read from the zip is used otherwise, and nothing is ever decompressed (a zip-bomb
   size is just a mismatch).

The data itself is not decompressed and checked: at 1,000 documents that would cost 0.15 s,
as much as all the rest of an incremental ``tei.zip``. (1) already shows it is the data
cmctei wrote; a stamp forged to match a crafted zip defeats any check of cmctei's own
records (the run that changed nothing keeps such a zip as it is), so (2)-(4) are there to
make such a pair harmless to the run: it never crashes, never reads outside the old file,
and whatever fails a check is compressed afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cmctei import filestat
from cmctei.output_paths import write_output

ZIP_NAME = "tei.zip"
ZIP_STAMP = ".cmctei-zip.json"
SEEN_NAME = "zip-seen.json"  # in build/.cache/: the members' fingerprints by file status
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
LEVEL = 9
# What decides the compressed bytes (zipfile: zlib.compressobj(level, DEFLATED, -15)).
COMPRESSOR = (f"{sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]} zipfile, "
              f"zlib {zlib.ZLIB_RUNTIME_VERSION}, deflate level {LEVEL}")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    crc: int
    size: int


class _OldZipChanged(Exception):
    """The old zip could not be read where it was checked: write again without it."""


def zip_members(html: Path) -> dict[str, Path]:
    """Each file of the zip by its name there (``tei/…``, ``schemas/…``), sorted by that name."""
    found = [(f"tei/{path.name}", path) for path in (html / "tei").glob("*.xml")]
    found += [(f"schemas/{path.name}", path) for path in (html / "schemas").glob("*")]
    return dict(sorted(found))


def fingerprint(path: Path) -> Fingerprint:
    """SHA-256, CRC-32 and size of a file, in one pass (a master can be tens of MB: never held whole)."""
    with path.open("rb") as handle:
        return _fingerprint_of(handle)


def _fingerprint_of(handle: BinaryIO) -> Fingerprint:
    digest, crc, size = hashlib.sha256(), 0, 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    return Fingerprint(digest.hexdigest(), crc, size)


def write_zip(html: Path, stamp: Path, seen_path: Path | None = None) -> int:
    """Make ``html/tei.zip`` again if one of its files changed; how many members were
    compressed (the others were copied from the old zip; 0 when nothing changed).
    ``seen_path``: the record of the members' fingerprints by file status (filestat.py;
    ``build/.cache/zip-seen.json`` for publish), by default beside the stamp in ``.cache/``."""
    members = zip_members(html)
    record = _read_stamp(stamp)
    seen_path = seen_path or stamp.parent / ".cache" / SEEN_NAME
    seen: filestat.Memo[list] = filestat.Memo(filestat.read_record(seen_path), _recorded_fingerprint)
    try:
        files = {name: _fingerprint(path, seen) for name, path in members.items()}
    finally:
        if seen.changed():
            filestat.write_record(seen_path, seen.record())
    digests = {name: found.sha256 for name, found in files.items()}
    target = html / ZIP_NAME
    old = _recorded_zip(target, record)
    try:
        if old is not None and record.get("files") == digests:
            return 0
        reuse = _reusable(old, record, files) if old is not None and record.get("compressor") == COMPRESSOR else {}
        try:
            write_output(target, lambda handle: _write(handle, members, files, old, reuse))
        except _OldZipChanged:
            reuse = {}
            write_output(target, lambda handle: _write(handle, members, files, None, reuse))
    finally:
        if old is not None:
            old.close()
    with target.open("rb") as written:  # (read back: zipfile seeks back over what it writes)
        size, digest = os.fstat(written.fileno()).st_size, hashlib.file_digest(written, "sha256").hexdigest()
    data = {"zip": {"size": size, "sha256": digest}, "compressor": COMPRESSOR, "files": digests}
    write_output(stamp, (json.dumps(data) + "\n").encode("utf-8"))
    return len(members) - len(reuse)


def _fingerprint(path: Path, seen: "filestat.Memo[list]") -> Fingerprint:
    """The file's fingerprint, from the record when the file has the status recorded with it
    (filestat.py: hashing the 36 MB of 1,000 masters took 0.2 s of an incremental run)."""
    key = os.path.abspath(path)
    kept = seen.get(key, path.stat())
    if kept is not None:
        return Fingerprint(*kept)
    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        found = _fingerprint_of(handle)
    seen.put(key, before, [found.sha256, found.crc, found.size])
    return found


def _recorded_fingerprint(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 3 and filestat.is_sha256(value[0])
            and type(value[1]) is int and type(value[2]) is int
            and 0 <= value[1] < 1 << 32 and value[2] >= 0)


def _info(name: str, size: int, crc: int = 0, compress_size: int = 0) -> zipfile.ZipInfo:
    """The entry of one member: the same fields whether it is compressed or reused."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = LEVEL  # (what writestr(compresslevel=9) sets; open() reads it)
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever the machine
    info.file_size, info.CRC, info.compress_size = size, crc, compress_size
    return info


def _write(handle: BinaryIO, members: dict[str, Path], files: dict[str, Fingerprint],
           old: BinaryIO | None, reuse: dict[str, tuple[int, int]]) -> None:
    with zipfile.ZipFile(handle, "w") as archive:
        for name, path in members.items():
            if old is not None and name in reuse:  # (reuse is empty without an old zip)
                start, compress_size = reuse[name]
                info = _info(name, files[name].size, files[name].crc, compress_size)
                _append_compressed(archive, info, old, start)
                continue
            info = _info(name, files[name].size)
            with path.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, _CHUNK)  # a megabyte at a time


def _append_compressed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, old: BinaryIO, start: int) -> None:
    """Add a member whose compressed data is ``info.compress_size`` bytes of ``old`` from
    ``start``: what ``archive.open(info, "w")`` then ``close()`` write on a seekable file
    (CPython's ``ZipFile._open_to_write`` and ``_ZipWriteFile.close``), with the header's
    CRC-32 and sizes known beforehand instead of rewritten after the data."""
    archive.fp.seek(archive.start_dir)
    info.header_offset = archive.fp.tell()
    archive.fp.write(info.FileHeader(False))
    left = info.compress_size
    try:
        old.seek(start)
        while left:
            chunk = old.read(min(left, _CHUNK))
            if not chunk:
                raise _OldZipChanged("the old zip is shorter than when it was checked")
            archive.fp.write(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _OldZipChanged(str(exc)) from exc
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


def _read_stamp(stamp: Path) -> dict:
    data = filestat.read_record(stamp)
    return data if isinstance(data, dict) else {}


def _recorded_zip(path: Path, record: dict) -> BinaryIO | None:
    """The old zip, open, if it is a regular file of the size and SHA-256 the stamp recorded
    (opened without blocking: a named pipe or a device under its name is no zip); else None."""
    wanted = record.get("zip")
    if not isinstance(wanted, dict) or not isinstance(wanted.get("size"), int):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    handle = os.fdopen(fd, "rb")
    try:
        status = os.fstat(fd)
        if (stat.S_ISREG(status.st_mode) and status.st_size == wanted["size"]
                and hashlib.file_digest(handle, "sha256").hexdigest() == wanted.get("sha256")):
            return handle
    except OSError:
        pass
    handle.close()
    return None


def _reusable(old: BinaryIO, record: dict, files: dict[str, Fingerprint]) -> dict[str, tuple[int, int]]:
    """The members of the old zip that may be copied: name -> (where the compressed data
    starts, its length). Checks (2)-(4) of the module's docstring; the old zip passed (1)."""
    recorded = record.get("files")
    if not isinstance(recorded, dict):
        return {}
    try:
        length = os.fstat(old.fileno()).st_size
        with zipfile.ZipFile(old) as archive:
            entries = archive.infolist()
    except Exception:  # (whatever zipfile finds wrong in a crafted zip: then nothing is reused)
        return {}
    found: dict[str, tuple[int, int]] = {}
    for entry in entries:
        new = files.get(entry.filename)
        if (new is None or recorded.get(entry.filename) != new.sha256
                or (entry.compress_type, entry.file_size, entry.CRC) != (zipfile.ZIP_DEFLATED, new.size, new.crc)
                or new.size * 1.05 > zipfile.ZIP64_LIMIT  # (zipfile's test for a ZIP64 local header)
                or entry.header_offset < 0 or entry.compress_size > zipfile.ZIP64_LIMIT):
            continue
        header = _info(entry.filename, entry.file_size, entry.CRC, entry.compress_size).FileHeader(False)
        start = entry.header_offset + len(header)
        if start + entry.compress_size > length:
            continue
        try:
            old.seek(entry.header_offset)
            if old.read(len(header)) == header:
                found[entry.filename] = (start, entry.compress_size)
        except OSError:
            return {}
    return found
