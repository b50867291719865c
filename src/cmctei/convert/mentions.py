"""Persons of the register named in a stretch of text.

Used where the converter must say who is meant by words it did not get as a
label: the actors of a stage note ("[Bundy, Sorensen, and Rusk have a short
conversation]"), the people named in running text. A person is found by

- a name or variant the register lists, printed exactly so ("R. Kennedy",
  "Ambassador Dobrynin"), longest first, so "Robert Kennedy" is not read as
  "Kennedy";
- a role word naming an office's holder on the document's date ("the
  President", "the Attorney General"; "the Secretary" only in a document of
  the office's department), resolved by :meth:`Builder.resolve`.

Only sure matches count: a role word nobody held on the date, or one two
offices claim, names nobody here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cmctei.convert.persons import Register, offices

MIN_NAME = 3  # shorter variants ("Al") are too likely to be something else


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    pid: str
    printed: str


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    usable = sorted((n for n in names if len(n) >= MIN_NAME), key=len, reverse=True)
    if not usable:
        return None
    # a name ends at a word boundary, or before a possessive ("Khrushchev’s shoes").
    # Written for speed, matching the same (this scan was a tenth of convert's time, issue 18):
    # a lookahead for the names' first letters lets the engine leave most positions after one
    # test, and the names are grouped by their first letter, so that at a capital only the names
    # opening with it are tried. Within a group they keep their order, longest first; names of
    # two groups can never both match at one position.
    by_first: dict[str, list[str]] = {}
    for name in usable:
        by_first.setdefault(name[0], []).append(name)
    firsts = "".join(sorted(re.escape(first) for first in by_first))
    groups = "|".join(re.escape(first) + "(?:" + "|".join(re.escape(n[1:]) for n in group) + ")"
                      for first, group in by_first.items())
    return re.compile(r"(?=[" + firsts + r"])(?<![\w’'])(?:" + groups + r")(?=[’']s\b|[^\w’']|$)")


def _pattern_of(register: Register) -> re.Pattern | None:
    """:func:`_names_pattern` of the register's names, kept on the register while its number
    of names is the same: names are only ever added to a register (``Register.load``,
    ``Register.add``), so the count tells the set and its order. (Making the tuple of every
    name to look the pattern up cost more than the search itself: a tenth of convert's
    time, at 100,000 calls for 1,000 documents; issue 18.)"""
    cached = register.__dict__.get("_mentions_pattern")
    if cached is None or cached[0] != len(register.names):
        cached = (len(register.names), _names_pattern(tuple(register.names)))
        register.__dict__["_mentions_pattern"] = cached
    return cached[1]


@lru_cache(maxsize=1)
def _roles_pattern() -> re.Pattern:
    """Every role word of data/offices.toml; capitalised, or lower-case after "the"."""
    forms = sorted({form for office in offices() for form in office.roles | office.generic}, key=len, reverse=True)
    words = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    return re.compile(r"(?<![\w’'])(?:(?i:the)\s+(?i:" + words + r")|(?=[A-Z])(?i:" + words + r"))(?![\w’'])")


def find(text: str, register: Register, resolve: Callable[[str], str | None] | None,
         *, sure: bool = False) -> list[Mention]:
    """The persons named in ``text``, in order; overlapping matches keep the longest.

    ``resolve`` reads role words ("the President"); without it only names count. With
    ``sure``, a one-word name that could be someone else (a surname several persons of the
    register share, "Kennedy"; a first name or nickname, "George") names nobody: running text
    is tagged only where the match is sure.
    """
    found: list[Mention] = []
    pattern = _pattern_of(register)
    if pattern is not None:
        for m in pattern.finditer(text):
            pid = register.names[m.group(0)]
            if pid in register.groups or sure and register.unsure(m.group(0)):
                continue
            found.append(Mention(m.start(), m.end(), pid, m.group(0)))
    for m in _roles_pattern().finditer(text) if resolve is not None else ():
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        pid = resolve(m.group(0))
        if pid and pid not in register.groups:
            found.append(Mention(m.start(), m.end(), pid, m.group(0)))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
