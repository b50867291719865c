"""The five genres: how each one's title block, body and closing are laid out.

Everything genre-independent (marks, page furniture, stamps, excisions,
footnotes, brackets) is recognised in :mod:`.structure` and :mod:`.inline`;
here each genre only says where its title, date, sender, recipient,
speakers and signature are printed. ``detect`` reads the genre from the
text when the catalog does not give it.
"""

from __future__ import annotations

import re

from lxml import etree

from cmctei.convert import inline
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert.inline import append, el

CLOSER = "closer"  # item kind: where a signature block stood

FRUS_HEAD = re.compile(r"^(?P<n>\d{1,4})\.\s+(?P<title>.+?)(?:\s+(?P<source>0))?\s*$")
CORRESPONDENCE = re.compile(
    r"\b(?:Memorandum|Letter|Note|Telegram|Message|Cable|Paper)\s+(?:From|by)\s+(?P<from>.+?)\s+"
    r"(?:to|for)\s+(?P<to>.+?)\s*$", re.I)
ADDRESS = re.compile(r"^(?P<key>FROM|FM|TO|MEMORANDUM FOR|SUBJECT|INFO|DATE|DTG|SENT|RECD|RECEIVED)\s*:?\s+(?P<value>.+)$", re.I)
SPEECH_VERBS = r"(?:said|says|reported|asked|suggested|commented|replied|agreed|urged|pointed out|raised|" \
               r"summarized|reviewed|recommended|cautioned|felt|doubted|noted|stated|added|read|explained|" \
               r"argued|proposed|believed|preferred|warned|answered)"


def detect(text: str) -> str | None:
    """The genre the text shows, or None when it does not show one."""
    items = st.segment(text, transcript=True)
    turns = [i for i in items if i.kind == st.TURN]
    head = "\n".join(text.strip().splitlines()[:12])
    frus = FRUS_HEAD.match(text.strip().splitlines()[0]) if text.strip() else None
    if frus:
        title = frus.group("title")
        for word, genre in (("Telegram", "telegram"), ("Summary Record", "summary-record"),
                            ("Record of", "summary-record"), ("Memorandum", "memorandum"),
                            ("Minutes", "summary-record")):
            if word.lower() in title.lower():
                return genre
    if len(turns) >= 3 and len(turns) >= len([i for i in items if i.kind == st.PARA]) / 3:
        return "transcript"
    if re.search(r"\bTELEGRAM\b|\bCABLE\b|\bAMEMBASSY\b|\bSECSTATE\b|^FM\s", head, re.I | re.M):
        return "telegram"
    if re.search(r"\bSummary Record\b|\bRecord of (?:the )?Meeting\b|\bMinutes of\b|\bRecord of Action\b", head, re.I):
        return "summary-record"
    if re.search(r"\bMemorandum\b", head, re.I):
        return "memorandum"
    lines = [line for line in text.splitlines() if line.strip()]
    wrapped = [line for line in lines if 55 <= len(line.strip()) <= 95]
    if len(lines) >= 20 and len(wrapped) >= 0.6 * len(lines):
        return "chapter"
    return None


def _people(builder: Builder, printed: str) -> list[tuple[str, str | None]]:
    """'Secretary of State Rusk and Ambassador Stevenson' → [(printed, id), …]."""
    parts = [p.strip(" ,.") for p in re.split(r",\s*(?![^()]*\))|\s+and\s+(?![^()]*\))", printed) if p.strip(" ,.")]
    out = []
    for part in parts:
        named = re.search(r"\(([^()]+)\)\s*$", part)  # FRUS: "the Director of Central Intelligence (McCone)"
        pid = builder.register.resolve(named.group(1)) if named else builder.register.resolve(part)
        if pid:
            builder.participant(pid)
        out.append((part, pid))
    return out


def _correspondents_from_title(builder: Builder) -> None:
    """'Memorandum From X to Y' (FRUS titles) gives sender and recipient."""
    m = CORRESPONDENCE.search(builder.info.title or "")
    if m:
        builder.info.sender = _people(builder, m.group("from"))
        builder.info.recipient = _people(builder, m.group("to"))


def _signature(builder: Builder, items: list[st.Item]) -> etree._Element | None:
    """A closing signature (and date) on the last lines, e.g. '27/X-62 A. DOBRYNIN' or 'Bromley Smith'."""
    index = next((i for i in range(len(items) - 1, -1, -1) if items[i].kind not in st.FURNITURE), None)
    if index is None:
        return None
    item = items[index]
    if item.kind not in (st.PARA, st.HEADING) or item.joins or len(item.text) > 80:
        return None
    text = item.text.strip()
    dated = re.match(r"^(?P<date>\d{1,2}[/.][IVX]{1,4}[-./]\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}|"
                     r"(?:[A-Z][a-z]+ \d{1,2}, \d{4}))\s+(?P<name>.+)$", text)
    date_text, name = (dated.group("date"), dated.group("name")) if dated else (None, text)
    words = name.split()
    if not 1 <= len(words) <= 4 or name.endswith((".", ":", ",", ";")) and not re.search(r"\b[A-Z]\.$", name):
        return None
    if not all(w[:1].isupper() for w in words if w not in ("de", "van", "von")):
        return None
    pid = builder.register.resolve(name)
    if pid is None and not (name.isupper() or len(words) >= 2):
        return None
    closer = el("closer")
    if date_text:
        found = tx.find_date(date_text)
        dateline = el("dateline")
        date = el("date", date_text)
        if found:
            date.set("when", found.iso)
            builder.info.date = builder.info.date or found.iso
            builder.info.date_printed = builder.info.date_printed or date_text
        dateline.append(date)
        closer.append(dateline)
    signed = el("signed")
    persname = el("persName", name)
    if pid:
        persname.set("ref", "persons.xml#" + pid)
        builder.participant(pid)
    signed.append(persname)
    closer.append(signed)
    builder.info.signed = (name, pid)
    # the closer is emitted exactly where the signature is printed
    items[index] = st.Item(CLOSER, "", item.line, data={"element": closer})
    return closer


def _emit(builder: Builder, container: etree._Element, items: list[st.Item], *, quotes: set[int] | None = None,
          sections: bool = True) -> etree._Element:
    """Emit generic items into a div; ALL-CAPS headings open sections. Returns the last container."""
    quotes = quotes or set()
    current = container
    last_block: etree._Element | None = None
    closer: etree._Element | None = None
    for index, item in enumerate(items):
        if item.kind == CLOSER:
            closer = item.data["element"]
            container.append(closer)  # after any sections: TEI's divBottom
            current = container
            continue
        if closer is not None and item.kind == st.STAMP:
            if current[-1] is closer:
                closer.append(builder.stamp(item.text))  # stamps printed right after the signature
            else:  # after other furniture below the signature: furniture too, in printed order
                current.append(append(el("fw", type="header", place="bottom"), [builder.stamp(item.text)]))
            continue
        if item.kind == st.PARA:
            block = builder.paragraph(item)
            if index in quotes:
                block = append(el("quote", rend="block"), _children(block))
            current.append(block)
            last_block = block
        elif item.kind == st.HEADING:
            if sections:
                current = el("div", type="section")
                container.append(current)
                current.append(append(el("head"), inline.parse(item.text, builder.ctx)))
            else:
                current.append(append(el("p"), inline.parse(item.text, builder.ctx)))
        elif item.kind in (st.MARK, st.PAGENUM, st.PAGEBREAK):
            current.extend(builder.furniture(item))
        elif item.kind == st.HEADER:
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
        elif item.kind == st.TURN:  # a label-like line outside a transcript: keep it as a paragraph
            item.text = item.data["label"] + ": " + item.text
            current.append(builder.paragraph(item))
    return current


def _children(element: etree._Element) -> list[inline.Node]:
    nodes: list[inline.Node] = [element.text or ""]
    for child in list(element):
        tail = child.tail or ""
        child.tail = None
        nodes.append(child)
        nodes.append(tail)
    return nodes


def _prepare(builder: Builder, items: list[st.Item], *, page_breaks: bool) -> list[st.Item]:
    builder.collect_footnote_texts(items)
    builder.place_marks(items)
    return st.rejoin(st.mark_pages(items), blank_lines_are_page_breaks=page_breaks)


def _head_from(builder: Builder, text: str, *, frus: bool) -> etree._Element:
    head = el("head")
    m = FRUS_HEAD.match(text) if frus else None
    if m:
        builder.info.number = m.group("n")
        builder.info.title = m.group("title").strip()
        append(head, [m.group("n") + ". "] + inline.parse(m.group("title").strip(), builder.ctx))
        if m.group("source"):
            source = el("note", type="source", n="0")
            source.append(el("gap", reason="not-transcribed"))
            head.append(source)
        return head
    builder.info.title = builder.info.title or _title_text(text)
    return append(head, inline.parse(text, builder.ctx))


def _title_text(printed: str) -> str:
    title = re.sub(r"[*~#]|[" + tx.SUPERSCRIPTS + r"]+|\s+0$", "", printed).strip()
    title = " ".join(title.split())
    if title.isupper():
        title = " ".join(w if len(w) <= 3 and w.isupper() and w not in ("THE", "AND", "FOR", "OF")
                         else w.capitalize() for w in title.split())
        title = re.sub(r"\b(Of|And|The|For|To|On|In)\b(?!$)", lambda m: m.group(0).lower(), title)
        title = title[:1].upper() + title[1:]
    return title


def _dateline_from_top(builder: Builder, items: list[st.Item], div: etree._Element) -> None:
    """A short dated line near the top ('Washington, October 30, 1962') becomes the opener.

    Furniture printed above it (a stamp, a mark, a page or archival number) goes
    into the opener before the dateline, in printed order: emitted with the
    body, it would land after the dateline. Footnote texts stay where they are.
    """
    for index, item in enumerate(items[:6]):
        if any(i.kind not in st.FURNITURE for i in items[:index]):
            return  # text or a heading comes before it: it is not the opening dateline
        if item.kind != st.PARA or len(item.text) > 90 or item.joins:
            continue
        found = tx.find_date(item.text, kinds=("mdy", "dmy", "roman", "ymd"))
        if found and len(item.text) - (found.end - found.start) < 50:
            # one opener: the addressee line, if any, is already in it
            opener = div[-1] if len(div) and div[-1].tag == inline.T + "opener" else etree.SubElement(div, inline.T + "opener")
            above = [i for i in items[:index] if i.kind != st.FOOTTEXT]
            if above:
                builder.place_marks(items)  # top or bottom, seen with what follows
            for before in above:
                opener.extend(builder.furniture(before))
                items.remove(before)
            dateline = el("dateline")
            dateline.text = item.text[:found.start]
            date = el("date", item.text[found.start:found.end], when=found.iso)
            date.tail = item.text[found.end:]
            dateline.append(date)
            opener.append(dateline)
            builder.info.date = builder.info.date or found.iso
            builder.info.date_printed = builder.info.date_printed or item.text[found.start:found.end]
            items.remove(item)
            return


# ====================================================================== genres

def _start(builder: Builder, text: str) -> tuple[etree._Element, list[st.Item]]:
    """The document div and the items of the text, with the footnote texts read
    and the furniture printed above the title already placed."""
    div = el("div", type="document")
    items = st.segment(text, transcript=False)
    builder.collect_footnote_texts(items)
    _leading_furniture(builder, items, div)
    return div, items


def memorandum(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = _start(builder, text)
    first = next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    if first is not None and (FRUS_HEAD.match(first.text) or first.kind == st.HEADING or len(first.text) < 140):
        div.append(_head_from(builder, first.text, frus=True))
        if builder.info.number:
            div.set("n", builder.info.number)
        items.remove(first)
    _correspondents_from_title(builder)
    _address_lines(builder, items)
    _dateline_from_top(builder, items, div)
    _signature(builder, items)
    items = _prepare(builder, items, page_breaks=True)
    _emit(builder, div, items)
    return div


def telegram(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = _start(builder, text)
    first = next((i for i in items[:6] if i.kind == st.HEADING and i.data.get("markdown")), None) or \
        next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    if first is not None and items.index(first) > 0 and first.data.get("markdown"):
        # lines printed above the heading ("DEPARTMENT OF STATE") are a letterhead;
        # whatever else is printed there (a stamp, a mark, a page number, an
        # excision) stays with it above the head, in printed order
        _letterhead(builder, items, items.index(first), div)
    if first is not None and (first.kind == st.HEADING or FRUS_HEAD.match(first.text)):
        div.append(_head_from(builder, first.text, frus=first.kind != st.HEADING))
        items.remove(first)
        _correspondents_from_title(builder)
    _address_lines(builder, items)
    _addressee(builder, items, div)
    closer = _signature(builder, items)
    if closer is not None and builder.info.signed:
        # the person who signs sends it; a FROM line names only the office
        builder.info.sender = [builder.info.signed]
    _dateline_from_top(builder, items, div)
    items = _prepare(builder, items, page_breaks=True)
    _emit(builder, div, items, sections=False)
    if not builder.info.title:
        builder.info.title = "Telegram"
    return div


def summary_record(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div, items = _start(builder, text)
    first = next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    if first is not None:
        lines = [line.strip() for line in first.lines] or [first.text]
        if FRUS_HEAD.match(lines[0]) or len(lines) <= 3:
            div.append(_head_from(builder, lines[0], frus=bool(FRUS_HEAD.match(lines[0]))))
            number = re.search(r"\bNo\.\s*(\d+)", lines[0])
            if number:
                builder.info.number = number.group(1)
                div.set("n", number.group(1))
            rest = " ".join(lines[1:])
            found = tx.find_date(" ".join(lines))
            if rest:
                opener = el("opener")
                dateline = el("dateline")
                found_rest = tx.find_date(rest)
                if found_rest:
                    dateline.text = rest[:found_rest.start]
                    date = el("date", rest[found_rest.start:found_rest.end], when=found_rest.iso)
                    date.tail = rest[found_rest.end:]
                    dateline.append(date)
                    time = tx.clock(rest[found_rest.end:])
                    builder.info.start_time = time
                else:
                    dateline.text = rest
                opener.append(dateline)
                div.append(opener)
            if found:
                builder.info.date = found.iso
                builder.info.date_printed = " ".join(lines)[found.start:found.end]
            items.remove(first)
    _signature(builder, items)
    items = _prepare(builder, items, page_breaks=False)
    for item in items:
        if item.kind == st.PARA:
            for m in re.finditer(r"(?:(?:Secretary|Ambassador|General|Director|Mr\.|Under Secretary|The|the)\s+)?"
                                 r"(?:[A-Z][a-zA-Z.'’]+\s+){0,2}[A-Z][a-zA-Z'’]+(?=\s+(?:\w+\s+)?" + SPEECH_VERBS + r"\b)",
                                 item.text):
                pid = builder.register.resolve(m.group(0))
                if pid and pid not in builder.register.groups:
                    builder.participant(pid)
    _emit(builder, div, items, sections=False)
    return div


def chapter(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div = el("div", type="document")
    # A line printed with a leading space starts a new page in these
    # extractions (the first line of the document excepted).
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    marked = "\n".join(("\ue002" + line.strip()) if line.startswith(" ") and line.strip() and i > first else line
                       for i, line in enumerate(lines))
    items = st.segment(marked, transcript=False)
    builder.collect_footnote_texts(items)
    first = next((i for i in items if i.kind in (st.PARA, st.HEADING)), None)
    if first is not None and (first.kind == st.HEADING or (len(first.lines) == 1 and len(first.text) < 80
                                                           and not tx.ends_sentence(first.text))):
        div.append(_head_from(builder, first.text.replace("\ue002", ""), frus=False))
        items.remove(first)
    items = _prepare(builder, items, page_breaks=True)
    quotes = st.block_quotes(items)
    _emit(builder, div, items, quotes=quotes)
    return div


def transcript(builder: Builder, text: str, overrides: dict) -> etree._Element:
    div = el("div", type="document")
    items = st.segment(text, transcript=True)
    _leading_furniture(builder, items, div)
    builder.collect_footnote_texts(items)
    builder.place_marks(items)
    items = st.rejoin(st.mark_pages(items), blank_lines_are_page_breaks=False)
    first_turn = next((i for i, item in enumerate(items) if item.kind == st.TURN), None)
    if first_turn is None:
        raise ValueError("no speaker turns found")
    title_index = None
    for index in range(first_turn - 1, -1, -1):
        candidate = items[index]
        if candidate.kind in (st.PARA, st.HEADING) and len(candidate.lines) <= 2 and len(candidate.text) < 160 \
                and not tx.ends_sentence(candidate.text):
            title_index = index
            break
        if candidate.kind not in st.FURNITURE:
            break
    speakers = overrides.get("speakers", {})

    headnote_items = items[:title_index if title_index is not None else first_turn]
    if headnote_items:
        # Kept in printed order; the date line and the time line become
        # paragraphs with a dated element, so no sentence moves.
        headnote = el("div", type="headnote")
        for item in headnote_items:
            short = item.kind == st.PARA and len(item.text) < 60 and not item.joins
            found = tx.find_date(item.text, kinds=("mdy", "dmy")) if short else None
            if found and builder.info.date is None:
                paragraph = el("p", item.text[:found.start])
                date = el("date", item.text[found.start:found.end], when=found.iso)
                date.tail = item.text[found.end:]
                paragraph.append(date)
                headnote.append(paragraph)
                builder.info.date = found.iso
                builder.info.date_printed = item.text[found.start:found.end]
                continue
            if short and not builder.info.start_time and re.match(r"^\s*\d{1,2}[:.]\d\d", item.text):
                builder.info.start_time = tx.clock(item.text)
            _emit(builder, headnote, [item], sections=False)
        div.append(headnote)

    body = el("div", type="transcript")
    if title_index is not None:
        title = items[title_index]
        if title.joins:  # printed over a page break: keep what stood between the halves
            builder.info.title = _title_text(title.text)
            body.append(builder.paragraph(title, tag="head"))
        else:
            body.append(_head_from(builder, title.text, frus=False))
    current_sp: etree._Element | None = None
    last_block: etree._Element | None = None
    for item in items[(title_index + 1) if title_index is not None else first_turn:]:
        if item.kind == st.TURN:
            label = item.data["label"]
            pid = builder.speaker(label, item.line, speakers)
            sp = el("sp", who="#" + pid)
            sp.append(el("speaker", label + ":"))
            paragraph = builder.paragraph(item, speaker=pid)
            sp.append(paragraph)
            body.append(sp)
            current_sp, last_block = sp, paragraph
        elif item.kind == st.PARA:
            speaker_id = current_sp.get("who")[1:] if current_sp is not None else None
            paragraph = builder.paragraph(item, speaker=speaker_id)
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
            _emit(builder, body, [item], sections=False)
    div.append(body)
    return div


def _leading_furniture(builder: Builder, items: list[st.Item], div: etree._Element) -> None:
    """What is printed above the title on the first page: marks, archival numbers, stamps.

    A stamp above the title is page furniture there (TEI allows no block
    before a heading): ``fw[@type='header'][@place='top']`` holding the stamp.
    """
    while items and items[0].kind in (st.HEADER, st.MARK, st.STAMP):
        item = items.pop(0)
        if item.kind == st.STAMP:
            div.append(append(el("fw", type="header", place="top"), [builder.stamp(item.text)]))
        else:
            div.extend(builder.furniture(item, place="top" if item.kind == st.MARK else None))


def _letterhead(builder: Builder, items: list[st.Item], end: int, div: etree._Element) -> None:
    """What is printed above a telegram's heading (``items[:end]``), in printed order, before the head.

    Text lines are a letterhead, ``fw[@type='header'][@place='top']``; a stamp
    is furniture there as above any title; marks, page and archival numbers
    are furniture; excisions and stage notes keep their own element (TEI
    allows these, and no block, before a heading). Footnote texts stay among
    the items: they are printed at a page bottom, not in the flow.
    """
    builder.place_marks(items)  # top or bottom, seen with what follows the heading
    for item in list(items[:end]):
        if item.kind in (st.PARA, st.HEADING):
            div.append(append(el("fw", type="header", place="top"), inline.parse(item.text, builder.ctx)))
        elif item.kind == st.STAMP:
            div.append(append(el("fw", type="header", place="top"), [builder.stamp(item.text)]))
        elif item.kind in (st.MARK, st.PAGENUM, st.HEADER):
            div.extend(builder.furniture(item))
        elif item.kind == st.EXCISION:
            div.append(builder.excision(item))
        elif item.kind == st.EVENT:
            div.append(builder.event(item))
        else:
            continue
        items.remove(item)


def _addressee(builder: Builder, items: list[st.Item], div: etree._Element) -> None:
    """A short addressee line right under a telegram's heading ("CC CPSU") → opener/salute."""
    if builder.info.recipient or not items or div.find(inline.T + "head") is None:
        return
    item = items[0] if items else None  # directly under the heading, nothing printed between
    if item is None or item.kind not in (st.PARA, st.HEADING) or len(item.lines or [item.text]) != 1:
        return
    text = item.text.strip()
    if len(text) > 40 or len(text.split()) > 5 or tx.ends_sentence(text) or ADDRESS.match(text):
        return
    opener = el("opener")
    opener.append(append(el("salute"), inline.parse(text, builder.ctx)))
    div.append(opener)
    builder.info.recipient = [(text, builder.register.resolve(text))]
    items.remove(item)


def _address_lines(builder: Builder, items: list[st.Item]) -> None:
    """FROM:/TO: lines of a cable or memo give sender and recipient (as printed)."""
    for item in items[:8]:
        if item.kind != st.PARA:
            continue
        for line in item.lines:
            m = ADDRESS.match(line.strip())
            if not m:
                continue
            key = m.group("key").upper()
            value = re.sub(r"\s+\d+$", "", m.group("value").strip())
            if key in ("DATE", "DTG", "SENT") and builder.info.date is None:
                found = tx.find_date(value)
                if found:
                    builder.info.date = found.iso
                    builder.info.date_printed = value[found.start:found.end]
                continue
            if key in ("FROM", "FM") and not builder.info.sender:
                builder.info.sender = _people(builder, value) if builder.register.resolve(value) else [(value, None)]
            elif key in ("TO", "MEMORANDUM FOR") and not builder.info.recipient:
                builder.info.recipient = _people(builder, value) if builder.register.resolve(value) else [(value, None)]


ASSEMBLERS = {
    "memorandum": memorandum,
    "telegram": telegram,
    "transcript": transcript,
    "summary-record": summary_record,
    "chapter": chapter,
}
