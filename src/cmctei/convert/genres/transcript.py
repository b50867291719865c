"""Transcripts of recorded conversations: headnote, title, speaker turns.

A transcript prints a headnote (archival number, date, time, the editors'
narrative), a title, then speaker turns ``Name: text``; page furniture falls
between turns; tape times ``[05:03]`` are anchors; excisions, stage notes and
editorial omission notes (``[Omitted here is discussion of …]``) stand between
turns where they are printed. The title is the heading printed just above the
first turn, or above the dateline that precedes the first turn.
"""

from __future__ import annotations

import re

from lxml import etree

from cmctei.convert import opener
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert.genres import common
from cmctei.convert.inline import el

MAX_TITLE = 160
SHORT_HEADNOTE_LINE = 60


def transcript(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div = el("div", type="document")
    items = st.segment(text, transcript=True)
    opener.leading_furniture(builder, items, div)
    builder.collect_footnote_texts(items)
    builder.place_marks(items)
    items = st.rejoin(st.mark_pages(items), blank_lines_are_page_breaks=False)
    first_turn = next((i for i, item in enumerate(items) if item.kind == st.TURN), None)
    title_index = _title_index(items, first_turn if first_turn is not None else len(items))
    speakers = overrides.get("speakers", {})

    headnote_items = items[:title_index if title_index is not None else (first_turn or 0)]
    if headnote_items:
        # Kept in printed order; the date line and the time line become
        # paragraphs with a dated element, so no sentence moves.
        headnote = el("div", type="headnote")
        for item in headnote_items:
            _headnote_item(builder, headnote, item)
        div.append(headnote)

    body = el("div", type="transcript")
    start = (title_index + 1) if title_index is not None else (first_turn or 0)
    if title_index is not None:
        title = items[title_index]
        builder.line = title.line
        if title.joins:  # printed over a page break: keep what stood between the halves
            builder.info.title = opener.title_text(title.text)
            body.append(builder.paragraph(title, tag="head"))
        else:
            body.append(opener.head_element(builder, title.text, frus=True))
    current_sp: etree._Element | None = None
    last_block: etree._Element | None = None
    for item in items[start:]:
        if item.kind == st.TURN:
            label = item.data["label"]
            who = builder.speakers(label, item.line, speakers)
            sp = el("sp", who=" ".join("#" + pid for pid in who))
            sp.append(el("speaker", label if label.endswith(".") else label + ":"))
            paragraph = builder.paragraph(item, speaker=" ".join(who))
            sp.append(paragraph)
            body.append(sp)
            current_sp, last_block = sp, paragraph
        elif item.kind == st.PARA and current_sp is None and builder.info.date is None \
                and (dateline := opener.read_dateline(item.text)) is not None:
            builder.line = item.line
            body.append(opener.dated("p", dateline, builder))
        elif item.kind == st.PARA:
            who = (current_sp.get("who") or "").replace("#", "") if current_sp is not None else None
            paragraph = builder.paragraph(item, speaker=who or None)
            (current_sp if current_sp is not None else body).append(paragraph)
            last_block = paragraph
        elif item.kind == st.FOOTTEXT:
            if last_block is not None:
                builder.page_end.setdefault(item.data["n"], last_block)
        elif item.kind in st.FURNITURE:
            # page furniture between turns: inside the current speech, so that
            # a continuation paragraph after it stays with its speaker
            (current_sp if current_sp is not None else body).extend(builder.block_furniture(item))
        else:
            current_sp = None
            common.emit(builder, body, [item], sections=False)
    div.append(body)
    return div


def _title_index(items: list[st.Item], first_turn: int) -> int | None:
    """The heading printed just above the first turn (or above the dateline that precedes it)."""
    for index in range(first_turn - 1, -1, -1):
        candidate = items[index]
        if candidate.kind in st.FURNITURE:
            continue
        if candidate.kind == st.PARA and opener.read_dateline(candidate.text) and index > 0:
            continue  # "Washington, November 3, 1968, 4:20 p.m.": the title is above it
        if candidate.kind in (st.PARA, st.HEADING) and len(candidate.lines) <= 2 and len(candidate.text) < MAX_TITLE \
                and not tx.ends_sentence(candidate.text):
            return index
        return None
    return None


def _headnote_item(builder: Builder, headnote: etree._Element, item: st.Item) -> None:
    short = item.kind == st.PARA and len(item.text) < SHORT_HEADNOTE_LINE and not item.joins
    found = tx.find_date(item.text, kinds=("mdy", "dmy")) if short else None
    if found and builder.info.date is None:
        paragraph = el("p", item.text[:found.start])
        date = el("date", item.text[found.start:found.end], when=found.iso)
        date.tail = item.text[found.end:]
        paragraph.append(date)
        headnote.append(paragraph)
        builder.info.date = found.iso
        builder.info.date_printed = item.text[found.start:found.end]
        return
    if short and not builder.info.start_time and re.match(r"^\s*\d{1,2}[:.]\d\d", item.text):
        builder.info.start_time = tx.clock(item.text)
    common.emit(builder, headnote, [item], sections=False)
