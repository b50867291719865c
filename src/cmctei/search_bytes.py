"""Pagefind's index made the same bytes for the same pages.

Pagefind 1.5 writes its word index and page fragments the same way on every run, but not
its filter files and the metadata file that lists them: the values of a filter, and the
filters in the metadata, come out in a different order each run (a hash map's order; upstream
Pagefind/pagefind#638), so the files get other names too. A site published twice from the
same masters would differ in ``pagefind/`` alone. This module puts those lists in a fixed
order (by name) and names the files after their new content, as Pagefind does, so that the
whole of ``build/html`` is reproducible.

The files are gzip'd CBOR after the signature ``pagefind_dcd``: a filter file is
``[name, [[value, [page, …]], …]]``; the metadata is ``[version, pages, chunks, filters,
sorts, …]`` with ``filters`` a list of ``[name, file hash]``. Only these two shapes are
touched; anything else (another Pagefind version's layout) is left exactly as Pagefind
wrote it, and :func:`canonicalise` says so (the caller warns).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

from cmctei.output_paths import write_output

SIGNATURE = b"pagefind_dcd"


class Unexpected(ValueError):
    """Not the layout this module knows."""


# ------------------------------------------------------------------ a minimal CBOR codec
# (definite lengths, integers, strings, arrays and maps: what Pagefind writes)

def _decode(data: bytes, at: int = 0) -> tuple[object, int]:
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise Unexpected(f"CBOR head {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        if len(raw) != value:
            raise Unexpected("truncated string")
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(value):
            key, at = _decode(data, at)
            item, at = _decode(data, at)
            pairs.append((key, item))
        return {"__map__": pairs}, at
    if major == 7 and info < 24 and value in (20, 21, 22):
        return {20: False, 21: True, 22: None}[value], at
    raise Unexpected(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise Unexpected("integer too large")


def _encode(item: object) -> bytes:
    if item is False or item is True or item is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[item]])
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(_encode(i) for i in item)
    if isinstance(item, dict) and "__map__" in item:
        pairs = item["__map__"]
        return _head(5, len(pairs)) + b"".join(_encode(k) + _encode(v) for k, v in pairs)
    raise Unexpected(f"cannot encode {type(item).__name__}")


def read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise Unexpected(f"{path.name} does not start with {SIGNATURE!r}")
    try:
        item, end = _decode(data, len(SIGNATURE))
    except (IndexError, UnicodeDecodeError) as exc:
        raise Unexpected(f"{path.name}: {exc}") from exc
    if end != len(data) or _bytes(item) != data:  # the codec must give back Pagefind's very bytes
        raise Unexpected(f"{path.name}: not read back as written")
    return item


def _bytes(item: object) -> bytes:
    return SIGNATURE + _encode(item)


def _packed(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


# ------------------------------------------------------------------ the two files

def _key(value: object) -> tuple:
    return (str(type(value).__name__), value if isinstance(value, (str, int)) else repr(value))


def canonicalise(folder: Path) -> None:
    """Put Pagefind's filter files and metadata in a fixed order and name them after their
    content. Raises :class:`Unexpected` (leaving every file as it was) when the layout is not
    the one described above."""
    entry_path = folder / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict):
        raise Unexpected("pagefind-entry.json has no languages")
    plans: list[tuple[Path, Path | None, bytes]] = []  # (old file, file to remove, new packed bytes)
    new_entry = json.loads(json.dumps(entry))
    for language, about in sorted(languages.items()):
        meta_path = folder / f"pagefind.{about.get('hash')}.pf_meta"
        meta = read(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)
                and all(isinstance(f, list) and len(f) == 2 and all(isinstance(p, str) for p in f) for f in meta[3])):
            raise Unexpected(f"{meta_path.name}: no list of filters where Pagefind 1.5 puts it")
        filters = []
        for name, old_hash in meta[3]:
            path = folder / "filter" / f"{old_hash}.pf_filter"
            content = read(path)
            if not (isinstance(content, list) and len(content) == 2 and content[0] == name
                    and isinstance(content[1], list) and all(isinstance(v, list) and len(v) == 2 for v in content[1])):
                raise Unexpected(f"{path.name}: not a filter of name and values")
            content = [name, sorted(([v, sorted(p) if isinstance(p, list) else p] for v, p in content[1]),
                                    key=lambda pair: _key(pair[0]))]
            data = _bytes(content)
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:len(old_hash) - len(language) - 1]}"
            filters.append([name, new_hash])
            plans.append((folder / "filter" / f"{new_hash}.pf_filter", path, _packed(data)))
        meta[3] = sorted(filters, key=lambda f: f[0])
        data = _bytes(meta)
        old = str(about.get("hash"))
        new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:len(old) - len(language) - 1]}"
        new_entry["languages"][language]["hash"] = new_hash
        plans.append((folder / f"pagefind.{new_hash}.pf_meta", meta_path, _packed(data)))
    # every file decoded and re-encoded: now write (new names first, then the old ones go)
    for target, _, packed in plans:
        write_output(target, packed)
    write_output(entry_path, json.dumps(new_entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    written = {target for target, _, _ in plans}
    for _, old_path, _ in plans:
        if old_path is not None and old_path not in written:
            old_path.unlink(missing_ok=True)
