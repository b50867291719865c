"""The published site in a real browser (Debian's Chromium, driven by Playwright).

For every document page: the classification banner is visible when the
document bears one, every footnote link scrolls to its note and the
back-link returns to the reference, and the console stays free of errors.
A screenshot of each page is saved under build/screenshots/ for a person
to look at. Chromium is installed by `make setup-system`; where it cannot be
installed the test skips and says why. Pages are opened from files: no
server, no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, need_module, need_program
from cmctei.publish import Publisher, documents

SEEDS = documents(ROOT / "tei")


def chromium() -> str:
    return need_program("chromium", "chromium-browser",
                        why="Chromium is not installed (make setup-system installs Debian's chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    Publisher(out).run(SEEDS)
    return out / "html"


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    sync_api = need_module("playwright.sync_api", "playwright is a test dependency (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield instance
        instance.close()


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }""")


@pytest.mark.parametrize("docid", [p.stem for p in SEEDS])
def test_document_page_in_chromium(site, browser, docid):
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / f"{docid}.html").as_uri())
    page.wait_for_load_state("load")

    banners = page.locator("div.banner")
    if banners.count():
        assert banners.first.is_visible()
        assert banners.first.inner_text().strip()

    refs = page.locator("a[role='doc-noteref']")
    for index in range(min(refs.count(), 25)):
        ref = refs.nth(index)
        ref_id = ref.get_attribute("id")
        target = ref.get_attribute("href")
        ref.scroll_into_view_if_needed()
        ref.click()
        page.wait_for_timeout(30)
        assert page.evaluate("location.hash") == target
        assert in_view(page, f"li[id='{target[1:]}']"), f"note {target} not scrolled into view"
        page.locator(f"li[id='{target[1:]}'] a[role='doc-backlink']").click()
        page.wait_for_timeout(30)
        assert page.evaluate("location.hash") == "#" + ref_id
        assert in_view(page, f"a[id='{ref_id}']"), f"back-link of {target} does not return"

    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.goto((site / f"{docid}.html").as_uri())
    page.screenshot(path=str(shots / f"{docid}.png"), full_page=False)
    assert (shots / f"{docid}.png").stat().st_size > 5000
    assert errors == []
    assert all(url.startswith("file:") for url in requests), [u for u in requests if not u.startswith("file:")]
    page.close()


def test_index_filter_enhancement(site, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "index.html").as_uri())
    box = page.locator("#filter")
    assert box.is_visible()  # the script revealed the enhanced filter
    box.fill("telegram")
    visible = page.locator("table.documents tbody tr:visible")
    assert visible.count() == 1 and "Telegram" in visible.first.inner_text()
    assert errors == []
    page.close()
