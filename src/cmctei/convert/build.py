"""Building the TEI body from recognised items, and what the header needs.

:class:`Builder` holds the state of one document under construction: the
participants it declares (each a local ``person`` pointing to the register
with ``sameAs``), the tape timeline, the footnote numbering, the
classification marks and stamps it has seen, and the decisions it made that
an editor should know about (recorded in ``revisionDesc``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from cmctei.convert import inline
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.inline import Context, Footnotes, append, el
from cmctei.convert.persons import Register


@dataclass
class Info:
    """What the text says about itself (and where it said it)."""

    title: str | None = None
    date: str | None = None
    date_printed: str | None = None
    date_cert: str | None = None  # cert of a date not printed in the text
    start_time: str | None = None
    sender: list[tuple[str, str | None]] = field(default_factory=list)  # (printed, register id)
    recipient: list[tuple[str, str | None]] = field(default_factory=list)
    signed: tuple[str, str | None] | None = None
    number: str | None = None  # FRUS document number, meeting number


class Builder:
    def __init__(self, docid: str, register: Register, footnote_style: str, shown: str) -> None:
        self.docid = docid
        self.register = register
        self.shown = shown
        self.info = Info()
        self.participants: dict[str, str] = {}  # local id → display name
        self.groups: set[str] = set()
        self.timeline: dict[int, str] = {}
        self.marks: list[tx.Mark] = []
        self.stamps: list[etree._Element] = []
        self.notes: list[str] = []  # decisions for revisionDesc
        self.warnings: list[str] = []
        self.unknown_speakers: list[str] = []
        self.footnotes = Footnotes(docid=docid, style=footnote_style)
        self.page_end: dict[int, etree._Element] = {}
        self.ctx = Context(
            footnotes=self.footnotes,
            resolve_names=self.names_in,
            time_point=self.time_point,
            parse_note_text=self.note_text,
        )

    # ------------------------------------------------------------ people

    def participant(self, register_id: str) -> str:
        if register_id in self.register.groups:
            self.groups.add(register_id)
        else:
            self.participants.setdefault(register_id, self.register.main.get(register_id, register_id))
        return register_id

    def speaker(self, label: str, line: int, overrides: dict[str, str]) -> str:
        clean = " ".join(label.replace("[", "").replace("]", "").split())
        pid = overrides.get(label) or overrides.get(clean) or self.register.resolve(clean)
        if pid is None:
            pid = self.register.add(clean)
            self.unknown_speakers.append(clean)
            self.warnings.append(f"{self.shown}:{line}:1: warning: unknown speaker {clean!r}: "
                                 f"added to the register as {pid!r}")
            self.notes.append(f"Speaker label “{clean}” was not in the register; added as {pid}.")
        return self.participant(pid)

    def names_in(self, text: str) -> list[str]:
        """Register persons named in a stage note (longest printed forms first)."""
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(self.register.names, key=len, reverse=True):
            if len(name) < 3:
                continue
            for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                pid = self.register.names[name]
                if pid in self.register.groups:
                    continue
                taken.append((m.start(), m.end()))
                found.append((m.start(), pid))
        ids: list[str] = []
        for _, pid in sorted(found):
            if pid not in ids:
                ids.append(self.participant(pid))
        return ids

    # ------------------------------------------------------------ time

    def time_point(self, seconds: int, label: str) -> str:
        self.timeline.setdefault(seconds, label)
        return f"t{seconds}"

    def timeline_element(self) -> etree._Element | None:
        if not self.timeline:
            return None
        timeline = el("timeline", unit="s", origin="#t0")
        origin = el("when", xml_id="t0")
        if self.info.start_time:
            origin.set("absolute", self.info.start_time)
        timeline.append(origin)
        for seconds in sorted(self.timeline):
            if seconds == 0:
                continue
            timeline.append(el("when", xml_id=f"t{seconds}", interval=str(seconds), since="#t0"))
        return timeline

    # ------------------------------------------------------------ footnotes

    def collect_footnote_texts(self, items: list[st.Item]) -> None:
        """Read the footnote texts printed at page bottoms (the items stay: they end a page).

        Called before anything is built, so that a marker in a heading finds its text.
        """
        for item in items:
            if item.kind != st.FOOTTEXT or item.data.get("collected"):
                continue
            item.data["collected"] = True
            n = item.data["n"]
            if n in self.footnotes.texts:
                self.warnings.append(f"{self.shown}:{item.line}:1: warning: footnote text {n} printed twice; "
                                     "both kept in the note")
                self.footnotes.texts[n] += " " + item.text
            else:
                self.footnotes.texts[n] = item.text

    def note_text(self, n: int) -> list[inline.Node] | None:
        text = self.footnotes.texts.get(n)
        if text is None:
            return None
        inner = Context(self.footnotes, self.names_in, self.time_point, self.ctx.embedded, markers=False)
        return inline.parse(text, inner)

    def place_orphan_notes(self, div: etree._Element) -> None:
        """Footnote texts whose marker is missing go at the end of their page, never lost.

        With no paragraph before it on its page, the note goes at the end of
        the last paragraph or heading of the document.
        """
        for n in sorted(self.footnotes.texts):
            if n in self.footnotes.placed:
                continue
            anchor = self.page_end.get(n)
            if anchor is None:
                blocks = [e for e in div.iter(inline.T + "p", inline.T + "ab", inline.T + "head")]
                anchor = blocks[-1] if blocks else div
            note = self.footnotes.note(n, self.note_text(n))
            anchor.append(note)
            self.warnings.append(f"{self.shown}: warning: footnote {n} has no marker in the text; "
                                 "its note is placed at the end of the page where its text is printed")
            self.notes.append(f"Footnote {n}: the marker is missing in the source; the note is placed at the "
                              "end of the page where its text is printed.")

    # ------------------------------------------------------------ items to elements

    def paragraph(self, item: st.Item, tag: str = "p", speaker: str | None = None) -> etree._Element:
        """A paragraph, with the furniture of any page break it spans put back at the join."""
        self.ctx.speaker = speaker
        text = item.text
        # Insert join placeholders from the end so positions stay valid.
        for position, between in sorted(item.joins, key=lambda j: j[0], reverse=True):
            if between is None:  # a blank line that is not a page break
                continue
            markers = [self.ctx.embed(e) for e in self.milestones(between)]
            text = text[:position] + "".join(markers) + text[position:]
        element = append(el(tag), inline.parse(text, self.ctx))
        self.ctx.speaker = None
        return element

    def milestones(self, between: list[st.Item]) -> list[etree._Element]:
        """Elements for what stood between two halves of a paragraph."""
        out: list[etree._Element] = []
        for item in between:
            out.extend(self.furniture(item))
        if not any(e.tag == inline.T + "pb" for e in out):
            # furniture without evidence of a page number, or a bare blank line
            # inside a sentence: still a page boundary
            out.insert(0, el("pb"))
        return out

    def block_furniture(self, item: st.Item) -> list[etree._Element]:
        """Furniture as blocks of a div or a speech (a stamp on its own line goes in ab)."""
        if item.kind == st.STAMP:
            return [append(el("ab"), [self.stamp(item.text)])]
        return self.furniture(item)

    def furniture(self, item: st.Item, place: str | None = None) -> list[etree._Element]:
        if item.kind == st.MARK:
            mark: tx.Mark = item.data["mark"]
            self.marks.append(mark)
            fw = append(el("fw", type="classification"), inline.parse(item.text, self.ctx))
            where = place or item.data.get("place")
            if where:
                fw.set("place", where)
            return [fw]
        if item.kind == st.PAGENUM:
            return [el("fw", item.text, type="pageNum")]
        if item.kind == st.PAGEBREAK:
            return [el("pb", n=item.data["n"]) if item.data.get("n") else el("pb")]
        if item.kind == st.HEADER:
            return [el("fw", item.text, type="header")]
        if item.kind == st.STAMP:
            return [self.stamp(item.text)]
        return []

    def stamp(self, printed: str) -> etree._Element:
        stamp = el("stamp", type="declassification")
        found = tx.find_date(printed, kinds=("mdy", "dmy", "ymd", "us"))
        if found:
            stamp.text = printed[:found.start]
            date = el("date", printed[found.start:found.end], when=found.iso)
            date.tail = printed[found.end:]
            stamp.append(date)
        else:
            stamp.text = printed
        self.stamps.append(stamp)
        return stamp

    def excision(self, item: st.Item) -> etree._Element:
        excision: tx.Excision = item.data["excision"]
        printed = item.text
        if item.data.get("bracketed"):
            printed = printed.strip().rstrip(".").strip()[1:-1].strip("* ")
        return inline.excision_gap(excision, printed)

    def event(self, item: st.Item) -> etree._Element:
        inner = item.text.strip().rstrip(".")
        inner = inner[1:-1] if inner.startswith("[") and inner.endswith("]") else inner
        nodes = inline.parse("[" + inner + "]", self.ctx)
        element = next((n for n in nodes if isinstance(n, etree._Element) and n.tag != inline.T + "supplied"), None)
        if element is not None and element.tag in (inline.T + "vocal", inline.T + "incident", inline.T + "gap"):
            if item.text.strip().endswith("]."):
                self.notes.append(f"Line {item.line}: the full stop after a bracketed stage note is not kept.")
            return element
        incident = el("incident")
        who = self.names_in(inner)
        if who:
            incident.set("who", " ".join("#" + w for w in who))
        incident.append(append(el("desc"), [inner.strip("* ")]))
        return incident

    # ------------------------------------------------------------ page layout

    def place_marks(self, items: list[st.Item]) -> None:
        """Mark each classification line as top or bottom of its page."""
        seen_text = False
        for index, item in enumerate(items):
            if item.kind in (st.PARA, st.TURN, st.HEADING, st.EXCISION, st.EVENT):
                seen_text = True
            if item.kind == st.PAGENUM:
                seen_text = False
            if item.kind != st.MARK:
                continue
            rest = items[index + 1:]
            next_text = next((r for r in rest if r.kind not in (st.MARK, st.STAMP, st.HEADER, st.FOOTTEXT)), None)
            if not seen_text:
                item.data["place"] = "top"
            elif next_text is None or next_text.kind == st.PAGENUM or (
                    next_text.kind == st.MARK):
                item.data["place"] = "bottom"
            else:
                following_mark = any(r.kind == st.MARK for r in rest[:3])
                item.data["place"] = "bottom" if following_mark else "top"
        # the mark just before a page number belongs to the new page
        for index, item in enumerate(items):
            if item.kind == st.PAGENUM and index and items[index - 1].kind == st.MARK:
                items[index - 1].data["place"] = "top"

    def classification(self) -> tuple[str, list[str]]:
        if not self.marks:
            return "unmarked", []
        level = max((m.level for m in self.marks), key=lambda code: tx.RANK[code])
        caveats: list[str] = []
        for mark in self.marks:
            for caveat in mark.caveats:
                if re.match(r"(?i)copy\s+no|of\s+\d+\s+copies", caveat):
                    continue
                if caveat.upper() not in (c.upper() for c in caveats):
                    caveats.append(caveat)
        return level, caveats
