"""Book chapters: a title, hard-wrapped running text broken by pages, sections, block quotations.

In the text extractions of printed books a line printed with a leading
space starts a new page (the first line of the document excepted); block
quotations are told from the body by their shorter lines
(:func:`cmctei.convert.structure.block_quotes`).
"""

from __future__ import annotations

from lxml import etree

from cmctei.convert import opener
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert.genres import common
from cmctei.convert.inline import PAGE_BREAK, el

MAX_TITLE = 80


def chapter(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div = el("div", type="document")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    marked = "\n".join((PAGE_BREAK + line.strip()) if line.startswith(" ") and line.strip() and i > first else line
                       for i, line in enumerate(lines))
    items = st.segment(marked, transcript=False)
    builder.collect_footnote_texts(items)
    head = next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    if head is not None and (head.kind == st.HEADING or (len(head.lines) == 1 and len(head.text) < MAX_TITLE
                                                         and not tx.ends_sentence(head.text))):
        builder.line = head.line
        div.append(opener.head_element(builder, head.text.replace(PAGE_BREAK, ""), frus=False))
        items.remove(head)
    items = common.prepare(builder, items, page_breaks=True)
    common.emit(builder, div, items, quotes=st.block_quotes(items))
    return div
