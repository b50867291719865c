"""The site's full-text search: Pagefind's index of the document pages, made at publish time.

Pagefind (https://pagefind.app, PyPI ``pagefind[bin]``, installed by ``make setup``) reads
the pages of ``build/html`` and writes a static index (``build/html/pagefind/``) that
``search.js`` queries in the browser: no server beyond a static file server. Only the
document pages are indexed (their ``<main data-pagefind-body>``); the filters (genre,
classification, year, kind, person) and the date come from the hidden facets each page
carries (``site.xsl``). Every language is indexed as English (``--force-language``): the
search page is English, and a French document of a mixed collection must still be found
from it.

The index is in shards (search_shards.py: a run of pages in date order each, merged by the
search page), each made again only when one of its pages changed, into a fresh folder that
then takes the place of the old one (an interrupted run leaves the old shard whole): an edit
at 1,000 documents re-indexes some 60 pages, not 1,000, and Pagefind holds one shard in
memory at a time. A collection cut in several shards also gets an index of which shard holds
which words (search_vocabulary.py), which the search page asks first, so that merged the
shards answer as one index would. A collection published from scratch has its shards made
while its pages are (search_early.py); this module then makes again any the pages as they are
would make otherwise. What each shard was made from (its pages as Pagefind is given them,
without their previous/next links) is kept in ``build/.cmctei-search.json``. Pagefind writes its filter lists in a
different order each run; :mod:`cmctei.search_bytes` puts them in a fixed order, so the index
is the same bytes for the same pages (checked by ``tests/test_site.py`` and
``tests/test_search_shards.py``).

Without Pagefind (a plain ``pip install cmctei``), publishing goes on with a warning:
the site reads and navigates, and the search page says that there is no index.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cmctei import cache, filestat, parallel, search_bytes, search_shards, search_vocabulary
from cmctei.diagnostics import WARNING, Diagnostic
from cmctei.output_paths import write_output

if TYPE_CHECKING:
    from cmctei.publish import Publisher

FOLDER = "pagefind"
STAMP = ".cmctei-search.json"
SHARD_LIST = "search-shards.json"  # the shards after the first, in order, for search.js
WORDS = ".cache/search-words"  # the words of each page, by its digest (search_vocabulary.py)
SEEN_NAME = "search-seen.json"  # in build/.cache/: each page's digest and date by file status (filestat.py)
VERSION_SEEN = "pagefind-version.json"  # in build/.cache/: what the binary says its version is, by its status
LANGUAGE = "en"
_HEX64 = re.compile(r"[0-9a-f]{64}")
TAGGED = "shard-facet"  # in a shard's record: its pages were given to Pagefind with the facet shard


def executable() -> str | None:
    """The Pagefind binary shipped by the ``pagefind_bin`` package, or None."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        found = get_executable()
    except Exception:  # noqa: BLE001  (a broken install is "not installed")
        return None
    return str(found) if found and Path(found).is_file() else None


def index(publisher: "Publisher") -> list[Diagnostic]:
    """Make (or keep) the search index of ``build/html``, shard by shard (search_shards.py),
    with the words' index when there are several (search_vocabulary.py); a warning when it
    cannot be made."""
    html = publisher.out / "html"
    stamp_path = publisher.out / STAMP
    # the shards made while the pages were (search_early.py): recorded as made from what they
    # were made from; any that the pages as they are now would make otherwise is made again below
    early = getattr(publisher, "early_search", None)
    early_made, early_problems = early.result() if early is not None else ({}, [])
    for stale in [*html.glob(f".{FOLDER}*"), *publisher.out.glob(".search-site-*")]:  # a killed run's
        shutil.rmtree(stale, ignore_errors=True)
    binary = executable()
    if binary is None:
        return [Diagnostic(str(html), 0, 0, WARNING, "search-not-built",
                           "the search index was not made: Pagefind is not installed (pip install "
                           "'pagefind[bin]', which `make setup` does); the site works without it, "
                           "and its search page says so")]
    version = _version(binary)
    try:
        recorded = json.loads(stamp_path.read_text(encoding="utf-8"))
        made = {str(k): str(v) for k, v in recorded["shards"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        recorded, made = {}, {}
    pages = _pages(html)
    target = publisher.search_shard_pages or search_shards.target_pages(len(pages))
    shards = search_shards.plan(pages, target) or [search_shards.Shard(search_shards.PRIMARY, ())]
    cut = len(shards) > 1
    search_vocabulary.prune(publisher.out / WORDS, {page.digest for page in pages} if cut else set(),
                            {search_vocabulary.shard_key(shard) for shard in shards} if cut else set())
    made.update(early_made)
    jobs: list[tuple[str, str, Callable[[Path], None]]] = []  # (folder, what it is made from, how)
    for shard in shards:
        jobs.append((shard.folder, shard.digest(version, LANGUAGE, TAGGED if cut else ""),
                     functools.partial(_fill_shard, html, shard, cut)))
    # The shards are indexed (Pagefind, its own process) while this thread reads the words the
    # words' index needs (Python): a collection published from scratch reads every page's words,
    # 2 to 3 s at 1,000 documents, which used to come before the first Pagefind run. Only the
    # words' index waits for both. (The shards one after the other: Pagefind keeps both cores
    # busy on its own; two runs at once, the shard and the words' index after an edit that
    # brings a new word, gained nothing measurable.)
    indexing = parallel.Background(_make_folders, binary, version, html, publisher, list(jobs), made)
    of_shards: dict[str, str] = {}  # each shard's pages and way of reading words -> the digest of its words
    try:
        if cut:
            # A shard's words are a function of its pages: the digest of the words of a shard whose
            # pages did not change is taken from the record; only changed shards' words are read,
            # and every shard's only when the words' index is made again (_fill_words).
            kept = _kept_words(recorded)
            words: dict[int, list[str]] = {}
            keys = [search_vocabulary.shard_key(shard) for shard in shards]
            unknown = [i for i, key in enumerate(keys) if key not in kept]
            words.update(zip(unknown, _shard_words(publisher, html, [shards[i] for i in unknown])))
            for i, key in enumerate(keys):
                of_shards[key] = search_vocabulary.digest(words[i]) if i in words else kept[key]
            of_words = hashlib.sha256("\0".join([version, LANGUAGE, *(
                f"{shard.folder}\1{of_shards[key]}" for shard, key in zip(shards, keys))]).encode("utf-8"))
            wanted = "words " + of_words.hexdigest()
            if made.get(search_shards.PRIMARY) != wanted or not (html / search_shards.PRIMARY / "pagefind-entry.json").is_file():
                # the words' index is made again: every shard's words are read now, while Pagefind
                # indexes the shards (after them, it was 0.1 s more of an edit that brings a word)
                unread = [i for i in range(len(shards)) if i not in words]
                words.update(zip(unread, _shard_words(publisher, html, [shards[i] for i in unread])))
            jobs.append((search_shards.PRIMARY, wanted, functools.partial(_fill_words, publisher, html, shards, words)))
    finally:
        (problems, now), _ = indexing.result()  # (never left running, whatever happened here)
    # (a shard Pagefind could not make early was tried again above, and said so if it failed again)
    problems = [p for p in early_problems if p.rule != "search-not-built"] + problems
    more, words_now = _make_folders(binary, version, html, publisher, jobs[len(shards):], made)
    problems += more
    now.update(words_now)
    folders = {folder for folder, _, _ in jobs}
    for folder in html.glob(f"{search_shards.PREFIX}*"):  # shards of a collection cut otherwise before
        if folder.name not in folders and search_shards.NAME.fullmatch(folder.name):
            shutil.rmtree(folder, ignore_errors=True)
    # (a shard Pagefind could not make, and never made before, is not listed: one missing
    # index would stop the search page from merging the others)
    listed = [s.folder + "/" for s in shards if cut and (html / s.folder / "pagefind-entry.json").is_file()]
    write_output(html / SHARD_LIST, (json.dumps(listed) + "\n").encode("utf-8"))
    made = {folder: digest for folder, digest in sorted(now.items()) if folder in folders}
    write_output(stamp_path, (json.dumps({"shards": made, "words": dict(sorted(of_shards.items()))}, indent=0)
                              + "\n").encode("utf-8"))
    return problems


def remember_pages(publisher: "Publisher") -> None:
    """The record of each document page by its file status (``SEEN_NAME``), made again once the
    site's own pages have put the previous/next links in: :func:`index` runs beside them (issue
    18), so it may have read a page before its links were written, and recorded a status the
    page no longer has; every page would then be read again by the next run (0.3 to 0.5 s after
    a build from scratch). Only the pages whose status changed since are read here."""
    _pages(publisher.out / "html")


def _pages(html: Path) -> list["search_shards.Page"]:
    """The document pages of ``html`` (search_shards.read_pages), their record of file
    statuses (``build/.cache/``, ``SEEN_NAME``) read first and kept again when it changed."""
    seen_path = cache.cache_dir() / SEEN_NAME
    pages, seen = search_shards.read_pages(html, filestat.read_record(seen_path))
    if seen.changed():
        filestat.write_record(seen_path, seen.record())
    return pages


def _make_folders(binary: str, version: str, html: Path, publisher: "Publisher",
                  jobs: list[tuple[str, str, Callable[[Path], None]]], made: dict[str, str]
                  ) -> tuple[list[Diagnostic], dict[str, str]]:
    """Make each folder of ``jobs`` whose record in ``made`` (read, not changed) is not what it
    is made from now, or that is missing; the problems, and the record of these folders: what
    each is made from, if it is there and up to date now."""
    problems: list[Diagnostic] = []
    now: dict[str, str] = {}
    for folder, wanted, fill in jobs:
        if made.get(folder) == wanted and (html / folder / "pagefind-entry.json").is_file():
            now[folder] = wanted
            continue
        said = _make_folder(binary, version, html, publisher, folder, fill)
        if said is None or said.rule == "search-not-reproducible":
            now[folder] = wanted
        if said is not None:
            problems.append(said)
    return problems, now


def _make_folder(binary: str, version: str, html: Path, publisher: "Publisher", folder: str,
                 fill: Callable[[Path], None], one_thread: bool = False) -> Diagnostic | None:
    """Make one folder of the index; what went wrong, or None. ``one_thread``: Pagefind on one
    core (search_early.py: the others are publishing)."""
    said = _index_folder(publisher, binary, folder, fill, one_thread)
    if said is not None:
        return Diagnostic(str(html), 0, 0, WARNING, "search-not-built",
                          f"the search index was not made: Pagefind failed ({said or 'no message'})")
    try:
        search_bytes.canonicalise(html / folder)
    except (search_bytes.Unexpected, OSError, ValueError) as exc:
        return Diagnostic(str(html), 0, 0, WARNING, "search-not-reproducible",
                          f"the search index works but may differ byte for byte between runs: "
                          f"this Pagefind ({version or 'unknown version'}) lays out its filter "
                          f"files differently ({exc})")
    return None


def _kept_words(recorded: object) -> dict[str, str]:
    """The record's digests of each shard's words (untrusted: anything not a pair of SHA-256
    hex digests is left out, and that shard's words are read again)."""
    kept = recorded.get("words") if isinstance(recorded, dict) else None
    if not isinstance(kept, dict):
        return {}
    return {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)
            and _HEX64.fullmatch(k) and _HEX64.fullmatch(v)}


def _shard_words(publisher: "Publisher", html: Path, shards: list["search_shards.Shard"]) -> list[list[str]]:
    """The words of each shard's pages, sorted: kept by shard and by page digest in
    ``build/.cache``, read (in ``--jobs`` processes) for the pages not seen before."""
    cache = publisher.out / WORDS
    keys = [search_vocabulary.shard_key(shard) for shard in shards]
    kept = [search_vocabulary.cached_shard(key, cache) for key in keys]
    found: list[set[str]] = [set() for _ in shards]
    unread, owner = [], []
    for i, shard in enumerate(shards):
        for page in shard.pages if kept[i] is None else ():
            known = search_vocabulary.cached(page.digest, cache)
            if known is None:
                unread.append((str(html / page.name), page.digest.hex(), str(cache)))
                owner.append(i)
            else:
                found[i].update(known)
    for i, read in zip(owner, parallel.run(unread, search_vocabulary.read_words, jobs=publisher.jobs)):
        found[i].update(read)
    # a shard's words are kept when each page's were of the bytes its key names (read_words
    # keeps a page's only then: a page saved again meanwhile is read again next run)
    unsure = {owner[n] for n, (_, digest, _) in enumerate(unread)
              if not search_vocabulary.page_file(cache, digest).is_file()}
    words = [kept[i] if kept[i] is not None else sorted(found[i]) for i in range(len(shards))]
    for i, key in enumerate(keys):
        if kept[i] is None and i not in unsure:
            search_vocabulary.keep_shard(key, words[i], cache)
    return words


def _fill_shard(html: Path, shard: "search_shards.Shard", tagged: bool, site: Path) -> None:
    """A shard's pages, for Pagefind to read, as its record says they are
    (search_shards.as_indexed: without their previous/next links), and, in a collection cut in
    several, with the facet that names the shard."""
    for page in shard.pages:
        data = search_shards.as_indexed((html / page.name).read_bytes())
        (site / page.name).write_bytes(search_vocabulary.tag(data, shard.folder) if tagged else data)


def _fill_words(publisher: "Publisher", html: Path, shards: list["search_shards.Shard"],
                words: dict[int, list[str]], site: Path) -> None:
    """The pages of the words' index: one per shard, its words (read now for the shards whose
    words only the record knew)."""
    unread = [i for i in range(len(shards)) if i not in words]
    words = {**words, **dict(zip(unread, _shard_words(publisher, html, [shards[i] for i in unread])))}
    for i, shard in enumerate(shards):
        (site / f"{shard.folder}.html").write_bytes(search_vocabulary.words_page(shard.folder, words[i]))


def _index_folder(publisher: "Publisher", binary: str, folder: str, fill: Callable[[Path], None],
                  one_thread: bool = False) -> str | None:
    """Index the pages ``fill`` puts in a scratch site into ``html/<folder>``, replacing the
    old one whole; None when done, else what Pagefind said. With ``one_thread``, Pagefind's
    thread pool (Rayon's) has one thread: measured on 256 pages, 4.0 s instead of 3.1, but
    3.7 s of CPU instead of 4.8, and the other core left to what runs beside it."""
    html = publisher.out / "html"
    key = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:12]
    site, fresh = publisher.out / f".search-site-{key}", html / f".{FOLDER}-{key}"
    for scratch in (site, fresh):
        shutil.rmtree(scratch, ignore_errors=True)
    site.mkdir(parents=True)
    try:
        fill(site)
        # (the toolkit never reaches the network: Pagefind only reads and writes these folders)
        result = subprocess.run([binary, "--site", str(site), "--output-path", str(fresh),
                                 "--force-language", LANGUAGE, "--silent"],
                                capture_output=True, text=True, timeout=3600, stdin=subprocess.DEVNULL,
                                env={**os.environ, "RAYON_NUM_THREADS": "1"} if one_thread else None)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    if result.returncode != 0 or not (fresh / "pagefind-entry.json").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        return " ".join((result.stderr or result.stdout).split())[:500]
    if folder != search_shards.PRIMARY:  # merged into the first: Pagefind's code is not needed
        for path in fresh.iterdir():
            if path.is_file() and not path.name.endswith(".pf_meta") and path.name != "pagefind-entry.json":
                path.unlink()
    target, old = html / folder, html / f".{FOLDER}-old-{key}"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return None


def remove(publisher: "Publisher") -> list[Diagnostic]:
    """``publish --no-search``: no index, and none left from an earlier run (it would find pages
    as they were, not as they are); the search page then says there is no index."""
    html = publisher.out / "html"
    for stale in [html / FOLDER, *html.glob(f".{FOLDER}*")]:
        shutil.rmtree(stale, ignore_errors=True)
    for shard in html.glob(f"{search_shards.PREFIX}*"):
        if search_shards.NAME.fullmatch(shard.name):
            shutil.rmtree(shard, ignore_errors=True)
    (html / SHARD_LIST).unlink(missing_ok=True)
    (publisher.out / STAMP).unlink(missing_ok=True)
    shutil.rmtree(publisher.out / WORDS, ignore_errors=True)
    return []


def _version(binary: str) -> str:
    """What ``pagefind --version`` says (each shard's record names it: an upgrade re-indexes
    every shard), kept by the binary's file status (filestat.py) in ``build/.cache``: asking
    it took 0.03 s of the critical path of every run that makes the index (issue 18)."""
    found = filestat.regular(binary)
    record = cache.cache_dir() / VERSION_SEEN
    memo: filestat.Memo[str] = filestat.Memo(filestat.read_record(record), _recorded_version)
    key = os.path.abspath(binary)
    kept = memo.get(key, found) if found is not None else None
    if kept is not None:
        return kept
    try:
        result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    version = result.stdout.strip()
    if found is not None and result.returncode == 0 and _recorded_version(version):
        memo.put(key, found, version)
        if memo.changed():
            filestat.write_record(record, memo.record())
    return version


def _recorded_version(value: object) -> bool:
    """A version as Pagefind says it (untrusted in the record: one short printable line)."""
    return isinstance(value, str) and 0 < len(value) <= 200 and value.isprintable()
