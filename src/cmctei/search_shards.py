"""How the search index is cut into shards, so that one edit re-indexes a few dozen pages.

Pagefind has no incremental mode: it indexes every page it is given, at about 10 ms a page
of this collection's size, holding all of them in memory (0.8 MB a page). One index of a
1,000-document collection took 7 s after any edit, and a 10,000-document one would need
about 8 GB (docs/performance.md). So the document pages are cut into shards, each its own
Pagefind index (``pagefind-<id>/``), which the search page merges in the browser (Pagefind's
``mergeIndex``); ``pagefind/`` then holds the index that says which shards have which words
(search_vocabulary.py). A collection of one shard keeps it in ``pagefind/``, as one index. A
shard is indexed again only when one of its pages changed.

The cut must be a function of the pages alone (a clean build and an incremental one give
the same bytes), must leave most shards as they were when a document is added, removed or
edited, and must keep the search page's "browse by date" order right: merged results come
shard after shard, so each shard holds a run of consecutive pages in date order. That is
content-defined chunking, as rsync and backup tools cut files: the pages are put in date
order, and a shard ends after a page whose *name* hashes to a chosen residue (names, not
contents: an edit never moves a boundary), once the shard has its minimum size, or when it
reaches its maximum. Adding or removing a page changes its own shard, and at most the next
one; editing a page changes only its shard.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cmctei import filestat

PRIMARY = "pagefind"  # the index search.js loads, with Pagefind's code: the one shard, or the words'
PREFIX = "pagefind-"  # the shards of a collection cut in several: pagefind-<12 hex digits>
NAME = re.compile(r"pagefind-[0-9a-f]{12}")
SMALLEST_TARGET = 64  # pages a shard holds on average in a collection of up to 4,096 pages
MOST_SHARDS = 64  # beyond that, shards grow (in powers of two) rather than multiply
BODY = b"data-pagefind-body"
SORT = re.compile(rb'data-pagefind-sort="date:([^"]*)"')
# where site.fill_sequence puts a page's previous/next links once every page is made: in its
# header and its footer
SLOTS = ((b"<!--cmctei:sequence-top-->", b"<!--/cmctei:sequence-top-->"),
         (b"<!--cmctei:sequence-bottom-->", b"<!--/cmctei:sequence-bottom-->"))


@dataclass(frozen=True)
class Page:
    """A page Pagefind indexes: its file name, the SHA-256 of its bytes as Pagefind is given them
    (:func:`as_indexed`), its date (sort key)."""

    name: str
    digest: bytes
    date: str | None


@dataclass(frozen=True)
class Shard:
    folder: str
    pages: tuple[Page, ...]

    def digest(self, *more: str) -> str:
        """What the shard's index is made from: its folder, its pages' names and bytes, and
        ``more`` (the Pagefind version, and how the pages are given to it)."""
        h = hashlib.sha256(self.folder.encode("utf-8"))
        for page in self.pages:
            h.update(b"\0" + page.name.encode("utf-8") + b"\0" + page.digest)
        for value in more:
            h.update(b"\1" + value.encode("utf-8"))
        return h.hexdigest()


def as_indexed(data: bytes) -> bytes:
    """A page as Pagefind is given it: without its previous/next links.

    They sit outside the indexed body, so the index is the same with them or without, and a
    shard's record (:meth:`Shard.digest`) is what the index is made from: a document added
    or redated elsewhere changes its neighbours' links, not their shards; and a shard can be
    indexed before the links are put in (search_early.py)."""
    (top, _), (bottom, _) = SLOTS
    # (found from the end they are near: a regular expression over the whole page took 60 ms
    # at 1,000 pages, on every run that looks at which shard changed)
    starts = (data.find(top), data.rfind(bottom))
    spans = []
    for start, (opening, closing) in zip(starts, SLOTS):
        stop = data.find(closing, start) if start >= 0 else -1
        if stop >= 0:
            spans.append((start + len(opening), stop))
    if len(spans) == 2 and spans[0][1] > spans[1][0]:  # (not one after the other: the first alone)
        spans.pop()
    kept, at = [], 0
    for start, stop in spans:
        kept.append(data[at:start])
        at = stop
    return b"".join(kept) + data[at:] if spans else data


def read_page(path: Path) -> tuple[Page, bytes] | None:
    """A document page (one with ``data-pagefind-body``: the index, person and search pages
    have none, and Pagefind would index a shard of only those whole) and its bytes as Pagefind
    is given them (:func:`as_indexed`)."""
    return _page(path.name, path.read_bytes())


def _page(name: str, raw: bytes) -> tuple[Page, bytes] | None:
    data = as_indexed(raw)
    if BODY not in data:
        return None
    found = SORT.search(data)
    date = html.unescape(found.group(1).decode("utf-8", "replace")) if found else None
    return Page(name, hashlib.sha256(data).digest(), date or None), data


def read_pages(folder: Path, recorded: object) -> tuple[list[Page], filestat.Memo]:
    """The document pages of ``folder`` (:func:`read_page`), by name, and the record of what
    each page gave (``build/.cache/search-seen.json``, given back as ``recorded`` next run): a
    page whose file status is the one recorded is not read again (filestat.py: reading the
    1,000 pages of an incremental run took 0.2 s of it)."""
    memo: filestat.Memo[list] = filestat.Memo(recorded, _recorded_page)
    pages: list[Page] = []
    # what ``sorted(folder.glob("*.html"))`` gives, by name (comparing 1,000 Paths took half
    # the time of an incremental run's look at its pages)
    base = os.path.abspath(folder)
    names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".html")
                   and not entry.name.startswith("."))
    for name in names:
        path, key = folder / name, os.path.join(base, name)
        kept = memo.get(key, path.stat())
        if kept is None:
            with path.open("rb") as handle:
                before = os.fstat(handle.fileno())
                read = _page(path.name, handle.read())
            kept = [read[0].digest.hex(), read[0].date] if read is not None else []
            memo.put(key, before, kept)
        if kept:
            pages.append(Page(path.name, bytes.fromhex(kept[0]), kept[1]))
    return pages, memo


def _recorded_page(value: object) -> bool:
    """A page's entry in the record: [] (not a document page) or [digest, date or None]."""
    return isinstance(value, list) and (value == [] or (
        len(value) == 2 and filestat.is_sha256(value[0]) and (value[1] is None or isinstance(value[1], str))))


def target_pages(count: int) -> int:
    """Pages per shard on average: 64, doubled each time the collection doubles past 4,096
    pages, so that the browser merges at most about 64 indexes. A change of target cuts the
    collection anew (once per doubling)."""
    target = SMALLEST_TARGET
    while count > target * MOST_SHARDS:
        target *= 2
    return target


def _ends_shard(name: str, every: int) -> bool:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % every == 0


def plan(pages: list[Page], target: int) -> list[Shard]:
    """The shards, in date order (undated pages last, then by name).

    A shard holds at least ``target // 2`` pages (so a small collection is one shard), then
    ends after a page whose name ends shards (one name in ``target // 2``), or at
    ``4 * target`` pages: about ``target`` pages on average. A short last run joins the shard
    before it. One shard is ``pagefind/``; shards of a collection cut in several are
    ``pagefind-<id>``, the id from the name of their first page."""
    least = max(1, target // 2)
    most = max(least, 4 * target)
    ordered = sorted(pages, key=lambda p: (p.date is None, p.date or "", p.name))
    runs: list[list[Page]] = [[]]
    for page in ordered:
        run = runs[-1]
        run.append(page)
        if len(run) >= most or (len(run) >= least and _ends_shard(page.name, least)):
            runs.append([])
    if not runs[-1]:
        runs.pop()
    if len(runs) > 1 and len(runs[-1]) < least:
        tail = runs.pop()
        runs[-1].extend(tail)
    if len(runs) == 1:
        return [Shard(PRIMARY, tuple(runs[0]))]
    return [Shard(PREFIX + hashlib.sha256(run[0].name.encode("utf-8")).hexdigest()[:12], tuple(run)) for run in runs]
