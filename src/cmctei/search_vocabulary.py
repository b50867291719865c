"""Which shards hold which words: what makes merged shards answer as one index.

Pagefind matches a search word by prefix ("sovereign" finds "sovereignty"), and when no word
of its index starts with the search word, it falls back on the longest indexed word that the
search word starts with ("sovereignty" finds "so": ``find_word_extensions`` in Pagefind's
search code). Each shard (search_shards.py) decides that alone: a word that one shard holds
would bring, from every other shard, the pages that contain "so", ranked above the real
match (seen in Chromium on the seeds cut one shard per page). One index never does that.

So a collection cut in several shards gets one more index, ``pagefind/``, the one search.js
loads first: one page per shard whose text is every word of that shard's pages, and which
carries the facet ``shard`` (the shard's folder). Every document page is given to Pagefind
with that facet too (:func:`tag`; the page in ``build/html`` is not changed). search.js asks
that index first: since it holds the words of every shard, it matches a search word by prefix,
or falls back, as one index would, and the shards its results name are the ones whose pages
can answer; the merged search is then limited to them (facet ``shard``), so no shard answers
by a fallback of its own. A shard page has no kind, and search.js always asks for a kind,
which every document page has, so it is never a result.

An edit re-indexes its own shard, and the words' index when it changes the words of that
shard; no other shard. (Until 2026-12-06 every shard held the whole collection's vocabulary,
so that a new word re-indexed every shard: 10 s after such an edit at 1,000 documents.)

The words of a page are read once and kept by the page's digest (``build/.cache/search-words/``):
the text of its ``data-pagefind-body`` element without the parts marked ``data-pagefind-ignore``,
cut at white space both within each text node and across them: more words than Pagefind finds,
never fewer. A word too few would leave out a shard that holds it; a word too many (the two
halves of a word an inline element splits) can only let a shard answer by its own fallback a
search for that half, which no one index finds either.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import string
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from cmctei import search_shards
from cmctei.output_paths import write_output
from cmctei.xmlio import CannotRead, read_bytes

FORMAT = 3  # in each cache file's name: words kept by an earlier way of reading them are read again


def page_words(data: bytes) -> set[str]:
    """The words Pagefind may index on one page (its body, without the ignored parts)."""
    texts = _body_texts(data)
    return _parsed_words(data) if texts is None else _bare(texts)


def _bare(texts) -> set[str]:
    """The words of ``texts``, lower case, without the punctuation around them (PUNCTUATION)."""
    words: set[str] = set()
    for text in texts:
        words.update(text.lower().split())
    bare = {word if word.isalnum() else word.strip(PUNCTUATION) for word in words}
    bare.discard("")
    return bare


_TAG = re.compile(rb"<[^>]*>")
_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")


def _body_texts(data: bytes) -> tuple[str, str] | None:
    """The body's text with its tags made spaces, and with them removed (the words an inline
    element splits), read without parsing: a page as cmctei's stylesheets write it, one body
    element and nothing in it that a regular expression misreads (an ignored part, a script,
    a comment, CDATA). A tag cut short by a ">" in an attribute only adds words. None: parse."""
    at = data.find(b"data-pagefind-body")
    if at < 0 or data.find(b"data-pagefind-body", at + 1) >= 0 or b"data-pagefind-ignore" in data:
        return None
    start = data.rfind(b"<", 0, at)
    name = _NAME.match(data, start) if start >= 0 else None
    if name is None:
        return None
    depth, end = 0, -1
    for tag in re.finditer(rb"<(/?)" + re.escape(name.group(1)) + rb"\b[^>]*>", data[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = start + tag.end()
            break
    body = data[start:end] if end > 0 else b""
    if not body or any(mark in body for mark in (b"<script", b"<style", b"<!--", b"<![CDATA[")):
        return None
    return (html.unescape(_TAG.sub(b" ", body).decode("utf-8", "replace")),
            html.unescape(_TAG.sub(b"", body).decode("utf-8", "replace")))


def _parsed_words(data: bytes) -> set[str]:
    """page_words by parsing the page (any HTML)."""
    try:
        root = lxml_html.document_fromstring(data.decode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return set()
    words: set[str] = set()
    for body in root.xpath("//*[@data-pagefind-body]"):
        for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
            ignored.drop_tree()
        etree.strip_elements(body, "script", "style", with_tail=False)
        pieces = list(body.itertext())
        # each text node's words, and words an inline element splits ("<b>bo</b>ld")
        words |= _bare((" ".join(pieces), "".join(pieces)))
    return words


# Stripped from either end of a word, as Pagefind strips them ("Hand." and "hand" are one word
# to it, so they are one here: a new spelling of a known word must not count as a new word,
# which re-indexes every shard). A mark missing here only makes more words, never fewer.
PUNCTUATION = string.punctuation + "“”‘’«»‹›„‚—–‒―…·•†‡§¶°′″¡¿\u00a0\u200b"


def page_file(cache: Path, digest: str) -> Path:
    """Where the words of a page of this SHA-256 (in hex) are kept."""
    return Path(cache) / f"{digest}.{FORMAT}.txt"


def cached(digest: bytes, cache: Path) -> list[str] | None:
    """The words kept for a page of this digest, or None."""
    return _kept_words(page_file(cache, digest.hex()))


def _kept_words(path: Path) -> list[str] | None:
    """The words of a file of the cache, or None when it is not a regular file (a named pipe
    under its name would wait for ever: xmlio.read_bytes) or not UTF-8."""
    try:
        return [w for w in read_bytes(path).decode("utf-8").split("\n") if w]
    except (CannotRead, UnicodeDecodeError):
        return None


def read_words(item: tuple[str, str, str]) -> list[str]:
    """The words of one page not in the cache (page path, its SHA-256 in hex, the cache folder),
    kept in the cache; a module-level function, so that worker processes can run it
    (cmctei.parallel: a collection published from scratch has every page to read)."""
    page, digest, cache = item
    data = search_shards.as_indexed(Path(page).read_bytes())  # (what the digest is of)
    found = sorted(page_words(data))
    if hashlib.sha256(data).hexdigest() == digest:  # (not saved meanwhile: the words are of those bytes)
        Path(cache).mkdir(parents=True, exist_ok=True)
        write_output(page_file(Path(cache), digest), "\n".join(found).encode("utf-8"))
    return found


def prune(cache: Path, digests: set[bytes], shards: set[str] = frozenset()) -> None:
    """Forget the words of pages that are no more (their bytes changed, or they went), and of
    shards whose pages are no more what they were (``shards``: the keys of those that are)."""
    for folder, keep in ((cache, {page_file(cache, d.hex()).name for d in digests}),
                         (cache / SHARDS, {f"{key}.txt" for key in shards})):
        for stale in folder.glob("*.txt") if folder.is_dir() else ():
            if stale.name not in keep:
                try:
                    os.unlink(stale)
                except OSError:
                    pass


SHARDS = "shards"
"""Beside the pages' words: each shard's, by :func:`shard_key`. Remaking the words' index needs
every shard's words; read page by page, from a thousand files, merged and sorted, they took
0.7 s of an edit's run at 1,000 documents (issue 18), which one file a shard spares."""


def shard_key(shard: "search_shards.Shard") -> str:
    """What a shard's words are a function of: its pages' names and bytes, and how words are
    read (FORMAT). A SHA-256 in hex: safe as a file name."""
    return shard.digest(str(FORMAT))


def cached_shard(key: str, cache: Path) -> list[str] | None:
    """The words kept for the shard ``key`` (:func:`shard_key`), sorted, or None."""
    words = _kept_words(cache / SHARDS / f"{key}.txt")
    return words if words is not None and words == sorted(set(words)) else None  # (else: read again)


def keep_shard(key: str, words: list[str], cache: Path) -> None:
    """Keep the words of the shard ``key`` (sorted) for the next run."""
    (cache / SHARDS).mkdir(parents=True, exist_ok=True)
    write_output(cache / SHARDS / f"{key}.txt", "\n".join(words).encode("utf-8"))


def tag(data: bytes, folder: str) -> bytes:
    """A document page as its shard's index is made from it: with the facet ``shard``, just
    before the element that holds ``data-pagefind-body`` (search_shards.read_page made sure
    there is one). Only the copy Pagefind reads is tagged."""
    at = data.find(b"data-pagefind-body")
    start = data.rfind(b"<", 0, at) if at >= 0 else -1
    if start < 0:
        return data
    return data[:start] + _facet(folder) + data[start:]


def _facet(folder: str) -> bytes:
    return f'<span data-pagefind-filter="shard:{html.escape(folder)}"></span>'.encode("utf-8")


def words_page(folder: str, words: list[str]) -> bytes:
    """The page of the words' index for one shard: its words, its facet ``shard``, no kind."""
    text = html.escape(" ".join(words), quote=False)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>words</title></head>'
            f'<body>{_facet(folder).decode("utf-8")}<main data-pagefind-body="">{text}</main></body></html>\n').encode("utf-8")


def digest(words: list[str]) -> str:
    return hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()
