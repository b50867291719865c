"""The shared recognisers on inputs written for them (none taken from a seed)."""

from __future__ import annotations

import pytest

from cmctei.convert import text as tx


@pytest.mark.parametrize("words, value", [
    ("twelve", 12), ("forty-one", 41), ("one-and-a-half", 1.5), ("half a", 0.5), ("1½", 1.5), ("½", 0.5),
    ("3", 3), ("ninety-nine", 99), ("several", None),
])
def test_number_words(words, value):
    assert tx.number_value(words) == value


@pytest.mark.parametrize("line, quantity, reason, unit, dur", [
    ("Twelve seconds excised as classified information.", 12, "classified", "s", "PT12S"),
    ("Two minutes, five seconds excised as classified information.", 125, "classified", "s", "PT2M5S"),
    ("One hour, one minute excised.", 3660, "classified", "s", "PT1H1M"),
])
def test_audio_excisions(line, quantity, reason, unit, dur):
    found = tx.audio_excision(line)
    assert (found.quantity, found.reason, found.unit, tx.iso_duration(found.seconds)) == (quantity, reason, unit, dur)


@pytest.mark.parametrize("text, quantity, reason", [
    ("two lines whited out", 2, "sanitized"), ("half a line whited out", 0.5, "sanitized"),
    ("1½ lines of source text not declassified", 1.5, "classified"), ("3 lines excised", 3, "classified"),
])
def test_line_excisions(text, quantity, reason):
    found = tx.line_excision(text)
    assert (found.quantity, found.reason, found.unit) == (quantity, reason, "line")


def test_not_excisions():
    assert tx.audio_excision("We talked for five minutes.") is None
    assert tx.line_excision("two lines of argument") is None


@pytest.mark.parametrize("text, iso", [
    ("Washington, March 4, 1963", "1963-03-04"), ("FRIDAY, NOVEMBER 2, 1962", "1962-11-02"),
    ("5 November 1962", "1962-11-05"), ("5.XI.62 A. MIKOYAN", "1962-11-05"), ("28/X-62", "1962-10-28"),
    ("DATE 3/4/77", "1977-03-04"), ("1963/02/07", "1963-02-07"), ("31/II-63", None), ("no date", None),
])
def test_dates(text, iso):
    found = tx.find_date(text)
    assert (found.iso if found else None) == iso


@pytest.mark.parametrize("line", [
    "SANITIZED", "SANITIZED.", "DECLASSIFIED", "RELEASED", "NWK-80-29", "E.O. 12958, Sec. 3.6", "Authority NLK-76-12",
    "Authority NND 959000", "By KH NARA, Date 2/20/98", "BY JW NARS DATE 3/4/77", "Declassified per E.O. 12958",
])
def test_stamp_first_lines(line):
    assert tx.is_stamp_start(line)


@pytest.mark.parametrize("line", [
    # sentences continued after a page break, and ordinary short lines
    "by Rusk on that date and sent to Moscow", "By Rusk on that Date", "released the prisoners the next day",
    "Released the prisoners", "authority to act was given", "Authority to act", "declassified records show",
    "sanitized versions were kept", "sanitized", "Sanitized", "in 24-48 hours", "BY UN OF THE DATE",
])
def test_sentences_are_not_stamps(line):
    assert not tx.is_stamp_start(line)


@pytest.mark.parametrize("block", ["[05:03]", "[1:02:03]", "[ 1:02:03 ]"])
def test_a_tape_time_alone_is_not_a_stage_note(block):
    from cmctei.convert import structure as st
    items = st.segment(f"Title\n\nKennedy: Yes.\n\n{block}\n\nRusk: No.\n", transcript=True)
    assert [i.kind for i in items] == [st.PARA, st.TURN, st.PARA, st.TURN]


def test_clock_and_joins():
    assert tx.clock("10:15 to 11:05 A.M.") == "10:15:00"
    assert tx.clock("3:02 P.M.") == "15:02:00"
    assert tx.join_lines(["a counter-", "response and", "a dash—", "more"]) == "a counter-response and a dash—more"
    assert tx.continues("went to the", "Embassy at once.") and not tx.continues("He left.", "then came")


def test_decoding():
    assert tx.decode("caf\u00e9".encode("utf-8-sig"), "x").text == "caf\u00e9"
    assert tx.decode("caf\u00e9".encode("utf-16"), "x").text == "caf\u00e9"
    decoded = tx.decode("line one\ncaf\u00e9".encode("cp1252"), "x.txt")
    assert decoded.text == "line one\ncaf\u00e9" and decoded.warnings[0].startswith("x.txt:2:1: warning")
    with pytest.raises(tx.SourceError, match="x.txt:1:1: the source is empty"):
        tx.decode(b"  \n", "x.txt")
