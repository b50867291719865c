"""The head of a letter-like document: heading, dateline, addresses.

Memoranda, telegrams, letters and summary records open the same way, in any
order an office typed them: marks and a letterhead, a heading (the title,
FRUS-numbered or not, on one line or wrapped), a dateline ("Washington,
November 1, 1968, 1813Z.", "Moscow, October 27, 1962, 4 p.m.", "Moscow,
undated."), address lines (FROM:/TO:/SUBJECT:), an addressee ("CC CPSU").
Each recogniser here reads one of those printed forms, whatever the genre;
the genre modules only say which to look for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from cmctei.convert import inline, marks
from cmctei.convert.persons import TITLES
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert.inline import append, el

# "96. Memorandum From … to … 0": a FRUS heading with its number and the source-note marker "0".
FRUS_HEAD = re.compile(r"^(?P<n>\d{1,4})\.\s*(?P<title>[A-Z\[“\"].+?)(?:\s+(?P<source>0))?\s*$")
CORRESPONDENCE = re.compile(
    r"\b(?:Memorandum|Letter|Note|Telegram|Message|Cable|Paper|Airgram|Despatch|Dispatch)\s+(?:From|by)\s+"
    r"(?P<from>.+?)\s+(?:to|for)\s+(?P<to>.+?)\s*$", re.I)
# Older FRUS volumes head a document with its correspondents alone: "Mr. Bayard to Mr. Gresham",
# "Captain Watson to Mr. Herbert", "The Ambassador in Japan (Morris) to the Secretary of State".
# Both sides start with a title or honorific of the register's vocabulary (persons.TITLES).
_TITLED = r"(?:" + "|".join(re.escape(t) for t in sorted({t[:1].upper() + t[1:] for t in TITLES}, key=len, reverse=True)) + r")"
ADDRESSED = re.compile(r"^(?P<from>" + _TITLED + r"\s+(?:\S+\s+){0,6}?\S+)\s+to\s+(?P<to>(?i:the\s+)?"
                       + _TITLED + r"\s+(?:\S+\s+){0,6}?\S+?)\.?$")
# Typed address lines: "FROM: AMEMBASSY MOSCOW", "TO SECSTATE", "MEMORANDUM FOR THE PRESIDENT" in capitals,
# or "From: …", "Subject: …" with a colon ("Memorandum for the Record" is a heading, not an address).
_ADDRESS_KEYS = r"FROM|FM|TO|MEMORANDUM FOR|SUBJECT|INFO|DATE|DTG|SENT|RECD|RECEIVED|REF"
ADDRESS = re.compile(r"^(?:(?P<key>" + _ADDRESS_KEYS + r")\s*:?|(?i:(?P<keyc>" + _ADDRESS_KEYS + r"))\s*:)\s+(?P<value>.+)$")
MAX_TITLE = 400  # a heading longer than this is a paragraph
OPENER_ITEMS = 8  # how far below the heading a dateline may stand (address lines, a subject)


# ---------------------------------------------------------------- headings

def title_like(text: str) -> bool:
    """A printed title: capitalised words, no closing full stop, not a mark, dateline or address.

    "Telegram From the Embassy in Poland to the Department of State", "Notes of Meeting",
    "Memorandum for the Record" are titles; "The Secretary said we must not rush." is not.
    """
    t = " ".join(text.split())
    if not t or len(t) > MAX_TITLE or marks.read(t) or ADDRESS.match(t) or read_dateline(t):
        return False
    numbered = FRUS_HEAD.match(t)
    if numbered:  # "96. Memorandum From …", "113.Mr. Gresham to Mr. Baker." (older volumes end with a stop)
        t = numbered.group("title").rstrip(".")
    elif t.endswith((".", ",", ";", ":")) and not re.search(r"\b(?:[A-Z]|Jr|Sr|U\.S)\.$", t):
        return False
    if not (t[0].isupper() or t[0] in "[“\"'‘"):
        return False
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", t) if w.lower() not in tx.FUNCTION_WORDS]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.6 * len(words)


def title_text(printed: str) -> str:
    """The title as the header gives it: no markup, no markers, capitals softened."""
    title = re.sub(r"[*~#]|[" + tx.SUPERSCRIPTS + r"]+|\s+0$", "", printed).strip()
    title = " ".join(title.split())
    if title.isupper():
        title = " ".join(w if len(w) <= 3 and w.isupper() and w not in ("THE", "AND", "FOR", "OF")
                         else w.capitalize() for w in title.split())
        title = re.sub(r"\b(Of|And|The|For|To|On|In)\b(?!$)", lambda m: m.group(0).lower(), title)
        title = title[:1].upper() + title[1:]
    return title


def sourced_heading(text: str) -> bool:
    """A FRUS heading as the edition prints it on the web: a number, a full stop, text that opens
    with a capital, and the bare ``0`` of the source note's marker ("516. NSC Executive Committee
    record of action, November 12. … 0"). That marker makes it a heading whatever its length or
    case: the headings of the microfiche supplements are whole summaries (hundreds of
    characters, in sentence case, with full stops inside), which :func:`title_like` rightly
    takes for paragraphs anywhere else."""
    m = FRUS_HEAD.match(" ".join(text.split()))
    return m is not None and m.group("source") is not None


def head_element(builder: Builder, text: str, *, frus: bool) -> etree._Element:
    """The ``head`` of the document; a FRUS heading gives the number and the source note."""
    head = el("head")
    m = FRUS_HEAD.match(text) if frus and (title_like(text) or sourced_heading(text)) else None
    if m:
        builder.info.number = m.group("n")
        builder.info.title = m.group("title").strip()
        append(head, [m.group("n") + ". "] + inline.parse(m.group("title").strip(), builder.ctx))
        if m.group("source"):
            source = el("note", type="source", n="0")
            source.append(el("gap", reason="not-transcribed"))
            head.append(source)
        return head
    builder.info.title = builder.info.title or title_text(text)
    return append(head, inline.parse(text, builder.ctx))


def take_heading(builder: Builder, items: list[st.Item], div: etree._Element, *,
                 accept: "callable | None" = None) -> st.Item | None:
    """The first text item, when it is a heading, becomes the document's ``head``."""
    first = next((i for i in items if i.kind in (st.PARA, st.HEADING, st.TURN)), None)
    if first is None or first.kind == st.TURN:
        return None
    text = first.text.strip()
    if read_dateline(text) or ADDRESS.match(text):
        return None  # the document starts with its dateline or its address lines: it prints no heading
    if not (first.kind == st.HEADING or title_like(text) or sourced_heading(text) or (accept and accept(first))):
        return None
    builder.line = first.line
    div.append(head_element(builder, text, frus=True))
    if builder.info.number:
        div.set("n", builder.info.number)
    items.remove(first)
    return first


# ---------------------------------------------------------------- datelines

@dataclass
class Dateline:
    """A printed dateline: the date's span in the text (None when printed as "undated")."""

    text: str
    date: tx.FoundDate | None


_UNDATED = re.compile(r"^(?P<place>[A-Z][\w .,'’()\-]{0,60}?,\s*)?(?P<date>undated|not dated|n\.\s?d\.|date unknown)"
                      r"\.?$", re.I)
# The place (or office and place) before the date: "Washington, ", "Department of State,Washington, ".
_PLACE = re.compile(r"^(?:[A-Z][\w.'’()\-]*(?:(?:\s+|,\s*)[A-Za-z][\w.'’()\-]*){0,9},?\s*)?$")


# Square brackets that end a dateline: the edition's note of when a telegram or despatch
# arrived, "Moscow, July 16, 1918, 6 p.m.[Received July 24, 9.35 p.m.; July 26, 4.30 a.m.]".
_TRAILING_NOTE = re.compile(r"(?:\s*\[[^\[\]]*\])+\s*$")
# The note of receipt in it, which bounds the date of an undated document.
_RECEIVED = re.compile(r"\[\s*Received\b([^\[\]]*)\]", re.I)


def read_dateline(text: str) -> Dateline | None:
    """``[Place,] Date[, time].`` or ``Place, undated.`` on a line of its own, with or without a
    bracketed note at its end (_TRAILING_NOTE), which the limits below do not count."""
    t = " ".join(text.split())
    bare = _TRAILING_NOTE.sub("", t)
    if not t or not bare or len(bare) > 100:
        return None
    found = tx.find_date(bare, kinds=("mdy", "dmy", "roman", "ymd"))  # (not a date of the note)
    if found:
        before, after = bare[:found.start], bare[found.end:]
        if _PLACE.match(before) and len(after) < 50 and not re.search(r"[a-z]{3,}\s+[a-z]{3,}", after):
            return Dateline(t, found)
        return None
    m = _UNDATED.match(bare)
    return Dateline(t, None) if m else None


def dated(tag: str, line: Dateline, builder: Builder) -> etree._Element:
    """A ``dateline`` (or ``p``) holding the printed line, its date as ``date`` with attributes."""
    element = el(tag)
    found = line.date
    if found is None:
        m = _UNDATED.match(_TRAILING_NOTE.sub("", line.text))
        element.text = line.text[:m.start("date")]
        date = el("date", line.text[m.start("date"):m.end("date")])
        date.tail = line.text[m.end("date"):]
        element.append(date)
        builder.info.undated = True
        builder.info.date_printed = builder.info.date_printed or date.text
        builder.undated_line = builder.line
        received = _RECEIVED.search(line.text[m.end("date"):])
        found = tx.find_date(received.group(1), kinds=("mdy", "dmy")) if received else None
        if found is not None and builder.info.received is None:
            builder.info.received = found.iso
        return element
    element.text = line.text[:found.start]
    date = el("date", line.text[found.start:found.end])
    if found.to:
        date.set("from", found.iso)
        date.set("to", found.to)
    else:
        date.set("when", found.iso)
    date.tail = line.text[found.end:]
    element.append(date)
    if builder.info.date is None and not builder.info.undated:
        builder.info.date = found.iso
        builder.info.date_to = found.to
        builder.info.date_printed = line.text[found.start:found.end]
    return element


def take_dateline(builder: Builder, items: list[st.Item], div: etree._Element) -> bool:
    """The dateline at the head of the document.

    Right under the heading (or with only furniture above it) it opens the
    ``opener``, with the furniture printed above it in printed order. Further
    down the opening lines (after address lines or a subject) it stays where it
    is printed, a paragraph with its ``date``: no line moves. Footnote texts
    stay among the items (they end a page).
    """
    for index, item in enumerate(items[:OPENER_ITEMS]):
        if item.kind in st.FURNITURE:
            continue
        if item.kind not in (st.PARA, st.HEADING) or item.joins:
            return False
        line = read_dateline(item.text)
        if line is None:
            if _opening_line(item):
                continue  # an address line or a subject: the dateline may follow
            return False
        builder.line = item.line
        if all(i.kind in st.FURNITURE for i in items[:index]):
            opener = div[-1] if len(div) and div[-1].tag == inline.T + "opener" \
                else etree.SubElement(div, inline.T + "opener")
            above = [i for i in items[:index] if i.kind != st.FOOTTEXT]
            if above:
                builder.place_marks(items)  # top or bottom, seen with what follows
            for before in above:
                opener.extend(builder.furniture(before))
                items.remove(before)
            opener.append(dated("dateline", line, builder))
            items.remove(item)
        else:
            item.data["dateline"] = dated("p", line, builder)
        return True
    return False


def _opening_line(item: st.Item) -> bool:
    """A short line of the opening that is not the body: an address line, a SUBJECT heading,
    a subject, a reference, a caps heading."""
    text = item.text.strip()
    if item.kind == st.HEADING or ADDRESS.match(text) or any(ADDRESS.match(line.strip()) for line in item.lines):
        return True
    return len(text) <= 200 and not tx.ends_sentence(text) and title_like(text)


# ---------------------------------------------------------------- addresses

def people(builder: Builder, printed: str) -> list[tuple[str, str | None]]:
    """'Secretary of State Rusk and Ambassador Stevenson' → [(printed, id), …].

    A list is split into its people only when each part names someone of the register;
    "the Embassies in Thailand, Australia, and New Zealand" is one addressee, as printed.
    """
    parts = [p.strip(" ,.") for p in re.split(r",\s*(?:and\s+)?(?![^()]*\))|\s+and\s+(?![^()]*\))", printed)
             if p.strip(" ,.")]

    def name(part: str) -> str:
        named = re.search(r"\(([^()]+)\)\s*$", part)  # FRUS: "the Director of Central Intelligence (McCone)"
        return named.group(1) if named else part

    if len(parts) > 1 and not all(builder.quietly_resolve(name(part)) for part in parts):
        parts = [printed.strip(" ,.")]
    out = []
    for part in parts:
        pid = builder.resolve(name(part))
        if pid:
            builder.participant(pid)
        out.append((part, pid))
    return out


def correspondents_from_title(builder: Builder) -> None:
    """'Memorandum From X to Y' (FRUS titles), or 'Mr. X to Mr. Y' (older volumes), gives sender
    and recipient."""
    m = CORRESPONDENCE.search(builder.info.title or "") or ADDRESSED.match(builder.info.title or "")
    if m:
        builder.info.sender = people(builder, m.group("from"))
        builder.info.recipient = people(builder, m.group("to"))


def address_lines(builder: Builder, items: list[st.Item]) -> None:
    """FROM:/TO: lines of a cable or memo give sender and recipient (as printed)."""
    for item in items[:OPENER_ITEMS]:
        if item.kind != st.PARA:
            continue
        for line in item.lines:
            m = ADDRESS.match(line.strip())
            if not m:
                continue
            key = (m.group("key") or m.group("keyc")).upper()
            value = re.sub(r"\s+\d+$", "", m.group("value").strip())
            if key in ("DATE", "DTG", "SENT") and builder.info.date is None:
                found = tx.find_date(value)
                if found:
                    builder.info.date = found.iso
                    builder.info.date_printed = value[found.start:found.end]
                continue
            if key in ("FROM", "FM") and not builder.info.sender:
                builder.info.sender = people(builder, value) if builder.resolve(value) else [(value, None)]
            elif key in ("TO", "MEMORANDUM FOR") and not builder.info.recipient:
                builder.info.recipient = people(builder, value) if builder.resolve(value) else [(value, None)]


def addressee(builder: Builder, items: list[st.Item], div: etree._Element) -> None:
    """A short addressee line right under a telegram's heading ("CC CPSU") → opener/salute."""
    if builder.info.recipient or not items or div.find(inline.T + "head") is None:
        return
    item = items[0]  # directly under the heading, nothing printed between
    if item.kind not in (st.PARA, st.HEADING) or len(item.lines or [item.text]) != 1:
        return
    text = item.text.strip()
    if len(text) > 40 or len(text.split()) > 5 or tx.ends_sentence(text) or ADDRESS.match(text) \
            or read_dateline(text):
        return
    opener = el("opener")
    opener.append(append(el("salute"), inline.parse(text, builder.ctx)))
    div.append(opener)
    builder.info.recipient = [(text, builder.resolve(text))]
    items.remove(item)


# ---------------------------------------------------------------- above the heading

def leading_furniture(builder: Builder, items: list[st.Item], div: etree._Element) -> None:
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


def letterhead(builder: Builder, items: list[st.Item], end: int, div: etree._Element) -> None:
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
        elif item.kind == st.EDITORIAL:
            div.append(builder.editorial(item))
        else:
            continue
        items.remove(item)
