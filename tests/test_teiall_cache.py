"""tei_all pruned to the profile, kept between runs (validate/teiall.py, ``_profile_grammar``).

- A second validator reads the kept grammar instead of reading and pruning tei_all (it never
  parses tei_all for a valid master), and gives the same verdicts and messages as one made
  without the cache, on the masters and on invalid variants of them.
- The grammar is kept by what it is made from: a profile that gains an element does not get
  the grammar pruned to the old one (a master using that element would be refused).
- A kept file (either: the pruned grammar, or the same with its attributes merged) that is
  damaged, hostile or unreadable is made again; a folder that cannot be
  written only costs the time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from cmctei.validate import teiall
from cmctei.xmlio import load

MASTERS = sorted(p for p in (ROOT / "tei").glob("*.xml") if p.name != "persons.xml")


def verdicts(validator: teiall.TeiAllValidator, files: list[Path]) -> list[list[tuple[int, str]]]:
    said = []
    for path in files:
        loaded, problems = load(path)
        assert loaded is not None, problems
        said.append([(d.line, d.message) for d in validator.check(loaded)])
    return said


@pytest.fixture
def invalid(tmp_path) -> list[Path]:
    """Masters made invalid for tei_all: an unknown attribute, a TEI element where none may be."""
    made = []
    for i, master in enumerate(MASTERS[:3]):
        text = master.read_text(encoding="utf-8")
        for j, (old, new) in enumerate([("<p>", '<p bogus="1">'), ("<p>", "<p><TEI/>")]):
            path = tmp_path / f"bad-{i}-{j}.xml"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            made.append(path)
    return made


def test_the_kept_grammar_is_read_instead_of_tei_all_and_answers_the_same(tmp_path, invalid):
    cache = tmp_path / "cache"
    first = teiall.TeiAllValidator(cache=cache)
    kept = list(cache.glob("tei_all-profile-*.rng"))
    assert len(kept) == 1
    second = teiall.TeiAllValidator(cache=cache)
    assert second._grammar is None and second._prunable is False  # tei_all neither parsed nor read for pruning
    plain = teiall.TeiAllValidator()
    files = MASTERS + invalid
    expected = verdicts(plain, files)
    assert verdicts(second, MASTERS) == expected[:len(MASTERS)] == [[] for _ in MASTERS]
    assert second._grammar is None  # valid masters need nothing but the kept grammar
    assert verdicts(second, files) == expected == verdicts(first, files)
    assert all(expected[len(MASTERS):])  # every variant refused, with tei_all's messages


def test_a_profile_that_gains_an_element_does_not_get_the_old_grammar(tmp_path):
    """A grammar kept for a profile without <hi> must not answer for the profile with it: the
    transcript master, which uses <hi>, would be refused."""
    transcript = ROOT / "tei" / "oval-office-1962-11-14.xml"
    assert "<hi" in transcript.read_text(encoding="utf-8")
    narrower = tmp_path / "cmctei.xsd"
    text = (ROOT / "schemas" / "cmctei.xsd").read_text(encoding="utf-8")
    assert text.count('xs:element name="hi"') == 1
    narrower.write_text(text.replace('xs:element name="hi"', 'xs:element name="hiNot"'), encoding="utf-8")
    cache = tmp_path / "cache"
    old = teiall.TeiAllValidator(profile_xsd=narrower, cache=cache)
    assert "hi" not in old.covered
    new = teiall.TeiAllValidator(profile_xsd=ROOT / "schemas" / "cmctei.xsd", cache=cache)
    assert "hi" in new.covered
    assert verdicts(new, [transcript]) == [[]]
    assert len(list(cache.glob("tei_all-profile-*.rng"))) == 1  # the old one is gone


@pytest.mark.parametrize("damage", [
    b"",  # emptied
    b"<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start>",  # cut short
    b"<?xml version='1.0'?><!DOCTYPE g [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><g>&e;</g>",  # hostile
    b"<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><notAllowed/></start></grammar>",  # refuses all
])
@pytest.mark.parametrize("which", ["tei_all-profile-", "tei_all-quick-"])
def test_a_damaged_kept_grammar_is_made_again(tmp_path, damage, which):
    cache = tmp_path / "cache"
    teiall.TeiAllValidator(cache=cache).quick
    (kept,) = cache.glob(f"{which}*.rng")
    good = kept.read_bytes()
    kept.write_bytes(damage)
    validator = teiall.TeiAllValidator(cache=cache)  # (its name no longer names its bytes)
    validator.quick  # (compiled when a run has enough masters for it to pay off)
    assert (validator._prunable is not False) == (which == "tei_all-profile-")  # tei_all read again
    (again,) = cache.glob(f"{which}*.rng")
    assert again.read_bytes() == good
    assert verdicts(validator, MASTERS) == [[] for _ in MASTERS]


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    validator = teiall.TeiAllValidator(cache=blocked / "cache")
    assert verdicts(validator, MASTERS) == [[] for _ in MASTERS]
