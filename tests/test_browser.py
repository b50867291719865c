"""The published site in a real browser (Debian's Chromium, driven by Playwright).

For every document page of the seeds: the classification banners are visible, as printed
(struck where the source strikes), exactly on the pages of the documents that bear one; the
page has as many footnote links as the source has markers (counted by hand), each scrolls to
its note and the back-link returns to the reference; the screenshot shows a rendered page with
the banner's colour at the top; the console stays free of errors.

For every page the site has, of every kind (found by listing the published folder and sorting
the pages by what they are, so that a new kind of page is checked the day it is published):
axe-core finds no violation at desktop (1280 px) and mobile (390 px) widths; the page reflows
at 320 px (nothing wider than the window); the first Tab reaches a skip link that lands where
it says. Printed to PDF by Chromium (Letter and A4) and read back by pdfminer.six: the
classification banners stand in the top and bottom margin of every printed page, never over a
line of text, and no page ends with a heading.

The site holds the seeds, crafted sources converted afresh for what the seeds lack (SECRET and
CONFIDENTIAL banners, FRUS's "[2 lines of source text not declassified]", a second translated
telegram) and TEI from elsewhere (tests/fixtures/foreign: a volume with its contents page,
speeches, figures and tables, choices).

Screenshots of each kind of page (desktop and mobile) and of each seed page, and the PDFs of
the documents, are saved under build/screenshots/ for a person to look at. Chromium is
installed by `make setup-system`, axe-core by `make setup-node`; where they cannot be the tests
skip and say why. Pages are opened from files: no server, no network.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from lxml import html as lxml_html

import pdf_layout
from convert_helpers import convert_crafted
from conftest import FIXTURES, ROOT, need_module, need_program, unavailable
from cmctei.publish import Publisher, documents

SEEDS = documents(ROOT / "tei")
FOREIGN = sorted((FIXTURES / "foreign").glob("*.xml"))
# Crafted sources (tests/fixtures/crafted) for what the seeds do not have: a SECRET telegram, a
# CONFIDENTIAL one, a FRUS memorandum with two passages "not declassified", a translated telegram.
CRAFTED = ("state-to-moscow-1962-11-06", "moscow-to-state-1962-11-21", "mccone-memo-to-bundy",
           "mikoyan-telegram-1962-11-05")
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 390}
PAPERS = ("Letter", "A4")

# Hand-read from the sources: the documents that bear a classification mark, the mark printed
# first at the top of a page and at its foot, with the struck words between ~~ as the sources
# write them (excomm-24-1962-11-12.txt lines 3 and 20; dobrynin-telegram-1962-10-27.txt line 1,
# its only mark).
BANNERS = {"excomm-24-1962-11-12": ("~~TOP SECRET~~ - SENSITIVE", "~~TOP SECRET~~ - SENSITIVE"),
           "dobrynin-telegram-1962-10-27": ("TOP SECRET Making Copies Prohibited Copy No. I",
                                            "TOP SECRET Making Copies Prohibited Copy No. I")}
# The kinds of page the site must have (see page_kind): each is checked by axe and screenshotted.
KINDS = {"document-memorandum", "document-telegram", "document-transcript", "document-summary-record",
         "document-book-chapter", "document-foreign", "volume-contents", "volume-document", "index",
         "index-facet", "persons"}


def note_count(docid: str) -> int:
    """Footnote markers counted by hand (tests/fixtures/expectations), plus the FRUS source note
    ("0" after the heading of the memorandum) and the transcript's footnote 9, whose text is
    printed without a marker and whose note is placed at the end of its page (docs/encoding.md 7.3)."""
    expected = tomllib.loads((ROOT / "tests" / "fixtures" / "expectations" / f"{docid}.toml").read_text(
        encoding="utf-8"))
    return len(expected["footnotes"]) + (1 if docid in ("rfk-memo-to-rusk", "oval-office-1962-11-14") else 0)


# TEI from elsewhere wider than a phone: a data table of seven columns (a word struck in it)
# and a TEI example of long lines, as a FRUS volume's list of papers and the TEI test files have.
WIDE = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>
  <title>A wide table</title></titleStmt><publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Made
  for tests/test_browser.py</p></sourceDesc></fileDesc></teiHeader><text><body><div><head>Papers</head>
  <table><head>List of papers</head><row role="label"><cell>No.</cell><cell>Date</cell><cell>From and to
  whom</cell><cell>Subject</cell><cell>Page</cell><cell>Remarks</cell><cell>Filed</cell></row>
  <row><cell>1295</cell><cell>1917 Apr. 3</cell><cell>To the Ambassador in Russia (telegram)</cell>
  <cell>Offer of credit to the Russian Provisional Government, <del>withdrawn</del>
  Extraordinarilylongwordthatcannotbebroken</cell><cell>1</cell><cell>Unanswered</cell>
  <cell>861.51/140a</cell></row></table>
  <p>An example of markup:</p>
  <egXML xmlns="http://www.tei-c.org/ns/Examples"><div xml:id="test99" rend="whatever"><head>A heading long enough to run past the edge of any telephone held upright</head></div></egXML>
  </div></body></text></TEI>"""


def chromium() -> str:
    return need_program("chromium", "chromium-browser",
                        why="Chromium is not installed (make setup-system installs Debian's chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seeds, the crafted sources of CRAFTED converted afresh, and the foreign fixtures,
    published as one site."""
    work = tmp_path_factory.mktemp("site")
    tei = convert_crafted(work, *CRAFTED)
    wide = work / "wide.xml"
    wide.write_text(WIDE, encoding="utf-8")
    report = Publisher(work / "build", register=tei / "persons.xml").run(SEEDS + documents(tei) + FOREIGN + [wide])
    # (TEI from elsewhere gets tei_all's findings as warnings: tests/test_foreign.py)
    assert [p for p in report.problems if p.severity == "error"] == []
    assert len(report.published) == len(SEEDS) + len(CRAFTED) + len(FOREIGN) + 1
    return work / "build" / "html"


def page_kind(path: Path) -> str:
    """What a published page is, from what it shows: a document page by its genre (a cmctei
    master) or as TEI from elsewhere, a volume's contents page or one of its documents, the
    index or one of its facet pages, and any other page by the first class of its body."""
    root = lxml_html.parse(str(path)).getroot()
    classes = [c for c in (root.find("body").get("class") or "").split() if c != "banners" and not c.startswith("level-")]
    kind = classes[0] if classes else "page"
    if kind == "document":
        if root.xpath("//p[@class='toc-entry']"):
            return "volume-contents"
        if root.xpath("//nav[contains(concat(' ', @class, ' '), ' volume ')]"):
            return "volume-document"
        genre = root.xpath("normalize-space(//dl[@class='about']/dt[.='Genre']/following-sibling::dd[1])")
        return "document-" + re.sub(r"\W+", "-", genre.lower()) if genre else "document-foreign"
    if kind == "index":
        return "index" if path.name == "index.html" else "index-facet"
    return kind


@pytest.fixture(scope="module")
def pages(site) -> dict[Path, str]:
    """Every page of the site and its kind."""
    found = {path: page_kind(path) for path in sorted(site.glob("*.html"))}
    assert KINDS <= set(found.values()), KINDS - set(found.values())
    return found


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


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        unavailable("axe-core is not installed (make setup-node runs npm ci in tests/axe)")
    return AXE.read_text(encoding="utf-8")


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }""")


# The words of an element with the struck ones between ~~, as the sources write them.
MARKED = """el => { const walk = n => n.nodeType === 3 ? n.data : [...n.childNodes].map(c =>
    (c.nodeName === 'DEL' || c.nodeName === 'S') ? '~~' + walk(c) + '~~' : walk(c)).join('');
    return walk(el).replace(/\\s+/g, ' ').trim(); }"""


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
    if docid in BANNERS:
        assert banners.count() == 2  # top and bottom
        assert banners.first.is_visible() and in_view(page, "div.banner-top")
        top, bottom = BANNERS[docid]
        assert page.eval_on_selector("div.banner-top", MARKED) == top
        assert page.eval_on_selector("div.banner-bottom", MARKED) == bottom
    else:
        assert banners.count() == 0

    refs = page.locator("a[role='doc-noteref']")
    assert refs.count() == note_count(docid)
    # each note numbered once: by its label, the list drawing no number of its own
    markers = page.eval_on_selector_all("ol.notes > li", "els => els.map(e => getComputedStyle(e).listStyleType)")
    assert len(markers) == refs.count() and set(markers) <= {"none"}, markers
    for index in range(refs.count()):
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

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto((site / f"{docid}.html").as_uri())
    page.screenshot(path=str(SHOTS / f"{docid}.png"), full_page=False)
    from PIL import Image  # (Pillow comes with matplotlib, a test dependency)

    with Image.open(SHOTS / f"{docid}.png") as shot:
        assert shot.size == (1100, 800)
        image = shot.convert("RGB")
        assert len(image.getcolors(1100 * 800)) > 20, "a blank page"  # rendered text has many shades
        if docid in BANNERS:  # the banner's colour across the top of the screen, not the page's
            box = page.locator("div.banner-top").bounding_box()
            top = image.getpixel((int(box["x"] + 4), int(box["y"] + box["height"] / 2)))
            body = image.getpixel((1090, 790))
            assert box["y"] < 40 and top != body and sum(top) < 3 * 200, (top, body)
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
    # the seeds' telegram and the three crafted ones (ciphered, SECRET, CONFIDENTIAL)
    assert visible.count() == 4 and all("Telegram" in visible.nth(i).inner_text() for i in range(4))
    assert errors == []
    page.close()


# ------------------------------------------------------------------ accessibility (WCAG 2.2 AA)

def axe_violations(page, axe: str, options: str = "{}") -> dict[str, list[str]]:
    """axe-core's violations on the page loaded: rule id → the elements (CSS selectors) and why."""
    page.add_script_tag(content=axe)
    found = page.evaluate(f"""async () => {{
        const result = await axe.run(document, {options});
        return {{violations: result.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' ') + ': '
                  + (n.failureSummary || '').replace(/\\s+/g, ' '))]),
                 contrast: result.passes.concat(result.violations).some(r => r.id === 'color-contrast')}};
    }}""")
    assert found["contrast"], "axe did not check the colour contrast of the page"  # the check ran
    return {rule: nodes for rule, nodes in found["violations"]}


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page(site, pages, browser, axe, width):
    """axe-core (every rule it runs by default: WCAG 2.0, 2.1 and 2.2 A and AA, and its best
    practices: landmarks, headings, contrast, links told apart from text) on every page of the
    site at the width of a desktop window, and on the first page of each kind at the width of
    a phone (what the width changes is the layout, and a kind of page has one; each page's own
    words and links are checked at the first width). A screenshot of the first page of each
    kind is kept."""
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900})
    violations: dict[str, dict[str, list[str]]] = {}
    shot: set[str] = set()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path, kind in pages.items():
        if kind in shot and width != "desktop":
            continue
        page.goto(path.as_uri())
        if kind not in shot:
            shot.add(kind)
            page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"))
        found = axe_violations(page, axe)
        if found:
            violations[path.name] = found
    page.close()
    assert violations == {}
    assert shot >= KINDS


def test_every_classification_colour_has_enough_contrast(site, browser, axe):
    """The banner and the index label of every classification level the profile declares (the
    taxonomy in the masters' headers), on a page of the site's own stylesheet: axe's contrast
    rule (4.5:1), whether or not a published document bears the level."""
    master = lxml_html.etree.parse(str(SEEDS[0]))
    levels = master.xpath("//t:taxonomy[@xml:id='classification']/t:category/@xml:id",
                          namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert {"top-secret", "secret", "confidential", "unclassified"} <= set(levels)
    sample = site / "colour-sample.html"
    sample.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Levels</title>"
        "<link rel='stylesheet' href='cmctei.css'></head><body><main><h1>Levels</h1>"
        + "".join(f"<div class='banner level-{level}'>{level.upper()} <del>STRUCK</del></div>"
                  f"<p><span class='level level-{level}'>{level.upper()}</span></p>" for level in levels)
        + "</main></body></html>", encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(sample.as_uri())
        assert axe_violations(page, axe, "{runOnly: ['color-contrast']}") == {}
    finally:
        page.close()
        sample.unlink()


def test_every_page_reflows_at_320_px(site, pages, browser):
    """WCAG 1.4.10: at 320 CSS px nothing is wider than the window (no scrolling sideways)."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    wide = {}
    for path in pages:
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path.name] = width
    if "index.html" in [p.name for p in pages]:
        page.goto((site / "index.html").as_uri())
        assert page.locator("table.documents tbody tr").first.is_visible()
    page.close()
    assert wide == {}


def test_the_first_tab_reaches_a_skip_link_that_lands(site, pages, browser):
    """WCAG 2.4.1: on every page the first Tab reaches a visible link that skips the site's
    header, and following it lands on its target."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for path in pages:
        page.goto(path.as_uri())
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return {tag: a.tagName, cls: a.className, href: a.getAttribute('href'), text: a.textContent,
                    seen: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight}; }""")
        assert focused["tag"] == "A" and "skip" in focused["cls"].split() and focused["seen"], (path.name, focused)
        assert focused["text"].startswith("Skip to") and focused["href"].startswith("#"), (path.name, focused)
        target = focused["href"][1:]
        assert page.locator(f"[id='{target}']").count() == 1, (path.name, target)
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#" + target
        assert in_view(page, f"[id='{target}']"), path.name
    page.close()


def test_speaker_links_do_not_flood_the_tab_order(site, browser):
    """The transcript's 146 turns (counted in the source: a label at the start of each turn) name
    their speaker, and the label links to the person index at each speaker's first turn only:
    one link for each of the 9 speakers (President Kennedy, Bundy, Rusk, McNamara, Thompson,
    Ball, Sorensen, Lincoln and "Unidentified", hand-read from the labels), not one per turn."""
    page = browser.new_page()
    page.goto((site / "oval-office-1962-11-14.html").as_uri())
    turns = page.eval_on_selector_all("div.sp", "els => els.map(e => { const s = e.querySelector('.speaker');"
                                      " return s ? [s.tagName, s.getAttribute('href'), s.textContent] : null; })")
    assert len(turns) == 146 and all(turn and turn[2].strip().endswith(":") for turn in turns)
    links = [href for tag, href, _ in turns if tag == "A"]
    assert len(links) == len(set(links)) == 9
    # what the keyboard meets among the labels: the 9 links, nothing else (no tabindex)
    stops = page.evaluate("""() => [...document.querySelectorAll('div.sp .speaker, div.sp .speaker *')]
        .filter(e => e.tabIndex >= 0).length""")
    assert stops == 9, stops
    page.close()


# ------------------------------------------------------------------ print (PDF from Chromium)

@pytest.fixture(scope="module", params=PAPERS)
def printed(request, site, pages, browser):
    """Every document page printed to PDF by Chromium on the paper of the parameter (the
    browser's print as its dialog starts: no background graphics, so the banners' colour must be
    asked for by the stylesheet), each read back by pdfminer.six, with what the browser says of
    its banners (words and colour) and headings. PDFs are kept in build/screenshots/print/."""
    need_module("pdfminer", "pdfminer.six is a test dependency (pip install -e '.[test]')")
    paper = request.param
    out = SHOTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    prints = {}
    for path, kind in pages.items():
        if not (kind.startswith("document") or kind.startswith("volume")):
            continue
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        banners = page.eval_on_selector_all(".banner", """els => els.map(e => [e.classList.contains('banner-top') ? 'top' : 'bottom',
            e.innerText.replace(/\\s+/g, ' ').trim(), getComputedStyle(e).backgroundColor])""")
        headings = page.eval_on_selector_all("main h1, main h2, main h3, main h4, main h5, main h6",
                                             "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim())")
        pdf = out / f"{path.stem}-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=False)
        prints[path.stem] = (pdf_layout.read(pdf), banners, headings)
    page.close()
    return paper, prints


def rgb(css: str) -> tuple[float, ...]:
    return tuple(int(v) / 255 for v in re.findall(r"\d+", css)[:3])


def test_printed_banners_stand_in_the_margins_never_over_text(printed):
    """On every printed page of a document that bears a classification: its top banner across
    the top margin and its bottom banner across the bottom one (a filled rectangle in the
    banner's colour holding the banner's words, and nothing else); every other line of text
    between the two, none touching either."""
    paper, prints = printed
    with_banners = {name: p for name, p in prints.items() if p[1]}
    assert {"excomm-24-1962-11-12", "dobrynin-telegram-1962-10-27", "state-to-moscow-1962-11-06",
            "moscow-to-state-1962-11-21"} <= set(with_banners)
    problems = []
    for name, (pdf_pages, banners, _) in with_banners.items():
        assert len(pdf_pages) >= 1
        words = {where: text for where, text, _ in banners}
        colour = {where: rgb(css) for where, _, css in banners}
        for page in pdf_pages:
            width, height = page.box[2] - page.box[0], page.box[3] - page.box[1]
            found = {}
            for where in ("top", "bottom"):
                rects = [r for r in page.rects if pdf_layout.same_colour(r.fill, colour[where])
                         and r.box[2] - r.box[0] > width / 2 and r.box[3] - r.box[1] > 5]
                # the top banner in the upper half of the sheet, the bottom one in the lower
                rects = [r for r in rects if (r.box[1] > height / 2) == (where == "top")]
                if len(rects) != 1:
                    problems.append(f"{name} page {page.number}: {len(rects)} {where} banners")
                    continue
                found[where] = rects[0].box
            if len(found) < 2:
                continue
            top, bottom = found["top"], found["bottom"]
            for line in page.lines:
                banner = next((where for where, box in found.items() if pdf_layout.inside(line.box, box)), None)
                if banner:
                    if line.text != words[banner]:
                        problems.append(f"{name} page {page.number}: {line.text!r} in the {banner} banner")
                    continue
                if pdf_layout.overlap(line.box, top) or pdf_layout.overlap(line.box, bottom):
                    problems.append(f"{name} page {page.number}: the banner stands over {line.text!r}")
                elif not (line.box[3] <= top[1] and line.box[1] >= bottom[3]):
                    problems.append(f"{name} page {page.number}: {line.text!r} outside the banners")
            # the banners in the margins: nearer the edge of the sheet than 2.2 cm (62 pt)
            if not (top[1] >= height - 62.4 and bottom[3] <= 62.4):
                problems.append(f"{name} page {page.number}: banners not in the margins: {top}, {bottom}")
    assert problems == [], f"{paper}: " + "\n".join(problems)


def test_no_printed_page_ends_with_a_heading(printed):
    """No printed page of any document ends with a heading (or its first lines) whose text goes
    on the next page: the last line of text above the bottom banner, or the page's foot, is not
    part of a heading."""
    paper, prints = printed
    stranded = []
    for name, (pdf_pages, banners, headings) in prints.items():
        words = {text for _, text, _ in banners}
        for page in pdf_pages[:-1]:
            lines = [line.text for line in page.lines if line.text not in words]
            if lines and any(lines[-1] in heading and len(lines[-1]) >= min(len(heading), 6) for heading in headings):
                stranded.append(f"{name} page {page.number}: {lines[-1]!r}")
    assert stranded == [], f"{paper}: {stranded}"
