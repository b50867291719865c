"""Shared text clean-up for every genre: decoding, lines and blocks, and
the small recognisers (numbers in words, dates, classification marks,
page furniture, stamps, excisions) that documents of any genre share.

Nothing here knows a seed document: every recogniser is a pattern of the
phenomenon (what a classification mark or an excision note looks like in
typed or OCR'd records), so it works on documents it has never seen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta


class SourceError(Exception):
    """A source that cannot be converted; the message names file and line."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, shown: str) -> Decoded:
    """Bytes of a raw transcription to text.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. Other
    bytes are decoded as Windows-1252 (a superset of Latin-1 for printable
    text, and what typed transcriptions from Windows tools are in), with a
    warning naming the first non-UTF-8 line so the archivist can check it.
    Binary data (NUL bytes) and empty files are refused.
    """
    if not data.strip():
        raise SourceError(f"{shown}:1:1: the source is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _finish(data[3:].decode("utf-8", errors="strict"), "utf-8-sig", shown)
        except UnicodeDecodeError as exc:
            line = data[: exc.start + 3].count(b"\n") + 1
            raise SourceError(f"{shown}:{line}:1: the source starts with a UTF-8 byte-order mark "
                              "but is not UTF-8") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _finish(data.decode("utf-16"), "utf-16", shown)
        except UnicodeDecodeError as exc:
            raise SourceError(f"{shown}:1:1: the source starts like UTF-16 but is not: {exc.reason}") from exc
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError(f"{shown}:{line}:1: the source contains NUL bytes: it is binary, not a transcription")
    try:
        return _finish(data.decode("utf-8"), "utf-8", shown)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
            name = "Windows-1252"
        except UnicodeDecodeError:
            # bytes Windows-1252 leaves undefined: Latin-1 maps every byte, so nothing is lost
            text, encoding, name = data.decode("latin-1"), "latin-1", "Latin-1"
        decoded = _finish(text, encoding, shown)
        decoded.warnings.insert(0, f"{shown}:{line}:1: warning: the source is not UTF-8; "
                                   f"read it as {name} (check accented letters and quotes)")
        return decoded


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")

# Placeholders the converter puts into a paragraph's text while it builds it: an
# element built elsewhere (``EMBED_OPEN`` index ``EMBED_CLOSE``: a page break,
# furniture) and a page boundary. They are C0 control characters, which a decoded
# source never holds (``_finish`` replaces them: XML cannot carry them), so nothing
# a transcription contains can pass for one: they are out of band. (Private-use
# characters, which PDF extraction leaves in text, are text like any other.)
EMBED_OPEN, EMBED_CLOSE, PAGE_BREAK = "\x01", "\x02", "\x03"


def _finish(text: str, encoding: str, shown: str) -> Decoded:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(f"{shown}:{line}:1: the source contains NUL characters: it is binary, not a transcription")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    warnings = []
    # Control characters other than newline and tab cannot go into XML: each becomes a space.
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        count = len(_CONTROL.findall(text))
        warnings.append(f"{shown}:{line}:{column}: warning: {count} control character{'s' if count > 1 else ''} "
                        f"(U+{ord(found.group(0)):04X}{', …' if count > 1 else ''}) replaced by spaces: XML "
                        "cannot hold them")
        text = _CONTROL.sub(" ", text)
    return Decoded(text=text, encoding=encoding, warnings=warnings)


@dataclass
class Line:
    no: int  # 1-based line number in the source
    text: str  # without the newline, trailing spaces kept for markdown hard breaks


@dataclass
class Block:
    """Consecutive non-blank lines; ``gap_before`` counts the blank lines above."""

    lines: list[Line]
    gap_before: int = 0

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def text(self) -> str:
        """The block as one string, hard-wrapped lines joined with spaces."""
        return join_lines([line.text for line in self.lines])


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    current: list[Line] = []
    blank = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            current.append(Line(no, raw.rstrip("\n")))
        else:
            if current:
                result.append(Block(current, blank))
                current, blank = [], 0
            blank += 1
    if current:
        result.append(Block(current, blank))
    return result


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines with spaces; a line-end hyphen before a lowercase letter is
    kept and joined without a space ("counter-" + "response" → "counter-response")."""
    out = ""
    for raw in lines:
        piece = raw.strip()
        if not piece:
            continue
        if not out:
            out = piece
        elif out.endswith(("—", "–")) or piece.startswith(("—", "–")):
            out += piece  # an em dash at a line break joins directly
        elif out.endswith("-") and out[-2:-1].isalpha() and piece[:1].islower():
            out += piece  # "counter-" / "response": a compound broken at the line end
        else:
            out += " " + piece
    return out


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_DIGITS = {ch: str(i) for i, ch in enumerate(SUPERSCRIPTS)}


def superscript_value(s: str) -> int:
    return int("".join(SUPERSCRIPT_DIGITS[ch] for ch in s))


TERMINAL = ('.', '!', '?', ':', '"', '”', '’', "'", ')', ']', '—', '…', ';')


_GLUED_MARKER_END = re.compile(r"(?<=[.!?:\"”’)\]])\d{1,3}$")


def ends_sentence(text: str) -> bool:
    """True when a paragraph's text ends like a finished sentence (ignoring footnote markers)."""
    # Asked of every paragraph, so read from the end only (issue 18): with no whitespace left
    # at the end, `[⁰-⁹]+$` is the run of superscripts rstrip() takes; a glued marker, 1-3
    # digits ending at the end or before a last newline, starts in the last four characters,
    # where the search starts (its lookbehind still sees the character before).
    stripped = text.rstrip().rstrip(SUPERSCRIPTS)
    glued = _GLUED_MARKER_END.search(stripped, max(0, len(stripped) - 4))
    if glued:
        stripped = stripped[:glued.start()] + stripped[glued.end():]
    stripped = stripped.rstrip("*~ ")
    return stripped.endswith(TERMINAL)


FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but",
    "that", "which", "who", "whom", "whose", "his", "her", "its", "their", "our", "my", "your", "was",
    "were", "is", "are", "be", "been", "as", "than", "not", "no", "this", "these", "those", "if", "into",
    "about", "over", "under", "would", "could", "should", "will", "can", "may", "might", "had", "have", "has",
}


_WORD = re.compile(r"[A-Za-z]+")


def continues(previous: str, following: str) -> bool:
    """Whether ``following`` continues the sentence ``previous`` left open (a page break)."""
    if ends_sentence(previous):
        return False
    first = following.lstrip("*~[“\"‘'( ")
    if first[:1].islower():
        return True
    last_word = _WORD.findall(previous[-40:])
    return bool(last_word) and last_word[-1].lower() in FUNCTION_WORDS


# ---------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORD = r"(?:\d*[½¼¾]|\d+(?:\.\d+)?|" + "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True)) + \
    r")(?:[- ](?:" + "|".join(_UNITS) + r"))?(?:[- ]and[- ]a[- ]half)?"
HALF = re.compile(r"^(?:(?:a|one)[- ])?half(?:[- ]an?)?$", re.I)


def number_value(words: str) -> float | None:
    """'thirty-seven' → 37, 'one-and-a-half' → 1.5, 'half a' → 0.5, '12' → 12."""
    w = words.strip().lower()
    fraction = re.fullmatch(r"(\d*)([½¼¾])", w)
    if fraction:
        return (int(fraction.group(1)) if fraction.group(1) else 0) + {"½": 0.5, "¼": 0.25, "¾": 0.75}[fraction.group(2)]
    if HALF.match(w):
        return 0.5
    half = 0.0
    m = re.match(r"^(.*?)[- ]and[- ]a[- ]half$", w)
    if m:
        half, w = 0.5, m.group(1)
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w) + half
    total = 0
    for part in re.split(r"[- ]+", w):
        if part in _UNITS:
            total += _UNITS[part]
        elif part in _TENS:
            total += _TENS[part]
        else:
            return None
    return total + half


def format_quantity(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# ---------------------------------------------------------------- excisions

_DURATION_PART = re.compile(
    r"(?P<n>" + NUMBER_WORD + r")\s+(?P<unit>hours?|minutes?|seconds?)\b", re.I)
_EXCISION_WORDS = re.compile(r"\b(excised|deleted|withheld|redacted|removed|not declassified|sanitized|classified)\b", re.I)
_LINES = re.compile(r"^(?P<n>" + NUMBER_WORD + r"|half|(?:a |one[- ])?half(?: a)?)\s+(?:of\s+a\s+)?lines?\b(?P<rest>.*)$", re.I)


@dataclass
class Excision:
    reason: str  # classified | sanitized
    quantity: float | None
    unit: str | None  # s | line
    seconds: int | None = None


def audio_excision(text: str) -> Excision | None:
    """'Seven seconds excised as classified information.' → 7 s (any duration wording)."""
    if not _EXCISION_WORDS.search(text):
        return None
    parts = list(_DURATION_PART.finditer(text))
    if not parts:
        return None
    seconds = 0.0
    for part in parts:
        value = number_value(part.group("n"))
        if value is None:
            return None
        unit = part.group("unit").lower()
        seconds += value * (3600 if unit.startswith("hour") else 60 if unit.startswith("minute") else 1)
    return Excision("classified", seconds, "s", int(seconds))


def line_excision(text: str) -> Excision | None:
    """'one-and-a-half lines whited out' → sanitized 1.5 line; 'two lines excised' → classified 2 line."""
    m = _LINES.match(text.strip())
    if not m:
        return None
    value = number_value(m.group("n"))
    if value is None:
        return None
    rest = m.group("rest").lower()
    if re.search(r"whited|blacked|sanitized|obscured|illegible", rest):
        reason = "sanitized"
    elif re.search(r"excised|deleted|withheld|redacted|removed|not declassified|classified", rest):
        reason = "classified"
    else:
        return None
    return Excision(reason, value, "line")


def iso_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


# ---------------------------------------------------------------- dates

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
# Abbreviations as typed in cables and notes ("Nov 13, 1968", "Sept. 2"): "may" needs none.
MONTHS |= {m[:3]: i for m, i in MONTHS.items()} | {"sept": 9}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}
_MONTH_FORMS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAME = "(?:" + "|".join(_MONTH_FORMS) + "|(?:" + "|".join(_MONTH_SHORT) + r")\.?(?=\s))"


def _opens_with(words: tuple[str, ...]) -> str:
    """A lookahead for the first two letters one of ``words`` can start with (for a pattern
    compiled with re.I). Put before a pattern that must start with one of them, it changes no
    match, but the engine gives up at most positions after one test instead of trying every
    word there: the month-day-year pattern, tried at every character of a source, was a tenth of
    convert's time (issue 18)."""
    return "(?=[" + "".join(sorted({w[0].lower() for w in words})) + "][" + "".join(
        sorted({w[1].lower() for w in words})) + "])"


DATE_PATTERNS = [
    # Wednesday, November 14, 1962 / November 12, 1962
    # (a range of days, "November 3–4, 1968" or "November 15 and 17, 1962", gives the first day and the last;
    # a day in both calendars, "May 2/15, 1917" as Russia dated until 1918, gives the first, the
    # Julian, as FRUS's own markup does)
    (re.compile(_opens_with(_WEEKDAYS + _MONTH_FORMS + _MONTH_SHORT) + "(?:(?:" + "|".join(_WEEKDAYS)
                + r"),?\s+)?(?P<month>" + _MONTH_NAME
                + r")\s+(?P<day>\d{1,2})(?:/(?:(?P<month2>" + _MONTH_NAME + r")\s+)?(?P<gregorian>\d{1,2}))?(?:\s*(?:[–—-]|and|&)\s*(?P<day2>\d{1,2}))?,?\s+"
                r"(?P<year>\d{4})(?!\d)", re.I), "mdy"),
    # 27 October 1962
    (re.compile(r"(?P<day>\d{1,2})\s+(?P<month>" + _MONTH_NAME + r"),?\s+(?P<year>\d{4})", re.I), "dmy"),
    # 27/X-62 or 5.XI.62 (Soviet style: day, Roman month, year)
    (re.compile(r"\b(?P<day>\d{1,2})[/.](?P<roman>X{0,1}(?:IX|IV|V?I{0,3}))[-./](?P<year>\d{2,4})\b"), "roman"),
    # 1962/11/14 or 1962-11-14
    (re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)[/-](?P<mon>\d{1,2})[/-](?P<day>\d{1,2})\b"), "ymd"),
    # 10/9/84 (US month/day/year)
    (re.compile(r"\b(?P<mon>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})\b"), "us"),
]


@dataclass
class FoundDate:
    iso: str
    start: int
    end: int
    to: str | None = None  # the last day of a printed range ("November 3–4, 1968")


def _two_calendars(julian: date, month: int, day: int) -> bool:
    """Whether ``month`` and ``day`` are the Gregorian date that ``julian`` (a date of the
    Julian calendar) falls on: 12 days later in the 19th century, 13 in the 20th ("May 2/15,
    1917", "June 28/July 11, 1917"). Anything else after a slash is not a date of this form."""
    gregorian = julian + timedelta(days=12 if julian.year < 1900 else 13)
    return (gregorian.month, gregorian.day) == (month, day)


def _year(raw: str) -> int:
    year = int(raw)
    return year + 1900 if year < 100 else year


# What each pattern cannot match without: a year of four digits, a digit. Most texts asked for
# a date have none (a line, a heading, a whole telegram without a year): one quick search then
# spares the scans, the month-day-year one at every letter above all (issue 18).
_FOUR_DIGITS = re.compile(r"\d\d\d\d")
_A_DIGIT = re.compile(r"\d")
_NEEDS = {"mdy": _FOUR_DIGITS, "dmy": _FOUR_DIGITS, "ymd": _FOUR_DIGITS, "roman": _A_DIGIT, "us": _A_DIGIT}


def find_date(text: str, kinds: tuple[str, ...] = ("mdy", "dmy", "roman", "ymd", "us")) -> FoundDate | None:
    """The first date in ``text`` as ISO 8601, with its span; None if none is valid."""
    best: FoundDate | None = None
    present: dict[re.Pattern, bool] = {}
    for pattern, kind in DATE_PATTERNS:
        if kind not in kinds:
            continue
        need = _NEEDS[kind]
        if need not in present:
            present[need] = need.search(text) is not None
        if not present[need]:
            continue
        for m in pattern.finditer(text):
            try:
                last = None
                if kind in ("mdy", "dmy"):
                    month = MONTHS[m.group("month").lower().rstrip(".")]
                    value = date(int(m.group("year")), month, int(m.group("day")))
                    if kind == "mdy" and m.group("gregorian") and not _two_calendars(
                            value, MONTHS[(m.group("month2") or m.group("month")).lower().rstrip(".")],
                            int(m.group("gregorian"))):
                        continue
                    if kind == "mdy" and m.group("day2"):
                        last = date(int(m.group("year")), month, int(m.group("day2")))
                        if last <= value:
                            continue
                elif kind == "roman":
                    if not m.group("roman"):
                        continue
                    value = date(_year(m.group("year")), ROMAN[m.group("roman")], int(m.group("day")))
                elif kind == "ymd":
                    value = date(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
                else:
                    value = date(_year(m.group("year")), int(m.group("mon")), int(m.group("day")))
            except (ValueError, KeyError):
                continue
            if best is None or m.start() < best.start:
                best = FoundDate(value.isoformat(), m.start(), m.end(), last.isoformat() if last else None)
            break
    return best


def clock(text: str) -> str | None:
    """'5:45 to 6:02 P.M.' → '17:45:00' (the first time; a.m./p.m. from the range)."""
    m = re.search(r"\b(\d{1,2})[:.](\d{2})\b(?:[^0-9]{0,12}?\d{1,2}[:.]\d{2})?\s*(a\.?\s?m\.?|p\.?\s?m\.?|AM|PM|A\.M\.|P\.M\.)?",
                  text, flags=re.I)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    meridiem = (m.group(3) or "").lower().replace(".", "").replace(" ", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}:00"


# ---------------------------------------------------------------- page furniture

# Classification marks are read by :mod:`cmctei.convert.marks` (vocabularies in data/marks.toml).


PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*(\d{1,4})\s*[-–—]|Page\s+(\d{1,4})(?:\s+of\s+\d+)?)\s*$", re.I)
ARCHIVAL_NUMBER = re.compile(r"^\s*\d{4,}\s*$")
DATE_HEADER = re.compile(r"^\s*(?:1[89]\d\d|20\d\d)[/-]\d{1,2}[/-]\d{1,2}\s*$")


def page_number(line: str) -> str | None:
    m = PAGE_NUMBER.match(line)
    return (m.group(1) or m.group(2)) if m else None


# What the first line of a real declassification stamp looks like. The stamp
# words and the reviewer's initials are printed in capitals; a word of a
# sentence ("released the prisoners", "authority to act", "by Rusk on that
# date") is not a stamp. So the match is case-sensitive, and a line must show
# a stamp's own evidence: the stamp word in capitals ("SANITIZED"), or in
# title case followed by a reference ("Declassified per E.O. 12958"); an
# executive order ("E.O. 12958"); "Authority" with a reference in capitals or
# digits ("Authority NLK-76-12", "Authority NND 959000"); a case number
# ("NWK-80-29"); or "By" + the reviewer's initials + a date ("By KH NARA,
# Date 2/20/98").
_STAMP_REFERENCE = r"(?:E\.\s?O\.\s*\d{5}|[A-Z]{2,4}[- ]\d{2,4}-\d{1,4}\b|(?:Authority|AUTHORITY)\s+(?:[A-Z]{2,}|E\.\s?O\.|\d))"
STAMP_START = re.compile(
    r"^\s*(?:(?:SANITIZED|DECLASSIFIED|RELEASED)\b|(?:Sanitized|Declassified|Released)\b.*" + _STAMP_REFERENCE
    + r"|" + _STAMP_REFERENCE + r"|(?:By|BY)\s+[A-Z]{1,4}\b.*\b(?:Date|DATE)\b\s*:?\s*\d)")
STAMP_PIECE = re.compile(r"^\s*(?:BY|By|[A-Z]{1,4}|[A-Z]{2,5}\.?\s*,?\s*DATE\b.*|.*\bDATE\b.*|NARS.*|NARA.*|Date\b.*)\s*$")


def is_stamp_start(line: str) -> bool:
    text = line.strip()
    return bool(STAMP_START.match(text)) and len(text) <= 80 and not text.endswith((".", ",")) or text in (
        "SANITIZED", "DECLASSIFIED", "SANITIZED.")


def is_stamp_piece(line: str) -> bool:
    text = line.strip()
    return len(text) <= 40 and bool(STAMP_PIECE.match(text))
