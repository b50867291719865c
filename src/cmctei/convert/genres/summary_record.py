"""Summary records and records of meetings: heading with date and time, body, signature.

Typed ExComm records print the heading and the meeting's date and time as
one block ("Summary Record of NSC Executive Committee Meeting No. 24" /
"November 12, 1962 -- 11:00 AM"); FRUS prints the heading, then a dateline.
The body reports who said what: the people who speak ("Secretary Rusk
reported …") are the meeting's participants.
"""

from __future__ import annotations

import re

from lxml import etree

from cmctei.convert import closer, opener
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert.genres import common
from cmctei.convert.inline import el

SPEECH_VERBS = r"(?:said|says|reported|asked|suggested|commented|replied|agreed|urged|pointed out|raised|" \
               r"summarized|reviewed|recommended|cautioned|felt|doubted|noted|stated|added|read|explained|" \
               r"argued|proposed|believed|preferred|warned|answered)"
# (the lookahead, for the letters a match can open with, changes no match: the engine leaves
# most positions of a paragraph after that one test; issue 18)
SPEAKER_BEFORE_VERB = re.compile(
    r"(?=[A-Zt])(?:(?:Secretary|Ambassador|General|Director|Mr\.|Under Secretary|The|the)\s+)?"
    r"(?:[A-Z][a-zA-Z.'’]+\s+){0,2}[A-Z][a-zA-Z'’]+(?=\s+(?:\w+\s+)?" + SPEECH_VERBS + r"\b)")
MAX_HEADING_LINES = 3


def summary_record(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = common.start(builder, text)
    first = next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    lines = [line.strip() for line in first.lines] if first is not None and first.lines else []
    if first is not None and 2 <= len(lines) <= MAX_HEADING_LINES and tx.find_date(" ".join(lines[1:])):
        _heading_block(builder, first, lines, div)
        items.remove(first)
    else:
        opener.take_heading(builder, items, div)
        opener.take_dateline(builder, items, div)
    closer.signature(builder, items)
    closer.closing_dateline(builder, items)
    items = common.prepare(builder, items, page_breaks=False)
    for item in items:
        if item.kind == st.PARA:
            for m in SPEAKER_BEFORE_VERB.finditer(item.text):
                pid = builder.resolve(m.group(0))
                if pid and pid not in builder.register.groups:
                    builder.participant(pid)
    common.emit(builder, div, items, sections=False)
    return div


def _heading_block(builder: Builder, first: st.Item, lines: list[str], div: etree._Element) -> None:
    """A heading line, then the meeting's date and time on the next lines of the same block."""
    builder.line = first.line
    frus = bool(opener.FRUS_HEAD.match(lines[0]))
    div.append(opener.head_element(builder, lines[0], frus=frus))
    number = re.search(r"\bNo\.\s*(\d+)", lines[0])
    if number and not frus:
        builder.info.number = number.group(1)
    if builder.info.number:
        div.set("n", builder.info.number)
    rest = " ".join(lines[1:])
    found = tx.find_date(" ".join(lines))
    opening = el("opener")
    dateline = el("dateline")
    found_rest = tx.find_date(rest)
    if found_rest:
        dateline.text = rest[:found_rest.start]
        date = el("date", rest[found_rest.start:found_rest.end], when=found_rest.iso)
        date.tail = rest[found_rest.end:]
        dateline.append(date)
        builder.info.start_time = tx.clock(rest[found_rest.end:])
    else:
        dateline.text = rest
    opening.append(dateline)
    div.append(opening)
    if found:
        builder.info.date = found.iso
        builder.info.date_printed = " ".join(lines)[found.start:found.end]
