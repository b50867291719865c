"""Telegrams and cables: letterhead, heading, addressee, address lines, body, signature.

A typed cable prints a letterhead ("DEPARTMENT OF STATE"), a heading
(``## INCOMING TELEGRAM``, ``CIPHERED TELEGRAM`` or a FRUS title "Telegram
From the Embassy in Poland to the Department of State"), FROM:/TO: lines or an
addressee ("CC CPSU"), a dateline, the text, and the signature of whoever
sent it (who, for a cable, is its sender: a FROM line names only the office).
"""

from __future__ import annotations

from lxml import etree

from cmctei.convert import closer, opener
from cmctei.convert import structure as st
from cmctei.convert.build import Builder
from cmctei.convert.genres import common

LETTERHEAD_ITEMS = 6  # how far down a marked-up heading may stand below a letterhead


def telegram(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = common.start(builder, text)
    marked = next((i for i in items[:LETTERHEAD_ITEMS] if i.kind == st.HEADING and i.data.get("markdown")), None)
    if marked is not None and items.index(marked) > 0:
        # lines printed above the heading ("DEPARTMENT OF STATE") are a letterhead;
        # whatever else is printed there (a stamp, a mark, a page number, an
        # excision) stays with it above the head, in printed order
        opener.letterhead(builder, items, items.index(marked), div)
    if opener.take_heading(builder, items, div) is not None:
        opener.correspondents_from_title(builder)
    opener.address_lines(builder, items)
    opener.addressee(builder, items, div)
    items, attachments = common.split_attachments(items)
    if closer.signature(builder, items) is not None and builder.info.signed:
        builder.info.sender = [builder.info.signed]
    opener.take_dateline(builder, items, div)
    closer.closing_dateline(builder, items)
    items = common.prepare(builder, items, page_breaks=True)
    common.emit(builder, div, items, sections=False)
    builder.attachments = [common.attachment(builder, part, page_breaks=True) for part in attachments]
    if not builder.info.title:
        builder.info.title = "Telegram"
    return div
