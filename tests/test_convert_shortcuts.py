"""The converter's shortcuts (issue 18) give exactly what the plain forms they replace give.

Each shortcut skips work that a result cannot depend on: a cheap necessary test before a scan
(footnote markers need digits), a lookahead every match satisfies anyway (the first letters of a
date's month or weekday, of the register's names), a search that reads only the end of a string
instead of copying and scanning all of it, a count kept instead of recounted for every name. Each
is compared here with the plain form, written out in the test, on the texts of the seeds and of
the crafted and development fixtures, cut into documents, blocks and lines, and on strings made to
sit on the edges (newlines before the end, other scripts' digits, the long s that matches "s"
without regard to case). A shortcut that dropped, added or moved a result fails here, before it
could change a master (the masters themselves are compared byte for byte by
tests/test_convert_masters.py and the devset).
"""

from __future__ import annotations

import importlib
import re
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REGISTER, ROOT
from cmctei.convert import footnotes, mentions
from cmctei.convert import structure
from cmctei.convert import text as tx
from cmctei.convert.persons import Register, _surname

QUICK = settings(max_examples=300, deadline=None, derandomize=True, database=None)

EDGES = [
    "", "1", "a1", "ab1", "Times3 Dobrynin", "Tsarapkin's1 statement", "Times,3Dobrynin", "Cuba.1", "paper.”2",
    "),4 then", "State 265320.1 Thieu", "Saigon 42288,5 that", "October 314 regarding", "on May 4, 19632 the",
    "yesterday, 1 you", "Read 1", "U-2.12 flew", "2.5 million", "1,000 men", "1:02", "1962-11.5", "items 1, 2 and 3",
    "October 27, 2 we", "December 20, 1 p.m.", "end.12\n", "end.1\n\n", "x.١٢ next", "Cuba.١", "word. ¹", "end.5\n¹",
    "end.¹²", "end.1234", "end.123\n¹", "5\n.3", "Times112 said", "John Smith, Jr. 2", "in 1962, 12 new",
    "on October 27,  3 more", "page ) 4 items", "Benjamin H. Read 1", "Sept. 5 1962", "ſeptember 5, 1962", "ſunday, MAY 5, 1962", "wednesday, november 14, 1962",
    "Nov 13, 1968", "November 3–4, 1968", "5.XI.62", "1962-11-14", "٢٧ October ١٩٦٢", "27 October 1962", "27/X-62", "1962/11/14", "10/9/84", "May 5,1962",
    "the President said", "Khrushchev’s shoes", "R. Kennedy and Robert Kennedy", "[Bundy, Sorensen, and Rusk]", "Secretary Rusk said", "the President reported that", "Under Secretary Ball read",
]


def _corpus() -> list[str]:
    files = sorted((ROOT / "sources").glob("*.txt")) + sorted(FIXTURES.rglob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    assert len(texts) >= 30, "the seeds and the fixtures' texts"
    return texts


TEXTS = _corpus()
PIECES = sorted({piece for text in TEXTS for piece in [text] + [block.text for block in tx.blocks(text)]
                 + text.split("\n")} | set(EDGES))
# text that hits the forms: digits of several scripts, punctuation, months, weekdays, names, newlines
MIXED = st.lists(st.sampled_from(["1", "2", "3", "12", "314", "19632", "1962", "/", "X", "XI", "١", "²", "¹", ".", ",", ":", ";", "”", ")", "-",
                                  " ", "\n", "a", "ab", "U", "Cuba", "May", "October", "Sept.", "ſunday", "MONDAY",
                                  "Kennedy", "Rusk", "’s"]), max_size=30).map("".join)


def _matches(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text)]


# ---------------------------------------------------------------- footnote markers

def _candidates_without_shortcuts(text: str, monkeypatch) -> list:
    with monkeypatch.context() as m:
        everywhere = re.compile("")  # found in any text: no form is skipped
        m.setattr(footnotes, "_DIGIT", everywhere)
        m.setattr(footnotes, "_THREE_DIGITS", everywhere)
        return footnotes.candidates(text)


def test_footnote_candidates_are_those_of_every_form_scanned(monkeypatch):
    differ = [p for p in PIECES if footnotes.candidates(p) != _candidates_without_shortcuts(p, monkeypatch)]
    assert not differ
    # the comparison is not empty: the pieces do show markers of the forms the tests skip
    forms = {marker.form for p in PIECES for marker in footnotes.candidates(p)}
    assert {"word", "punctuation", "number", "day", "year", "alone"} <= forms


@QUICK
@given(MIXED)
def test_footnote_candidates_of_any_text_are_those_of_every_form_scanned(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert footnotes.candidates(text) == _candidates_without_shortcuts(text, monkeypatch)


def test_footnote_candidates_kept_for_a_document_are_the_text_s_own():
    """plan() keeps each block's candidates for find() (one document's): what they find with
    them is what they find without, for every block and line of the seeds, the fixtures and
    the edge cases, each also after a space (the same words, the markers elsewhere)."""
    for text in TEXTS:
        blocks = [block.text for block in tx.blocks(text)] + EDGES
        seen: dict = {}
        planned = footnotes.plan(blocks, seen)
        assert planned == footnotes.plan(blocks)
        assert all(seen[block] == footnotes.candidates(block) for block in blocks)
        for piece in blocks + text.split("\n") + [" " + edge for edge in EDGES]:
            assert footnotes.find(piece, 1, planned, seen) == footnotes.find(piece, 1, planned), piece


@QUICK
@given(MIXED)
def test_digit_before_a_marker_is_read_as_on_the_text_before_it(text):
    for end in range(len(text) + 1):
        assert footnotes._digit_ends(text, end) == bool(re.search(r"\d$", text[:end])), (text, end)


# the forms as first written: each opens with what must stand before the marker
_END = r"(?:(?![\w])|(?=[A-Z][a-z]))"
_FIGURE_AFTER = (r"(?!\s+(?:(?:and|or|to|through|till|until)\s+\d|[ap]\.?\s?m\b|o’?'?clock|noon|midnight|hours?|"
                 r"minutes?|seconds?|days?|weeks?|months?|years?|per\s?cent|percent|men|miles?|tons?|times)\b)")
PLAIN_FORMS = {
    "_WORD": re.compile(r"(?<=[A-Za-z’'][A-Za-z])(?P<n>\d{1,3})" + _END),
    "_PUNCT": re.compile(r"(?<=[.,;:!?\"”’')\]])(?P<n>\d{1,3})" + _END),
    "_NUMBER_PUNCT": re.compile(r"(?<![\w.,])(?P<num>\d[\d,]*\d|\d)(?P<sep>[.,])(?P<n>\d{1,3})(?![\w])"),
    "_ALONE": re.compile(r"(?<=[,;:”\")\]])\s+(?P<n>\d{1,3})(?=\s+[a-z])" + _FIGURE_AFTER
                         + r"|(?<=[A-Za-z.])\s(?P<end>\d{1,3})\s*$"),
}


def test_marker_forms_match_as_first_written():
    assert footnotes._END == _END and footnotes._FIGURE_AFTER == _FIGURE_AFTER
    for name, plain in PLAIN_FORMS.items():
        pattern = getattr(footnotes, name)
        differ = [p for p in PIECES if _matches(pattern, p) != _matches(plain, p)]
        assert not differ, name
        assert sum(len(_matches(pattern, p)) for p in PIECES) > 5, name


@QUICK
@given(MIXED)
def test_marker_forms_match_any_text_as_first_written(text):
    for name, plain in PLAIN_FORMS.items():
        assert _matches(getattr(footnotes, name), text) == _matches(plain, text), name


# ---------------------------------------------------------------- sentence ends

def _plain_ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    stripped = re.sub(r"[" + tx.SUPERSCRIPTS + r"]+$", "", stripped)
    stripped = re.sub(r"(?<=[.!?:\"”’)\]])\d{1,3}$", "", stripped)
    return stripped.rstrip("*~ ").endswith(tx.TERMINAL)


def test_sentence_ends_are_read_as_by_the_substitutions():
    assert [tx.ends_sentence(p) for p in PIECES] == [_plain_ends_sentence(p) for p in PIECES]
    assert tx.ends_sentence("the end.123") and tx.ends_sentence("the end.¹²") and not tx.ends_sentence("the end.1234")


@QUICK
@given(MIXED)
def test_sentence_ends_of_any_text_are_read_as_by_the_substitutions(text):
    assert tx.ends_sentence(text) == _plain_ends_sentence(text)


# ---------------------------------------------------------------- dates

def _month_day_year() -> tuple[re.Pattern, re.Pattern, str]:
    """The month-day-year pattern, the same without its lookahead, and the lookahead."""
    pattern = next(p for p, kind in tx.DATE_PATTERNS if kind == "mdy")
    assert pattern.pattern.startswith("(?=[")
    cut = pattern.pattern.index("])") + 2
    return pattern, re.compile(pattern.pattern[cut:], pattern.flags), pattern.pattern[:cut]


def test_every_weekday_and_month_passes_the_date_lookahead():
    _, _, lookahead = _month_day_year()
    for word in tx._WEEKDAYS + tx._MONTH_FORMS + tx._MONTH_SHORT:
        for printed in (word, word.lower(), word.upper(), "ſ" + word[1:] if word[0] == "S" else word):
            assert re.match(lookahead, printed, re.I), printed


def test_the_date_lookahead_changes_no_match():
    pattern, plain, _ = _month_day_year()
    differ = [p for p in PIECES if _matches(pattern, p) != _matches(plain, p)]
    assert not differ
    assert sum(len(_matches(pattern, p)) for p in PIECES) > 50


@QUICK
@given(MIXED)
def test_the_date_lookahead_changes_no_match_in_any_text(text):
    pattern, plain, _ = _month_day_year()
    assert _matches(pattern, text) == _matches(plain, text)


KINDS = [("mdy", "dmy", "roman", "ymd", "us"), ("mdy", "dmy", "roman", "ymd"), ("mdy", "dmy"), ("mdy", "dmy", "ymd", "us"),
         ("roman",), ("us",), ("ymd",)]


def _dates_with_every_pattern_scanned(text: str, monkeypatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(tx, "_NEEDS", {kind: re.compile("") for kind in tx._NEEDS})  # found in any text
        return [tx.find_date(text, kinds) for kinds in KINDS]


def test_dates_are_those_of_every_pattern_scanned(monkeypatch):
    differ = [p for p in PIECES if [tx.find_date(p, kinds) for kinds in KINDS]
              != _dates_with_every_pattern_scanned(p, monkeypatch)]
    assert not differ
    found = {kind: sum(1 for p in PIECES if tx.find_date(p, (kind,))) for kind in tx._NEEDS}
    assert all(found.values()), found  # each pattern finds dates in the pieces


@QUICK
@given(MIXED)
def test_dates_of_any_text_are_those_of_every_pattern_scanned(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert [tx.find_date(text, kinds) for kinds in KINDS] == _dates_with_every_pattern_scanned(text, monkeypatch)


# ---------------------------------------------------------------- persons named in text

def _plain_names(names: tuple[str, ...]) -> re.Pattern:
    usable = sorted((n for n in names if len(n) >= mentions.MIN_NAME), key=len, reverse=True)
    return re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(n) for n in usable) + r")(?=[’']s\b|[^\w’']|$)")


def test_the_names_lookahead_changes_no_mention():
    names = tuple(Register.load(REGISTER).names)
    pattern, plain = mentions._names_pattern(names), _plain_names(names)
    differ = [p for p in PIECES if _matches(pattern, p) != _matches(plain, p)]
    assert not differ
    assert sum(len(_matches(pattern, p)) for p in PIECES) > 100


@pytest.mark.parametrize("names, text", [
    (("-Smith", "^Hat", "]Bracket", "\\Back", "[Unidentified]"), "-Smith, ^Hat and ]Bracket met \\Back; [Unidentified] too"),
    (("Éamon de Valera", "O'Neill", "Ó Dálaigh"), "Éamon de Valera, O'Neill’s aide and Ó Dálaigh."),
])
def test_names_that_open_with_signs_or_accents_are_found_as_before(names, text):
    assert _matches(mentions._names_pattern(names), text) == _matches(_plain_names(names), text)
    assert len(_matches(mentions._names_pattern(names), text)) == len(names)


def test_speakers_before_a_verb_are_found_as_before():
    # (the module, not the function of the same name that cmctei.convert.genres exports)
    pattern = importlib.import_module("cmctei.convert.genres.summary_record").SPEAKER_BEFORE_VERB
    plain = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern))
    assert plain.pattern != pattern.pattern  # the lookahead, taken away
    differ = [p for p in PIECES if _matches(pattern, p) != _matches(plain, p)]
    assert not differ
    assert sum(len(_matches(pattern, p)) for p in PIECES) > 20


# ---------------------------------------------------------------- the register's surnames

def _plain_unsure(register: Register, printed: str) -> bool:
    if len(printed.split()) != 1:
        return False
    surname = _surname(printed)
    pid = register.names.get(printed)
    if pid is None or _surname(register.main.get(pid, "")) != surname:
        return True
    return len({p for p, main in register.main.items() if p not in register.groups and _surname(main) == surname}) > 1


def test_unsure_names_are_counted_again_after_a_person_is_added():
    register = Register.load(REGISTER)
    one_word = [name for name in register.names if len(name.split()) == 1]
    assert [register.unsure(n) for n in one_word] == [_plain_unsure(register, n) for n in one_word]
    single = next(n for n in one_word if not register.unsure(n) and n[:1].isupper())
    register.add(f"Newcomer {single}")  # now two persons have that surname: the kept count must follow
    assert register.unsure(single)
    assert [register.unsure(n) for n in one_word] == [_plain_unsure(register, n) for n in one_word]


def test_unsure_names_follow_a_register_changed_in_place():
    register = Register(None, names={"Kennedy": "jfk"}, main={"jfk": "John F. Kennedy"})
    assert not register.unsure("Kennedy")
    register.main["rfk"] = "Robert F. Kennedy"
    assert register.unsure("Kennedy")
    register.groups.add("rfk")  # a group is nobody's namesake
    assert not register.unsure("Kennedy")


def test_names_found_follow_the_register_as_persons_are_added():
    """The names' pattern is kept on the register (mentions._pattern_of): a person added
    while converting (a new speaker) is found in the text that follows, as a fresh pattern
    of every name finds it."""
    register = Register.load(REGISTER)
    text = "Then Zebulon Quartermaine spoke to the President and to Khrushchev."
    before = [m.printed for m in mentions.find(text, register, None)]
    assert "Zebulon Quartermaine" not in before
    register.add("Zebulon Quartermaine")
    after = mentions.find(text, register, None)
    assert "Zebulon Quartermaine" in [m.printed for m in after]
    assert [m.printed for m in after] == [m.group(0) for m in mentions._names_pattern(tuple(register.names)).finditer(text)
                                          if register.names[m.group(0)] not in register.groups]


# ---------------------------------------------------------------- block quotations

@QUICK
@given(st.lists(st.integers(0, 200), min_size=1, max_size=40))
def test_the_mean_of_line_lengths_is_the_statistics_mean(lengths):
    assert structure._mean(lengths) == statistics.mean(lengths)
