"""The search index's shards made while the document pages are still being published.

Why: Pagefind takes some 17 ms of CPU a page of this collection's size (measured on the bench's
pages, 2026-12-07), and has no incremental mode. Publishing 1,000 documents from scratch made
every page, then the site's own pages and the previous/next links, and only then gave the
shards to Pagefind: some 10 s of indexing, most of it after everything else, while in a 1-job
run one core had stayed idle the whole time the pages were made (issue 18).

How: when a run makes every document page of the site (nothing published before, or
``--rebuild``), the shards can be planned before the first page is made, because the cut
(:func:`cmctei.search_shards.plan`) depends on the pages' names and dates alone, and a master's
date is read from its header (:func:`predicted_date`). The masters are then published in the
order of that plan, and each shard goes to Pagefind (its own process, from a thread of this
one) as soon as its last page is written, while the next pages are made.

Exact: a date read from the header is a guess at what the page will say. Each shard made here
is recorded with what it was made from (its pages as Pagefind is given them,
:func:`cmctei.search_shards.as_indexed`: the previous/next links, not yet in, are left out of
every index). :func:`cmctei.search.index`, once the pages are final, plans the shards from the
pages as they are and makes again any whose record is not what it would make (a date guessed
wrong, a document that failed, a volume's several pages), as it does after an edit: a wrong
guess costs time, never a different index. ``tests/test_search_early.py`` checks both.
"""

from __future__ import annotations

import functools
import queue
import re
from typing import TYPE_CHECKING

from cmctei import parallel, search_shards
from cmctei.diagnostics import Diagnostic

if TYPE_CHECKING:
    from cmctei.publish import Publisher

FEWEST = 2  # shards planned: with one, the index is made after the pages, as before
_HEADER_END = b"</teiHeader>"
# the first date of <creation>, as a master written by cmctei has it (a guess: see above)
_CREATION_DATE = re.compile(rb"<creation\b[^>]*>\s*<date\b([^>]*)>")
_WHEN = re.compile(rb"""\swhen\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ISO_START = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")  # what header.xsl's cm:iso-date keeps of @when


def predicted_date(raw: bytes) -> str | None:
    """The date a master's page will be sorted by, read from the bytes of its header without
    parsing them (nothing of the file is loaded: it has not been checked yet); None when the
    header does not say it the way cmctei writes it (a guess: see the module's docstring)."""
    end = raw.find(_HEADER_END)
    found = _CREATION_DATE.search(raw, 0, end if end >= 0 else min(len(raw), 1 << 16))
    when = _WHEN.search(found.group(1)) if found else None
    if when is None:
        return None
    value = (when.group(1) if when.group(1) is not None else when.group(2)).decode("utf-8", "replace").strip()
    start = _ISO_START.match(value)
    return start.group(0) if start else None


class EarlyShards:
    """The shards of a run that makes every document page, each indexed as soon as its pages
    are written (:meth:`written`); :meth:`result` waits for the last and gives what each folder
    was made from (the record :func:`cmctei.search.index` keeps) and the problems met."""

    def __init__(self, publisher: "Publisher", binary: str, version: str, shards: list[search_shards.Shard]) -> None:
        from cmctei import search

        self.shards = shards
        self._waiting = [{page.name for page in shard.pages} for shard in shards]
        self._shard_of = {page.name: i for i, shard in enumerate(shards) for page in shard.pages}
        self._queue: queue.Queue[search_shards.Shard | None] = queue.Queue()
        self._closed = False
        self._done: tuple[dict[str, str], list[Diagnostic]] | None = None
        html = publisher.out / "html"
        tagged = len(shards) > 1
        how = search.TAGGED if tagged else ""

        def make(shard: search_shards.Shard) -> tuple[str, Diagnostic | None] | None:
            try:
                read = [search_shards.read_page(html / page.name) for page in shard.pages]
            except OSError:  # a page not made (its master failed): left to search.index, as is
                return None  # anything this cut did not foresee
            if any(r is None for r in read):
                return None
            real = search_shards.Shard(shard.folder, tuple(r[0] for r in read if r is not None))
            fill = functools.partial(search._fill_shard, html, real, tagged)
            said = search._make_folder(binary, version, html, publisher, shard.folder, fill, one_thread=True)
            return real.digest(version, search.LANGUAGE, how), said

        def work() -> tuple[dict[str, str], list[Diagnostic]]:
            made: dict[str, str] = {}
            problems: list[Diagnostic] = []
            while (shard := self._queue.get()) is not None:
                outcome = make(shard)
                if outcome is None:
                    continue
                wanted, said = outcome
                if said is None or said.rule == "search-not-reproducible":
                    made[shard.folder] = wanted
                if said is not None:
                    problems.append(said)
            return made, problems

        self._thread = parallel.Background(work)

    @classmethod
    def plan(cls, publisher: "Publisher", dates: dict[str, str | None]) -> "EarlyShards | None":
        """Start indexing for a run that will make the pages named by ``dates`` (docid → its
        predicted date) and no other; None when the index is not made here (no Pagefind, no
        search, no pages) or is one shard (made after the pages, as before)."""
        from cmctei import search

        if not publisher.search or "html" not in publisher.outputs or not dates:
            return None
        binary = search.executable()
        if binary is None:
            return None
        pages = [search_shards.Page(f"{docid}.html", b"", date) for docid, date in dates.items()]
        target = publisher.search_shard_pages or search_shards.target_pages(len(pages))
        shards = search_shards.plan(pages, target)
        if len(shards) < FEWEST:
            return None
        return cls(publisher, binary, search._version(binary), shards)

    def order(self) -> list[str]:
        """The docids in the order their pages are best made: shard after shard."""
        return [page.name.removesuffix(".html") for shard in self.shards for page in shard.pages]

    def written(self, docid: str) -> None:
        """The page of ``docid`` is written, or will not be (its master failed): its shard is
        given to Pagefind once all its pages are."""
        index = self._shard_of.get(f"{docid}.html")
        if index is None or self._closed:
            return
        waiting = self._waiting[index]
        waiting.discard(f"{docid}.html")
        if not waiting:
            self._queue.put(self.shards[index])

    def result(self, cancel: bool = False) -> tuple[dict[str, str], list[Diagnostic]]:
        """Wait for the shards given so far (no more are taken), or, with ``cancel`` (the run
        stopped, or makes no index), for the one being made only; each made folder with what
        it was made from, and the problems. Called again, the same."""
        if self._done is None:
            self._closed = True
            while cancel:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._queue.put(None)
            self._done, _ = self._thread.result()
        return self._done
