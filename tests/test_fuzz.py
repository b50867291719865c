"""Property-based tests (Hypothesis) of the converters and the shared text clean-up.

Random raw documents are built from the fragments the real sources are made
of (classification marks, FRUS headings, page numbers, Bates numbers,
declassification stamps printed over several blocks, paragraphs with glued
and superscript footnote markers, footnote texts, speaker turns, bracketed
stage notes, excisions, italics, strike-through, Unicode punctuation, blank
lines inside sentences, lines starting with a space, CRLF/CR line endings,
several encodings) and converted as each of the five genres. Properties:

- ``generate`` raises nothing but :class:`SourceError` (the located "clear
  error"), whatever the text;
- when it succeeds, the TEI validates with no error (the register copy,
  with the speakers the run added, saved beside it), and the register stays
  valid;
- when it succeeds, every source word is in the TEI, in order
  (``tests/fidelity.py``).

And for the pure functions of ``cmctei.convert.text``: ``decode`` on any
bytes, ``number_value`` / ``audio_excision`` round trips, ``find_date``.

Converter bugs these properties found each keep a test of their own below,
with the minimal reproducer as an explicit ``@example``. A bug still open is
marked ``xfail(strict=True)`` with the bug in its reason (fixing it fails the
run until the marker goes), and the general strategies keep its trigger out:
the comment at that place names the test. Once it is fixed, let the general
strategies produce the trigger again.

Runs: the "ci" profile (default) is small and derandomized so CI is
deterministic; ``CMCTEI_FUZZ=long`` (``make fuzz``) selects the "long"
profile, which explores far more examples.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from hypothesis import HealthCheck, Phase, assume, example, given, note, settings
from hypothesis import strategies as st

from conftest import ROOT
from fidelity import word_differences
from cmctei import paths
from cmctei.convert import catalog as cat
from cmctei.convert import generate
from cmctei.convert import text as tx
from cmctei.convert.persons import Register, slug
from cmctei.diagnostics import ERROR
from cmctei.validate import Validator

# --------------------------------------------------------------------------- profiles

# "ci" (make test): 30 examples a property, the same ones each run (derandomize); 40 cost the
# suite 40 s more on 2 cores. CMCTEI_FUZZ=long (make fuzz) searches far wider, at random.
settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("long" if os.environ.get("CMCTEI_FUZZ") == "long" else "ci")

DOCID = "fuzz-doc"
DATE = "1962-11-01"
REGISTER = ROOT / "tei" / "persons.xml"
SUP = tx.SUPERSCRIPTS


def sup(n: int) -> str:
    return "".join(SUP[int(d)] for d in str(n))


# --------------------------------------------------------------------------- vocabulary

WORDS = [
    # function words matter: a paragraph interrupted after one continues on the next page
    "the", "the", "of", "of", "and", "to", "to", "in", "a", "that", "was", "would", "not", "for", "with", "on",
    "by", "from", "he", "we", "they", "it", "his", "their", "this", "as", "but", "had", "could",
    "missiles", "bases", "ships", "quarantine", "inspection", "agreement", "letter", "bombers", "pledge",
    "reconnaissance", "invasion", "assurances", "withdrawal", "said", "asked", "replied", "agreed",
    "Cuba", "Soviet", "Turkey", "Havana", "Moscow", "Washington", "NATO", "OAS", "UN", "USSR", "U.S.",
    "Khrushchev", "Kennedy", "Rusk", "Thompson", "Castro", "McNamara", "Dobrynin", "President",
    "IL-28s", "U-2", "SAM", "24", "42", "1962", "12,000", "500", "forty-two", "twenty-four", "half",
    "hours", "days", "counter-response", "non-invasion", "Khrushchev’s", "don't", "it’s", "o’clock",
    "café", "Dorticós", "naïve", "Revolución", "e\u0301lan", "Zorin", "Kuznetsov", "V.V.", "i.e.",
    "No.", "Copy", "SECRET", "Secret", "BY", "Page", "Note", "E.O.", "—", "–", "&", "%",
    # "date": a short block "by Rusk … date" once read as a declassification stamp
    # (test_ordinary_text_is_not_a_declassification_stamp)
    "date",
]
NAMES_KNOWN = [
    "President Kennedy", "Llewellyn Thompson", "Thompson", "Dean Rusk", "Rusk", "McGeorge Bundy", "Bundy",
    "Robert McNamara", "McNamara", "General Taylor", "Secretary Rusk", "Bobby [Kennedy]", "Ambassador Dobrynin",
    "Mr. President", "The President", "Attorney General Kennedy",
]
UNIDENTIFIED = ["Unidentified", "Unidentified Speaker", "Unidentified Speaker 2", "An unidentified voice"]
# Unknown speaker labels (added to the register), including those whose id used to
# be invalid or to collide ("Speaker 3", "Secret"): fixed, and still tested on
# their own by test_unknown_speaker_labels_get_usable_ids.
INCLUDE_KNOWN_BUG_LABELS = True
RESERVED_IDS = {"genre", "classification", "handling", "memorandum", "telegram", "transcript", "summary-record",
                "chapter", "top-secret", "secret", "confidential", "unclassified", "unmarked", DOCID}


def _usable_label(label: str) -> bool:
    base = slug(label.split()[-1]) if label.split() else "person"
    return not (base[:1].isdigit() or base in RESERVED_IDS or re.fullmatch(r"t\d+", base)
                or base.startswith(f"{DOCID}-fn") or base.startswith("h-"))


unknown_label = st.from_regex(
    r"\A(?:(?:Colonel|Ambassador|Mr\.|Dr\.|General|Senator) )?[A-Z][a-zé’']{1,9}(?: [A-Z][a-z]{2,9})?"
    r"(?: [0-9])?\Z")
speaker_label = st.one_of(
    st.sampled_from(NAMES_KNOWN), st.sampled_from(UNIDENTIFIED), st.sampled_from(["Général Lévy", "Ms. O’Hara"]),
    unknown_label if INCLUDE_KNOWN_BUG_LABELS else unknown_label.filter(_usable_label),
)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

NUMBER_WORDS_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                      "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                      "nineteen"]
NUMBER_WORDS_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
                     80: "eighty", 90: "ninety"}


@st.composite
def number_words(draw, n: int) -> str:
    """0..99 in words, as typists print them: 'Thirty-seven', 'thirty seven', 'twenty'."""
    if n < 20:
        words = NUMBER_WORDS_UNITS[n]
    else:
        tens, unit = divmod(n, 10)
        words = NUMBER_WORDS_TENS[tens * 10]
        if unit:
            words += draw(st.sampled_from(["-", " "])) + NUMBER_WORDS_UNITS[unit]
    case = draw(st.sampled_from(["lower", "capitalize", "title", "upper"]))
    return {"lower": words, "capitalize": words.capitalize(), "title": words.title(), "upper": words.upper()}[case]


# --------------------------------------------------------------------------- fragments

classification_mark = st.builds(
    lambda level, strike, sep, caveat, whole: (
        f"~~{level}{sep}{caveat}~~" if whole and caveat else
        (f"~~{level}~~" if strike else level) + (f"{sep}{caveat}" if caveat else "")),
    st.sampled_from(["TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED"]),
    st.booleans(),
    st.sampled_from([" - ", " ", " / ", " – "]),
    st.sampled_from(["", "", "NOFORN", "SENSITIVE", "EYES ONLY", "NODIS", "Making Copies Prohibited Copy No. I",
                     "Copy No. 4", "PERSONAL AND CONFIDENTIAL", "FOR THE PRESIDENT ONLY"]),
    st.booleans(),
)
page_number = st.builds(lambda n, form: form.format(n), st.integers(1, 120),
                        st.sampled_from(["- {} -", "-{}-", "— {} —", "Page {}", "Page {} of 9"]))
bates_number = st.from_regex(r"\A0[0-9]{4}\Z")
date_header = st.builds(lambda y, m, d: f"{y}/{m:02d}/{d:02d}", st.integers(1960, 1964), st.integers(1, 12),
                        st.integers(1, 28))
initials = st.from_regex(r"\A[A-Z]{2,3}\Z")
stamp_date = st.builds(lambda m, d, y: f"{m}/{d}/{y}", st.integers(1, 13), st.integers(1, 32), st.integers(70, 99))
stamp_blocks = st.one_of(
    st.just([["SANITIZED"]]),
    st.just([["SANITIZED."]]),
    st.just([["DECLASSIFIED"]]),
    # a stamp printed over several blocks: case number, BY, initials, archive and date
    st.builds(lambda case, who, archive, when: [[case], ["BY"], [who], [f"{archive}. DATE {when}"]],
              st.from_regex(r"\AN[LW]K-[0-9]{2}-[0-9]{1,3}\Z"), initials, st.sampled_from(["NARS", "NARA", "WARS"]),
              stamp_date),
    st.builds(lambda case, who, when: [["DECLASSIFIED"], ["E.O. 12958, Sec. 3.6"], [case], [f"By {who} NARA, Date {when}"]],
              st.from_regex(r"\AN[LW]K-[0-9]{2}-[0-9]{1,3}\Z"), initials, stamp_date),
    st.builds(lambda n: [[f"Authority NND {n}"]], st.integers(100000, 999999)),
)


@st.composite
def dateline(draw) -> str:
    month = draw(st.sampled_from(MONTHS))
    day = draw(st.integers(1, 31))  # 31 November is not a date: find_date must skip it
    year = draw(st.integers(1960, 1964))
    form = draw(st.sampled_from([
        "Washington, {m} {d}, {y}.", "New York, {m} {d}, {y}, 3 p.m.", "{w}, {m} {d}, {y}", "{m} {d}, {y}",
        "{d} {m} {y}", "{d}/{r}-{yy}", "{m} {d}, {y} -- 11:00 AM", "Moscow, {d}.{r}.{yy}",
    ]))
    return form.format(m=month, d=day, y=year, yy=year % 100, r=draw(st.sampled_from(ROMAN)),
                       w=draw(st.sampled_from(WEEKDAYS)))


minutes = st.integers(0, 59)  # "1:02" once read as footnote 2 (test_clock_times_and_decimals_…)
time_line = st.builds(lambda h, m, h2, m2, ap: f"{h}:{m:02d} to {h2}:{m2:02d} {ap}", st.integers(1, 12),
                      minutes, st.integers(1, 12), minutes, st.sampled_from(["P.M.", "A.M.", "P.M. approx.", "p.m."]))
caps_heading = st.lists(st.sampled_from(["KHRUSHCHEV", "RESPONDS", "THE", "U-2", "LOSS", "TRADES", "AND",
                                         "RESOLUTION", "ALONGSIDE", "A", "DIRECT", "LINE", "JUPITERS"]),
                        min_size=1, max_size=4).map(" ".join)


@st.composite
def excision_line(draw) -> str:
    n = draw(st.integers(1, 99))
    words = draw(number_words(n))
    unit = draw(st.sampled_from(["seconds", "minutes"]))
    if n == 1:
        unit = unit[:-1]
    lead = words[:1].upper() + words[1:]
    if draw(st.booleans()):
        return f"{lead} {unit} excised as classified information."
    s = draw(st.integers(2, 59))
    return f"{lead} {unit}, {draw(number_words(s)).lower()} seconds excised as classified information."


@st.composite
def bracketed_event(draw, transcript: bool) -> str:
    options = ["[laughing]", "[Laughter.]", "[*Unclear*]", "[Unclear.]", "[unclear]", "[coughing]",
               "[*Rusk and Ball laugh*]", "[Nitze enters.]", "[two lines whited out]",
               "[one-and-a-half lines whited out]", "[half a line whited out]", "[Two lines excised.]",
               "[2 lines of source text not declassified]", "[1½ lines of source text not declassified]",
               "[to Rusk]", "[their system]", "[of the situation]", "[Tape ends.]"]
    if draw(st.booleans()):
        inner = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        options.append(f"[*unclear*: {inner}]")
    return draw(st.sampled_from(options))


@st.composite
def time_stamp(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        return f"[{draw(st.integers(1, 2))}:{draw(st.integers(0, 59)):02d}:{draw(st.integers(0, 59)):02d}]"
    return f"[{draw(st.integers(0, 99)):02d}:{draw(st.integers(0, 59)):02d}]"


GLUED_AFTER = re.compile(r"(?:[.,;:!?\"”’')\]]|[A-Za-z]{2})$")


class Doc:
    """State of one document being drawn: its footnote numbering and what it prints.

    With ``defects=False`` the footnote numbering is well formed: markers run 1, 2, 3 …
    and a footnote text without a marker (an orphan) takes the next number. With
    ``defects=True`` markers are sometimes skipped or repeated, and orphan footnote
    texts and stray digits get any number (see test_footnote_numbering_defects_give_valid_tei).
    """

    def __init__(self, genre: str, style: str, defects: bool = False) -> None:
        self.genre = genre
        self.style = style  # glued | superscript | none
        self.defects = defects
        self.next = 1
        self.emitted: list[int] = []  # superscript markers printed so far
        self.texts: set[int] = set()  # footnote texts printed so far

    def marker(self, draw, after: str = "") -> str:
        """A footnote marker printed after ``after``: the next number (with defects: sometimes a
        skipped or repeated one). A plain-digit marker is only printed where the converter reads
        digits as a marker (after punctuation or two letters: "Cuba.1"), unless with defects."""
        if self.style == "none":
            return ""
        if self.style == "glued" and not self.defects and not GLUED_AFTER.search(after):
            return ""
        jump = draw(st.sampled_from([0, 0, 0, 0, 0, 1, -1, 5])) if self.defects else 0
        n = max(1, self.next + jump)
        self.next = max(self.next, n + 1)
        if self.style == "glued":
            return str(n)
        self.emitted.append(n)
        return sup(n)

    def orphan(self, draw) -> int:
        """The number of a footnote text printed without its marker."""
        if self.defects:
            return draw(st.integers(1, 30))
        self.next += 1
        return self.next - 1


@st.composite
def sentence(draw, doc: Doc, *, last: bool) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=14))
    out: list[str] = []
    for i, word in enumerate(words):
        piece = word
        roll = draw(st.integers(0, 40))
        if roll == 0:
            piece = f"*{word}*"
        elif roll == 1:
            piece = f"~~{word}~~"
        elif roll == 2:
            piece = f"“{word}”"
        elif roll == 3:
            piece = f"‘{word}’"
        elif roll == 4:
            piece = f'"{word}"'
        elif roll == 5:
            piece = word + draw(st.sampled_from(["—", " — ", "…", " . . .", ",", ";", ":", "(", ")"]))
        elif roll == 6:
            piece = draw(bracketed_event(doc.genre == "transcript")) + " " + word
        elif roll == 7 and doc.genre == "transcript":
            piece = draw(time_stamp()) + " " + word
        elif roll == 8:
            piece = draw(st.sampled_from(["1½", "½", "¼", "2¾"])) + " " + word
        elif roll == 9:
            if doc.defects:  # digits that look like markers, out of sequence
                piece = word + draw(st.sampled_from(["⁴", ".³", "12", ".7", ",2"]))
        elif roll == 10:
            piece = "~~no~~-" + word
        elif roll == 11:
            piece = f"*{word} {draw(st.sampled_from(WORDS))}*"
        elif roll == 12:
            piece = word + "\t"
        elif roll == 13 and i > 0:
            piece = word + doc.marker(draw, after=word)  # a marker in mid-sentence ("wrapped up.” In turn")
        out.append(piece)
    text = " ".join(out)
    text = text[:1].upper() + text[1:]
    end = draw(st.sampled_from([".", ".", ".", "?", "!", "…", ":", ";", ".”", "?”", "", ".)", "...."]))
    if not last and end == "":
        end = "."
    text += end
    if draw(st.integers(0, 3)) == 0 and not re.search(f"[0-9{SUP}]$", text):  # "the¹²" would be marker 12
        text += doc.marker(draw, after=text)
    return text


@st.composite
def prose(draw, doc: Doc, *, lead: str = "") -> str:
    n = draw(st.integers(1, 8 if doc.genre == "chapter" else 4))
    sentences = [draw(sentence(doc, last=i == n - 1)) for i in range(n)]
    text = " ".join(sentences)
    if lead:
        text = lead + text
    return text


@st.composite
def wrapped(draw, text: str, doc: Doc, *, allow_split: bool = True) -> list[list[str]]:
    """Hard-wrap a paragraph into lines; maybe split it with a blank line mid-sentence.

    Returns blocks (lists of lines): one, or two when a blank line fell inside.
    """
    wrap = doc.genre == "chapter" or draw(st.integers(0, 4)) == 0
    if not wrap:
        lines = [text]
    else:
        width = draw(st.integers(45, 90))
        lines, current = [], ""
        for word in text.split(" "):
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        if current:
            lines.append(current)
    # a line printed with a leading space (a new page in chapter extractions),
    # or trailing spaces (markdown hard break); a page boundary may fall inside a
    # bracketed note (test_page_break_inside_brackets_keeps_its_furniture)
    lines = [(" " + line if draw(st.integers(0, 12)) == 0 else line)
             + ("  " if draw(st.integers(0, 15)) == 0 else "") for line in lines]
    cuts = list(range(1, len(lines)))
    if allow_split and cuts and draw(st.integers(0, 3)) == 0:
        at = draw(st.sampled_from(cuts))
        return [lines[:at], lines[at:]]
    return [lines]


def in_brackets(before: list[str]) -> bool:
    """Whether text continuing after ``before`` is inside square brackets."""
    text = " ".join(before)
    return text.count("[") > text.count("]")


@st.composite
def footnote_text(draw, doc: Doc, *, orphan: bool = False) -> list[list[str]] | None:
    """'⁴ Some note.': the text of a marker already printed, or (``orphan``) of a marker
    the source does not print. With defects, any footnote text may be an orphan numbered
    out of sequence."""
    pending = [n for n in doc.emitted if n not in doc.texts]
    if orphan or doc.defects and (not pending or draw(st.integers(0, 3)) == 0):
        n = doc.orphan(draw)
    elif pending:
        n = draw(st.sampled_from(pending))
    else:
        return None
    if n in doc.texts:
        return None  # the word check cannot compare a footnote text printed twice
    doc.texts.add(n)
    inner = Doc(doc.genre, "none", doc.defects)
    text = draw(prose(inner))
    lines = draw(wrapped(text, inner, allow_split=False))[0]
    return [[f"{sup(n)} {lines[0].lstrip()}"] + lines[1:]]


@st.composite
def orphan_footnote(draw, doc: Doc, lead: str = "") -> list[list[str]]:
    """A finished paragraph, then a footnote text whose marker the source does not print."""
    blocks = draw(paragraph_blocks(doc, lead=lead, complete=True))
    return blocks + (draw(footnote_text(doc, orphan=True)) or [])


@st.composite
def page_furniture(draw, doc: Doc) -> list[list[str]]:
    """What a page boundary prints: bottom mark, footnote texts, stamps, page number, top mark, Bates number."""
    blocks: list[list[str]] = []
    mark = draw(classification_mark)
    if draw(st.booleans()):
        blocks.append([mark])
    if doc.style == "superscript" and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 2))):
            foot = draw(footnote_text(doc))
            if foot:
                blocks += foot
    if draw(st.integers(0, 2)) == 0:
        blocks += draw(stamp_blocks)
    if draw(st.booleans()):
        blocks.append([mark if draw(st.booleans()) else draw(classification_mark)])
    if draw(st.booleans()):
        blocks.append([draw(page_number)])
    if draw(st.integers(0, 2)) == 0:
        blocks.append([draw(bates_number)])
    if draw(st.integers(0, 5)) == 0:
        blocks.append(["\x0c"])  # a form feed left by the extraction
    return blocks


@st.composite
def paragraph_blocks(draw, doc: Doc, *, lead: str = "", caps: bool = False,
                     complete: bool = False) -> list[list[str]]:
    """A paragraph, possibly cut by a page boundary (its furniture printed in between).

    ``complete``: ends a sentence and is not cut (so it is never rejoined with what follows).
    """
    text = draw(prose(doc, lead=lead))
    if caps:
        words = text.split(" ")
        k = draw(st.integers(1, min(5, len(words))))
        text = " ".join([w if in_brackets(words[:i + 1]) or "[" in w else w.upper() for i, w in enumerate(words[:k])]
                        + words[k:])
    if complete:
        if not tx.ends_sentence(text):
            text += "."
        return [draw(wrapped(text, doc, allow_split=False))[0]]
    blocks = draw(wrapped(text, doc))
    if len(blocks) == 2 and draw(st.booleans()):
        blocks = [blocks[0], *draw(page_furniture(doc)), blocks[1]]
    elif len(blocks) == 1 and draw(st.integers(0, 5)) == 0:
        # cut mid-sentence by a page boundary, the halves on their own lines (never inside
        # a speaker label: the second half would no longer be a speech)
        words = text.split(" ")
        # (a tape time [h:mm:ss] left alone on its line between the halves once became an
        # incident: test_a_time_stamp_alone_on_its_line_is_an_anchor)
        cuts = list(range(len(lead.split()) + 1, len(words)))
        if cuts:
            at = draw(st.sampled_from(cuts))
            blocks = [[" ".join(words[:at])], *draw(page_furniture(doc)), [" ".join(words[at:])]]
    if doc.style == "superscript" and draw(st.integers(0, 2)) == 0:
        # the footnote texts of the page, printed at its bottom
        for _ in range(draw(st.integers(1, 3))):
            blocks += draw(footnote_text(doc)) or []
    return blocks


@st.composite
def generic_block(draw, doc: Doc) -> list[list[str]]:
    """Anything a document of any genre may print in its body."""
    kind = draw(st.sampled_from(["para"] * 8 + ["furniture", "furniture", "stamp", "mark", "event", "excision",
                                                 "heading", "mdheading", "footnote", "numbered", "turn",
                                                 "quote", "orphan", "dateline"]))
    if kind == "para":
        return draw(paragraph_blocks(doc))
    if kind == "orphan" and doc.style == "superscript":
        return draw(orphan_footnote(doc))
    if kind == "dateline":
        # (in a memorandum or telegram, furniture printed between the heading and a dateline
        # once landed after it: test_a_stamp_above_a_telegrams_dateline_stays_in_place)
        return [[draw(dateline())]]
    if kind == "numbered":
        return draw(paragraph_blocks(doc, lead=f"{draw(st.integers(1, 12))}. "))
    if kind == "furniture":
        return draw(page_furniture(doc))
    if kind == "stamp":
        return draw(stamp_blocks)
    if kind == "mark":
        return [[draw(classification_mark)]]
    if kind == "event":
        return [[draw(bracketed_event(doc.genre == "transcript"))]]
    if kind == "excision":
        return [[draw(excision_line())]]
    if kind == "heading":
        return [[draw(caps_heading)]]
    if kind == "mdheading":
        # (in a telegram a "## " heading makes what is printed above it a letterhead, which
        # once left all but its paragraphs below it:
        # test_telegram_letterhead_keeps_the_order_of_what_is_printed_above_the_heading)
        return [["## " + draw(caps_heading)]]
    if kind == "footnote":
        return (draw(footnote_text(doc)) or []) if doc.style == "superscript" else draw(paragraph_blocks(doc))
    if kind == "turn":  # a label-like line outside a transcript
        return draw(paragraph_blocks(doc, lead=f"{draw(speaker_label)}: "))
    # a block quotation: noticeably shorter lines
    text = draw(prose(doc))
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + len(word) > 40:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [lines + [current]]


def _frus_title(kind: str, sender: str, recipient: str) -> str:
    return f"{kind} From {sender} to {recipient}" if kind in ("Memorandum", "Telegram", "Letter") else kind


frus_people = st.sampled_from(["Attorney General Kennedy", "Secretary of State Rusk", "President Kennedy",
                               "the Director of Central Intelligence (McCone)", "Ambassador Zorbo",
                               "the Embassy in the Soviet Union", "Chairman Khrushchev", "the Department of State"])


@st.composite
def frus_heading(draw, doc: Doc, kinds: list[str]) -> str:
    kind = draw(st.sampled_from(kinds))
    title = _frus_title(kind, draw(frus_people), draw(frus_people))
    tail = draw(st.sampled_from([" 0", " 0", "", " 0+"]))
    if tail == " 0+":  # the source note and a first footnote on the heading (test_footnote_on_the_heading_…)
        tail = " 0" + doc.marker(draw, after="0") if doc.style == "superscript" else " 0"
    return f"{draw(st.integers(1, 400))}. {title}{tail}"


signature = st.sampled_from(["Bromley Smith", "McG. B.", "John A. McCone", "RUSK", "KOHLER", "27/X-62 A. DOBRYNIN",
                             "A. DOBRYNIN", "Dean Rusk", "5.XI.62 A. MIKOYAN", "November 9, 1962 McG. B."])
# (a memorandum's address lines name no cable office: with AMEMBASSY or SECSTATE the
# text reads as a telegram when the catalog gives no genre, and a dateline above them
# becomes an addressee: test_telegram_addressee_and_dateline_make_one_opener)
memo_address_block = st.lists(st.sampled_from([
    "MEMORANDUM FOR: The President", "FROM: The Secretary of Defense", "THROUGH: The Secretary of State",
    "DATE: November 5, 1962", "SUBJECT: Cuba", "INFO: The Attorney General",
]), min_size=1, max_size=4, unique=True)
address_block = st.lists(st.sampled_from([
    "FROM: AMEMBASSY MOSCOW", "TO: SECSTATE WASHDC 1311", "FM: USUN NEW YORK", "TO: AMEMBASSY MOSCOW 1142",
    "NIACT", "PRIORITY", "DATE: NOVEMBER 21, 1962, 3 PM", "RECD: NOVEMBER 21, 1962, 10:47 AM", "REF: DEPTEL 1206",
    "INFO: USUN", "MEMORANDUM FOR: The President", "SUBJECT: Cuba",
]), min_size=1, max_size=5, unique=True)


# --------------------------------------------------------------------------- genres


@st.composite
def closing(draw, doc: Doc) -> list[list[str]]:
    """The end of a letter-like document: a last paragraph, maybe page furniture and a
    signature (perhaps dated), maybe furniture printed below (marks, stamps, page and
    Bates numbers: test_stamps_below_the_signature_keep_their_order).

    The last paragraph has lowercase words, so it is never taken for a signature itself.
    """
    blocks = draw(paragraph_blocks(doc, lead="In the end, ", complete=True))
    furniture = st.one_of(stamp_blocks, st.builds(lambda m: [[m]], classification_mark),
                          st.builds(lambda p: [[p]], page_number), st.builds(lambda b: [[b]], bates_number))
    if draw(st.booleans()):
        for piece in draw(st.lists(furniture, max_size=2)):
            blocks += piece
        blocks.append([draw(signature)])
    for piece in draw(st.lists(furniture, max_size=3)):
        blocks += piece
    return blocks


@st.composite
def body(draw, doc: Doc, n_min: int = 1, n_max: int = 8) -> list[list[str]]:
    blocks: list[list[str]] = []
    for _ in range(draw(st.integers(n_min, n_max))):
        blocks += draw(generic_block(doc))
    return blocks


@st.composite
def memorandum(draw, doc: Doc) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draw(st.booleans()):
        blocks.append([draw(classification_mark)])
    blocks.append([draw(st.one_of(
        frus_heading(doc, ["Memorandum", "Memorandum for the Record", "Memorandum of Conversation", "Letter"]),
        st.just("MEMORANDUM FOR THE RECORD"), st.just("## MEMORANDUM")))])
    # (a dated line after a paragraph: test_a_dated_line_in_the_body_stays_in_place)
    if draw(st.booleans()):
        blocks.append([draw(dateline())])
    if draw(st.integers(0, 3)) == 0:
        blocks.append(draw(memo_address_block))
    if draw(st.booleans()):
        blocks += [["SUBJECT"], [draw(prose(Doc("memorandum", "none"))).rstrip(".")]]
    if draw(st.integers(0, 3)) == 0:
        blocks += [["PARTICIPANTS"], ["United States", "John J. McCloy", "Ambassador Adlai E. Stevenson"],
                   ["USSR", "First Deputy Foreign Minister V.V. Kuznetsov", "Mr. Mendelevich"]]
    blocks += draw(body(doc))
    blocks += draw(closing(doc))
    return blocks


@st.composite
def telegram(draw, doc: Doc) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draw(st.booleans()):
        blocks.append([draw(classification_mark)])
    heading = draw(st.one_of(
        st.sampled_from(["## CIPHERED TELEGRAM", "## INCOMING TELEGRAM", "## OUTGOING TELEGRAM", "# TELEGRAM"]),
        frus_heading(doc, ["Telegram"])))
    if heading.startswith("#") and draw(st.integers(0, 2)) == 0:
        blocks.append(["DEPARTMENT OF STATE"])  # a letterhead above the heading
    blocks.append([heading])
    if draw(st.booleans()):
        blocks.append(draw(address_block))
    if draw(st.booleans()):
        blocks.append([draw(st.sampled_from(["CC CPSU", "TO THE CC CPSU", "EYES ONLY FOR AMBASSADOR", "Comrade"]))])
    blocks += draw(body(doc))
    blocks += draw(closing(doc))
    return blocks


@st.composite
def summary_record(draw, doc: Doc) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draw(st.booleans()):
        blocks.append([draw(classification_mark)])
    head = draw(st.sampled_from(["Summary Record of NSC Executive Committee Meeting No. {n}",
                                 "Record of Meeting No. {n}", "Minutes of the Standing Group Meeting",
                                 "{n}. Summary Record of the {n}th Meeting of the Executive Committee 0"]))
    head = head.format(n=draw(st.integers(1, 40)))
    first = [head + draw(st.sampled_from(["", "  "]))]
    if draw(st.booleans()):
        first.append(draw(dateline()))
    blocks.append(first)
    if draw(st.integers(0, 3)) == 0:
        blocks.append(draw(address_block))
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            speaker = draw(st.sampled_from(["Secretary McNamara", "The President", "General Taylor", "Mr. McCloy",
                                            "Ambassador Stevenson", "Director McCone", "Under Secretary Ball",
                                            "The Attorney General", "Secretary Zorbo"]))
            verb = draw(st.sampled_from(["said", "suggested", "commented", "pointed out", "asked whether"]))
            blocks += draw(paragraph_blocks(doc, lead=f"{speaker} {verb} "))
        else:
            blocks += draw(generic_block(doc))
    blocks += draw(closing(doc))
    return blocks


@st.composite
def transcript(draw, doc: Doc) -> list[list[str]]:
    blocks: list[list[str]] = []
    if draw(st.booleans()):
        blocks.append([draw(bates_number)])
    if draw(st.booleans()):
        blocks.append([draw(date_header)])
    if draw(st.booleans()):
        blocks.append(["This is a draft transcript subject to additional review and emendation before "
                       "publication in *Presidential Recordings: John F. Kennedy, Volume 4*,",
                       "Timothy Naftali and David Coleman, eds."])
    if draw(st.booleans()):
        blocks.append([draw(dateline())])
    if draw(st.booleans()):
        blocks.append([draw(time_line)])
    for _ in range(draw(st.integers(0, 2))):
        blocks += draw(paragraph_blocks(doc))
    if draw(st.booleans()):
        title = draw(st.sampled_from(["Off-the-Record Oval Office Conversation on Cuba",
                                      "Meeting on Military Readiness", "Oval Office Conversation on the IL-28 Bombers"]))
        blocks.append([title + doc.marker(draw, after=title)])
    for _ in range(draw(st.integers(0, 2))):
        blocks += (draw(footnote_text(doc)) or []) if doc.style == "superscript" else []
    # (the last paragraph before the first speech may be the title, cut by a page
    # boundary: test_transcript_title_cut_by_a_page_break_keeps_its_furniture)
    turns = 0
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["turn"] * 6 + ["continuation", "event", "excision", "furniture", "footnote",
                                                    "generic", "orphan"]))
        if kind in ("turn", "orphan"):
            lead = f"{draw(speaker_label)}: " + (draw(time_stamp()) + " " if draw(st.booleans()) else "")
            if kind == "orphan" and turns and doc.style == "superscript":
                blocks += draw(orphan_footnote(doc, lead=lead))
            else:
                blocks += draw(paragraph_blocks(doc, lead=lead))
            turns += 1
        elif kind == "continuation":
            blocks += draw(paragraph_blocks(doc))
        elif kind == "event":
            blocks.append([draw(bracketed_event(True))])
        elif kind == "excision":
            blocks.append([draw(excision_line())])
        elif kind == "furniture":
            blocks += draw(page_furniture(doc))
        elif kind == "footnote":
            blocks += (draw(footnote_text(doc)) or []) if doc.style == "superscript" else []
        else:
            blocks += draw(generic_block(doc))
    return blocks


@st.composite
def chapter(draw, doc: Doc) -> list[list[str]]:
    blocks: list[list[str]] = [[" " + draw(st.sampled_from(["The Denouement", "The Count at Sea",
                                                           "Castro’s Five Points", "Lessons of October"]))]]
    for index in range(draw(st.integers(1, 10))):
        roll = draw(st.integers(0, 9))
        if roll == 0:
            blocks.append([draw(caps_heading)])
        elif roll == 1:
            blocks += draw(generic_block(doc))
        else:
            blocks += draw(paragraph_blocks(doc, caps=index == 0 or roll == 2))
    return blocks


GENRE_STRATEGIES = {"memorandum": memorandum, "telegram": telegram, "transcript": transcript,
                    "summary-record": summary_record, "chapter": chapter}


@st.composite
def raw_document(draw, genre: str, *, defects: bool = False) -> tuple[str, bytes]:
    """(text, bytes) of a random raw transcription of ``genre``."""
    style = draw(st.sampled_from(["glued", "superscript", "superscript", "none"]))
    doc = Doc(genre, style, defects)
    blocks = draw(GENRE_STRATEGIES[genre](doc))
    parts = []
    for i, block in enumerate(blocks):
        if i:
            blank = draw(st.sampled_from(["\n", "\n", "\n", "\n\n", " \n", "\t\n", "\n\n\n"]))
            parts.append("\n" + blank)
        parts.append("\n".join(block))
    text = draw(st.sampled_from(["", "", "\n", "\n\n"])) + "".join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))
    ending = draw(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        lines = text.split("\n")
        endings = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines[:-1]]
        # "\r" then "\n" would read as one CRLF and swallow a blank line
        endings = ["\r\n" if e == "\n" and i and endings[i - 1] == "\r" else e for i, e in enumerate(endings)]
        text = "".join(line + e for line, e in zip(lines, endings)) + lines[-1]
    elif ending != "\n":
        text = text.replace("\n", ending)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return text, data


# --------------------------------------------------------------------------- conversion


_VALIDATOR: Validator | None = None


def validator() -> Validator:
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = Validator()
    return _VALIDATOR


def has_footnote_texts(text: str) -> bool:
    """The source prints footnote texts: a paragraph starting with superscript digits (as fidelity.py reads it)."""
    paragraph_start = True
    for line in text.splitlines():
        if not line.strip():
            paragraph_start = True
            continue
        if paragraph_start and re.match(f"[{SUP}]+(?:\\s|$)", line.lstrip()):
            return True
        paragraph_start = False
    return False


class Outcome:
    def __init__(self, error: tx.SourceError | None, tei: Path | None, register: Path) -> None:
        self.error, self.tei, self.register = error, tei, register


def convert(data: bytes, genre: str | None, tmp: Path) -> Outcome:
    """Convert ``data`` as one catalog entry with a fresh copy of the register in ``tmp``.

    Anything but a SourceError propagates: that is the first property.
    """
    shutil.copy2(REGISTER, tmp / "persons.xml")
    source = tmp / "source.txt"
    source.write_bytes(data)
    entry = cat.Entry(docid=DOCID, source=source, source_name="source.txt", line=1, genre=genre,
                      overrides={"date": DATE})
    register = Register.load(tmp / "persons.xml")
    try:
        generated = generate(entry, register)
    except tx.SourceError as exc:
        # a located message, naming the source as the user can type it from where they stand
        assert re.match(re.escape(paths.shown(source)) + r":\d+:\d+: \S", exc.args[0]), exc.args[0]
        return Outcome(exc, None, tmp / "persons.xml")
    register.save()  # unknown speakers are added in memory only: the validation needs them
    tei = tmp / f"{DOCID}.xml"
    tei.write_bytes(generated.data)
    return Outcome(None, tei, tmp / "persons.xml")


def validation_errors(outcome: Outcome) -> list[str]:
    v = validator()
    v._register_cache.clear()  # the register copy changed (added speakers)
    problems = v.validate_file(outcome.tei) + v.validate_file(outcome.register)
    return [p.format() for p in problems if p.severity == ERROR]


def orphan_notes(text: str, tei: Path) -> set[str]:
    """Footnote numbers whose marker the source really does not print, and for which the
    converter says so (in revisionDesc): a footnote text whose superscript number appears
    nowhere outside the footnote texts."""
    recorded = set(re.findall(r"Footnote (\d+): the marker is missing in the source",
                              tei.read_text(encoding="utf-8")))
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    body = "\n\n".join(p for p in paragraphs if not re.match(f"\\s*[{SUP}]+(?:\\s|$)", p))
    return {n for n in recorded if not re.search(f"(?<![{SUP}]){sup(int(n))}(?![{SUP}])", body)}


ADDED = re.compile(r"(?:added in TEI, not in source|duplicated in TEI): «([^»]*)» ")


def lost_words(text: str, tei: Path) -> list[str]:
    differences = word_differences(text, tei, footnote_texts=has_footnote_texts(text))
    # Documented converter decision (tests/test_convert_documents.py, build.place_orphan_notes):
    # a footnote text whose marker is missing in the source gets its note placed at the end of
    # its page, so the TEI has marker tokens the source never prints. Exactly those differences
    # are filtered: words added in the TEI that are all numbers of such notes.
    orphans = orphan_notes(text, tei)

    def placed_orphans(difference: str) -> bool:
        m = ADDED.match(difference)
        return bool(m) and set(m.group(1).split()) <= orphans

    return [d for d in differences if not placed_orphans(d)]


def show(text: str) -> str:
    return "\n".join(f"{i:3} | {line!r}" for i, line in enumerate(text.splitlines(), start=1))


# --------------------------------------------------------------------------- properties: converters

GENRES = list(cat.GENRES)
# Tests of known bugs: stop at the first failure (no shrinking: the explicit
# example is already minimal), so the strict xfail stays quick and deterministic.
KNOWN_BUG = settings(PROFILE, phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.mark.parametrize("genre", GENRES)
@PROFILE
@given(data=st.data())
def test_generate_raises_only_source_error(genre, data):
    text, raw = data.draw(raw_document(genre), label="document")
    note(show(text))
    with tempfile.TemporaryDirectory() as tmp:
        convert(raw, genre, Path(tmp))


@pytest.mark.parametrize("genre", GENRES)
@PROFILE
@given(data=st.data())
def test_generated_tei_is_valid(genre, data):
    text, raw = data.draw(raw_document(genre), label="document")
    note(show(text))
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(raw, genre, Path(tmp))
        assume(outcome.error is None)
        errors = validation_errors(outcome)
        assert not errors, "\n".join(errors[:8])


@pytest.mark.parametrize("genre", GENRES)
@PROFILE
@given(data=st.data())
def test_generated_tei_keeps_every_word(genre, data):
    text, raw = data.draw(raw_document(genre), label="document")
    note(show(text))
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(raw, genre, Path(tmp))
        assume(outcome.error is None)
        lost = lost_words(text, outcome.tei)
        assert not lost, "\n".join(lost[:5])


@PROFILE
@given(data=st.data())
def test_genre_detection_gives_valid_tei_or_source_error(data):
    """Without a genre in the catalog the converter reads it from the text (or says it cannot)."""
    genre = data.draw(st.sampled_from(GENRES), label="printed as")
    text, raw = data.draw(raw_document(genre), label="document")
    note(show(text))
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(raw, None, Path(tmp))
        if outcome.error is None:
            errors = validation_errors(outcome)
            assert not errors, "\n".join(errors[:8])
            lost = lost_words(text, outcome.tei)
            assert not lost, "\n".join(lost[:5])


# Arbitrary characters, except line breaks: the line structure is what the strategies
# above vary (and fidelity.py and the converter do not split lines at the same characters:
# str.splitlines also splits at \x0b, \x1c-\x1e, \x85, U+2028, U+2029).
JUNK = st.text(st.characters(exclude_categories=("Cs", "Zl", "Zp"),
                             exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85"), min_size=1, max_size=12)


@st.composite
def with_arbitrary_text(draw) -> tuple[str, str]:
    """A document of the fragments above with arbitrary Unicode text spliced into its lines
    (after their first word, so what a line is stays what it was)."""
    genre = draw(st.sampled_from(GENRES))
    text, _ = draw(raw_document(genre))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        cuts = [i for i, ch in enumerate(line) if ch == " " and line[:i].strip()] + [len(line)]
        if not line.strip():
            continue
        cut = draw(st.sampled_from(cuts))
        lines[at] = line[:cut] + " " + draw(JUNK) + " " + line[cut:]
    return genre, "\n".join(lines)


@PROFILE
@given(with_arbitrary_text())
def test_arbitrary_characters_give_valid_tei_or_source_error(case):
    genre, text = case
    check_converts_cleanly(text, genre)


def check_converts_cleanly(text: str, genre: str):
    """All three properties at once: only a SourceError, or valid TEI that keeps every word.
    Returns the TEI (an lxml tree) for the test's own property, or None after a SourceError."""
    note(show(text))
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(text.encode("utf-8", "surrogatepass"), genre, Path(tmp))
        if outcome.error is None:
            errors = validation_errors(outcome)
            assert not errors, "\n".join(errors[:8])
            lost = lost_words(text, outcome.tei)
            assert not lost, "\n".join(lost[:5])
            return etree.parse(str(outcome.tei))
    return None


TEI = {"t": "http://www.tei-c.org/ns/1.0"}


def xp(tree, expr: str, **variables):
    return tree.xpath(expr, namespaces=TEI, **variables)


def in_order(tree, first: str, then: str) -> bool:
    """Every element matched by ``then`` comes after every element matched by ``first``."""
    ordered = {el: i for i, el in enumerate(tree.iter())}
    a, b = xp(tree, first), xp(tree, then)
    return not a or not b or max(ordered[e] for e in a) < min(ordered[e] for e in b)


# ---- bugs the properties found: each layout that triggered one, tested on its own
# (with the minimal reproducer as an explicit example). A bug still open is marked
# xfail(strict=True); the general strategies above keep its trigger out and say so.


@KNOWN_BUG
@given(st.one_of(
    unknown_label,
    st.sampled_from(["Speaker 3", "Voice 2", "Secret", "Genre", "Classification", "Handling", "Transcript",
                     "Chapter", "Confidential", "Unmarked", "T0", "Fuzz-Doc"]),
))
@example("Speaker 3")
@example("Secret")
def test_unknown_speaker_labels_get_usable_ids(label):
    tree = check_converts_cleanly(f"Conversation in the Cabinet Room\n\nPresident Kennedy: [00:10] Well.\n\n"
                                  f"{label}: Yes, Mr. President.\n", "transcript")
    if tree is not None:  # the label's turn points at a participant that stands for a person or group
        who = xp(tree, "//t:sp[t:speaker[normalize-space() = $l]]/@who", l=f"{label}:")
        assert len(who) == 1 and re.fullmatch(r"#[A-Za-z_][\w.-]*", who[0]), who
        assert xp(tree, "//t:particDesc//*[@xml:id = $i][@sameAs]", i=who[0][1:]), who


@KNOWN_BUG
@given(st.sampled_from(GENRES).flatmap(lambda g: st.tuples(st.just(g), raw_document(g, defects=True))))
@example(("memorandum", ("MEMORANDUM FOR THE RECORD\n\nThe meeting ended.2\n", b"")))
def test_footnote_numbering_defects_give_valid_tei(case):
    genre, (text, _) = case
    check_converts_cleanly(text, genre)


@st.composite
def orphan_out_of_place(draw) -> tuple[str, str]:
    """A footnote text without its marker, numbered in sequence, printed where its note
    cannot simply go at the end of the paragraph before it: at the bottom of a page that
    ends mid-sentence, or before the first paragraph."""
    genre = draw(st.sampled_from(["transcript", "memorandum", "chapter"]))
    doc = Doc(genre, "superscript")
    turn = "President Kennedy: " if genre == "transcript" else ""
    first = draw(prose(doc, lead=turn)).rstrip(".?!…:;”)") + " " + draw(st.sampled_from(["the", "of", "to", "and"]))
    orphan = draw(footnote_text(doc, orphan=True))
    second = draw(st.sampled_from(WORDS)).lower() + " " + draw(prose(doc))
    texts = [footnote for _ in list(doc.emitted) if (footnote := draw(footnote_text(doc)))]
    title = [["Conversation on the Quarantine"]]
    if draw(st.booleans()):  # at a page bottom, mid-sentence
        blocks = [*title, [first], *orphan, [second]]
    else:  # before any paragraph
        blocks = [*title, *orphan, [first + " " + second]]
    for footnote in texts:
        blocks += footnote
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(orphan_out_of_place())
@example(("transcript", "Conversation on Cuba\n\nPresident Kennedy: We met.¹ And we ought to be\n\n"
                        "² The orphan note.\n\nable to go on.³\n\n¹ Note one.\n\n³ Note three.\n"))
def test_orphan_footnote_notes_keep_the_numbering(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:
        numbers = [int(n) for n in xp(tree, "//t:text//t:note[@place='foot']/@n")]
        assert numbers == list(range(1, len(numbers) + 1)), numbers


@st.composite
def title_cut_by_page_break(draw) -> tuple[str, str]:
    doc = Doc("transcript", "none")
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8))
    at = draw(st.integers(1, len(words) - 1))
    first = " ".join(words[:at])
    second = " ".join(words[at:]).lower()
    assume(not tx.ends_sentence(first) and not tx.ends_sentence(second))
    blocks = [[first.capitalize()], *draw(page_furniture(doc)), [second]]
    blocks.append([f"President Kennedy: {draw(prose(doc))}"])
    return "transcript", "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(title_cut_by_page_break())
@example(("transcript", "Meeting on\n\n- 2 -\n\nthe quarantine\n\nPresident Kennedy: Yes.\n"))
def test_transcript_title_cut_by_a_page_break_keeps_its_furniture(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # the page furniture between the halves is furniture, not title words
        assert xp(tree, "//t:text//t:fw | //t:text//t:pb | //t:text//t:stamp"), "the furniture became text"


@st.composite
def page_break_in_brackets(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(["memorandum", "transcript", "chapter", "telegram"]))
    doc = Doc(genre, "none")
    note_text = draw(bracketed_event(genre == "transcript").filter(lambda b: " " in b))
    words = note_text.split(" ")
    at = draw(st.integers(1, len(words) - 1))
    head = draw(prose(doc)).rstrip(".?!…:;”)") + " " + " ".join(words[:at])
    tail = " ".join(words[at:]) + " " + draw(prose(doc)).lower()
    between = draw(st.one_of(st.just([]), st.builds(lambda p: [[p]], page_number), st.just([["TOP SECRET"]])))
    lead = "President Kennedy: " if genre == "transcript" else ""
    blocks = [["## HEADING" if genre != "transcript" else "Conversation on Cuba"], [lead + head], *between, [tail]]
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(page_break_in_brackets())
@example(("memorandum", "MEMO\n\nThe words [two lines\n\n- 2 -\n\nwhited out] go on.\n"))
def test_page_break_inside_brackets_keeps_its_furniture(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None and re.search(r"\n\n(?:- \d+ -|\d+|TOP SECRET|Page \d+)\n\n", text):
        assert xp(tree, "//t:text//t:fw"), "the page furniture inside the brackets became text"


@st.composite
def footnote_on_heading(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(["memorandum", "telegram", "summary-record", "chapter"]))
    doc = Doc(genre, "superscript")
    heading = draw(st.sampled_from(["MEMORANDUM FOR THE RECORD", "## CIPHERED TELEGRAM", "Summary Record of Meeting",
                                    "The Denouement", "96. Memorandum From Rusk to Kennedy 0"]))
    blocks = [[heading + doc.marker(draw)], *draw(paragraph_blocks(doc, complete=True))]
    blocks += draw(footnote_text(doc)) or []
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(footnote_on_heading())
@example(("memorandum", "MEMORANDUM FOR THE RECORD¹\n\nThe text.\n\n¹ Drafted by Bundy.\n"))
def test_footnote_on_the_heading_keeps_its_text(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # the heading's marker has its note, holding the footnote text if printed
        notes = xp(tree, "//t:text//t:note[@place='foot'][@n='1']")
        assert len(notes) == 1, "the heading's footnote marker lost its note"
        printed = re.search(r"(?:^|\n\n)(?:¹|1\.?) ([^\n]*)", text)
        first_word = re.findall(r"[^\W\d_]+", printed.group(1)) if printed else []
        if first_word:
            assert first_word[0] in "".join(notes[0].itertext()), "footnote 1 lost its text"


@st.composite
def numbers_among_glued_markers(draw) -> tuple[str, str, int]:
    """A document with plain-digit markers ("left.1") and clock times or decimals whose
    digits after ':' or '.' are the next marker's number ("1:02 p.m.", "2.1 million")."""
    genre = draw(st.sampled_from(["memorandum", "telegram", "summary-record", "chapter"]))
    doc = Doc(genre, "glued")
    blocks = [["## MEMORANDUM" if genre != "telegram" else "## CIPHERED TELEGRAM"]]
    for _ in range(draw(st.integers(1, 3))):
        n = doc.next
        number = draw(st.sampled_from([f"at {draw(st.integers(1, 12))}:{n:02d} p.m.",
                                       f"{draw(st.integers(1, 9))}.{n} million", f"Section {draw(st.integers(1, 9))}.{n}"]))
        blocks.append([f"They met {number} and agreed on the text.{doc.marker(draw, after='text.')}"])
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n", doc.next - 1


@KNOWN_BUG
@given(numbers_among_glued_markers())
@example(("memorandum", "MEMO\n\nThe cost was 2.1 million dollars at 1:02 p.m.\n\nThey agreed on the text.1\n", 1))
def test_clock_times_and_decimals_are_not_footnote_markers(case):
    genre, text, markers = case
    check_converts_cleanly(text, genre)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(text.encode("utf-8"), genre, Path(tmp))
        tree = etree.parse(str(outcome.tei))
        numbers = tree.xpath("//t:text//t:note[@place='foot']/@n", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
        assert numbers == [str(i) for i in range(1, markers + 1)]  # exactly the printed markers
        # ... and each note stands right after the word "text." that carries its marker
        for note_el in tree.xpath("//t:text//t:note[@place='foot']", namespaces={"t": "http://www.tei-c.org/ns/1.0"}):
            before = (note_el.getprevious().tail if note_el.getprevious() is not None
                      else note_el.getparent().text) or ""
            assert before.endswith("text."), before


@st.composite
def telegram_addressee_after_furniture(draw) -> tuple[str, str]:
    doc = Doc("telegram", "none")
    furniture = draw(st.one_of(st.builds(lambda m: [[m]], classification_mark), stamp_blocks,
                               st.builds(lambda b: [[b]], bates_number)))
    addressee = draw(st.sampled_from(["CC CPSU", "TO THE CC CPSU", "EYES ONLY FOR AMBASSADOR", "Comrade"]))
    blocks = [["## CIPHERED TELEGRAM"], *furniture, [addressee], *draw(paragraph_blocks(doc, complete=True))]
    return "telegram", "\n\n".join("\n".join(b) for b in blocks) + "\n"


@st.composite
def telegram_addressee_then_dated_line(draw) -> tuple[str, str]:
    doc = Doc("telegram", "none")
    addressee = draw(st.sampled_from(["CC CPSU", "TO THE CC CPSU", "EYES ONLY FOR AMBASSADOR", "Comrade"]))
    dated = draw(st.one_of(dateline(), st.builds(lambda a: a + ["DATE: NOVEMBER 21, 1962, 3 PM"],
                                                 st.lists(st.sampled_from(["FROM: AMEMBASSY MOSCOW",
                                                                           "TO: SECSTATE WASHDC 1311", "NIACT"]),
                                                          max_size=2, unique=True)).map("\n".join)))
    blocks = [["## CIPHERED TELEGRAM"], [addressee], [dated], *draw(paragraph_blocks(doc, complete=True))]
    return "telegram", "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(telegram_addressee_then_dated_line())
@example(("telegram", "## CIPHERED TELEGRAM\n\nCC CPSU\n\nFROM: AMEMBASSY MOSCOW\nDATE: NOVEMBER 21, 1962, 3 PM"
                      "\n\nThe text.\n"))
def test_telegram_addressee_and_dateline_make_one_opener(case):
    genre, text = case
    check_converts_cleanly(text, genre)


@KNOWN_BUG
@given(telegram_addressee_after_furniture())
@example(("telegram", "## CIPHERED TELEGRAM\n\nTOP SECRET\n\nCC CPSU\n\nThe text.\n"))
def test_telegram_addressee_after_furniture_stays_in_place(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # the furniture printed before the addressee stays before it
        assert in_order(tree, "//t:text//t:fw | //t:text//t:stamp", "//t:text//t:salute | //t:text//t:opener")


@st.composite
def interrupted_by_stamp(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(GENRES))
    doc = Doc(genre, "none")
    first = draw(prose(doc)).rstrip(".?!…:;”)") + " " + draw(st.sampled_from(["the", "of", "to", "and"]))
    second = draw(st.sampled_from(WORDS)).lower() + " " + draw(prose(doc))
    stamp = draw(stamp_blocks)
    blocks = [["Conversation on the Quarantine"], *([["President Kennedy: Yes."]] if genre == "transcript" else []),
              [first], *stamp, [second]]
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(interrupted_by_stamp())
@example(("memorandum", "MEMO\n\nwords\n\nSANITIZED\n\nmore words\n"))
def test_stamp_inside_an_interrupted_sentence(case):
    genre, text = case
    check_converts_cleanly(text, genre)


@st.composite
def stamp_below_furniture_below_signature(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(["memorandum", "telegram", "summary-record"]))
    doc = Doc(genre, "none")
    blocks = [["## MEMORANDUM" if genre != "telegram" else "## CIPHERED TELEGRAM"],
              *draw(paragraph_blocks(doc, complete=True)), [draw(signature.filter(lambda s: not tx.find_date(s)))]]
    for piece in draw(st.lists(st.one_of(st.builds(lambda m: [[m]], classification_mark),
                                         st.builds(lambda p: [[p]], page_number)), min_size=1, max_size=2)):
        blocks += piece
    blocks += draw(stamp_blocks)
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(stamp_below_furniture_below_signature())
@example(("summary-record", "Summary Record\n\nThe meeting began.\n\nBromley Smith\n\nTOP SECRET\n\nSANITIZED\n"))
def test_stamps_below_the_signature_keep_their_order(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # printed below the signature: after it, and the stamp below the marks
        assert in_order(tree, "//t:text//t:signed", "//t:text//t:stamp")
        assert in_order(tree, "//t:text//t:fw[preceding::t:signed]", "//t:text//t:stamp")


@st.composite
def dated_line_in_body(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(["memorandum", "telegram"]))
    doc = Doc(genre, "none")
    blocks = [["## MEMORANDUM" if genre == "memorandum" else "## CIPHERED TELEGRAM"]]
    for _ in range(draw(st.integers(1, 3))):
        blocks += draw(paragraph_blocks(doc, complete=True))
    blocks.append([draw(st.one_of(dateline(), st.just("November 9, 1962 McG. B.")))])
    if draw(st.booleans()):
        blocks += draw(paragraph_blocks(doc, complete=True))
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(dated_line_in_body())
@example(("memorandum", "MEMO\n\nThe meeting began at noon.\n\nWashington, November 9, 1962.\n\nIt ended at one.\n"))
def test_a_dated_line_in_the_body_stays_in_place(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # a dated line after a paragraph is not moved up into an opener
        assert in_order(tree, "(//t:body//t:p)[1]", "//t:body//t:date[ancestor::t:dateline]")


@st.composite
def dated_line_under_second_heading(draw) -> tuple[str, str]:
    genre = draw(st.sampled_from(["memorandum", "telegram", "chapter"]))
    doc = Doc(genre, "none")
    blocks = [[draw(st.sampled_from(["THE WHITE HOUSE", "DEPARTMENT OF STATE", "TOP : SECRET"]))],
              [draw(st.one_of(caps_heading, st.just("MEMORANDUM FOR THE RECORD")))], [draw(dateline())]]
    blocks += draw(paragraph_blocks(doc, complete=True))
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(dated_line_under_second_heading())
@example(("memorandum", "THE WHITE HOUSE\n\nMEMORANDUM FOR THE RECORD\n\nWashington, November 9, 1962.\n\n"
                        "The President met the Secretary.\n"))
def test_a_dated_line_under_a_second_heading_stays_in_place(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # the dated line stays below the heading it is printed under
        assert in_order(tree, "(//t:body//t:head)[1]", "//t:body//t:dateline")


@st.composite
def letterhead_then_furniture(draw) -> tuple[str, str]:
    doc = Doc("telegram", "none")
    above = draw(st.lists(st.one_of(stamp_blocks, st.builds(lambda e: [[e]], excision_line()),
                                    st.builds(lambda e: [[e]], bracketed_event(False)),
                                    st.builds(lambda p: [[p]], page_number)), min_size=1, max_size=2))
    blocks = [[draw(st.sampled_from(["DEPARTMENT OF STATE", "THE WHITE HOUSE", "Embassy of the USSR"]))]]
    for piece in above:
        blocks += piece
    blocks.append([draw(st.sampled_from(["## OUTGOING TELEGRAM", "## CIPHERED TELEGRAM"]))])
    blocks += draw(paragraph_blocks(doc, complete=True))
    return "telegram", "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(letterhead_then_furniture())
@example(("telegram", "DEPARTMENT OF STATE\n\nSANITIZED\n\n## OUTGOING TELEGRAM\n\nThe text.\n"))
def test_telegram_letterhead_keeps_the_order_of_what_is_printed_above_the_heading(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:  # what is printed above the telegram's heading stays above it
        assert in_order(tree, "//t:body//*[self::t:stamp or self::t:gap or self::t:incident or self::t:fw][following::t:head]",
                        "(//t:body//t:head)[last()]")


@KNOWN_BUG
@given(st.tuples(st.integers(1, 2), st.integers(0, 59), st.integers(0, 59), st.sampled_from(NAMES_KNOWN)))
@example((1, 0, 0, "Rusk"))
def test_a_time_stamp_alone_on_its_line_is_an_anchor(case):
    h, m, sec, label = case
    tree = check_converts_cleanly(f"Conversation\n\nPresident Kennedy: Yes.\n\n[{h}:{m:02d}:{sec:02d}]\n\n{label}: No.\n",
                                  "transcript")
    if tree is not None:
        seconds = str(h * 3600 + m * 60 + sec)
        assert xp(tree, "//t:when[@interval = $s]", s=seconds) and xp(tree, "//t:body//t:anchor[@synch]")


@st.composite
def stamp_like_continuation(draw) -> tuple[str, str]:
    """A sentence cut by a page break whose second half starts like a stamp's first line
    ("by Rusk … date", "released …", "authority …") and carries a footnote marker."""
    genre = draw(st.sampled_from(["memorandum", "summary-record", "chapter", "telegram"]))
    doc = Doc(genre, "superscript")
    start = draw(st.sampled_from(["by Rusk on that date and sent", "by Ball on the date agreed",
                                  "released the prisoners the next day", "authority to act was given",
                                  "declassified records show", "sanitized versions were kept"]))
    half = draw(prose(doc)).rstrip(".?!…:;”)") + " " + draw(st.sampled_from(["the", "of", "to", "and"]))
    blocks = [["## MEMORANDUM" if genre != "telegram" else "## CIPHERED TELEGRAM"], [half], [draw(page_number)],
              [start + doc.marker(draw) + " to Moscow"], [draw(page_number)], ["and the rest of the sentence."]]
    blocks += draw(footnote_text(doc)) or []
    return genre, "\n\n".join("\n".join(b) for b in blocks) + "\n"


@KNOWN_BUG
@given(stamp_like_continuation())
@example(("memorandum", "MEMO\n\nThe letter was signed\n\nby Rusk on that date and sent¹ to Moscow\n\n"
                        "¹ Drafted by Bundy.\n"))
def test_ordinary_text_is_not_a_declassification_stamp(case):
    genre, text = case
    tree = check_converts_cleanly(text, genre)
    if tree is not None:
        assert xp(tree, "//t:body//t:stamp") == [], "a sentence became a declassification stamp"


# --------------------------------------------------------------------------- properties: text.py


@PROFILE
@given(st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"\xff\xfe" + b),
    st.binary(max_size=200).map(lambda b: b"\xfe\xff" + b),
    st.text(max_size=100).map(lambda t: t.encode("utf-16")),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"a", b"\xe9", b"\x93", b"\x00", b"\r\n", b"\r", b"\n", b" ", b"\xc3", b"\x81"]),
             max_size=30).map(b"".join),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
))
@example(b"\xef\xbb\xbf\xff")  # a UTF-8 BOM before bytes that are not UTF-8 (fixed in a864d4c)
def test_decode_raises_only_source_error(data):
    try:
        decoded = tx.decode(data, "sources/x.txt")
    except tx.SourceError as exc:
        assert exc.args[0].startswith("sources/x.txt:")
        return
    assert "\r" not in decoded.text and "\x00" not in decoded.text
    assert all(ch in "\n\t" or ch >= " " for ch in decoded.text)


@PROFILE
@given(st.integers(0, 99).flatmap(lambda n: st.tuples(st.just(n), number_words(n))))
def test_number_value_round_trips_whole_numbers(case):
    n, words = case
    assert tx.number_value(words) == n
    assert tx.number_value(str(n)) == n


@PROFILE
@given(st.integers(0, 99).flatmap(lambda n: st.tuples(
    st.just(n), number_words(n), st.sampled_from(["-and-a-half", " and a half", "-and a-half"]))))
def test_number_value_round_trips_halves(case):
    n, words, half = case
    assert tx.number_value(words + half) == n + 0.5
    assert tx.number_value(f"{n}½") == n + 0.5
    assert tx.number_value("½" if n == 0 else f"{n}½") == n + 0.5


@PROFILE
@given(st.sampled_from(["half", "a half", "one half", "one-half", "half a", "half an", "Half", "A half"]))
def test_number_value_reads_a_bare_half(words):
    assert tx.number_value(words) == 0.5


@PROFILE
@given(st.integers(1, 99).flatmap(lambda n: st.tuples(st.just(n), number_words(n))),
       st.sampled_from(["seconds", "minutes"]))
def test_audio_excision_reads_the_printed_duration(case, unit):
    n, words = case
    excision = tx.audio_excision(f"{words[:1].upper()}{words[1:]} {unit} excised as classified information.")
    assert excision is not None
    assert excision.seconds == n * (60 if unit == "minutes" else 1)


date_like = st.one_of(
    st.text(max_size=60),
    st.builds(lambda m, d, y, sep: f"{m}{sep}{d}, {y}", st.sampled_from(MONTHS + [m.upper() for m in MONTHS]),
              st.integers(0, 40), st.integers(0, 9999), st.sampled_from([" ", "  ", "\n"])),
    st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(0, 40), st.sampled_from(MONTHS), st.integers(0, 9999)),
    st.builds(lambda d, r, y, s: f"{d}{s[0]}{r}{s[1]}{y}", st.integers(0, 40),
              st.sampled_from(ROMAN + ["", "XIII", "IIII", "VV", "XX"]), st.integers(0, 9999),
              st.sampled_from(["/-", "..", "/.", "./"])),
    st.builds(lambda y, m, d, s: f"{y}{s}{m}{s}{d}", st.integers(1700, 2099), st.integers(0, 19),
              st.integers(0, 40), st.sampled_from(["/", "-"])),
    st.builds(lambda m, d, y: f"{m}/{d}/{y}", st.integers(0, 19), st.integers(0, 40),
              st.sampled_from(["00", "62", "99", "1962", "0000", "9999"])),
)


@PROFILE
@given(st.lists(date_like, min_size=1, max_size=4).map(" and ".join))
def test_find_date_returns_valid_iso_dates(text):
    found = tx.find_date(text)
    if found is None:
        return
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.iso)
    date.fromisoformat(found.iso)
    assert 0 <= found.start < found.end <= len(text)
    # the date printed there is the date found, read on its own
    again = tx.find_date(text[found.start:found.end])
    assert again is not None and again.iso == found.iso


@pytest.mark.parametrize("genre, above, opener", [
    ("telegram", "SANITIZED\n\n00000", ["stamp", "fw", "dateline"]),
    ("memorandum", "TOP SECRET\n\n- 2 -", ["fw", "fw", "dateline"]),
])
def test_a_stamp_above_a_telegrams_dateline_stays_in_place(genre, above, opener):
    """Found 2026-11-22 by widening generic_block's datelines to every genre: the stamp and
    the number printed between the heading and the dateline were moved after the dateline.
    They now open the opener, before the dateline, as printed."""
    text = (f"## CIPHERED TELEGRAM\n\n{above}\n\nWashington, January 1, 1960.\n\n"
            "In the end, the Secretary agreed.\n")
    with tempfile.TemporaryDirectory() as tmp:
        outcome = convert(text.encode("utf-8"), genre, Path(tmp))
        assert outcome.error is None, outcome.error
        assert not validation_errors(outcome)
        lost = lost_words(text, outcome.tei)
        assert not lost, "\n".join(lost[:5])
        tree = etree.parse(str(outcome.tei))
        found = tree.xpath("//t:div[@type='document']/t:opener/*", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
        assert [etree.QName(e).localname for e in found] == opener


# --------------------------------------------------------------------------- citations (issue 16, item 6)

# What breaks a BibTeX entry or an RIS record: TeX's special characters, braces (BibTeX counts
# them even after a backslash), TeX's ^^ notation, BibTeX's @ and quotes, line separators (RIS
# is one field a line), and the private-use characters PDF extraction leaves (once used as
# in-band italic markers), mixed with any other character XML allows.
from citeproc_helpers import expected_text  # noqa: E402  (the clients' readers, for the property below)

CITATION_BREAKERS = list("{}\\$&#^_%~\"@,=;'`") + ["^^7b", "^^5c", "\u2028", "\u0085", "\ue010", "\ue011",
                                                    " and ", "ER  - ", "\nTY  - ", "\t"]


@st.composite
def citation_text(draw) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(CITATION_BREAKERS),
                                     st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=6)),
                           min_size=1, max_size=12))
    text = "".join(pieces)
    assume(expected_text(text))
    return text


_CITE: dict = {}


def _cite(tree: etree._ElementTree) -> dict:
    """cite.xsl on one document, compiled once for the whole run."""
    from cmctei.publish import Publisher

    if "publisher" not in _CITE:
        _CITE["publisher"] = Publisher(Path(tempfile.mkdtemp()), outputs=("cite",))
    publisher = _CITE["publisher"]
    node = publisher.proc.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
    import json

    return json.loads(publisher._transform("cite", node))


@PROFILE
@given(text=citation_text())
def test_citation_strings_come_back_the_same_from_bibtex_ris_and_csl(text, tmp_path_factory):
    """Any string in a title, a book title or an archive is the same text in CSL-JSON, in
    BibTeX (read by pybtex in strict mode, then as LaTeX prints it) and in RIS (rispy)."""
    import io

    import rispy

    from citeproc_helpers import latex_text, pybtex_entries

    want = expected_text(text)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    printed = etree.parse(str(ROOT / "tei" / "rfk-memo-to-rusk.xml"))
    printed.find(".//t:titleStmt/t:title", ns).text = text
    printed.find(".//t:monogr/t:title[@type='sub']", ns).text = text
    archival = etree.parse(str(ROOT / "tei" / "excomm-24-1962-11-12.xml"))
    archival.find(".//t:titleStmt/t:title", ns).text = text
    archival.find(".//t:msIdentifier/t:repository", ns).text = text
    for tree, fields in ((printed, ("title", "booktitle")), (archival, ("title",))):
        citation = _cite(tree)
        assert citation["csl"]["title"] == want
        bib = tmp_path_factory.mktemp("bib") / "one.bib"
        bib.write_text(citation["bibtex"], encoding="utf-8")
        entry, = pybtex_entries(bib).values()
        for field in fields:
            assert latex_text(entry.fields[field]) == want
        record, = rispy.load(io.StringIO(citation["ris"]))
        assert record["title"] == want and "unknown_tag" not in record
    assert citation["csl"]["archive"] == want and want in citation["chicago-note"]


# --------------------------------------------------------------------------- hostile input (issue 16)
#
# Three strategies of the second hostile-input battery: a DOCTYPE wherever an XML prolog can
# put it, in any encoding a parser detects; any number of attributes and namespace
# declarations on any element; any TOML value under any key of a catalog entry.

MINIMAL_TEI = (ROOT / "tests" / "fixtures" / "valid" / "minimal.xml").read_text(encoding="utf-8")
MINIMAL_BODY = MINIMAL_TEI.split("?>", 3)[-1].lstrip()
PROLOG_TEXT = st.text(st.sampled_from("abc <>/?!-[]\"'=%&;\n\t draft DOCTYPE"), max_size=40)


@st.composite
def doctype_placement(draw):
    """(text, encoding, the DOCTYPE's (line, column) or None, its kind): comments and
    processing instructions holding markup, white space, long padding, then the DOCTYPE (or a
    DOCTYPE only quoted in a comment), in an encoding with or without a byte-order mark."""
    items = draw(st.lists(st.one_of(
        PROLOG_TEXT.filter(lambda t: "--" not in t and not t.endswith("-")).map(lambda t: f"<!--{t}-->"),
        PROLOG_TEXT.filter(lambda t: "?>" not in t and not t.endswith("?")).map(lambda t: f"<?note {t}?>"),
        st.sampled_from(["\n", "  ", "\t\n", "\r\n"]),
        st.integers(60_000, 70_000).map(lambda n: "<!--" + "x" * n + "-->"),
    ), max_size=5))
    real = draw(st.booleans())
    kind = draw(st.sampled_from(["external parameter entity", "external DTD", "internal entities"]))
    declaration = {
        "external parameter entity": '<!DOCTYPE TEI [\n<!ENTITY % pe SYSTEM "{fifo}">\n%pe;\n]>',
        "external DTD": '<!DOCTYPE TEI SYSTEM "{fifo}">',
        "internal entities": '<!DOCTYPE TEI [<!ENTITY a "b"><!ENTITY c "&a;&a;">]>',
    }[kind]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32-le",
                                     "utf-32-be"]))
    declared = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8"}.get(encoding, "UTF-16" if "16" in encoding else "UCS-4")
    head = f'<?xml version="1.0" encoding="{declared}"?>\n' + "".join(items)
    if not real:
        declaration = "<!-- " + declaration.replace("--", "") + " -->"
    place = (head.count("\n") + 1, len(head) - head.rfind("\n")) if real else None
    return head + declaration + "\n" + MINIMAL_BODY, encoding, place, kind


@PROFILE
@given(doctype_placement())
def test_a_doctype_anywhere_is_refused_at_its_line_and_loads_nothing(case):
    from cmctei import xmlio

    text, encoding, place, kind = case
    with tempfile.TemporaryDirectory() as tmp:
        fifo = Path(tmp) / "fifo"
        os.mkfifo(fifo)
        opened, stop = [], []

        def watch() -> None:  # a reader that opens the FIFO is seen, and let go at once
            while not stop:
                try:
                    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                opened.append(1)
                os.close(fd)

        import threading

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        path = Path(tmp) / "minimal.xml"
        path.write_bytes(text.replace("{fifo}", str(fifo)).encode(encoding))
        try:
            loaded, problems = xmlio.load(path)
        finally:
            stop.append(1)
            watcher.join(timeout=2)
    assert not opened, "a file named in the DOCTYPE was opened"
    if place is None:  # only quoted in a comment: the document is read
        assert loaded is not None and problems == [], [p.format() for p in problems]
    else:
        assert loaded is None and [(p.rule, p.line, p.col) for p in problems] == [("xml-doctype", *place)], \
            [p.format() for p in problems]


ELEMENT_STARTS = [m.start() for m in re.finditer(r"<[A-Za-z]", MINIMAL_TEI) if MINIMAL_TEI[m.start():].startswith(
    ("<TEI", "<teiHeader", "<body", "<p", "<title", "<note", "<gap"))]


@PROFILE
@given(st.sampled_from(ELEMENT_STARTS), st.integers(0, 300), st.integers(0, 250))
def test_any_number_of_attributes_costs_little_and_beyond_the_limit_is_located(start, attributes, declarations):
    """Validation time grew as the cube of the attributes on one element: within the limit,
    each unknown attribute is one located error; beyond it, one error at the element."""
    from cmctei.xmlguard import MAX_ATTRIBUTES

    name_end = re.compile(r"[\s/>]").search(MINIMAL_TEI, start + 1).start()
    added = "".join(f' a{i}="v"' for i in range(attributes)) + \
        "".join(f' xmlns:p{i}="urn:x-{i}"' for i in range(declarations))
    text = MINIMAL_TEI[:name_end] + added + MINIMAL_TEI[name_end:]
    element = MINIMAL_TEI[start + 1:name_end]
    line, col = MINIMAL_TEI.count("\n", 0, start) + 1, start - MINIMAL_TEI.rfind("\n", 0, start)
    tag = MINIMAL_TEI[start:MINIMAL_TEI.index(">", start)]
    had_declarations = len(re.findall(r"\sxmlns(?::\w+)?=", tag))
    had_attributes = len(re.findall(r"\s[\w:]+=", tag)) - had_declarations
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "minimal.xml"
        path.write_text(text, encoding="utf-8")
        problems = validator().validate_file(path)
    limits = [p for p in problems if p.rule == "xml-limits"]
    if had_attributes + attributes > MAX_ATTRIBUTES or had_declarations + declarations > MAX_ATTRIBUTES:
        assert [(p.line, p.col) for p in problems] == [(line, col)] and len(limits) == 1, problems[:3]
        assert f"<{element}> has " in limits[0].message
    else:
        assert not limits
        unknown = [p for p in problems if p.rule == "xsd-attribute" and p.line == line]
        assert len(unknown) == attributes, [p.format() for p in problems[:5]]


def toml_value(value) -> str:
    """``value`` written as TOML (strings with TOML's escapes, including DEL)."""
    import json
    from datetime import datetime, time

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(str(value), repr(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"


TOML_SCALARS = st.one_of(
    st.text(max_size=30), st.text(st.characters(max_codepoint=0x7f), max_size=10), st.integers(),
    st.floats(), st.booleans(), st.dates(), st.datetimes(), st.times(),
    st.sampled_from(["Timothy Naftali", "ru", "1962-10-30", "memorandum", "secret", "x" * 300, "a\x00b",
                     "../../etc/passwd", "{", "\\", "]]>", "<b>", "\u202e"]),
)
TOML_VALUES = st.recursive(TOML_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)), max_leaves=8)
CATALOG_KEYS = [(key,) for key in ("source", "genre", "translator", "language", "published", "archive",
                                   "recording", "book", "overrides", "sauce")] + \
    [(section, key) for section, keys in (("published", ("title", "editors", "year", "volume", "tittle")),
                                          ("archive", ("box", "repository")), ("recording", ("date", "tape")),
                                          ("book", ("author", "year", "pages")),
                                          ("overrides", ("date", "title", "speakers", "classification", "signed")))
     for key in keys]


@PROFILE
@given(st.sampled_from(CATALOG_KEYS), TOML_VALUES, st.booleans())
def test_any_catalog_value_is_accepted_or_a_located_error(key, value, as_table):
    """Any value under any key: the catalog is read, or refused with path:line:col at a line
    of the catalog; an entry that is read converts, or fails with a located SourceError.
    Before: TypeError, ValueError, RecursionError as internal errors, or editors split into
    letters."""
    lines = ["# catalog", "", "[documents.doc]"]
    if key != ("source",):
        lines.append('source = "doc.txt"')
    if len(key) == 1:
        lines.append(f"{key[0]} = {toml_value(value)}")
    elif as_table:
        lines += ["", f"[documents.doc.{key[0]}]", f"{key[1]} = {toml_value(value)}"]
    else:
        lines.append(f"{key[0]} = {{ {key[1]} = {toml_value(value)} }}")
    text = "\n".join(lines) + "\n"
    note(text)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "doc.txt").write_text(seed_text_memo(), encoding="utf-8")
        catalog = folder / "catalog.toml"
        catalog.write_text(text, encoding="utf-8")
        try:
            entries = cat.load(catalog)
        except cat.CatalogError as exc:
            m = re.match(re.escape(paths.shown(catalog)) + r":(\d+):(\d+): \S", exc.args[0])
            assert m, exc.args[0]
            assert 1 <= int(m.group(1)) <= len(lines) and int(m.group(2)) >= 1, exc.args[0]
            return
        except UnicodeEncodeError:  # a lone surrogate cannot even be written as a catalog
            return
        entry = entries[0]
        editors = entry.published.get("editors", [])
        assert isinstance(editors, list) and all(isinstance(e, str) for e in editors)
        if isinstance(value, str) and key == ("published", "editors"):
            assert editors == [value]  # one name, not its letters
        shutil.copy2(REGISTER, folder / "persons.xml")
        try:
            generate(entry, Register.load(folder / "persons.xml"))
        except tx.SourceError as exc:
            assert re.match(r"\S+:\d+:\d+: \S", exc.args[0]), exc.args[0]


def seed_text_memo() -> str:
    return (ROOT / "sources" / "rfk-memo-to-rusk.txt").read_text(encoding="utf-8")
