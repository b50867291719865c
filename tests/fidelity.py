"""No word lost or duplicated: compare a raw source text with the TEI made from it.

The requirement (from the issue): *the words of the source, minus furniture
that became markup, equal the words of the TEI in order (text nodes plus
desc, fw, stamp, speaker).* This module turns both sides into one stream of
word tokens each and compares the streams. Tests of the converters call::

    assert_no_word_lost(source_text, "tei/doc.xml", footnote_texts=False)

which returns ``None`` when nothing was lost, added or moved, and otherwise
raises ``AssertionError`` with a short diff naming the words.

Tokens
------
A *word* is a maximal run of letters (with their combining marks), or of
decimal digits, or of superscript digits. Everything else (spaces,
punctuation, ``*``, ``~~``, ``##``, brackets, apostrophes, hyphens) only
separates words, on both sides alike, so ``~~no~~-invasion`` and
``<del>no</del>-invasion`` both give ``no invasion``. Letter runs and digit
runs are separate words (``IL-28s`` is ``IL 28 s``) and superscripts are a
class of their own: that way a footnote marker glued to a word (``Cuba.1``,
``Cuba⁴``, ``1962¹``) is always its own token, the same token the TEI gives
for ``note/@n`` at the reference point, and the source needs no guessing
about which digits are markers.

Each token is a :class:`Word`: a ``str`` holding the text as printed, with a
comparison :attr:`Word.key` and the line it came from. Keys are NFKC
normalised (``⁷`` is ``7``, ligatures are split); digit tokens compare by
integer value (``05`` equals ``5``); letters compare case-sensitively (a
converter must not change case) unless ``casefold=True``.

What became markup
------------------
- Footnote marker: the source token (``1`` of ``Cuba.1``, ``¹⁴``, the FRUS
  source-note ``0`` at the end of the heading) is matched by the TEI
  ``note/@n``, emitted where the note stands. The note's own words go to a
  separate stream per number, never into the body stream.
- Footnote text printed at a page bottom (transcripts): with
  ``footnote_texts=True`` every source paragraph that starts with a
  superscript number is taken out of the body stream and compared with the
  words of the TEI note with that ``@n``.
- Tape time stamp ``[05:03]``: one token whose key is the number of seconds
  (``303``). In the TEI, ``anchor/@synch`` is resolved to
  ``timeline/when`` and its ``@interval`` (following ``@since`` back to the
  origin, in the timeline's ``@unit``) gives the same key. Comparing seconds
  rather than printed digits means ``[5:03]``, ``[05:03]`` and, past an
  hour, ``[1:02:05]`` or ``[62:05]`` all match what the TEI says; a wrong
  interval never does. A time stamp left as text in the TEI is *not*
  recognised there (it gives ``05 03``), so it is reported: the profile
  wants an anchor.
- Anything else a particular converter turns into pure markup can be named:
  ``source_furniture`` (regular expressions removed from each source line)
  and ``skip_elements`` (TEI elements whose content is not compared).
  Both are empty by default: strict.

Only ``TEI/text`` (front, body, back) is compared; the ``teiHeader`` and
``timeline`` are not.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Union

from lxml import etree

__all__ = [
    "TEI_NS",
    "Word",
    "assert_no_word_lost",
    "format_time",
    "source_words",
    "tei_words",
    "tokenize",
    "word_differences",
]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: A tape time stamp as printed in transcripts: [mm:ss] or [h:mm:ss].
TIME_STAMP = re.compile(r"\[([0-9]{1,3}):([0-5][0-9])(?::([0-5][0-9]))?\]")

#: Marks the key of a time-stamp token, so it can never equal a word.
_TIME_KEY = "\u23f1"

#: Seconds per unit of ``timeline/@unit`` (TEI data.duration units we accept).
_UNITS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}

#: Non-equal stretches separated by at most this many equal words are shown as one.
_MERGE_GAP = 2

TeiInput = Union[str, bytes, "os.PathLike[str]", etree._Element, etree._ElementTree]
Furniture = Iterable[Union[str, "re.Pattern[str]"]]


class Word(str):
    """One token: the ``str`` value is the word as printed.

    ``key`` is what comparisons use (NFKC, digits by integer value, time
    stamps by seconds); ``line`` is the 1-based line in the source text or in
    the TEI document (approximate for TEI text after an end tag), or None.
    """

    key: str
    line: int | None

    def __new__(cls, text: str, line: int | None = None, key: str | None = None) -> Word:
        self = super().__new__(cls, text)
        self.key = word_key(text) if key is None else key
        self.line = line
        return self


def word_key(text: str) -> str:
    """The comparison key of a printed word: NFKC, and a digit run by its value."""
    norm = unicodedata.normalize("NFKC", text)
    if norm.isdecimal():
        return str(int(norm))
    return norm


def format_time(seconds: float) -> str:
    """A time label as transcripts print it: ``[05:03]``, or ``[1:02:05]`` from an hour on."""
    whole = int(round(seconds))
    if abs(seconds - whole) > 1e-6:
        return f"[{seconds:g}s]"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"[{hours}:{minutes:02d}:{secs:02d}]"
    return f"[{minutes:02d}:{secs:02d}]"


def _time_word(seconds: float, line: int | None, printed: str | None = None) -> Word:
    """A time-stamp token: shown as printed (or formatted), compared by seconds."""
    whole = round(seconds)
    value = str(whole) if abs(seconds - whole) <= 1e-6 else f"{seconds:g}"
    return Word(printed or format_time(seconds), line, key=_TIME_KEY + value)


def _char_class(ch: str) -> str | None:
    """'S' superscript digit, 'D' decimal digit, 'L' letter or mark, 'N' other number, None: separator."""
    if ch in SUPERSCRIPT_DIGITS:
        return "S"
    cat = unicodedata.category(ch)
    if cat[0] in "LM":
        return "L"
    if cat == "Nd":
        return "D"
    if cat[0] == "N":  # ½, Ⅻ …: kept as words, compared after NFKC
        return "N"
    return None


def tokenize(text: str, line: int | None = None) -> list[Word]:
    """Split text into words (see the module docstring); ``line`` is the line of ``text[0]``.

    Time stamps are *not* recognised here: :func:`source_words` does that
    for the source only.
    """
    words: list[Word] = []
    start = -1
    cls: str | None = None
    start_line = current = line
    for i, ch in enumerate(text):
        c = _char_class(ch)
        if c != cls or c == "N":
            if cls is not None:
                words.append(Word(text[start:i], start_line))
            start, cls, start_line = i, c, current
        if ch == "\n" and current is not None:
            current += 1
    if cls is not None:
        words.append(Word(text[start:], start_line))
    return words


def _compile(patterns: Furniture) -> list[re.Pattern[str]]:
    return [p if isinstance(p, re.Pattern) else re.compile(p) for p in patterns]


def _line_words(line: str, number: int, furniture: Sequence[re.Pattern[str]]) -> list[Word]:
    """The words of one source line, furniture removed, time stamps as single tokens."""
    for pattern in furniture:
        line = pattern.sub(" ", line)
    words: list[Word] = []
    pos = 0
    for m in TIME_STAMP.finditer(line):
        words += tokenize(line[pos : m.start()], number)
        if m.group(3) is None:
            seconds = int(m.group(1)) * 60 + int(m.group(2))
        else:
            seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        words.append(_time_word(seconds, number, m.group(0)))
        pos = m.end()
    return words + tokenize(line[pos:], number)


def _read_source(source: str | os.PathLike[str]) -> str:
    if isinstance(source, str):
        return source
    return Path(source).read_text(encoding="utf-8")


def source_words(
    text: str | os.PathLike[str],
    *,
    footnote_text_lines: bool,
    source_furniture: Furniture = (),
) -> tuple[list[Word], dict[str, list[Word]]]:
    """The words of a raw source text: ``(body_words, footnote_texts)``.

    ``text`` is the text itself, or a path (``os.PathLike``) to a UTF-8 file.

    With ``footnote_text_lines=True`` (transcripts, which print footnote
    texts at page bottoms) every paragraph - lines up to a blank line - that
    starts with superscript digits and a space (``⁷ Bundy is …``) is taken
    out of the body stream and returned as ``footnote_texts[n]`` (``n`` as
    a plain number string, ``"7"``), without the number itself, because a
    converter moves it into ``note[@n='7']``. With ``False`` nothing is taken
    out and ``footnote_texts`` is empty.

    ``source_furniture``: regular expressions whose matches are removed from
    every line before tokenising (use ``^…$`` for whole lines), for printed
    matter a converter legitimately turns into pure markup.

    Raises ``ValueError`` if the source prints two footnote texts with the
    same number: the comparison could not tell which one a note should hold.
    """
    furniture = _compile(source_furniture)
    lines = _read_source(text).splitlines()
    body: list[Word] = []
    notes: dict[str, list[Word]] = {}
    note_lines: dict[str, int] = {}

    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if not paragraph:
            return
        first_no, first = paragraph[0]
        stripped = first.lstrip()
        m = re.match(f"([{SUPERSCRIPT_DIGITS}]+)(?:\\s|$)", stripped)
        if footnote_text_lines and m:
            n = word_key(m.group(1))
            if n in notes:
                raise ValueError(
                    f"source prints footnote text {n} twice (lines {note_lines[n]} and {first_no})"
                )
            rest = " " * (len(first) - len(stripped) + m.end()) + stripped[m.end() :]
            words = _line_words(rest, first_no, furniture)
            for no, line in paragraph[1:]:
                words += _line_words(line, no, furniture)
            notes[n] = words
            note_lines[n] = first_no
        else:
            for no, line in paragraph:
                body.extend(_line_words(line, no, furniture))
        paragraph.clear()

    for number, line in enumerate(lines, start=1):
        if line.strip():
            paragraph.append((number, line))
        else:
            flush()
    flush()
    return body, notes


# --------------------------------------------------------------------------- TEI


def _parse(tei: TeiInput) -> etree._Element:
    """The root element of ``tei``: a tree, an element, XML text (str starting with '<' or bytes) or a path."""
    if isinstance(tei, etree._ElementTree):
        return tei.getroot()
    if isinstance(tei, etree._Element):
        return tei
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False, huge_tree=False
    )
    if isinstance(tei, bytes):
        return etree.fromstring(tei, parser)
    if isinstance(tei, str) and tei.lstrip().startswith("<"):
        return etree.fromstring(tei.encode("utf-8"), parser)
    return etree.parse(os.fspath(tei), parser).getroot()


def _local(el: etree._Element) -> str | None:
    """Local name of a TEI-namespace element; None for comments, PIs and other namespaces."""
    if not isinstance(el.tag, str):
        return None
    q = etree.QName(el)
    return q.localname if q.namespace == TEI_NS else None


def _end_line(el: etree._Element) -> int | None:
    """Estimated line of the end of ``el`` (lxml only knows where start tags are)."""
    children = list(el)
    if children:
        last = children[-1]
        line = _end_line(last)
        return None if line is None else line + (last.tail or "").count("\n")
    if el.sourceline is None:
        return None
    return el.sourceline + (el.text or "").count("\n")


class _TimeResolver:
    """Seconds since the timeline origin for each ``when``, following ``@since``."""

    def __init__(self, root: etree._Element) -> None:
        self.whens: dict[str, etree._Element] = {}
        for when in root.iter(f"{{{TEI_NS}}}when"):
            wid = when.get(XML_ID)
            if wid is not None:
                self.whens.setdefault(wid, when)

    def seconds(self, wid: str, seen: frozenset[str] = frozenset()) -> float:
        """Raises ``ValueError`` with the reason when the offset cannot be computed."""
        if wid in seen:
            raise ValueError(f"@since loop through #{wid}")
        when = self.whens.get(wid)
        if when is None:
            raise ValueError(f"no when with xml:id {wid!r}")
        interval = when.get("interval")
        if interval is None:
            return 0.0  # the origin (or an absolute point): offset 0
        timeline = next(when.iterancestors(f"{{{TEI_NS}}}timeline"), None)
        unit = when.get("unit") or (timeline.get("unit") if timeline is not None else None) or "s"
        if unit not in _UNITS:
            raise ValueError(f"when #{wid}: unit {unit!r} not understood")
        try:
            value = float(interval) * _UNITS[unit]
        except ValueError:
            raise ValueError(f"when #{wid}: interval {interval!r} is not a number") from None
        since = when.get("since")
        if since:
            if not since.startswith("#"):
                raise ValueError(f"when #{wid}: since {since!r} is not a local pointer")
            value += self.seconds(since[1:], seen | {wid})
        return value

    def word(self, anchor: etree._Element) -> Word:
        """The time token of an ``anchor[@synch]``, or an unmatched token naming the problem."""
        synch = anchor.get("synch", "")
        reasons = []
        for ptr in synch.split():
            if not ptr.startswith("#"):
                reasons.append(f"{ptr!r} is not a local pointer")
                continue
            try:
                return _time_word(self.seconds(ptr[1:]), anchor.sourceline)
            except ValueError as exc:
                reasons.append(str(exc))
        why = "; ".join(reasons) or "empty @synch"
        return Word(f"<anchor synch={synch!r}: {why}>", anchor.sourceline, key="\0unresolved " + synch)


def tei_words(
    tei: TeiInput,
    *,
    skip_elements: Iterable[str] = (),
) -> tuple[list[Word], dict[str, list[Word]]]:
    """The words of a TEI document: ``(body_words, note_words)``.

    Walks every top-level ``TEI/text`` (front, body, back) in document order
    and takes the text and tail of every element: p, head, fw, stamp, speaker,
    desc, supplied, del, hi, date, … all count, because converters keep the
    printed words as text. Special cases:

    - ``note[@n]`` (``@place='foot'`` or ``@type='source'``): its ``@n`` is
      emitted where the note stands (it matches the printed marker) and its
      own words go to ``note_words[n]`` (``n`` normalised like a word key,
      ``"07"`` → ``"7"``). A note that holds only ``gap`` gives an empty
      list. Two notes with the same ``@n`` have their words concatenated. A
      ``note`` without ``@n`` is ordinary text: its words are in the body.
    - ``anchor[@synch]``: the time token of the ``when`` it points to (see
      the module docstring); an unresolvable pointer gives a token that
      matches nothing and names the problem.
    - ``unclear[@reason='inaudible']``: the word "unclear" before its
      content, the printed label of "[*unclear*: words]".
    - ``timeline`` and comments/processing instructions: not compared (their
      tails are).
    - ``skip_elements``: local names of TEI elements whose content is not
      compared either (their tails are).

    ``tei``: an lxml tree or element, XML as bytes or as a str starting with
    ``<``, or a path. The ``teiHeader`` is never read.
    """
    root = _parse(tei)
    texts = [
        t for t in root.iter(f"{{{TEI_NS}}}text")
        if next(t.iterancestors(f"{{{TEI_NS}}}text"), None) is None
    ]
    if not texts:
        raise ValueError(f"no <text> in the TEI namespace ({TEI_NS}) under <{root.tag}>")
    skip = {"timeline", *skip_elements}
    times = _TimeResolver(root)
    body: list[Word] = []
    notes: dict[str, list[Word]] = {}

    def emit(text: str | None, line: int | None, sink: list[Word]) -> None:
        if text:
            sink.extend(tokenize(text, line))

    def content(el: etree._Element, sink: list[Word]) -> None:
        emit(el.text, el.sourceline, sink)
        for child in el:
            visit(child, sink)
            emit(child.tail, _end_line(child), sink)

    def visit(el: etree._Element, sink: list[Word]) -> None:
        name = _local(el)
        if not isinstance(el.tag, str) or name in skip:
            return
        if name == "note" and el.get("n") is not None:
            n_words = tokenize(el.get("n", ""), el.sourceline)
            sink.extend(n_words)
            key = "".join(w.key for w in n_words) or el.get("n", "")
            content(el, notes.setdefault(key, []))
            return
        if name == "anchor" and el.get("synch") is not None:
            sink.append(times.word(el))
            content(el, sink)  # anchor is empty in TEI; be safe
            return
        if name == "unclear" and el.get("reason") == "inaudible":
            # "[*unclear*: on this]": the printed label is the element itself
            sink.extend(tokenize("unclear", el.sourceline))
        content(el, sink)

    for text in texts:
        content(text, body)
    return body, notes


# --------------------------------------------------------------------------- comparison


def _hunks(a: Sequence[Word], b: Sequence[Word], casefold: bool) -> list[tuple[int, int, int, int]]:
    """Non-equal stretches ``(i1, i2, j1, j2)``; ones close together are merged.

    Merging turns a swapped pair (which SequenceMatcher reports as an insert
    and a delete around one equal word) into one stretch that can be
    recognised as a reordering; stretches are merged only when the result is
    a reordering, so dense unrelated differences stay separate.
    """
    def keys(ws: Sequence[Word]) -> list[str]:
        return [w.key.casefold() if casefold else w.key for w in ws]

    ka, kb = keys(a), keys(b)
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    hunks: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if hunks and i1 - hunks[-1][1] <= _MERGE_GAP:
            p1, _, q1, _ = hunks[-1]
            if Counter(ka[p1:i2]) == Counter(kb[q1:j2]):  # merge only into a reordering
                hunks[-1] = (p1, i2, q1, j2)
                continue
        hunks.append((i1, i2, j1, j2))
    return hunks


def _show(words: Sequence[Word], limit: int = 12) -> str:
    if len(words) > limit:
        return " ".join(words[:limit]) + f" … (+{len(words) - limit} more)"
    return " ".join(words)


def _context(words: Sequence[Word], i1: int, i2: int, width: int) -> str:
    """``… before ⟦span⟧ after …``, the span shortened if long."""
    lo, hi = max(0, i1 - width), min(len(words), i2 + width)
    before = ("… " if lo > 0 else "") + " ".join(words[lo:i1])
    after = " ".join(words[i2:hi]) + (" …" if hi < len(words) else "")
    return f"{before} ⟦{_show(words[i1:i2], 8)}⟧ {after}".strip()


def _line_at(words: Sequence[Word], i1: int, i2: int) -> int | None:
    """Line of the span, or of the nearest word before it, or after it."""
    for w in list(words[i1:i2]) + list(reversed(words[:i1])) + list(words[i2:]):
        if w.line is not None:
            return w.line
    return None


def _describe(
    a: Sequence[Word], b: Sequence[Word], hunk: tuple[int, int, int, int],
    *, casefold: bool, width: int, a_name: str, b_name: str, prefix: str = "",
) -> str:
    """One numbered-list entry: what happened to which words, where, with context."""
    i1, i2, j1, j2 = hunk
    lost, added = a[i1:i2], b[j1:j2]

    def k(ws: Sequence[Word]) -> list[str]:
        return [w.key.casefold() if casefold else w.key for w in ws]

    if not added:
        what = f"lost in {b_name}: «{_show(lost)}»"
    elif not lost:
        n = len(added)
        dup = k(added) in (k(a[max(0, i1 - n) : i1]), k(a[i1 : i1 + n]))
        what = (f"duplicated in {b_name}: «{_show(added)}»" if dup
                else f"added in {b_name}, not in {a_name}: «{_show(added)}»")
    elif Counter(k(lost)) == Counter(k(added)):
        what = f"out of order: {a_name} «{_show(lost)}» but {b_name} «{_show(added)}»"
    else:
        what = f"changed: {a_name} «{_show(lost)}» but {b_name} «{_show(added)}»"
    a_line, b_line = _line_at(a, i1, i2), _line_at(b, j1, j2)
    where = f"{a_name} line {a_line or '?'}, {b_name} line {b_line or '?'}"
    pad = max(len(a_name), len(b_name)) + 1
    return (
        f"{prefix}{what} ({where})\n"
        f"     {(a_name + ':').ljust(pad)} {_context(a, i1, i2, width)}\n"
        f"     {(b_name + ':').ljust(pad)} {_context(b, j1, j2, width)}"
    )


def _note_order(n: str) -> tuple[int, str]:
    return (int(n), "") if n.isdecimal() else (1 << 30, n)


def word_differences(
    source_text: str | os.PathLike[str],
    tei: TeiInput,
    *,
    footnote_texts: bool,
    source_furniture: Furniture = (),
    skip_elements: Iterable[str] = (),
    casefold: bool = False,
    context: int = 8,
) -> list[str]:
    """Every difference as one readable entry (empty list: the words agree).

    :func:`assert_no_word_lost` shows the first few; this is for callers who
    want them all. Arguments as there.
    """
    src_body, src_notes = source_words(
        source_text, footnote_text_lines=footnote_texts, source_furniture=source_furniture
    )
    tei_body, tei_notes = tei_words(tei, skip_elements=skip_elements)
    problems = [
        _describe(src_body, tei_body, h, casefold=casefold, width=context, a_name="source", b_name="TEI")
        for h in _hunks(src_body, tei_body, casefold)
    ]
    for n in sorted(set(src_notes) | set(tei_notes), key=_note_order):
        printed, held = src_notes.get(n), tei_notes.get(n)
        if printed is None:
            if held:  # note words the source never prints as a footnote text
                why = ("the source prints no footnote texts" if not footnote_texts
                       else f"the source prints no footnote text {n}")
                problems.append(
                    f"footnote {n}: the TEI note (line {held[0].line}) holds words but {why}: "
                    f"«{_show(held)}»"
                )
        elif held is None:
            problems.append(
                f"footnote {n}: the source prints its text (line {printed[0].line if printed else '?'}: "
                f"«{_show(printed)}») but the TEI has no note n=\"{n}\""
            )
        elif printed and not held:
            problems.append(
                f"footnote {n}: text not moved into the TEI note n=\"{n}\", which holds no words; "
                f"source line {printed[0].line}: «{_show(printed)}»"
            )
        else:
            problems.extend(
                _describe(printed, held, h, casefold=casefold, width=context,
                          a_name="source", b_name="TEI note", prefix=f"footnote {n}: ")
                for h in _hunks(printed, held, casefold)
            )
    return problems


def assert_no_word_lost(
    source_text: str | os.PathLike[str],
    tei: TeiInput,
    *,
    footnote_texts: bool,
    source_furniture: Furniture = (),
    skip_elements: Iterable[str] = (),
    casefold: bool = False,
    context: int = 8,
    max_shown: int = 5,
) -> None:
    """Fail unless the TEI has exactly the source's words, in the same order.

    ``source_text``: the raw text (or a path to it). ``tei``: see
    :func:`tei_words`. ``footnote_texts``: True when the source prints
    footnote texts as paragraphs starting with a superscript number (they
    must then be the words of the note with that ``@n``); False when it
    prints only markers (every TEI note must then hold no words, e.g. only
    ``gap[@reason='not-transcribed']``). There is no default: say which.

    Raises ``AssertionError`` listing the first ``max_shown`` differences,
    each with its kind (lost, duplicated, added, out of order, changed), the
    words, the source and TEI line numbers and ``context`` words either side.
    """
    problems = word_differences(
        source_text, tei, footnote_texts=footnote_texts, source_furniture=source_furniture,
        skip_elements=skip_elements, casefold=casefold, context=context,
    )
    if not problems:
        return None
    shown = [f"{i}. {p}" for i, p in enumerate(problems[:max_shown], start=1)]
    more = len(problems) - max_shown
    tail = [f"… and {more} more difference{'s' if more != 1 else ''}"] if more > 0 else []
    head = f"TEI words differ from the source ({len(problems)} difference{'s' if len(problems) != 1 else ''}):"
    raise AssertionError("\n".join([head, *shown, *tail]))
