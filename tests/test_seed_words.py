"""Every seed's published plain text and HTML page, word for word against its source.

The expected words are the source's own (`sources/<docid>.txt`, the seeds as given),
tokenised by tests/fidelity.py as the converter tests do: every word kept, in order, none
duplicated. What publishing adds, moves or renders differently is undone here by the
conventions the outputs document (text.xsl's and html.xsl's headers, docs/encoding.md),
never by running cmctei's code:

- plain text: the header block (title, facts line, "===") and the classification banner on
  the first and last lines are furniture; the labels "[MARK: ", "[PAGE: ", "[HEAD: ",
  "[STAMP: ", "[struck: ", "[INAUDIBLE: " name what follows; "[?]" marks a doubtful reading;
  "[page N]" is a page break (the printed number is kept as "[PAGE: - N -]"); footnote texts
  are listed under "Notes" at the end, each as "[n] text";
- HTML: the text section and the notes section of the page; the note labels and back-links,
  the page-break markers and the "[?]" marks are furniture; a gap shows the wording the source
  prints there, as printed, and beside it its extent and reason in brackets ("Unclear
  [inaudible]", html.xsl), which are furniture.

The plain text renders the printed wording of an excision as its extent and reason; those few
phrases are written below by hand, each with its rendering. Each comparison also checks the
furniture where the profile puts it: banners top and bottom, each note under its number.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from lxml import html

from conftest import ROOT
from fidelity import Word, source_words
from cmctei.publish import documents

SEEDS = documents(ROOT / "tei")
DOCIDS = [p.stem for p in SEEDS]

# Hand-read from each source: the printed wording of each excision or whited-out passage
# (in order), and how the plain text renders it (text.xsl: "[EXCISED: 7 seconds, classified]").
# The page shows the printed wording itself.
GAPS: dict[str, list[tuple[str, str]]] = {
    "oval-office-1962-11-14": [
        ("Seven seconds excised as classified information.", "[EXCISED: 7 seconds, classified]"),
        ("One minute, thirty-seven seconds excised as classified information.",
         "[EXCISED: 1 minute 37 seconds, classified]"),
    ],
    "dobrynin-telegram-1962-10-27": [
        ("[one-and-a-half lines whited out]", "[WHITED OUT: 1.5 lines, sanitized]"),
    ],
}
# "[*unclear*: on this]": the word "unclear" of the printed bracket becomes the mark "[?]" after
# the words heard with doubt (both outputs).
DOUBTFUL = {"oval-office-1962-11-14": [("[*unclear*: on this]", "on this")]}
# The classification line printed first, which both outputs repeat at the top and bottom.
BANNERS = {"excomm-24-1962-11-12": "TOP SECRET - SENSITIVE",
           "dobrynin-telegram-1962-10-27": "TOP SECRET Making Copies Prohibited Copy No. I"}
# The plain text's banner line says struck words as its body does: the source's ~~TOP SECRET~~.
TEXT_BANNERS = {**BANNERS, "excomm-24-1962-11-12": "[struck: TOP SECRET] - SENSITIVE"}
# Sources that print footnote texts (the transcript, at page bottoms); the others print markers only.
NOTE_TEXTS = {"oval-office-1962-11-14"}
# The transcript prints the text of footnote 9 but not its marker; the note is placed at the end
# of its page (docs/encoding.md 7.3), so the outputs have one marker the source does not print.
PLACED_MARKERS = {"oval-office-1962-11-14": ["9"]}


@pytest.fixture(scope="module")
def build(seed_site) -> Path:
    return seed_site


def expected(docid: str, output: str) -> tuple[list[Word], dict[str, list[Word]]]:
    text = (ROOT / "sources" / f"{docid}.txt").read_text(encoding="utf-8")
    for printed, in_text in GAPS.get(docid, []):
        assert text.count(printed) == 1, printed
        if output == "text":
            text = text.replace(printed, in_text)
    for printed, words in DOUBTFUL.get(docid, []):
        assert text.count(printed) == 1, printed
        text = text.replace(printed, words)
    return source_words(text, footnote_text_lines=docid in NOTE_TEXTS)


def words_of(text: str) -> list[Word]:
    """Words as fidelity tokenises them, tape times as one token each ("[05:03]" → 303 s)."""
    return source_words(text, footnote_text_lines=False)[0]


def differences(want: list[Word], got: list[Word], allowed_extra: list[str] = ()) -> list[str]:
    a, b = [w.key for w in want], [w.key for w in got]
    problems = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lost, added = list(want[i1:i2]), list(got[j1:j2])
        if not lost and [w.key for w in added] == list(allowed_extra):
            continue
        context = " ".join(want[max(0, i1 - 6):i1])
        problems.append(f"{tag} after «{context}»: source {lost[:12]} → output {added[:12]}")
    return problems


# ------------------------------------------------------------------ plain text

LABELS = re.compile(r"\[(?:MARK|PAGE|HEAD|STAMP|struck|INAUDIBLE):\s")


def plain_text_parts(docid: str, text: str) -> tuple[str, dict[str, str]]:
    lines = text.rstrip("\n").split("\n")
    banner = TEXT_BANNERS.get(docid)
    if banner:
        assert lines[0] == banner and lines[-1] == banner, (lines[0], lines[-1])
        lines = lines[1:-1]
    else:
        assert not any(line.startswith("TOP SECRET") for line in (lines[0], lines[-1]))
    rule = next(i for i, line in enumerate(lines) if line and set(line) == {"="})
    assert rule <= 2, "the header is the title, the facts line and the rule"
    body = "\n".join(lines[rule + 1:])
    notes: dict[str, str] = {}
    if "\n\nNotes\n\n" in body:
        body, listed = body.rsplit("\n\nNotes\n\n", 1)
        for m in re.finditer(r"^\[(\d+)\] (.*?)(?=^\[\d+\] |\Z)", listed, flags=re.M | re.S):
            assert m.group(1) not in notes, f"note {m.group(1)} listed twice"
            notes[m.group(1)] = m.group(2)
    body = body.replace("[?]", " ")
    body = re.sub(r"\[page [^\]]*\]", " ", body)
    return LABELS.sub(" ", body), notes


@pytest.mark.parametrize("docid", DOCIDS)
def test_plain_text_keeps_every_word(build, docid):
    want_body, want_notes = expected(docid, "text")
    body, notes = plain_text_parts(docid, (build / "text" / f"{docid}.txt").read_text(encoding="utf-8"))
    problems = differences(want_body, words_of(body), PLACED_MARKERS.get(docid, []))
    assert problems == [], "\n".join(problems[:6])
    markers = sorted(set(re.findall(r"\[(\d+)\]", body)), key=int)
    assert sorted(notes, key=int) == markers, "each marker has its note, each note its marker"
    for n, note in notes.items():
        if docid in NOTE_TEXTS:
            problems = differences(want_notes.get(n, []), words_of(LABELS.sub(" ", note.replace("[?]", " "))))
            assert problems == [], f"note {n}: " + "\n".join(problems[:4])
        else:
            assert " ".join(note.split()) == "(the text of this note is not transcribed in the source)", n
    if docid in NOTE_TEXTS:
        assert sorted(want_notes, key=int) == sorted(notes, key=int)


# ------------------------------------------------------------------ HTML

def page_parts(docid: str, path: Path) -> tuple[str, dict[str, str]]:
    page = html.parse(str(path)).getroot()
    banners = page.xpath("//div[contains(@class, 'banner')]")
    if docid in BANNERS:
        assert [" ".join(b.text_content().split()) for b in banners] == [BANNERS[docid]] * 2
        assert banners[0].getparent().index(banners[0]) == 0 or banners[0].xpath("preceding::main") == []
        assert banners[-1].xpath("following::*") == []  # the last thing on the page
    else:
        assert banners == []
    for furniture in page.xpath("//a[@role='doc-backlink'] | //span[@class='unclear-mark'] | //span[@class='pb']"
                                " | //span[@class='note-label'] | //span[@class='gap-label']"):
        furniture.drop_tree()
    notes = {}
    for item in page.xpath("//section[contains(@class, 'notes')]//li"):
        ref = page.xpath("//a[@role='doc-noteref'][@href=$h]", h="#" + item.get("id"))
        assert len(ref) == 1, item.get("id")
        notes[ref[0].text_content().strip()] = item.text_content()
    body = page.xpath("//section[@id='text']")[0]
    return body.text_content(), notes


@pytest.mark.parametrize("docid", DOCIDS)
def test_html_page_keeps_every_word(build, docid):
    want_body, want_notes = expected(docid, "html")
    body, notes = page_parts(docid, build / "html" / f"{docid}.html")
    problems = differences(want_body, words_of(body), PLACED_MARKERS.get(docid, []))
    assert problems == [], "\n".join(problems[:6])
    for n, note in notes.items():
        if docid in NOTE_TEXTS:
            problems = differences(want_notes.get(n, []), words_of(note))
            assert problems == [], f"note {n}: " + "\n".join(problems[:4])
        else:
            assert "not transcribed in the source" in note, n
    if docid in NOTE_TEXTS:
        assert sorted(want_notes, key=int) == sorted(notes, key=int)
