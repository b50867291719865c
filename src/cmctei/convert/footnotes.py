"""Footnote markers printed as ordinary digits, in every form they take.

Superscript digits (¹²³) are always markers: :mod:`cmctei.convert.inline`
reads them directly. Typed or web-copied transcriptions lose the superscript,
so the marker becomes digits in the line; the forms met in records, each
recognised here:

=====================  =====================================  ===============================
form                   printed                                 read as
=====================  =====================================  ===============================
glued to a word        ``in the Times3 Dobrynin``,             word + marker 3
                       ``Tsarapkin's1 statement``,
                       ``Times,3Dobrynin`` (space lost)
after punctuation      ``Cuba.1``, ``paper.”2``, ``),4``       punctuation + marker
after a number and     ``State 265320.1 Thieu``,               number + marker (the dot or
punctuation            ``Saigon 42288,5 that``                 comma ends the number)
glued to a day         ``October 314 regarding``               October 31 + marker 4
glued to a year        ``on May 4, 19632 the Embassy``         1963 + marker 2
standing alone         ``yesterday, 1 you``, ``Read 1`` (end)  marker 1
=====================  =====================================  ===============================

Digits are a marker only when they continue the document's numbering (the
next number, or one or two further when markers were missed): that is what
keeps "U-2", "24 hours", "1,000", "2.5 million", "1:02" and "Saigon 41764"
as text. The forms that split a number ("after a number", "glued to a day or
year", "standing alone") need the exact next number and a sentence boundary
or a date to the left, because a wrong split would change a figure.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MAX_SKIP = 2  # markers that may be missing between two found ones (glued forms only)

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")


@dataclass(frozen=True)
class Marker:
    start: int  # where the marker digits start in the text
    end: int
    value: int
    form: str  # which printed form (for messages and tests)


# Each form: a pattern whose group "n" holds the marker digits (and "num" the
# digits of a number it is glued to, where there is one).
# after the digits: a word boundary, or the next word glued on when the space was lost ("Times,3Dobrynin")
_END = r"(?:(?![\w])|(?=[A-Z][a-z]))"
# Each pattern opens with the character it cannot do without (a digit; for "standing alone", a
# space), the test of what stands before it following: written so, the engine skips from one such
# character to the next instead of trying the pattern at every position (issue 18). They match
# exactly what the plain forms match, (?<=[A-Za-z’'][A-Za-z])(?P<n>\d{1,3}) for the first
# (tests/test_convert_shortcuts.py holds the plain forms and compares).
_WORD = re.compile(r"(?P<n>\d(?<=[A-Za-z’'][A-Za-z]\d)\d{0,2})" + _END)
_PUNCT = re.compile(r"(?P<n>\d(?<=[.,;:!?\"”’')\]]\d)\d{0,2})" + _END)
_NUMBER_PUNCT = re.compile(r"(?P<num>\d(?<![\w.,]\d)(?:[\d,]*\d)?)(?P<sep>[.,])(?P<n>\d{1,3})(?![\w])")
_DAY = re.compile(r"\b" + _MONTH + r"\s+(?P<num>\d{3,5})(?![\w])")
_YEAR = re.compile(r"\b" + _MONTH + r"(?:\s+\d{1,2},?)?\s+(?P<num>(?:1[6-9]|20)\d\d\d{1,3})(?![\w])")
# what may follow a number standing alone that makes it a figure, not a marker ("December 20, 1 p.m.")
_FIGURE_AFTER = (r"(?!\s+(?:(?:and|or|to|through|till|until)\s+\d|[ap]\.?\s?m\b|o’?'?clock|noon|midnight|hours?|"
                 r"minutes?|seconds?|days?|weeks?|months?|years?|per\s?cent|percent|men|miles?|tons?|times)\b)")
_ALONE = re.compile(r"\s(?:(?<=[,;:”\")\]]\s)\s*(?P<n>\d{1,3})(?=\s+[a-z])" + _FIGURE_AFTER
                    + r"|(?<=[A-Za-z.]\s)(?P<end>\d{1,3})\s*$)")
_DATE_BEFORE = re.compile(r"\b" + _MONTH + r"\s+\d{1,2},$")
# a number standing alone after a name or a day of a month, before a word: "on President Thieu 1 I
# made", "misrepresenting Harriman 1 could", "of October 26th 1 with", "of October twenty-eight 1
# even" (a marker after the space FRUS's markup left before its note)
_AFTER_WORD = re.compile(r"\s(?<=[A-Za-z0-9’']\s)(?P<n>\d{1,3})(?=\s+(?:[a-z]|I\s))" + _FIGURE_AFTER)
_NAME_BEFORE = re.compile(r"(?:^|(?<=[\s(“\"]))(?P<word>[A-Z][a-z]+(?:[-’'][A-Za-z]+)*)$")
_DAY_BEFORE = re.compile(r"\b" + _MONTH + r"\s+(?:\d{1,2}(?:st|nd|rd|th)?|[a-z]+(?:-[a-z]+)?)$")
_A_MONTH = re.compile(_MONTH + r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
# what ends a sentence before a word; not the stop of an initial or a title ("H. Thieu", "Mr. Rusk")
_SENTENCE_END = re.compile(r"(?:^|(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])(?<!\b[A-Z][a-z][a-z][a-z])"
                           r"[.!?:][”\"’')\]]*)\s*$")
# a count in a list of counts before a number standing alone ("1 division superintendent, 1 master
# mechanic", "(12 of whom are Europeans, 3 colored), 2 lay missionaries"): the number is the
# next count, not a marker
_COUNT_BEFORE = re.compile(r"(?<![\w.,])\d{1,3}\s+[a-z][^.;:!?\d]{0,60},\s*$")
SHORT_LINE = 60  # a marker standing alone at the end is read only on a short line (a signature)
_SENTENCE_START = re.compile(r"\s*(?:$|[A-Z“\"‘'(\[])")
# Cheap tests first (issue 18: reading markers was a fifth of convert's time). Every form has
# marker digits, so text without a digit has no candidate (three paragraphs in five); "glued to
# a day or year" needs three digits in a row. Each is a necessary condition, so skipping a
# form's scan when it fails changes no result (tests/test_convert_footnotes.py compares).
_DIGIT = re.compile(r"\d")
_NUMBER_SIGN = re.compile(r"\bNos?\.$")
_THREE_DIGITS = re.compile(r"\d\d\d")
_DIGIT_END = re.compile(r"\d$")


def _digit_ends(text: str, end: int) -> bool:
    """``re.search(r"\\d$", text[:end])``, without copying and scanning all the text before
    ``end`` for each candidate: a match can only start in the last two characters (a digit, and
    the newline ``$`` may stand before)."""
    return _DIGIT_END.search(text, max(0, end - 2), end) is not None


def _continues(value: int, expected: int, exact: bool) -> bool:
    return value == expected if exact else expected <= value <= expected + MAX_SKIP


def candidates(text: str) -> list[Marker]:
    """Every run of digits in ``text`` that one of the printed forms could make a marker, any value."""
    candidates: list[Marker] = []
    if not _DIGIT.search(text):
        return candidates
    for m in _WORD.finditer(text):
        candidates.append(Marker(m.start("n"), m.end("n"), int(m.group("n")), "word"))
    for m in _PUNCT.finditer(text):
        if text[m.start("n") - 1] in ".,:" and _digit_ends(text, m.start("n") - 1):
            continue  # "2.5", "1,000", "1:02": digits after a number's own punctuation (_NUMBER_PUNCT)
        if _NUMBER_SIGN.search(text, max(0, m.start("n") - 5), m.start("n")):
            continue  # "Inclosure No.1": the number the sign announces, printed without its space
        candidates.append(Marker(m.start("n"), m.end("n"), int(m.group("n")), "punctuation"))
    for m in _NUMBER_PUNCT.finditer(text):
        number, sep, digits = m.group("num"), m.group("sep"), m.group("n")
        if sep == "," and len(digits) == 3:
            continue  # "1,000": a thousands separator
        if sep == "." and not _SENTENCE_START.match(text, m.end()):
            continue  # "2.5 million": a decimal
        designation = re.search(r"[A-Za-z]-$", text[:m.start()])  # "U-2.12": the U-2, then marker 12
        day = re.search(r"\b" + _MONTH + r"\s+$", text[:m.start()])  # "October 27.1 I": a date ends the sentence
        if sep == "." and len(number.replace(",", "")) < 3 and not (designation or day):
            continue  # "2.1", "para 3.2": a decimal or a section number
        if text[m.start() - 1:m.start()] == "-" and not designation:
            continue  # "1962-11.5": part of a larger figure
        candidates.append(Marker(m.start("n"), m.end("n"), int(digits), "number"))
    long_numbers = _THREE_DIGITS.search(text) is not None
    for m in _DAY.finditer(text) if long_numbers else ():
        num = m.group("num")
        for cut in (2, 1):
            if len(num) > cut and 1 <= int(num[:cut]) <= 31 and num[cut] != "0":
                candidates.append(Marker(m.start("num") + cut, m.end("num"), int(num[cut:]), "day"))
    for m in _YEAR.finditer(text) if long_numbers else ():
        candidates.append(Marker(m.start("num") + 4, m.end("num"), int(m.group("num")[4:]), "year"))
    for m in _ALONE.finditer(text):
        group = "n" if m.group("n") else "end"
        if group == "end" and len(text) > SHORT_LINE:
            continue  # "… on DEFCON 2" ending a paragraph is a number; "Benjamin H. Read 1" a marker
        if group == "n" and re.search(r"\d[,;:]$", text[:m.start()]) and not _DATE_BEFORE.search(text[:m.start()]):
            continue  # "items 1, 2 and 3": a list of numbers, unless "October 27, 2 we"
        if group == "n" and _COUNT_BEFORE.search(text, max(0, m.start() - 80), m.start() + 1):
            continue  # "1 master mechanic, 1 chief train dispatcher": a list of counts
        candidates.append(Marker(m.start(group), m.end(group), int(m.group(group)), "alone"))

    for m in _AFTER_WORD.finditer(text):
        # (what stands before is looked at within a few words, not in all the text before)
        if _DAY_BEFORE.search(text, max(0, m.start() - 40), m.start()) or _named_before(text, m.start()):
            candidates.append(Marker(m.start("n"), m.end("n"), int(m.group("n")), "after a name"))

    return sorted(candidates, key=lambda c: (c.start, c.form != "word"))


def _named_before(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with a name: a capitalised word that does not open its
    sentence and does not announce a number ("Phase", "Annex": data/designations.toml)."""
    name = _NAME_BEFORE.search(text, max(0, end - 40), end)
    return (name is not None and name.group("word").lower() not in _designations()
            and not _A_MONTH.fullmatch(name.group("word"))  # "November 1 address": the day
            and not _SENTENCE_END.search(text, max(0, name.start() - 12), name.start()))


@lru_cache(maxsize=1)
def _designations() -> frozenset[str]:
    """Words after which a number names something (data/designations.toml)."""
    data = tomllib.loads(resources.files("cmctei.convert").joinpath("data/designations.toml").read_text(encoding="utf-8"))
    return frozenset(word.lower() for word in data["words"])


def _candidates_of(text: str, seen: dict[str, list[Marker]] | None) -> list[Marker]:
    """:func:`candidates`, kept in ``seen`` (one document's): :func:`plan` reads every block,
    and :func:`find` half of them again as they are (a tenth of convert's time went to
    finding the same candidates twice; issue 18)."""
    if seen is None:
        return candidates(text)
    found = seen.get(text)
    if found is None:
        found = seen[text] = candidates(text)
    return found


def find(text: str, expected: int, planned: tuple[int, ...] = (),
         seen: dict[str, list[Marker]] | None = None) -> list[Marker]:
    """The markers in ``text``, in order, numbering on from ``expected``.

    ``planned`` are the numbers :func:`plan` expects the document to show: a
    number planned after a missed marker is taken in any form (so one marker
    lost in "Saigon 417644" does not lose every one after it). ``seen``: the candidates
    :func:`plan` found in the document's blocks.
    """
    found: list[Marker] = []
    taken_until = -1
    for marker in _candidates_of(text, seen):
        if marker.start < taken_until:
            continue
        exact = marker.form not in ("word", "punctuation")
        following = next((n for n in planned if n >= expected), None)
        if not (_continues(marker.value, expected, exact) or marker.value == following):
            continue
        found.append(marker)
        expected = marker.value + 1
        taken_until = marker.end
    return found


SKIP_COST = 0.6  # a chain may skip a number when the markers after it make up for it
MAX_PLAN_SKIP = 3


def plan(blocks: list[str], seen: dict[str, list[Marker]] | None = None) -> tuple[int, ...]:
    """The footnote numbers a document shows, read from all its candidates at once.

    The best chain of candidates with rising numbers: each marker taken counts
    one, each number skipped costs ``SKIP_COST``. A run of markers 5, 6, 7 after
    a lost 4 outweighs the skip; a lone stray number far ahead does not. ``seen`` keeps each
    block's candidates for :func:`find`.
    """
    best: dict[int, tuple[float, int]] = {}  # value -> (score, index of the candidate ending the chain)
    chain: list[tuple[int, int | None]] = []  # per candidate: (value, previous candidate)
    for text in blocks:
        for marker in _candidates_of(text, seen):
            v = marker.value
            score, previous = 1 - SKIP_COST * (v - 1), None
            for u in range(max(0, v - 1 - MAX_PLAN_SKIP), v):
                if u in best and best[u][0] + 1 - SKIP_COST * (v - u - 1) > score:
                    score, previous = best[u][0] + 1 - SKIP_COST * (v - u - 1), best[u][1]
            chain.append((v, previous))
            if score > best.get(v, (float("-inf"), 0))[0]:
                best[v] = (score, len(chain) - 1)
    score, end = max(best.values(), default=(0.0, None))
    if score <= 0:
        return ()  # no chain worth its skips: nothing planned, only the next numbers are taken
    values: list[int] = []
    while end is not None:
        value, end = chain[end]
        values.append(value)
    return tuple(reversed(values))
