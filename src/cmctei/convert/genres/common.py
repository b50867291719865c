"""What every genre's body is made of: items emitted as TEI blocks, in printed order.

The genre modules recognise where a document's title, date, people and
signature are printed; what remains is emitted here the same way for all of
them: paragraphs, sections, furniture, stamps, excisions, stage notes and the
closer, each where it is printed.
"""

from __future__ import annotations

import re

from lxml import etree

from cmctei.convert import closer, inline, opener
from cmctei.convert import structure as st
from cmctei.convert.build import Builder
from cmctei.convert.inline import append, el


def start(builder: Builder, text: str) -> tuple[etree._Element, list[st.Item]]:
    """The document div and the items of the text, with the footnote texts read
    and the furniture printed above the title already placed."""
    div = el("div", type="document")
    items = st.segment(text, transcript=False)
    builder.collect_footnote_texts(items)
    opener.leading_furniture(builder, items, div)
    return div, items


def prepare(builder: Builder, items: list[st.Item], *, page_breaks: bool) -> list[st.Item]:
    """Footnote texts read, marks placed top or bottom, pages found, split paragraphs rejoined."""
    builder.collect_footnote_texts(items)
    builder.place_marks(items)
    return st.rejoin(st.mark_pages(items), blank_lines_are_page_breaks=page_breaks)


def emit(builder: Builder, container: etree._Element, items: list[st.Item], *, quotes: set[int] | None = None,
         sections: bool = True) -> etree._Element:
    """Emit generic items into a div; ALL-CAPS headings open sections. Returns the last container."""
    quotes = quotes or set()
    current = container
    last_block: etree._Element | None = None
    closing: etree._Element | None = None
    for index, item in enumerate(items):
        if item.kind == closer.CLOSER:
            closing = closer.complete(builder, item)
            container.append(closing)  # after any sections: TEI's divBottom
            current = container
            continue
        if closing is not None and item.kind == st.STAMP:
            if current[-1] is closing:
                closing.append(builder.stamp(item.text))  # stamps printed right after the signature
            else:  # after other furniture below the signature: furniture too, in printed order
                current.append(append(el("fw", type="header", place="bottom"), [builder.stamp(item.text)]))
            continue
        if item.data.get("dateline") is not None:  # a dateline printed below the opening lines
            current.append(item.data["dateline"])
            last_block = current[-1]
        elif item.kind == st.PARA:
            block = builder.paragraph(item)
            if index in quotes:
                block = append(el("quote", rend="block"), children(block))
            current.append(block)
            last_block = block
        elif item.kind == st.HEADING:
            builder.line = item.line
            if sections:
                current = el("div", type="section")
                container.append(current)
                current.append(append(el("head"), inline.parse(item.text, builder.ctx)))
            else:
                current.append(append(el("p"), inline.parse(item.text, builder.ctx)))
        elif item.kind in (st.MARK, st.PAGENUM, st.PAGEBREAK, st.HEADER):
            current.extend(builder.furniture(item))
        elif item.kind == st.STAMP:
            current.append(append(el("ab"), [builder.stamp(item.text)]))
        elif item.kind == st.FOOTTEXT:
            if last_block is not None:
                builder.page_end.setdefault(item.data["n"], last_block)
        elif item.kind == st.EXCISION:
            current.append(builder.excision(item))
        elif item.kind == st.EVENT:
            current.append(builder.event(item))
        elif item.kind == st.EDITORIAL:
            current.append(builder.editorial(item))
        elif item.kind == st.TURN:  # a label-like line outside a transcript: keep it as a paragraph
            label = item.data["label"]
            item.text = label + (" " if label.endswith(".") else ": ") + item.text
            current.append(builder.paragraph(item))
    return current


def children(element: etree._Element) -> list[inline.Node]:
    """The content of ``element`` as nodes, to be appended to another element."""
    nodes: list[inline.Node] = [element.text or ""]
    for child in list(element):
        tail = child.tail or ""
        child.tail = None
        nodes.append(child)
        nodes.append(tail)
    return nodes


# The heading of an attachment printed after the document's signature: "Attachment",
# "Enclosure 2", "Tab A", "ANNEX".
ATTACHMENT = re.compile(r"^(?:Attachment|Enclosure|Tab|Annex|Appendix)(?:\s+(?:[A-Z]|\d+|No\.\s*\d+|[IVX]+))?\.?$",
                        re.I)


def split_attachments(items: list[st.Item]) -> tuple[list[st.Item], list[list[st.Item]]]:
    """The document's own items, and each attachment's (its heading first), in printed order.

    An attachment is printed after the document's signature, under a heading of its own;
    it becomes a ``div[@type='attachment']`` after the document's, so that the document
    keeps its closer last and nothing moves.
    """
    cuts = [index for index, item in enumerate(items)
            if index and item.kind in (st.PARA, st.HEADING) and ATTACHMENT.match(item.text.strip())
            and any(i.kind in st.TEXT for i in items[index + 1:])]
    if not cuts:
        return items, []
    parts = [items[a:b] for a, b in zip(cuts, cuts[1:] + [len(items)])]
    return items[:cuts[0]], parts


def attachment(builder: Builder, items: list[st.Item], *, page_breaks: bool) -> etree._Element:
    """One attachment: its heading, its text, its own signature."""
    div = el("div", type="attachment")
    heading = items.pop(0)
    builder.line = heading.line
    div.append(append(el("head"), inline.parse(heading.text.strip(), builder.ctx)))
    closer.signature(builder, items)
    emit(builder, div, prepare(builder, items, page_breaks=page_breaks), sections=False)
    return div
