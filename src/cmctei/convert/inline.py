"""Phrase-level recognition: the marks inside a paragraph.

Input is the text of one paragraph (hard-wrapped lines already joined);
output is a list of strings and lxml elements in document order, ready to
be appended to a ``p``, ``head`` or ``note``. What is recognised:

- ``*italic*`` → ``hi[@rend='italic']``; ``~~struck~~`` → ``del[@rend='strikethrough']``;
- square brackets, by what is inside them: a tape time ``[05:03]`` →
  ``anchor[@synch]``; ``[*Unclear*]``, ``[unclear]`` → ``gap[@reason='inaudible']``;
  ``[*unclear*: words]`` → ``unclear``; ``[one-and-a-half lines whited out]`` →
  ``gap[@reason='sanitized']``; laughter → ``vocal``; other italic stage
  descriptions → ``incident``; a bare gerund (``[coughing]``) → ``vocal``;
  anything else is an editorial insertion → ``supplied`` (the printed
  brackets stay as text);
- footnote markers: superscript digits always; plain digits glued to a word
  or to punctuation ("Cuba.1") only when they continue the document's
  footnote numbering, which keeps "U-2", "24 hours" or "October.26" as text;
- page breaks and furniture that a page break put into the middle of the
  paragraph arrive as placeholders and are put back as elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from lxml import etree

from cmctei.convert import footnotes
from cmctei.convert import text as tx
from cmctei.xmlio import TEI_NS, XML_NS

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS

Node = str | etree._Element

# Placeholders in a paragraph's text (see text.py: out of band, never in a source).
EMBED_OPEN, EMBED_CLOSE, PAGE_BREAK = tx.EMBED_OPEN, tx.EMBED_CLOSE, tx.PAGE_BREAK
EMBED = re.compile(EMBED_OPEN + "(\\d+)" + EMBED_CLOSE)


def embed_marker(index: int) -> str:
    return f"{EMBED_OPEN}{index}{EMBED_CLOSE}"


NSMAP = {None: TEI_NS}


def el(tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.Element(T + tag, nsmap=NSMAP)
    for key, value in attrib.items():
        if key == "xml_id":
            element.set(XML_ID, value)
        else:
            element.set(key.rstrip("_"), value)
    if text is not None:
        element.text = text
    return element


def append(parent: etree._Element, nodes: list[Node]) -> etree._Element:
    """Append strings and elements to ``parent`` as mixed content."""
    for node in nodes:
        if isinstance(node, str):
            if not node:
                continue
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + node
            else:
                parent.text = (parent.text or "") + node
        else:
            parent.append(node)
    return parent


def detach(element: etree._Element) -> None:
    """Remove ``element`` from its parent, keeping the text that followed it in place."""
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)


def rstrip(element: etree._Element) -> None:
    """Remove the whitespace that ends ``element``'s content."""
    if len(element):
        if element[-1].tail:
            element[-1].tail = element[-1].tail.rstrip() or None
    elif element.text:
        element.text = element.text.rstrip()


@dataclass
class Footnotes:
    """The footnote numbering of one document, shared by all its paragraphs."""

    docid: str
    style: str  # "superscript" or "glued"
    texts: dict[int, str] = field(default_factory=dict)  # printed footnote texts, when the source has them
    expected: int = 1
    placed: dict[int, etree._Element] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    planned: tuple[int, ...] = ()  # the numbers the document shows (footnotes.plan), for glued markers
    candidates: dict[str, list] = field(default_factory=dict)  # the markers each text could hold (footnotes.find)

    def note(self, n: int, content: list[Node] | None) -> etree._Element:
        note = el("note", place="foot", n=str(n), xml_id=f"{self.docid}-fn{n}")
        if content:
            append(note, content)
        else:
            note.append(el("gap", reason="not-transcribed"))
        self.placed[n] = note
        return note


@dataclass
class Context:
    """What the inline parser needs to know about the document being built."""

    footnotes: Footnotes
    resolve_names: Callable[[str], list[str]]  # free text → local participant ids (declared on the way)
    time_point: Callable[[int, str], str]  # seconds, label → id of a timeline point
    embedded: list[etree._Element] = field(default_factory=list)
    speaker: str | None = None  # local ids of the current speaker(s), space-separated, for vocal/@who
    markers: bool = True  # False inside footnote texts
    parse_note_text: Callable[[int], list[Node] | None] | None = None
    # reports a problem about the printed text ``snippet``; the builder locates it in the source
    report: Callable[[str, str], None] | None = None
    # the register's persons named for sure in a text (None: names are not tagged here)
    names: Callable[[str], list] | None = None
    warnings: list[str] = field(default_factory=list)

    def without_names(self) -> "Context":
        """This context for text where names are not tagged (page furniture, marks)."""
        return replace(self, names=None)

    def warn(self, snippet: str, message: str) -> None:
        if self.report is not None:
            self.report(snippet, message)
        else:
            self.warnings.append(message)

    def embed(self, element: etree._Element) -> str:
        self.embedded.append(element)
        return embed_marker(len(self.embedded) - 1)



_TOKEN = re.compile(
    # the lookahead lets the scan skip plain text one character at a time instead of trying
    # every alternative at every position (the inline parser's main cost on prose)
    r"(?=[" + EMBED_OPEN + PAGE_BREAK + r"*\[~" + tx.SUPERSCRIPTS + r"])"
    r"(?:(?P<embed>" + EMBED_OPEN + r"\d+" + EMBED_CLOSE + r")"
    r"|(?P<pb>" + PAGE_BREAK + r")"
    r"|(?P<italicbracket>\*\[(?P<ib>[^\[\]]*)\]\*)"
    r"|(?P<bracket>\[(?P<b>[^\[\]]*)\])"
    r"|(?P<del>~~(?P<d>.+?)~~)"
    r"|(?P<italic>\*(?P<i>[^*\s](?:[^*]*?[^*\s])?)\*)"
    r"|(?P<sup>[" + tx.SUPERSCRIPTS + r"]+))"
)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_UNCLEAR_WORDS = re.compile(r"^\*?\s*unclear\s*\*?\s*:\s*(?P<words>.+?)\s*$", re.I)
_UNCLEAR = re.compile(r"^\*?\s*(unclear|inaudible|indistinct|unintelligible)\s*\.?\s*\*?\s*\.?$", re.I)
_LAUGH = re.compile(r"\blaugh", re.I)
_NONVERBAL = re.compile(r"\b(laugh\w*|cough\w*|sigh\w*|chuckl\w*|clears? (?:his |her )?throat|applause|whistl\w*)\b", re.I)


def parse(text: str, ctx: Context) -> list[Node]:
    nodes: list[Node] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            nodes.extend(_plain(text[pos:m.start()], ctx, text[pos - 1:pos]))
        pos = m.end()
        if m.group("embed"):
            nodes.append(ctx.embedded[int(EMBED.match(m.group("embed")).group(1))])
        elif m.group("pb"):
            nodes.append(el("pb"))
        elif m.group("italicbracket") is not None:
            nodes.extend(_bracket("*" + m.group("ib") + "*", ctx))
        elif m.group("bracket") is not None:
            content = m.group("b")
            if EMBED_OPEN in content or PAGE_BREAK in content:
                # a page break inside the brackets: keep it all, as printed, in order
                nodes.extend(["["] + parse(content, ctx) + ["]"])
            else:
                nodes.extend(_bracket(content, ctx))
        elif m.group("del") is not None:
            nodes.append(append(el("del", rend="strikethrough"), parse(m.group("d"), ctx)))
        elif m.group("italic") is not None:
            nodes.append(append(el("hi", rend="italic"), parse(m.group("i"), ctx)))
        elif m.group("sup") is not None:
            nodes.extend(_superscript(m.group("sup"), ctx))
    if pos < len(text):
        nodes.extend(_plain(text[pos:], ctx, text[pos - 1:pos]))
    return nodes


def _plain(text: str, ctx: Context, before: str = "") -> list[Node]:
    """Plain text: footnote markers printed as ordinary digits when the document uses them
    (every printed form is read by :mod:`cmctei.convert.footnotes`), and the register's persons
    named in it (:mod:`cmctei.convert.mentions`) as ``persName[@ref]``. ``before``: the
    character printed just before it, when a token (square brackets) ended there."""
    nodes = _markers(text, ctx, before)
    if ctx.names is None:
        return nodes
    out: list[Node] = []
    for node in nodes:
        if not isinstance(node, str) or not node.strip():
            out.append(node)
            continue
        pos = 0
        for mention in ctx.names(node):
            out.append(node[pos:mention.start])
            out.append(el("persName", mention.printed, ref="persons.xml#" + mention.pid))
            pos = mention.end
        out.append(node[pos:])
    return out


def _markers(text: str, ctx: Context, before: str = "") -> list[Node]:
    """``text`` with its footnote markers as notes. A marker glued to the closing bracket of an
    editorial insertion ("of October 22 [21]1 with") is read with that bracket before it
    (``before``), as it is printed: the bracket is a token of its own by then."""
    if not ctx.markers or ctx.footnotes.style != "glued":
        return [text]
    nodes: list[Node] = []
    pos = 0
    fn = ctx.footnotes
    shift = len(before)
    for marker in footnotes.find(before + text, fn.expected, fn.planned, fn.candidates):
        marker = replace(marker, start=marker.start - shift, end=marker.end - shift)
        if marker.start < 0:
            continue
        if marker.value > fn.expected:
            missing = list(range(fn.expected, marker.value))
            fn.skipped.extend(missing)
            ctx.warn(text[max(0, marker.start - 20):marker.end],
                     f"footnote marker{'s' if len(missing) > 1 else ''} "
                     f"{', '.join(map(str, missing))} not found; the next one found is {marker.value}")
        nodes.append(text[pos:marker.start])
        nodes.append(fn.note(marker.value, ctx.parse_note_text(marker.value) if ctx.parse_note_text else None))
        fn.expected = marker.value + 1
        pos = marker.end
    nodes.append(text[pos:])
    return nodes


def _superscript(digits: str, ctx: Context) -> list[Node]:
    value = tx.superscript_value(digits)
    fn = ctx.footnotes
    if not ctx.markers:
        return [digits]
    if value in fn.placed:
        ctx.warn(digits, f"footnote marker {value} appears twice; the second is kept as text")
        return [digits]
    if value > fn.expected:
        fn.skipped.extend(range(fn.expected, value))
    fn.expected = max(fn.expected, value + 1)
    return [fn.note(value, ctx.parse_note_text(value) if ctx.parse_note_text else None)]


def _desc(words: str, ctx: Context) -> etree._Element:
    desc = el("desc")
    inner = Context(ctx.footnotes, ctx.resolve_names, ctx.time_point, ctx.embedded, ctx.speaker, markers=False)
    return append(desc, [n for n in parse(words, inner) if isinstance(n, str) or n.tag in (T + "hi", T + "supplied")])


def _bracket(content: str, ctx: Context) -> list[Node]:
    inner = content.strip()
    bare = inner.strip("*").strip()
    italic = inner.startswith("*")
    time = _TIME.match(inner)
    if time:
        h_or_m, m_or_s, s = time.groups()
        seconds = int(h_or_m) * 3600 + int(m_or_s) * 60 + int(s) if s else int(h_or_m) * 60 + int(m_or_s)
        return [el("anchor", synch="#" + ctx.time_point(seconds, inner))]
    words = _UNCLEAR_WORDS.match(inner)
    if words:
        return [append(el("unclear", reason="inaudible"), parse(words.group("words"), ctx))]
    if _UNCLEAR.match(inner):
        gap = el("gap", reason="inaudible")
        gap.append(_desc(bare, ctx))
        return [gap]
    excision = tx.line_excision(bare) or tx.audio_excision(bare)
    if excision:
        return [excision_gap(excision, bare, ctx)]
    if _NONVERBAL.search(bare) and (italic or len(bare.split()) <= 6):
        vocal = el("vocal")
        who = ctx.resolve_names(bare) or (ctx.speaker.split() if ctx.speaker else [])
        if who:
            vocal.set("who", " ".join("#" + w for w in who))
        if _LAUGH.search(bare):
            vocal.set("type", "laughter")
        vocal.append(_desc(bare, ctx))
        return [vocal]
    if italic or re.fullmatch(r"[a-z]+ing", bare):
        event = el("incident")
        who = ctx.resolve_names(bare)
        if who:
            event.set("who", " ".join("#" + w for w in who))
        event.append(_desc(bare, ctx))
        return [event]
    supplied = append(el("supplied", reason="editorial"), parse(inner, ctx))
    return ["[", supplied, "]"]


def excision_gap(excision: tx.Excision, printed: str, ctx: Context | None = None) -> etree._Element:
    gap = el("gap", reason=excision.reason)
    if excision.quantity is not None:
        gap.set("quantity", tx.format_quantity(excision.quantity))
        gap.set("unit", excision.unit or "")
    if excision.seconds is not None:
        gap.set("dur", tx.iso_duration(excision.seconds))
    gap.append(el("desc", printed.strip()))
    return gap
