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

from cmctei.convert import inline, marks, mentions
from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.inline import Context, Footnotes, append, el
from cmctei.convert.persons import Register
from cmctei.convert.persons import slug as persons_slug


OPENING_LINES = 15  # the lines that say which department a document is from


def _capitalised(part: str) -> bool:
    return bool(part) and (part[0].isupper() or part.lower().startswith(("several", "all")))


@dataclass
class Info:
    """What the text says about itself (and where it said it)."""

    title: str | None = None
    date: str | None = None
    date_printed: str | None = None
    date_cert: str | None = None  # cert of a date not printed in the text
    date_to: str | None = None  # the last day, when the dateline prints a range
    undated: bool = False  # the dateline says so ("Moscow, undated.")
    not_after: str | None = None  # an undated document's upper bound (its receipt, else its edition's year)
    received: str | None = None  # an undated document's receipt, as the edition prints it after the dateline
    start_time: str | None = None
    sender: list[tuple[str, str | None]] = field(default_factory=list)  # (printed, register id)
    recipient: list[tuple[str, str | None]] = field(default_factory=list)
    signed: tuple[str, str | None] | None = None
    number: str | None = None  # FRUS document number, meeting number


class Builder:
    def __init__(self, docid: str, register: Register, footnote_style: str, shown: str, source: str = "") -> None:
        self.docid = docid
        self.register = register
        self.shown = shown
        self.source_lines = source.split("\n")
        self.line = 1  # the source line of the item being built: where warnings start looking
        self.undated_line: int | None = None  # where the dateline printing "undated" stands
        # For reading role words ("the President") before the dateline is reached: the
        # first date printed in the text, and its opening lines (which department it is from).
        head = "\n".join(self.source_lines[:OPENING_LINES])
        found = tx.find_date(head, kinds=("mdy", "dmy", "roman", "ymd")) or tx.find_date(source, kinds=("mdy", "dmy"))
        self.context_date: str | None = found.iso if found else None
        self.context = head
        self.reported_ambiguous: set[str] = set()
        self.info = Info()
        self.participants: dict[str, str] = {}  # local id → display name
        self.locals: dict[str, tuple[str, bool]] = {}  # local id → (name as printed, is a group): no register link
        self.attachments: list[etree._Element] = []  # div[@type='attachment'] printed after the document
        self.groups: set[str] = set()
        self.timeline: dict[int, str] = {}
        self.marks: list[marks.Mark] = []
        self.stamps: list[etree._Element] = []
        self.notes: list[str] = []  # decisions for revisionDesc
        self.warnings: list[str] = []
        self.unknown_speakers: list[str] = []
        self.footnotes = Footnotes(docid=docid, style=footnote_style)
        self.page_end: dict[int, etree._Element] = {}
        self.footnote_lines: dict[int, int] = {}  # where each footnote text is printed
        self.ctx = Context(
            footnotes=self.footnotes,
            resolve_names=self.names_in,
            time_point=self.time_point,
            parse_note_text=self.note_text,
            report=self.warn_at,
            names=self.named,
        )

    # ------------------------------------------------------------ warnings

    def where(self, snippet: str) -> tuple[int, int]:
        """Line and column of ``snippet`` in the source, looking from the current item on.

        The text the converter works on has its hard-wrapped lines joined, so a
        snippet may span a line end: then its last word is looked for.
        """
        for probe in (snippet.strip(), snippet.strip().split()[-1] if snippet.split() else ""):
            if not probe:
                continue
            for number in range(self.line, len(self.source_lines) + 1):
                column = self.source_lines[number - 1].find(probe)
                if column >= 0:
                    return number, column + 1
        return self.line, 1

    def warn_at(self, snippet: str, message: str) -> None:
        line, column = self.where(snippet)
        self.warnings.append(f"{self.shown}:{line}:{column}: warning: {message}")

    # ------------------------------------------------------------ people

    def resolve(self, printed: str) -> str | None:
        """The register id a printed name stands for in this document, or None.

        A role word is read at the document's date and in its department
        ("the Secretary" in a State Department telegram of 1962 is Rusk); a
        name the register cannot tell apart from a namesake stays unresolved,
        with a warning.
        """
        seen = len(self.register.ambiguous)
        pid = self.register.resolve(printed, on=self.info.date or self.context_date, context=self.context)
        for name in self.register.ambiguous[seen:]:
            if name not in self.reported_ambiguous:
                self.reported_ambiguous.add(name)
                self.warn_at(name, f"{name!r} could name more than one person of the register (or nobody "
                                   "who held that office on the document's date): left unresolved")
        return pid

    def participant(self, register_id: str) -> str:
        if register_id in self.register.groups:
            self.groups.add(register_id)
        else:
            self.participants.setdefault(register_id, self.register.main.get(register_id, register_id))
        return register_id

    def speaker(self, label: str, line: int, overrides: dict[str, str]) -> str:
        clean = " ".join(label.replace("[", "").replace("]", "").split())
        self.line = line
        seen = len(self.register.ambiguous)
        pid = overrides.get(label) or overrides.get(clean) or self.resolve(clean)
        if pid is None and len(self.register.ambiguous) > seen:
            return self.local(clean)  # a namesake or an office nobody held then: not guessed, not added
        if pid is None:
            pid = self.register.add(clean)
            self.unknown_speakers.append(clean)
            self.warnings.append(f"{self.shown}:{line}:1: warning: unknown speaker {clean!r}: "
                                 f"added to the register as {pid!r}")
            self.notes.append(f"Speaker label “{clean}” was not in the register; added as {pid}.")
        return self.participant(pid)

    def speakers(self, label: str, line: int, overrides: dict[str, str]) -> list[str]:
        """The participants a speaker label names: one; several for a joint turn ("President and
        Rusk"); a group ("Several participants"); the party at one end of a teleconference
        ("Washington Item 1.", "[Saigon] Item 1.")."""
        item = st.ITEM_LABEL.match(label + " x")
        if item:
            return [self.local(item.group("place").strip("[]"), group=True)]
        clean = " ".join(label.replace("[", "").replace("]", "").split())
        if clean not in overrides and label not in overrides and not self._resolves(clean):
            parts = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", clean) if p]
            if len(parts) > 1 and all(_capitalised(p) for p in parts):
                return [self.speaker(part, line, overrides) for part in parts]
        return [self.speaker(label, line, overrides)]

    def _resolves(self, printed: str) -> bool:
        """Whether a printed name resolves here (asked without leaving a warning behind)."""
        return self.quietly_resolve(printed) is not None

    def local(self, name: str, *, group: bool = False) -> str:
        """A participant the register cannot name for sure (a namesake, a teleconference party):
        declared in the document only, without a register link."""
        pid = ("g-" if group else "u-") + persons_slug(name)
        self.locals.setdefault(pid, (name, group))
        return pid

    def names_in(self, text: str) -> list[str]:
        """Register persons named in a stage note, declared as participants (:mod:`.mentions`)."""
        ids: list[str] = []
        for mention in mentions.find(text, self.register, self.quietly_resolve):
            if mention.pid not in ids:
                ids.append(self.participant(mention.pid))
        return ids

    def named(self, text: str) -> list[mentions.Mention]:
        """Register persons named for sure in running text, to be tagged ``persName[@ref]``."""
        return mentions.find(text, self.register, None, sure=True)

    def quietly_resolve(self, printed: str) -> str | None:
        """:meth:`resolve` for words met in running text: an unsure name is simply nobody, no warning."""
        seen = len(self.register.ambiguous)
        pid = self.register.resolve(printed, on=self.info.date or self.context_date, context=self.context)
        del self.register.ambiguous[seen:]
        return pid

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
            self.footnote_lines.setdefault(n, item.line)
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
        inner = Context(self.footnotes, self.names_in, self.time_point, self.ctx.embedded, markers=False,
                        names=self.named)
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
            self.warnings.append(f"{self.shown}:{self.footnote_lines.get(n, 1)}:1: warning: footnote {n} has no "
                                 "marker in the text; its note is placed at the end of the page where its text "
                                 "is printed")
            self.notes.append(f"Footnote {n}: the marker is missing in the source; the note is placed at the "
                              "end of the page where its text is printed.")

    # ------------------------------------------------------------ items to elements

    def paragraph(self, item: st.Item, tag: str = "p", speaker: str | None = None) -> etree._Element:
        """A paragraph, with the furniture of any page break it spans put back at the join."""
        self.ctx.speaker = speaker
        self.line = item.line
        text = item.text
        # Insert join placeholders from the end so positions stay valid.
        for position, between in sorted(item.joins, key=lambda j: j[0], reverse=True):
            if between is None:  # a blank line that is not a page break
                continue
            markers = [self.ctx.embed(e) for e in self.milestones(between)]
            text = text[:position] + "".join(markers) + text[position:]
        names, self.ctx.names = self.ctx.names, (None if tag == "persName" else self.ctx.names)
        try:
            element = append(el(tag), inline.parse(text, self.ctx))
        finally:
            self.ctx.speaker, self.ctx.names = None, names
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
            mark: marks.Mark = item.data["mark"]
            self.marks.append(mark)
            fw = append(el("fw", type="classification"), inline.parse(item.text, self.ctx.without_names()))
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

    def editorial(self, item: st.Item) -> etree._Element:
        """An editors' note printed in brackets between blocks ("[Omitted here is …]"), kept where printed."""
        self.line = item.line
        note = el("note", type="editorial", place="inline")
        inner = Context(self.footnotes, self.names_in, self.time_point, self.ctx.embedded, markers=False,
                        report=self.warn_at)
        printed = item.text.strip()
        opening, closing = ("[", "]") if printed.startswith("[") and "]" in printed else ("", "")
        body = printed[1:printed.rindex("]")] if opening else printed
        tail = printed[printed.rindex("]") + 1:] if opening else ""
        return append(note, [opening] + inline.parse(body, inner) + [closing + tail])

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
            if item.kind in st.TEXT:
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
        """The highest level the document bears, and its handling caveats (each once, in printed order)."""
        if not self.marks:
            return "unmarked", []
        level = max((m.level for m in self.marks), key=marks.rank)
        return level, _once(c for m in self.marks for c in m.caveats)

    def precedence(self) -> list[str]:
        """The telegram precedences printed with the marks (each once, in printed order)."""
        return _once(p for m in self.marks for p in m.precedence)


def _once(values) -> list[str]:
    """Each value once (case ignored), in the order first printed."""
    out: list[str] = []
    for value in values:
        if value.upper() not in (v.upper() for v in out):
            out.append(value)
    return out
