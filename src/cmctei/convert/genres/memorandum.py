"""Memoranda, letters, notes and reports: heading, opening lines, body, signature.

The layout of a FRUS memorandum (``96. Memorandum From … to … 0``) and of
any office memorandum or letter: furniture and marks above, a heading, a
dateline and address or subject lines, the body, a signature at the end.
"""

from __future__ import annotations

from lxml import etree

from cmctei.convert import closer, opener
from cmctei.convert.build import Builder
from cmctei.convert.genres import common

SHORT_FIRST_LINE = 140  # an unpunctuated first line this short is the heading even if not title-cased


def memorandum(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = common.start(builder, text)
    opener.take_heading(builder, items, div, accept=lambda first: len(first.text) < SHORT_FIRST_LINE
                        and not first.text.rstrip().endswith((".", ":")))
    opener.correspondents_from_title(builder)
    opener.address_lines(builder, items)
    opener.take_dateline(builder, items, div)
    items, attachments = common.split_attachments(items)
    closer.signature(builder, items)
    closer.closing_dateline(builder, items)
    items = common.prepare(builder, items, page_breaks=True)
    common.emit(builder, div, items)
    builder.attachments = [common.attachment(builder, part, page_breaks=True) for part in attachments]
    return div
