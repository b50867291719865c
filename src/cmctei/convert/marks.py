"""Classification marking lines: a level, then its qualifiers.

Reads the printed forms that records actually carry (``SECRET - IMMEDIATE``,
``TOP SECRET - EYES ONLY - NODIS``, ``SECRET//NOFORN``, ``Secret; Exdis``,
``~~TOP SECRET~~ - SENSITIVE``, ``TOP SECRET Making Copies Prohibited Copy No. I``)
with the vocabularies of ``data/marks.toml``: the levels (highest first, which
is the ranking), telegram precedences, handling caveats and control numbers.
The level is the leading words; everything after it is a qualifier, kept and
classified by what it is, so a new caveat never turns a mark into a title.

Why not one regular expression: the qualifiers an archive meets are open-ended
(codewords such as ``HARVAN DOUBLE PLUS``). The grammar is small and fixed, the
words are data; a line is a mark only if *every* part of it is accounted for,
which is what keeps "Secret talks resumed today." a sentence.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

MAX_LENGTH = 160  # a marking line is short; longer lines are text
MAX_CODEWORD_WORDS = 4


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    printed: tuple[str, ...]
    rank: int


@dataclass
class Mark:
    """What one marking line says. ``caveats`` are handling caveats (and codewords) as printed."""

    level: str
    caveats: list[str] = field(default_factory=list)
    precedence: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[Level, ...]
    precedence: tuple[str, ...]
    handling: tuple[str, ...]
    eyes_only: str
    controls: tuple[re.Pattern, ...]
    addressed: tuple[str, ...] = ()

    @property
    def rank(self) -> dict[str, int]:
        return {level.code: level.rank for level in self.levels} | {"unmarked": 0}

    @property
    def labels(self) -> dict[str, str]:
        return {level.code: level.label for level in self.levels}


def _control_pattern(template: str) -> re.Pattern:
    number = r"(?:\d+|[IVXLC]+)"
    parts = [number if word == "#" else re.escape(word) for word in template.split()]
    return re.compile(r"\s+".join(parts).replace(r"\.", r"\.?"), re.I)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabularies of ``data/marks.toml`` (read once)."""
    data = tomllib.loads(resources.files("cmctei.convert").joinpath("data/marks.toml").read_text(encoding="utf-8"))
    count = len(data["level"])
    levels = tuple(Level(entry["code"], entry["label"], tuple(entry["printed"]), count - index)
                   for index, entry in enumerate(data["level"]))
    return Vocabulary(
        levels=levels,
        precedence=tuple(data["precedence"]["terms"]),
        handling=tuple(data["handling"]["terms"]),
        eyes_only=data["handling"]["eyes_only_suffix"],
        controls=tuple(_control_pattern(p) for p in data["control"]["patterns"]),
        addressed=tuple(data["handling"].get("addressed", ())),
    )


def rank(code: str) -> int:
    """Higher is more restricted; ``unmarked`` is 0."""
    return vocabulary().rank.get(code, 0)


def _words(term: str) -> str:
    return r"\s+".join(re.escape(w) for w in term.split())


@dataclass(frozen=True)
class _Grammar:
    """The vocabularies compiled: one alternation per list, longest forms first."""

    level: re.Pattern
    levels: tuple[str, ...]  # the level code of each alternative of ``level``
    term: re.Pattern
    terms: tuple[tuple[str, str], ...]  # (term, "precedence" | "handling") of each alternative
    eyes_only: re.Pattern
    addressed: re.Pattern  # "FOR THE AMBASSADOR", "FOR BUNDY FROM RUSK" after a handling caveat
    separator: re.Pattern = re.compile(r"\s*(?://|[-–—/;,:])(?:\s*(?://|[-–—/;,:]))*\s*")
    segment: re.Pattern = re.compile(r"[^-–—/;,:]+")

    @staticmethod
    def which(m: re.Match) -> int:
        """The index of the alternative (named ``x<index>``) that matched."""
        return int(next(k for k, v in m.groupdict().items() if v)[1:])


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    vocab = vocabulary()
    printed = sorted(((p, level.code) for level in vocab.levels for p in level.printed), key=lambda x: -len(x[0]))
    level = re.compile(r"\s*(?:" + "|".join(f"(?P<x{i}>{_words(p)})" for i, (p, _) in enumerate(printed))
                       + r")(?![A-Za-z])", re.I)
    terms = sorted([(t, "precedence") for t in vocab.precedence] + [(t, "handling") for t in vocab.handling],
                   key=lambda x: -len(x[0]))
    term = re.compile(r"(?:" + "|".join(f"(?P<x{i}>{_words(t)})" for i, (t, _) in enumerate(terms))
                      + r")(?![A-Za-z])", re.I)
    eyes = re.compile(r"(?:[A-Z][A-Za-z.]*\s+){1,4}?" + _words(vocab.eyes_only) + r"(?![A-Za-z])", re.I)
    joins = "|".join(re.escape(w) for w in vocab.addressed) or "(?!)"
    addressed = re.compile(r"(?:\s+(?:" + joins + r")(?:\s+[A-Z][A-Z.'’]*){1,8})+(?![A-Za-z])")
    return _Grammar(level, tuple(code for _, code in printed), term, tuple(terms), eyes, addressed)


FUNCTION_WORDS = {"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
                  "is", "was", "are", "were", "be", "that", "this", "his", "her", "our", "we", "he", "she",
                  "it", "as", "meeting", "memorandum", "telegram", "conversation"}


def _codeword(segment: str) -> bool:
    """An unknown qualifier printed in capitals: a codeword or a caveat not in the vocabulary."""
    words = segment.split()
    return (1 <= len(words) <= MAX_CODEWORD_WORDS
            and all(re.fullmatch(r"[A-Z0-9][A-Z0-9.&'’]*", w) for w in words)
            and any(c.isalpha() for c in segment)
            and not any(w.lower().strip(".") in FUNCTION_WORDS for w in words))


def read(line: str) -> Mark | None:
    """The mark a line consists of, or None when the line is anything else."""
    text = line.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    plain = text.replace("~~", "")
    if plain.endswith(".") and not plain.endswith(".."):
        plain = plain[:-1]  # "Secret; Exdis." is typed like a sentence
    grammar = _grammar()
    mixed = plain != plain.upper()
    m = grammar.level.match(plain)
    if not m:
        return None
    printed_level = m.group(0).strip()
    if printed_level != printed_level.upper() and printed_level != printed_level.title():
        return None  # "sEcReT" is not how a mark is printed
    mark = Mark(grammar.levels[grammar.which(m)])
    pos = m.end()
    while True:
        sep = grammar.separator.match(plain, pos)
        explicit = bool(sep and sep.group(0).strip())
        if sep:
            pos = sep.end()
        while pos < len(plain) and plain[pos].isspace():
            pos += 1
        if pos >= len(plain):
            return mark
        found = None
        for control in vocabulary().controls:
            c = control.match(plain, pos)
            if c and (c.end() == len(plain) or not plain[c.end()].isalnum()):
                mark.controls.append(" ".join(c.group(0).split()))
                found = c.end()
                break
        if found is None:
            t = grammar.term.match(plain, pos)
            t = t if t and (mixed or plain[t.start():t.end()] == plain[t.start():t.end()].upper()) else None
            if t and mixed and not _printed_as_term(plain[t.start():t.end()]):
                t = None
            if t:
                kind = grammar.terms[grammar.which(t)][1]
                end = t.end()
                a = grammar.addressed.match(plain, end) if kind == "handling" and not mixed else None
                after = grammar.separator.match(plain, a.end()) if a and a.end() < len(plain) else None
                if a and (a.end() == len(plain) or (after is not None and after.group(0).strip())):
                    end = a.end()  # "PERSONAL FOR THE AMBASSADOR": whom the caveat is for, with it
                printed = " ".join(plain[t.start():end].split())
                (mark.precedence if kind == "precedence" else mark.caveats).append(printed)
                found = end
        if found is None:
            e = grammar.eyes_only.match(plain, pos)
            if e and (not mixed or e.group(0).isupper()):
                mark.caveats.append(" ".join(e.group(0).split()))
                found = e.end()
        if found is None and explicit and not mixed:
            s = grammar.segment.match(plain, pos)
            if s and _codeword(s.group(0).strip()):
                mark.caveats.append(" ".join(s.group(0).split()))
                found = pos + len(s.group(0).rstrip())
        if found is None:
            return None
        pos = found


def _printed_as_term(printed: str) -> bool:
    """In a mixed-case line a term is printed in capitals or with capitals on its words ("Exdis")."""
    return printed.isupper() or all(w[:1].isupper() or w.lower() in FUNCTION_WORDS for w in printed.split())
