"""The committed masters are what the converter makes today, and the converter
knows no seed: no seed's names, numbers or sentences appear in its code."""

from __future__ import annotations

import re
import shutil

from lxml import etree

from conftest import ROOT
from cmctei.convert import catalog as cat
from cmctei.convert import generate
from cmctei.convert.persons import Register

CONVERTER = sorted((ROOT / "src" / "cmctei" / "convert").glob("*.py"))


def test_committed_masters_are_current(tmp_path):
    shutil.copy2(ROOT / "tei" / "persons.xml", tmp_path / "persons.xml")
    register = Register.load(tmp_path / "persons.xml")
    for entry in cat.load(ROOT / "sources" / "catalog.toml"):
        fresh = generate(entry, register).data
        committed = (ROOT / "tei" / f"{entry.docid}.xml").read_bytes()
        assert fresh == committed, f"tei/{entry.docid}.xml is stale: run `make convert` (or cmctei convert)"
    assert register.added == []


def seed_specific_strings() -> set[str]:
    """Strings that identify a seed: the personal names of everyone the seeds name
    (main names in the register), archival and case numbers, and phrases that
    only a seed document has."""
    strings: set[str] = set()
    register = etree.parse(str(ROOT / "tei" / "persons.xml"))
    for name in register.xpath("//*[local-name()='persName'][@type='main']/text()"):
        strings.update(re.findall(r"[A-Z][a-z]{2,}", name))
    for source in (ROOT / "sources").glob("*.txt"):
        text = source.read_text(encoding="utf-8")
        strings.update(re.findall(r"\b\d{5}\b", text))  # archival (Bates) numbers
        strings.update(re.findall(r"\b[A-Z]{2,4}-\d{2}-\d{2,}\b", text))  # stamp case numbers
    strings.update({"Denouement", "CIPHERED", "Off-the-Record", "Oval Office", "Tape 58", "DEFCON", "ExComm",
                    "NSC Executive Committee", "No. 24", "Bromley", "WARS", "27/X-62", "10/9/84", "IL-28",
                    "quarantine", "Turkey", "Jupiter", "Cuba", "Cuban", "Moscow", "Havana", "NATO"})
    months = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"}
    return strings - months


def test_no_seed_content_in_converter_code():
    strings = seed_specific_strings()
    assert len(strings) > 100
    offending = []
    for path in CONVERTER:
        code = path.read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may cite examples
        code = re.sub(r"#.*", "", code)  # so may comments
        for s in strings:
            if re.search(r"(?<![\w])" + re.escape(s) + r"(?![\w])", code):
                offending.append(f"{path.name}: {s}")
    assert not offending, offending
