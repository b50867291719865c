"""The reading room in a real browser (Chromium, as tests/test_browser.py drives it): the site
served by a plain static file server (Python's http.server on 127.0.0.1, as any web host would
serve build/html; the toolkit itself never touches the network).

- a search for a word that occurs in one seed document finds that document, and only it;
  a filter narrows a search; the search box of a document page leads there;
- previous/next, clicked, walk the primary documents in date order and back;
- the person index lists, for a person who is only named in a document's text, that document;
- all of it again on the index cut one shard per page (search_shards.py: what a large
  collection gets), merged by the search page; and merged shards answer every query as the
  one index does: the same documents, a word's fallback included, and a browse in date order.

A screenshot of the search page and of the collection page goes to build/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading

import pytest

from conftest import ROOT
from cmctei import search
from cmctei.publish import Publisher, documents
from test_browser import browser  # noqa: F401  (the Chromium fixture, shared)

SEEDS = documents(ROOT / "tei")
PRIMARY = ["dobrynin-telegram-1962-10-27", "rfk-memo-to-rusk", "excomm-24-1962-11-12", "oval-office-1962-11-14"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The seeds' site with one search index, and with one shard per page, each served."""
    if search.executable() is None:
        pytest.skip("Pagefind is not installed (make setup installs it): no search index to search")
    served, servers = {}, []
    for shard_pages in (None, 1):
        out = tmp_path_factory.mktemp("served")
        Publisher(out, search_shard_pages=shard_pages).run(SEEDS)
        shards = json.loads((out / "html" / search.SHARD_LIST).read_text(encoding="utf-8"))
        assert len(shards) == (0 if shard_pages is None else 5)
        handler = functools.partial(_Quiet, directory=str(out / "html"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        served[shard_pages] = f"http://127.0.0.1:{server.server_address[1]}/"
    yield served
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module", params=[None, 1], ids=["one-index", "shard-per-page"])
def served(sites, request):
    return sites[request.param]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401  (no log lines in the test output)
        pass


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


def results(page) -> list[str]:
    page.wait_for_function("""() => { const s = document.getElementById('search-status');
        return s && /match/.test(s.textContent); }""", timeout=20000)
    return [a.get_attribute("href") for a in page.locator("#search-results a").all()]


def test_a_word_of_one_document_finds_that_document(served, browser):
    word = "sovereignty"
    holding = [s.stem for s in sorted((ROOT / "sources").glob("*.txt"))
               if re.search(rf"\b{word}\b", s.read_text(encoding="utf-8"), re.I)]
    assert holding == ["dobrynin-telegram-1962-10-27"]  # grep of the raw sources, not of our output
    page, errors = open_page(browser, served + "index.html")
    page.fill("#cm-site-search", word)
    page.press("#cm-site-search", "Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=sovereignty"))
    found = results(page)
    assert [href.rsplit("/", 1)[-1] for href in found] == ["dobrynin-telegram-1962-10-27.html"]
    assert "1 document matches" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results mark").first.inner_text().lower().startswith("sovereign")
    page.locator("#search-results a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/dobrynin-telegram-1962-10-27.html")
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(served + "search.html?q=" + word)
    results(page)
    page.screenshot(path=str(shots / "search.png"))
    page.goto(served + "index.html")
    page.screenshot(path=str(shots / "collection.png"))
    assert errors == []
    page.close()


def test_a_filter_narrows_a_search(served, browser):
    page, errors = open_page(browser, served + "search.html?q=Khrushchev")
    everywhere = results(page)
    assert len(everywhere) >= 2
    page.goto(served + "search.html?q=Khrushchev&genre=Telegram")
    assert [h.rsplit("/", 1)[-1] for h in results(page)] == ["dobrynin-telegram-1962-10-27.html"]
    assert page.locator("input[name='genre'][value='Telegram']").is_checked()
    assert errors == []
    page.close()


def test_previous_and_next_walk_the_collection(served, browser):
    page, errors = open_page(browser, served + "index.html")
    page.locator("#primary tbody tr").first.locator("td").nth(1).locator("a").click()
    walked = [page.url.rsplit("/", 1)[-1].removesuffix(".html")]
    while page.locator("nav.sequence-top a[rel='next']").count():
        page.locator("nav.sequence-top a[rel='next']").click()
        page.wait_for_load_state("load")
        walked.append(page.url.rsplit("/", 1)[-1].removesuffix(".html"))
    assert walked == PRIMARY
    back = [walked[-1]]
    while page.locator("nav.sequence-bottom a[rel='prev']").count():
        page.locator("nav.sequence-bottom a[rel='prev']").click()
        page.wait_for_load_state("load")
        back.append(page.url.rsplit("/", 1)[-1].removesuffix(".html"))
    assert back == PRIMARY[::-1]
    assert errors == []
    page.close()


def test_a_person_page_lists_a_document_that_only_mentions_them(served, browser):
    """Castro is only named (in the memorandum's text, tagged by the converter)."""
    page, errors = open_page(browser, served + "persons.html#castro")
    section = page.locator("section#castro")
    assert section.is_visible()
    item = section.locator("ul.documents li").filter(has=page.locator("a[href='rfk-memo-to-rusk.html']"))
    assert "named in the text" in item.inner_text()
    link = item.locator("a")
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("Memorandum From Attorney General Kennedy")
    assert errors == []
    page.close()


def test_browsing_by_a_filter_lists_documents_in_date_order(served, browser):
    """No words, one filter: every primary document, oldest first (the order previous/next
    walk); the filter panel counts every document's facets once."""
    page, errors = open_page(browser, served + "search.html?kind=Primary+document")
    assert [h.rsplit("/", 1)[-1].removesuffix(".html") for h in results(page)] == PRIMARY
    assert f"{len(PRIMARY)} documents match" in page.locator("#search-status").inner_text()
    assert page.locator("label", has_text="Primary document").inner_text() == f"Primary document ({len(PRIMARY)})"
    genres = sorted(page.locator("fieldset.facet", has_text="Genre").locator("label").all_inner_texts())
    assert genres == ["Book chapter (1)", "Memorandum (1)", "Summary record (1)", "Telegram (1)", "Transcript (1)"]
    assert errors == []
    page.close()


# a word of one document, its prefix, a word of all, two words, a filtered search, a word
# no document has (found by Pagefind's fallback, "sovereigntyz" → "so"), a word of none at all,
# a phrase, two words that no one document holds (each in its own shard)
QUERIES = ["q=sovereignty", "q=sovereign", "q=Khrushchev", "q=missile+base", "q=Khrushchev&genre=Telegram",
           "q=sovereigntyz", "q=zzqx", "q=Ilyushin", "q=quarantine&kind=Primary+document", "genre=Transcript",
           "q=%22Soviet+Union%22", "q=sovereignty+Ilyushin"]


def test_merged_shards_answer_every_query_as_one_index(sites, browser):
    """Each shard alone would answer "sovereigntyz" with its own fallback, and a word it lacks
    with "so" (search_vocabulary.py); merged, asked within the shards the words' index names,
    they find what one index finds, and a page of the words' index is never a result."""
    page, errors = open_page(browser, sites[None] + "index.html")
    for query in QUERIES:
        answers = []
        for site in (sites[None], sites[1]):
            page.goto(site + "search.html?" + query)
            found = [h.rsplit("/", 1)[-1] for h in results(page)]
            answers.append((page.locator("#search-status").inner_text(), sorted(found)))
            assert all(name.endswith(".html") and not name.startswith("pagefind") for name in found), (query, found)
        assert answers[0] == answers[1], query
    assert errors == []
    page.close()
