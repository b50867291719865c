"""Block-level recognition shared by all genres.

A source is cut into blocks at blank lines. Each block is recognised as one
of a small set of items (paragraph, speaker turn, heading, classification
mark, page number, archival header, stamp, footnote text, excision, stage
note), independently of the genre. Then paragraphs that a page boundary
interrupted are rejoined: when a paragraph stops mid-sentence and the next
paragraph continues it, everything printed between them (page number,
running marks, stamps, footnotes at the page bottom) is moved to the join
point as milestones, so no word is lost and none is duplicated.
"""

from __future__ import annotations

import re
import statistics
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from cmctei.convert import marks
from cmctei.convert import text as tx

PARA, TURN, HEADING, MARK, PAGENUM, HEADER, STAMP, FOOTTEXT, EXCISION, EVENT, EDITORIAL, PAGEBREAK = (
    "para", "turn", "heading", "mark", "pagenum", "header", "stamp", "foottext", "excision", "event", "editorial",
    "pagebreak")
FURNITURE = {MARK, PAGENUM, HEADER, STAMP, FOOTTEXT, PAGEBREAK}
TEXT = {PARA, TURN, HEADING, EXCISION, EVENT, EDITORIAL}


@lru_cache(maxsize=1)
def _editorial_starts() -> re.Pattern:
    """The phrases that open an editors' note in brackets (data/editorial.toml)."""
    data = tomllib.loads(resources.files("cmctei.convert").joinpath("data/editorial.toml").read_text(encoding="utf-8"))
    phrases = sorted(data["editorial"]["starts"], key=len, reverse=True)
    return re.compile(r"^\s*\*?(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases) + r")\b", re.I)


def editorial(inner: str) -> bool:
    """Whether the words inside a bracketed line are the editors' ("Omitted here is …")."""
    return bool(_editorial_starts().match(inner))


@dataclass
class Item:
    kind: str
    text: str
    line: int
    lines: list[str] = field(default_factory=list)  # the printed lines (paragraphs)
    data: dict = field(default_factory=dict)
    blank_before: int = 0
    # elements that a join moved into this paragraph: (position in text, kind, item)
    joins: list[tuple[int, list["Item"]]] = field(default_factory=list)


# "Llewellyn Thompson:", "President and Rusk:", "Several participants:", "Unidentified speaker:"
_GROUP_WORDS = r"and|&|participants|voices|speakers|speaker|voice|others|members|people|unidentified|unknown|male|female"
LABEL = re.compile(r"^(?P<label>(?:[A-Z][\w.'’\-]*|de|van|von|[a-z]+\.)(?:,?\s+(?:[A-Z][\w.'’\-]*|de|van|von|of|the|\d+|"
                   + _GROUP_WORDS + r")){0,6}(?:\s+\[[^\]]+\])?)\s*:\s+(?P<rest>.*)$", re.S)
# A teleconference turn: the place speaking and the item number ("Washington Item 1.", "[Saigon] Item 1.").
ITEM_LABEL = re.compile(r"^(?P<label>(?P<place>\[?[A-Z][\w.'’\- ]{0,30}?\]?)\s+Item\s+(?P<n>\d+[a-z]?))\.\s+(?P<rest>.*)$",
                        re.S)
FOOT_TEXT = re.compile(r"^([" + tx.SUPERSCRIPTS + r"]+)\s+(.*)$", re.S)  # "¹ See Document 265."
NOT_LABELS = {"note", "notes", "source", "subject", "from", "to", "cc", "info", "ref", "re", "date", "place",
              "present", "participants", "time", "fm", "distribution", "attachment", "enclosure", "copy",
              "sensitive", "page", "tab", "annex", "summary", "topic", "location"}


_FIGURES = re.compile(r"[\d\s.:]+")  # a time or a number, not a speaker ("10:15: …")


def speaker_label(text: str) -> tuple[str, str] | None:
    """'Llewellyn Thompson: [00:35] …' → ('Llewellyn Thompson', '[00:35] …')."""
    m = LABEL.match(text)
    if not m:
        item = ITEM_LABEL.match(text)
        return (item.group("label") + ".", item.group("rest")) if item else None
    label = m.group("label").strip()
    if label.lower() in NOT_LABELS or len(label) > 48 or label.isupper() and marks.read(label):
        return None
    if _FIGURES.fullmatch(label):
        return None
    return label, m.group("rest")


def _caps_heading(line: str) -> bool:
    text = line.strip()
    if len(text) > 70 or len(text.split()) > 9:  # the cheap tests first: most lines are prose
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    if any(c.islower() for c in letters) or text.endswith((".", ",", ";", ":")):
        return False
    return len(letters) >= 3


# (compiled once: segment() asks them of every block of every document; issue 18)
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
# a bracketed line (a stage note, an excision …; see segment())
_BRACKETED = re.compile(r"\[(?!\s*\d{1,2}:\d{2}(?::\d{2})?\s*\])(.+)\]\.?", re.S)


def segment(text: str, *, transcript: bool) -> list[Item]:
    """Cut a source into recognised items, in reading order."""
    items: list[Item] = []
    for block in tx.blocks(text):
        lines = [line.text for line in block.lines]
        first = lines[0].strip()
        start = block.first
        single = len(lines) == 1

        read = []  # the mark of each line, while the lines are marks (most blocks: not the first)
        for line in lines:
            mark = marks.read(line)
            if mark is None:
                break
            read.append(mark)
        if len(read) == len(lines):
            for offset, (line, mark) in enumerate(zip(lines, read)):
                items.append(Item(MARK, line.strip(), start + offset, data={"mark": mark},
                                  blank_before=block.gap_before if offset == 0 else 0))
            continue
        if single and tx.page_number(first):
            items.append(Item(PAGENUM, first, start, data={"n": tx.page_number(first)}, blank_before=block.gap_before))
            continue
        if single and (tx.ARCHIVAL_NUMBER.match(first) or tx.DATE_HEADER.match(first)):
            items.append(Item(HEADER, first, start, blank_before=block.gap_before))
            continue
        if single and items and items[-1].kind == STAMP and items[-1].data.get("open") \
                and (tx.is_stamp_piece(first) or tx.is_stamp_start(first)) and not marks.read(first):
            # a stamp printed over several lines: join until its date
            previous = items[-1]
            previous.text += " " + first
            previous.data["open"] = "DATE" not in first.upper()
            continue
        if single and tx.is_stamp_start(first):
            complete = "DATE" in first.upper() or first.strip(" .").upper() == "SANITIZED"
            items.append(Item(STAMP, first, start, data={"open": not complete}, blank_before=block.gap_before))
            continue
        heading = _MARKDOWN_HEADING.match(first)
        if single and heading:
            items.append(Item(HEADING, heading.group(2), start, data={"level": len(heading.group(1)), "markdown": True},
                              blank_before=block.gap_before))
            continue
        if FOOT_TEXT.match(first):
            # note texts at a page foot; consecutive ones ("¹ First." / "² Second.") are separate
            # notes: a line that opens with a marker opens a note, the others continue it
            gap = block.gap_before
            for offset, line in enumerate(lines):
                foot = FOOT_TEXT.match(line.strip())
                if foot:
                    items.append(Item(FOOTTEXT, foot.group(2).strip(), start + offset, lines=[foot.group(2)],
                                      data={"n": tx.superscript_value(foot.group(1))}, blank_before=gap))
                    gap = 0
                else:
                    items[-1].lines.append(line)
                    items[-1].text = tx.join_lines(items[-1].lines)
            continue
        joined = tx.join_lines(lines)
        excision = tx.audio_excision(joined) if len(joined) < 160 else None
        if excision and not speaker_label(joined):
            items.append(Item(EXCISION, joined, start, data={"excision": excision}, blank_before=block.gap_before))
            continue
        # (a tape time, [05:03] or [1:02:03], is not a stage note: it stays in the text, an anchor)
        bracketed = _BRACKETED.fullmatch(joined)
        if bracketed and "]" not in bracketed.group(1):
            inner = bracketed.group(1).strip("* ")
            excision = tx.line_excision(inner) or tx.audio_excision(inner)
            if excision:
                items.append(Item(EXCISION, joined, start, data={"excision": excision, "bracketed": True},
                                  blank_before=block.gap_before))
            elif editorial(inner):
                items.append(Item(EDITORIAL, joined, start, blank_before=block.gap_before))
            else:
                items.append(Item(EVENT, joined, start, blank_before=block.gap_before))
            continue
        if transcript:
            label = speaker_label(joined)
            if label:
                items.append(Item(TURN, label[1], start, lines=lines, data={"label": label[0]},
                                  blank_before=block.gap_before))
                continue
        if single and _caps_heading(first) and not tx.is_stamp_start(first):
            items.append(Item(HEADING, first, start, data={"level": 2}, blank_before=block.gap_before))
            continue
        items.append(Item(PARA, joined, start, lines=lines, blank_before=block.gap_before))
    return items


MARKER_LINE = re.compile(r"(?:[.,;:!?\"”’')\]]|[a-z]{2})\d{1,3}(?:\s|$)|[" + tx.SUPERSCRIPTS + r"]")


def mark_pages(items: list[Item]) -> list[Item]:
    """Insert a PAGEBREAK item wherever the furniture shows that a new page begins.

    Evidence of a page boundary inside a run of furniture between two pieces
    of text: a page number ("- 2 -"), a running head or archival number
    repeated mid-document, footnote texts printed at a page bottom, or two
    classification marks (the bottom of one page and the top of the next).
    The break goes before the furniture printed at the top of the new page.
    """
    out = list(items)
    index = 0
    while index < len(out):
        if out[index].kind not in FURNITURE or not any(i.kind in TEXT for i in out[:index]):
            index += 1
            continue
        end = index
        while end < len(out) and out[end].kind in FURNITURE:
            end += 1
        run = out[index:end]
        if end >= len(out) or any(i.kind == PAGEBREAK for i in run):
            index = end
            continue
        kinds = [i.kind for i in run]
        position = None
        number = None
        if PAGENUM in kinds:
            at = index + kinds.index(PAGENUM)
            number = out[at].data["n"]
            position = at
            if position - 1 >= index and out[position - 1].kind in (MARK, HEADER):
                position -= 1
                while position - 1 >= index and out[position - 1].kind == HEADER:
                    position -= 1
        elif HEADER in kinds:
            position = index + kinds.index(HEADER)
        elif FOOTTEXT in kinds:
            position = index + len(kinds) - kinds[::-1].index(FOOTTEXT)
        elif kinds.count(MARK) >= 2:
            position = index + len(kinds) - kinds[::-1].index(MARK) - 1
        if position is not None:
            out.insert(position, Item(PAGEBREAK, "", out[position].line, data={"n": number}))
            end += 1
        index = end
    return out


def rejoin(items: list[Item], *, blank_lines_are_page_breaks: bool) -> list[Item]:
    """Rejoin paragraphs that page furniture or a page break interrupted mid-sentence.

    ``joins`` on the surviving paragraph records, at each join point, the
    furniture items that stood between the two halves (an empty list means a
    bare page break: a blank line inside a sentence).
    """
    out: list[Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind not in (PARA, TURN) or item.data.get("dateline") is not None:
            out.append(item)  # a dateline already built stands alone: nothing is joined to it
            i += 1
            continue
        while True:
            j = i + 1
            between: list[Item] = []
            while j < len(items) and items[j].kind in FURNITURE:
                between.append(items[j])
                j += 1
            if j >= len(items) or items[j].kind != PARA or items[j].data.get("dateline") is not None:
                break
            following = items[j]
            if not between and not blank_lines_are_page_breaks:
                break
            if not tx.continues(item.text, following.text):
                break
            position = len(item.text)
            kept = [b for b in between if b.kind != FOOTTEXT]
            if not kept and following.lines and MARKER_LINE.search(following.lines[0]):
                # A blank line before the line that carries a footnote marker is left
                # by the extraction of the superscript, not by a page: just rejoin.
                kept = None
            item.joins.append((position, kept))
            item.text = item.text + " " + following.text
            item.lines = item.lines + following.lines
            # footnote texts stay in the flow (before the paragraph they interrupted):
            # their position marks the end of a page
            out.extend(b for b in between if b.kind == FOOTTEXT)
            i = j
        out.append(item)
        i += 1
    return out


def block_quotes(items: list[Item]) -> set[int]:
    """Indices of paragraphs typeset as block quotations (noticeably shorter lines).

    A typeset block quotation is indented on both sides, so its wrapped lines
    are shorter than those of the body text. The body width is measured on
    the document itself (the median, over paragraphs of three or more full
    lines, of their mean line length); a paragraph whose full lines are on
    average at least 4.5 characters shorter, and never as long as the body,
    is a quotation. Paragraphs with fewer than three full lines are never
    judged: there is too little evidence.
    """
    def full_lines(item: Item) -> list[int]:
        return [len(line.strip().replace(tx.PAGE_BREAK, "")) for line in item.lines[:-1]]

    lengths = [full_lines(item) if item.kind == PARA else [] for item in items]
    means = [_mean(full) for full in lengths if len(full) >= 3]
    if len(means) < 5:
        return set()
    body = statistics.median(means)
    quoted = set()
    for index, full in enumerate(lengths):
        if len(full) >= 3 and _mean(full) <= body - 4.5 and max(full) < body - 0.5:
            quoted.add(index)
    return quoted


def _mean(lengths: list[int]) -> float:
    """The mean of whole numbers, the value ``statistics.mean`` gives (which reckons in exact
    fractions, a twentieth of convert's time in a chapter: issue 18): the quotient of two ints
    is correctly rounded, and where the mean is whole it equals the int that function returns."""
    return sum(lengths) / len(lengths)
