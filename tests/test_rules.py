"""Every rule of the profile, proven by a minimal invalid document.

Approach
--------
Each case starts from the valid base document ``tests/fixtures/valid/minimal.xml``
(or, for the register rule, from ``tei/persons.xml``), read as *text*, and
makes one small textual mutation: ``old`` must occur exactly once in the base
and is replaced by ``new``. The case also names a ``marker``, a substring of
the mutated text; the line on which the marker (first) occurs is the line the
diagnostic must be reported at. That line is computed here from the text
itself, never from the code under test.

The mutated document is written to ``tmp_path / "<TEI/@xml:id>.xml"`` (the
rule ``docid-filename`` wants the file name to be the document id) and
validated with the session ``validator`` (XSD + Schematron, pointers into the
register resolved against tei/persons.xml). For every case:

- the rule ids of all diagnostics are exactly ``{rule}`` (the mutation is
  crafted so that nothing else fires);
- one diagnostic with that id is on the expected line, with a column >= 1
  (and not past the end of that line);
- its severity is the rule's ``role`` in schemas/cmctei.sch (``error`` for the
  XSD rules).

A few rules need two edits in distant places (``also``) or a file name other
than the document id (``filename``). A case that cannot pass because of a
suspected bug in the schemas carries ``known_issue``: it runs as a strict
xfail, so the suite notices (XPASS) when the bug is fixed.

Coverage tests keep the table honest as the schemas grow: it must contain a
case for every assert/report id of schemas/cmctei.sch and for every closed
value list (``*-vocab`` simple type) of schemas/cmctei.xsd.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import pytest
from lxml import etree

from cmctei.diagnostics import ERROR, WARNING, Diagnostic
from cmctei.validate import schematron

ROOT = Path(__file__).resolve().parents[1]
SCH = ROOT / "schemas" / "cmctei.sch"
DOCS = ROOT / "docs" / "encoding.md"
VALID = ROOT / "tests" / "fixtures" / "valid"
BASES = {
    "minimal": VALID / "minimal.xml",
    "persons": ROOT / "tei" / "persons.xml",
}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# The structural ids of the XSD layer (see src/cmctei/validate/xsd.py).
XSD_STRUCTURAL = {"xsd-element", "xsd-attribute", "xsd-text", "xsd-value", "xsd-root"}


class Case(NamedTuple):
    rule: str
    old: str
    new: str
    marker: str
    # Further (old, new) replacements, for the few rules that need two edits
    # in distant places (each old must also occur exactly once).
    also: tuple[tuple[str, str], ...] = ()
    base: str = "minimal"
    # Write the file under this name instead of "<TEI/@xml:id>.xml".
    filename: str | None = None
    # Distinguishes several cases of one rule in the test ids.
    variant: str = ""
    # Why the case cannot pass with the schemas as they are (a suspected bug,
    # reported): the test is then a strict xfail, so it fails ("XPASS") as
    # soon as the schemas are fixed and the marker must be removed.
    known_issue: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.variant}" if self.variant else self.rule


MAIN_FN1 = '<note place="foot" n="1" xml:id="minimal-fn1">'
MAIN_FN2 = '<note place="foot" n="2" xml:id="minimal-fn2"><gap reason="not-transcribed"/></note>'
SOURCE_NOTE = '<note type="source" n="0">'
GENRE_CATREF = '<catRef scheme="#genre" target="#memorandum"/>'
CLASS_CATREF = '<catRef scheme="#classification" target="#secret"/>'
GENRE_CATEGORY = '<category xml:id="memorandum"><catDesc>Memorandum</catDesc></category>'
SOURCE_P = "<p>A document written for the tests.</p>"
SANITIZED_GAP = '<gap reason="sanitized" quantity="2" unit="line">'
CLASSIFIED_GAP = '<gap reason="classified" quantity="12" unit="s" dur="PT12S">'
TEI_START = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="minimal">'

CASES: list[Case] = [
    # ---------------------------------------------------------------- Schematron
    # A second xml:id="t0" on an element nothing points to.
    Case("id-unique", '<pb n="2"/>', '<pb n="2" xml:id="t0"/>', 'xml:id="t0"/>'),
    Case("docid-idno", '<idno type="cmctei">minimal</idno>', '<idno type="cmctei">other</idno>', TEI_START),
    # The document is fine, but saved under a name that is not its id.
    Case("docid-filename", "Written by hand as a test fixture.", "Saved as renamed.xml.", TEI_START,
         filename="renamed.xml"),
    Case("creation-date", '<date when="1962-10-30">', "<date>", TEI_START),
    Case("genre-one", GENRE_CATREF, "", TEI_START),
    Case("classification-one", CLASS_CATREF, "", TEI_START),
    # #secret exists (in the classification taxonomy), so no pointer rule fires.
    Case("catref-declared", GENRE_CATREF, '<catRef scheme="#genre" target="#secret"/>',
         '<catRef scheme="#genre" target="#secret"/>'),
    Case("category-genre", GENRE_CATEGORY,
         GENRE_CATEGORY + '<category xml:id="letter"><catDesc>Letter</catDesc></category>',
         '<category xml:id="letter">'),
    Case("category-classification", '<category xml:id="secret"><catDesc>SECRET</catDesc></category>',
         '<category xml:id="secret"><catDesc>SECRET</catDesc></category>'
         '<category xml:id="sensitive"><catDesc>SENSITIVE</catDesc></category>',
         '<category xml:id="sensitive">'),
    Case("handling-declared", "<term>EYES ONLY</term>", "<term>NODIS</term>", "<term>NODIS"),
    # A telegram precedence that the precedence taxonomy does not describe.
    Case("precedence-declared", "<term>EYES ONLY</term></keywords>",
         '<term>EYES ONLY</term></keywords><keywords scheme="#precedence"><term>IMMEDIATE</term></keywords>',
         "<term>IMMEDIATE",
         also=(('<category xml:id="eyes-only"><catDesc>EYES ONLY</catDesc></category>\n        </taxonomy>',
                '<category xml:id="eyes-only"><catDesc>EYES ONLY</catDesc></category>\n        </taxonomy>'
                '<taxonomy xml:id="precedence"><category xml:id="pr-priority"><catDesc>PRIORITY</catDesc>'
                '</category></taxonomy>'),)),
    Case("fn-attributes", MAIN_FN1, '<note place="foot" n="1">', '<note place="foot" n="1">'),
    # Footnotes 1 and 2 in the wrong order: numbers must rise in reading order.
    Case("fn-sequence", MAIN_FN1, '<note place="foot" n="2" xml:id="minimal-fn2">',
         '<note place="foot" n="1" xml:id="minimal-fn1"><gap',
         also=((MAIN_FN2, '<note place="foot" n="1" xml:id="minimal-fn1"><gap reason="not-transcribed"/></note>'),)),
    # Footnote 4 of the document printed as "9": footnotes 4 to 8 are missing (their
    # markers were not found), a warning, not an error.
    Case("fn-missing", MAIN_FN2,
         MAIN_FN2 + '<note place="foot" n="3" xml:id="minimal-fn3">Ibid.</note>'
         '<note place="foot" n="9" xml:id="minimal-fn9">Ibid.</note>',
         '<note place="foot" n="9"'),
    Case("fn-id", MAIN_FN1, '<note place="foot" n="1" xml:id="minimal-note1">', 'xml:id="minimal-note1"'),
    Case("source-note", SOURCE_NOTE, '<note type="source" n="1">', '<note type="source" n="1">'),
    # A note that is neither a footnote nor the source note.
    Case("note-kind", SANITIZED_GAP, "<note>An editor's remark.</note>" + SANITIZED_GAP, "<note>An editor"),
    Case("note-empty", MAIN_FN1 + "See the telegram.</note>", MAIN_FN1 + "</note>", MAIN_FN1),
    # An editorial note ("[Omitted here …]") given a number as if it were a footnote.
    Case("editorial-note", "<incident><desc>A short background conversation.</desc></incident>",
         '<note type="editorial" place="inline" n="3">[Omitted here is a discussion.]</note>',
         '<note type="editorial"'),
    Case("fw-empty", '<fw type="pageNum">- 2 -</fw>', '<fw type="pageNum"/>', '<fw type="pageNum"/>'),
    Case("stamp-empty",
         '<stamp type="declassification">DECLASSIFIED BY NARS DATE <date when="1984-10-09">10/9/84</date></stamp>',
         '<stamp type="declassification"/>', "<stamp "),
    Case("gap-extent", CLASSIFIED_GAP, '<gap reason="classified">', '<gap reason="classified">'),
    Case("gap-desc", "<desc>Twelve seconds excised as classified information.</desc>", "", CLASSIFIED_GAP),
    Case("gap-quantity-unit", SANITIZED_GAP, '<gap reason="sanitized" quantity="2">', '<gap reason="sanitized"'),
    Case("gap-dur", 'dur="PT12S"', 'dur="PT13S"', 'dur="PT13S"'),
    Case("when-iso", '<change when="2026-11-21">', '<change when="21/11/2026">', 'when="21/11/2026"'),
    # timeline/@origin: a pointer only the pointer rules look at.
    Case("ptr-local", 'origin="#t0"', 'origin="#t99"', 'origin="#t99"'),
    Case("ptr-register", '<author><persName ref="persons.xml#rfk">',
         '<author><persName ref="persons.xml#nobody">', "persons.xml#nobody"),
    Case("ptr-form", 'sameAs="persons.xml#rusk"', 'sameAs="http://example.org/rusk"', "http://example.org/rusk"),
    # The speaker is a timeline point, not a participant.
    # A speaker pointing straight into the register instead of at a participant.
    Case("sp-who", '<sp who="#rusk">', '<sp who="persons.xml#rusk">', 'who="persons.xml#rusk"',
         variant="register-pointer"),
    # A whited-out passage without its extent.
    Case("gap-extent", '<gap reason="sanitized" quantity="2" unit="line">', '<gap reason="sanitized">',
         '<gap reason="sanitized">', variant="sanitized"),
    Case("sp-who", '<sp who="#rusk">', '<sp who="#t0">', '<sp who="#t0">'),
    Case("synch-when", '<anchor synch="#t35"/>', '<anchor synch="#rusk"/>', '<anchor synch="#rusk"/>'),
    Case("register-main-name", '<persName type="main">Fidel Castro</persName>',
         '<persName type="variant">Fidel Castro</persName>', '<person xml:id="castro">', base="persons"),
    # ---------------------------------------------------------- closed value lists
    Case("vocab-gap-reason", 'reason="sanitized"', 'reason="whited-out"', 'reason="whited-out"'),
    Case("vocab-gap-unit", 'unit="line"', 'unit="lines"', 'unit="lines"'),
    Case("vocab-fw-type", '<fw type="pageNum">', '<fw type="page">', '<fw type="page">'),
    Case("vocab-fw-place", 'place="top"', 'place="head"', 'place="head"'),
    # On the source note, which is checked as a source note whatever its place
    # (on a footnote any other place would also make it "not a footnote").
    Case("vocab-note-place", SOURCE_NOTE, '<note type="source" n="0" place="end">', 'place="end"'),
    # On a footnote, which the rules check as a footnote whatever its type.
    Case("vocab-note-type", MAIN_FN1, '<note place="foot" n="1" xml:id="minimal-fn1" type="comment">',
         'type="comment"'),
    Case("vocab-del-rend", 'rend="strikethrough"', 'rend="overstrike"', 'rend="overstrike"'),
    Case("vocab-hi-rend", 'rend="italic"', 'rend="bold"', 'rend="bold"'),
    Case("vocab-quote-rend", "We met in my office.", 'We met in my <quote rend="inline">office</quote>.',
         'rend="inline"'),
    Case("vocab-supplied-reason", 'reason="editorial"', 'reason="conjecture"', 'reason="conjecture"'),
    Case("vocab-unclear-reason", '<unclear reason="inaudible">', '<unclear reason="illegible">',
         'reason="illegible"'),
    Case("vocab-stamp-type", '<stamp type="declassification">', '<stamp type="received">', 'type="received"'),
    Case("vocab-div-type", '<div type="transcript">', '<div type="dialogue">', 'type="dialogue"'),
    # An extra taxonomy with an id outside the three of the profile.
    Case("taxonomy-known", "</classDecl>",
         '  <taxonomy xml:id="region"><category xml:id="cuba"><catDesc>Cuba</catDesc></category></taxonomy>\n'
         "      </classDecl>",
         '<taxonomy xml:id="region">'),
    # An extra catRef: a scheme outside the list that every Schematron rule
    # accepts (a register pointer resolves, and names no taxonomy of this file).
    Case("vocab-catref-scheme", CLASS_CATREF,
         CLASS_CATREF + '\n        <catRef scheme="persons.xml#rfk" target="#memorandum"/>',
         'scheme="persons.xml#rfk"'),
    # A target outside the closed list: the XSD reports it, and catref-declared
    # leaves such targets to the XSD so the editor reads one message, not two.
    # (#letter resolves to a handling category, so ptr-local stays quiet.)
    Case("vocab-catref-target", GENRE_CATREF, '<catRef scheme="#genre" target="#letter"/>', 'target="#letter"',
         also=(('<category xml:id="eyes-only"><catDesc>EYES ONLY</catDesc></category>',
                '<category xml:id="eyes-only"><catDesc>EYES ONLY</catDesc></category>'
                '<category xml:id="letter"><catDesc>LETTER</catDesc></category>'),)),
    # keywords pointing at another taxonomy (handling-declared then does not apply).
    Case("vocab-keywords-scheme", '<keywords scheme="#handling">', '<keywords scheme="#genre">',
         '<keywords scheme="#genre">'),
    Case("vocab-corresp-type", "</textClass>",
         "</textClass>\n      <correspDesc><correspAction type=\"forwarded\">"
         '<persName ref="persons.xml#rusk">Rusk</persName></correspAction></correspDesc>',
         'type="forwarded"'),
    Case("vocab-biblscope-unit", SOURCE_P,
         SOURCE_P + '\n        <biblStruct><monogr><title level="m">FRUS</title>'
         '<imprint><publisher>GPO</publisher></imprint>'
         '<biblScope unit="chapter">XI</biblScope></monogr></biblStruct>',
         'unit="chapter"'),
    Case("vocab-recording-type", SOURCE_P,
         SOURCE_P + '\n        <recordingStmt><recording type="video"><p>Tape 58</p></recording></recordingStmt>',
         'type="video"'),
    Case("vocab-title-type", '<title type="main">', '<title type="alt">', 'type="alt"'),
    Case("vocab-title-level", '<title type="main">', '<title type="main" level="x">', 'level="x"'),
    Case("vocab-persname-type", "<persName>Robert F. Kennedy</persName>",
         '<persName type="birth">Robert F. Kennedy</persName>', 'type="birth"'),
    Case("vocab-cert", '<date when="1962-10-30">', '<date when="1962-10-30" cert="certain">', 'cert="certain"'),
    Case("vocab-timeline-unit", '<timeline unit="s"', '<timeline unit="ms"', 'unit="ms"'),
    # ------------------------------------------------------- XSD structure
    # <speaker> is a profile element, but not a child of div.
    Case("xsd-element", '<pb n="2"/>', "<speaker>Rusk:</speaker>", "<speaker>Rusk:</speaker>",
         variant="not-allowed"),
    # fileDesc without its sourceDesc.
    Case("xsd-element", "<sourceDesc>\n        " + SOURCE_P + "\n      </sourceDesc>", "", "<fileDesc>",
         variant="missing"),
    Case("xsd-attribute", '<div type="transcript">', "<div>", "<div>\n", variant="missing"),
    Case("xsd-attribute", '<pb n="2"/>', '<pb n="2" facs="p2.png"/>', 'facs="p2.png"', variant="not-allowed"),
    Case("xsd-text", '<div type="transcript">', '<div type="transcript">Transcript begins.',
         '<div type="transcript">Transcript'),
    Case("xsd-value", 'quantity="2"', 'quantity="two"', 'quantity="two"'),
    Case("xsd-root", TEI_START, '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xml:id="minimal">',
         "<teiCorpus", also=(("</TEI>", "</teiCorpus>"),), variant="teiCorpus"),
    # The usual mistake: TEI without the TEI namespace.
    Case("xsd-root", TEI_START, '<TEI xml:id="minimal">', '<TEI xml:id="minimal">', variant="no-namespace"),
]

CASE_BY_ID = {case.id: case for case in CASES}


# ------------------------------------------------------------------ helpers

def line_of(text: str, marker: str) -> int:
    index = text.find(marker)
    assert index >= 0, f"marker {marker!r} is not in the mutated document"
    return text.count("\n", 0, index) + 1


def mutate(case: Case) -> str:
    text = BASES[case.base].read_text(encoding="utf-8")
    for old, new in ((case.old, case.new), *case.also):
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {case.base}, found {text.count(old)}"
        text = text.replace(old, new)
    return text


def write_case(case: Case, tmp_path: Path) -> Path:
    text = mutate(case)
    # collect_ids=False: a duplicate xml:id (rule id-unique) must not stop the parse.
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(collect_ids=False))
    name = case.filename or f"{root.get(XML_ID)}.xml"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_case(validator, case: Case, tmp_path: Path) -> tuple[str, list[Diagnostic]]:
    path = write_case(case, tmp_path)
    return path.read_text(encoding="utf-8"), validator.validate_file(path, path.name)


@functools.cache
def schematron_roles() -> dict[str, str]:
    return {r.id: r.role for r in schematron.rules(SCH)}


def expected_severity(rule: str) -> str:
    """The rule's role in the .sch; the XSD rules (vocab-*, xsd-*) are errors."""
    return WARNING if schematron_roles().get(rule) == "warning" else ERROR


def show(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics) or "(no diagnostics)"


def case_params():
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case.known_issue, strict=True)] if case.known_issue else []
        yield pytest.param(case, id=case.id, marks=marks)


# ------------------------------------------------------------------ the rules

@pytest.mark.parametrize("case", list(case_params()))
def test_rule_fires_alone_at_the_right_line(validator, case: Case, tmp_path: Path) -> None:
    text, diagnostics = run_case(validator, case, tmp_path)
    shown = show(diagnostics)

    fired = {d.rule for d in diagnostics if d.severity in (ERROR, WARNING)}
    assert fired == {case.rule}, f"expected only [{case.rule}], got:\n{shown}"

    line = line_of(text, case.marker)
    mine = [d for d in diagnostics if d.rule == case.rule]
    at_line = [d for d in mine if d.line == line]
    assert at_line, f"expected [{case.rule}] at line {line}, got:\n{shown}"
    width = len(text.splitlines()[line - 1])
    assert all(1 <= d.col <= width for d in at_line), f"column outside line {line} ({width} chars):\n{shown}"
    severity = expected_severity(case.rule)
    assert all(d.severity == severity for d in mine), f"expected severity {severity}:\n{shown}"


def test_the_cases_are_unique() -> None:
    assert len(CASE_BY_ID) == len(CASES)


# ------------------------------------------------------------------ coverage

def test_every_schematron_rule_has_a_case() -> None:
    ids = set(schematron_roles())
    assert ids, "no rules found in schemas/cmctei.sch"
    missing = ids - {case.rule for case in CASES}
    assert not missing, f"Schematron rules without a case in tests/test_rules.py: {sorted(missing)}"


def test_every_closed_value_list_has_a_case(validator) -> None:
    lists = {"vocab-" + name[: -len("-vocab")] for name in validator.xsd.vocabularies}
    assert lists, "no *-vocab types found in schemas/cmctei.xsd"
    missing = lists - {case.rule for case in CASES}
    assert not missing, f"closed value lists without a case in tests/test_rules.py: {sorted(missing)}"


def test_every_structural_xsd_rule_has_a_case() -> None:
    assert XSD_STRUCTURAL <= {case.rule for case in CASES}


def test_every_rule_is_documented() -> None:
    if not DOCS.exists():
        pytest.skip("docs/encoding.md does not exist yet: cannot check that every rule id is documented")
    docs = DOCS.read_text(encoding="utf-8")
    missing = sorted({case.rule for case in CASES if case.rule not in docs})
    assert not missing, f"rule ids not mentioned in docs/encoding.md: {missing}"


# ------------------------------------------------------------------ messages

def test_vocabulary_message_names_the_value_and_the_list(validator, tmp_path: Path) -> None:
    _, diagnostics = run_case(validator, CASE_BY_ID["vocab-gap-reason"], tmp_path)
    [diagnostic] = [d for d in diagnostics if d.rule == "vocab-gap-reason"]
    allowed = validator.xsd.vocabularies["gap-reason-vocab"]
    assert sorted(allowed) == ["classified", "inaudible", "not-transcribed", "sanitized"]
    assert "whited-out" in diagnostic.message
    for value in allowed:
        assert value in diagnostic.message, diagnostic.message


def test_footnote_message_states_expected_and_printed_number(validator, tmp_path: Path) -> None:
    _, diagnostics = run_case(validator, CASE_BY_ID["fn-sequence"], tmp_path)
    [diagnostic] = [d for d in diagnostics if d.rule == "fn-sequence"]
    # The second footnote of the document is numbered 1, after a footnote numbered 2.
    assert 'footnote 2 of the document, numbered n="1"' in diagnostic.message, diagnostic.message
    assert 'numbered n="2"' in diagnostic.message, diagnostic.message
    _, diagnostics = run_case(validator, CASE_BY_ID["fn-missing"], tmp_path)
    [diagnostic] = [d for d in diagnostics if d.rule == "fn-missing"]
    # The fourth footnote of the document is numbered 9, after 3: 4 to 8 are missing.
    assert diagnostic.message.startswith("Footnotes 4 to 8 are missing"), diagnostic.message
    assert diagnostic.severity == "warning"


# ------------------------------------------------------------------ valid files

@pytest.mark.parametrize(
    "path",
    [*sorted(VALID.glob("*.xml")), BASES["persons"]],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_valid_files_have_no_diagnostics(validator, path: Path) -> None:
    diagnostics = validator.validate_file(path, path.name)
    assert diagnostics == [], show(diagnostics)
