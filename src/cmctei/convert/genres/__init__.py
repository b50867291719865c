"""The five genres: how each one's title block, body and closing are laid out.

Everything genre-independent (marks, page furniture, stamps, excisions,
footnotes, brackets) is recognised in :mod:`..structure` and :mod:`..inline`,
the opening and closing lines of letter-like documents in :mod:`..opener` and
:mod:`..closer`; each genre module only says where its title, date, sender,
recipient, speakers and signature are printed. :func:`detect` reads the genre
from the text when the catalog does not give it.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from cmctei.convert import opener
from cmctei.convert import structure as st
from cmctei.convert.genres.chapter import chapter
from cmctei.convert.genres.memorandum import memorandum
from cmctei.convert.genres.summary_record import summary_record
from cmctei.convert.genres.telegram import telegram
from cmctei.convert.genres.transcript import transcript

ASSEMBLERS = {
    "memorandum": memorandum,
    "telegram": telegram,
    "transcript": transcript,
    "summary-record": summary_record,
    "chapter": chapter,
}
HEADING_LINES = 12  # how far down the heading may be printed (below marks, a letterhead, stamps)


@lru_cache(maxsize=1)
def heading_vocabulary() -> tuple[tuple[str, re.Pattern], ...]:
    """(genre, phrases) in the order of data/genres.toml: the first genre whose phrase a heading has wins."""
    data = tomllib.loads(resources.files("cmctei.convert").joinpath("data/genres.toml").read_text(encoding="utf-8"))
    out = []
    for entry in data["genre"]:
        phrases = sorted(entry["phrases"], key=len, reverse=True)
        out.append((entry["code"], re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split()))
                                                                  for p in phrases) + r")\b", re.I)))
    return tuple(out)


def genre_of_heading(heading: str) -> str | None:
    """The genre a printed heading names ("Record of Meeting" → summary-record), or None."""
    for code, pattern in heading_vocabulary():
        if pattern.search(heading):
            return code
    return None


def heading(text: str) -> str | None:
    """The document's printed heading: the first title-like line at the top (marks and stamps skipped)."""
    for block in st.segment("\n".join(text.strip().split("\n")[:HEADING_LINES * 3]), transcript=False)[:HEADING_LINES]:
        if block.kind in st.FURNITURE:
            continue
        if block.kind == st.HEADING or opener.title_like(block.text):
            return block.text
        if opener.read_dateline(block.text) is None and not opener.ADDRESS.match(block.text):
            return None  # body text before any heading
    return None


def detect(text: str) -> str | None:
    """The genre the text shows, or None when it does not show one.

    The heading decides when it names a kind of document (a "Record of Meeting"
    with ``Name:`` lines in it is still a summary record); else the layout:
    speaker turns make a transcript, cable address lines a telegram, hard-wrapped
    lines of print a chapter.
    """
    if not text.strip():
        return None
    printed = heading(text)
    if printed:
        m = opener.FRUS_HEAD.match(printed)
        genre = genre_of_heading(m.group("title") if m else printed)
        if genre:
            return genre
    items = st.segment(text, transcript=True)
    turns = [i for i in items if i.kind == st.TURN]
    head = "\n".join(text.strip().splitlines()[:HEADING_LINES])
    if len(turns) >= 3 and len(turns) >= len([i for i in items if i.kind == st.PARA]) / 3:
        return "transcript"
    if re.search(r"\bTELEGRAM\b|\bCABLE\b|\bAMEMBASSY\b|\bSECSTATE\b|^FM\s", head, re.I | re.M):
        return "telegram"
    if re.search(r"\bSummary Record\b|\bRecord of (?:the )?Meeting\b|\bRecord of Action\b", head, re.I):
        return "summary-record"
    if re.search(r"\bMemorandum\b", head, re.I):
        return "memorandum"
    lines = [line for line in text.splitlines() if line.strip()]
    wrapped = [line for line in lines if 55 <= len(line.strip()) <= 95]
    if len(lines) >= 20 and len(wrapped) >= 0.6 * len(lines):
        return "chapter"
    return None
