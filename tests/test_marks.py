"""Classification marking lines: the level, then every qualifier kept and classified.

The expected values are read off the printed line by hand: the level is the
leading words; precedences (how fast), handling caveats (who may read) and
control numbers (which copy) are told apart by the vocabularies of
src/cmctei/convert/data/marks.toml.
"""

from __future__ import annotations

import pytest

from cmctei.convert import marks

CASES = [
    # line, level, caveats, precedence, controls
    ("SECRET", "secret", [], [], []),
    ("SECRET - IMMEDIATE", "secret", [], ["IMMEDIATE"], []),
    ("SECRET - LIMIT DISTRIBUTION", "secret", ["LIMIT DISTRIBUTION"], [], []),
    ("CONFIDENTIAL - PRIORITY", "confidential", [], ["PRIORITY"], []),
    ("TOP SECRET - EYES ONLY - NODIS", "top-secret", ["EYES ONLY", "NODIS"], [], []),
    ("UNCLASSIFIED - NIACT", "unclassified", [], ["NIACT"], []),
    ("SECRET//NOFORN", "secret", ["NOFORN"], [], []),
    ("Secret; Exdis", "secret", ["Exdis"], [], []),
    ("Secret; Immediate; Nodis.", "secret", ["Nodis"], ["Immediate"], []),
    ("SECRET—FLASH", "secret", [], ["FLASH"], []),
    ("SECRET - HARVAN DOUBLE PLUS", "secret", ["HARVAN DOUBLE PLUS"], [], []),
    ("TOP SECRET - RUSK EYES ONLY", "top-secret", ["RUSK EYES ONLY"], [], []),
    ("TOP SECRET EYES ONLY", "top-secret", ["EYES ONLY"], [], []),
    ("~~CONFIDENTIAL~~ - NOFORN", "confidential", ["NOFORN"], [], []),
    ("~~TOP SECRET - SENSITIVE~~", "top-secret", ["SENSITIVE"], [], []),
    ("TOP SECRET Copy No. 4 Making Copies Prohibited", "top-secret", ["Making Copies Prohibited"], [],
     ["Copy No. 4"]),
    ("TOP SECRET Making Copies Prohibited Copy No. I", "top-secret", ["Making Copies Prohibited"], [],
     ["Copy No. I"]),
    ("SECRET Copy 3 of 5 copies", "secret", [], [], ["Copy 3 of 5 copies"]),
    ("LIMITED OFFICIAL USE", "limited-official-use", [], [], []),
    ("Limited Official Use; Priority", "limited-official-use", [], ["Priority"], []),
    ("FOR OFFICIAL USE ONLY", "official-use-only", [], [], []),
    ("Confidential", "confidential", [], [], []),
]


@pytest.mark.parametrize("line, level, caveats, precedence, controls", CASES, ids=[c[0] for c in CASES])
def test_marking_lines(line, level, caveats, precedence, controls):
    mark = marks.read(line)
    assert mark is not None, line
    assert (mark.level, mark.caveats, mark.precedence, mark.controls) == (level, caveats, precedence, controls)


@pytest.mark.parametrize("line", [
    "Secret talks began in Geneva.", "SECRETARY RUSK", "The top secret plan", "SECRET MEETING WITH DOBRYNIN",
    "SECRET - MEETING WITH DOBRYNIN", "Secretary Rusk said", "SECRET - 2 -", "Confidentially, he said no.",
    "sEcReT", "TOP SECRET - this is why", "UNCLASSIFIED information was released",
])
def test_sentences_and_headings_are_not_marks(line):
    assert marks.read(line) is None


def test_levels_rank_as_printed_highest_first():
    """A document bearing TOP SECRET and SECRET is TOP SECRET (the rank is the order of the data)."""
    order = ["top-secret", "secret", "confidential", "limited-official-use", "official-use-only",
             "unclassified", "unmarked"]
    assert sorted(order, key=marks.rank, reverse=True) == order
    assert marks.rank("top-secret") > marks.rank("secret") > marks.rank("unmarked") == 0


def test_a_new_term_is_data_not_code():
    """Every vocabulary term is read as the kind its list says (no term is special-cased in code)."""
    vocab = marks.vocabulary()
    for term in vocab.precedence:
        assert marks.read(f"SECRET - {term.upper()}").precedence == [term.upper()], term
    for term in vocab.handling:
        mark = marks.read(f"SECRET - {term}" if term.isupper() else f"SECRET {term}")
        assert mark is not None and mark.caveats == [term], term
