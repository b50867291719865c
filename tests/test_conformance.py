"""TEI P5 conformance and schema portability.

Every file cmctei accepts must also be valid TEI P5 (tei_all): the profile
is a strict subset of TEI. These tests hold the masters in tei/ and every
valid fixture to that, and check that the profile schema compiles in both
XSD engines (xmlschema and libxml2) so a faster engine can be swapped in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REGISTER, ROOT, shared_copy
from cmctei import xmlio

TEI_FILES = sorted((ROOT / "tei").rglob("*.xml"))
VALID_FIXTURES = sorted((FIXTURES / "valid").glob("*.xml"))


def _load(path: Path) -> xmlio.LoadedXML:
    loaded, problems = xmlio.load(path)
    assert loaded is not None, problems
    return loaded


@pytest.mark.parametrize("path", TEI_FILES + VALID_FIXTURES, ids=lambda p: p.name)
def test_valid_files_are_tei_all_valid(path, tei_all):
    assert tei_all.check(_load(path)) == []


@pytest.mark.parametrize("path", TEI_FILES + VALID_FIXTURES, ids=lambda p: p.name)
def test_valid_files_pass_profile(path, validator):
    assert validator.validate_file(path) == []


def test_tei_all_catches_what_it_should(tmp_path, tei_all):
    """The conformance check can fail: an element TEI does not know."""
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    path = tmp_path / "minimal.xml"
    path.write_text(text.replace("<p>We met", "<p><redaction/>We met"), encoding="utf-8")
    problems = tei_all.check(_load(path))
    assert problems and all(p.rule == "tei-all" for p in problems)
    assert problems[0].line == text[: text.index("<p>We met")].count("\n") + 1


def test_shared_profile_sample_adapted_passes_everything(tmp_path, validator, tei_all):
    """../shared/design/profile-sample.xml, as given, with the register of this project."""
    sample = shared_copy("design", "profile-sample.xml")
    path = tmp_path / "sample.xml"  # file name = TEI/@xml:id
    path.write_bytes(sample.read_bytes())
    assert validator.validate_file(path) == []
    assert tei_all.check(_load(path)) == []
    # The committed fixture is the same document (plus its xml-model instructions).
    committed = (FIXTURES / "valid" / "sample.xml").read_text(encoding="utf-8")
    assert sample.read_text(encoding="utf-8").strip() in committed


def test_sample_pointers_resolve_in_register():
    ids = set(etree.parse(str(REGISTER)).xpath("//@xml:id"))
    sample = etree.parse(str(FIXTURES / "valid" / "sample.xml"))
    refs = {v.split("#", 1)[1] for v in sample.xpath("//@ref | //@sameAs") if v.startswith("persons.xml#")}
    assert refs and refs <= ids


def test_xsd_compiles_in_libxml2_and_agrees():
    schema = etree.XMLSchema(etree.parse(str(ROOT / "schemas" / "cmctei.xsd")))
    for path in TEI_FILES + VALID_FIXTURES:
        assert schema.validate(_load(path).tree), (path, schema.error_log)
    bad = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8").replace('reason="sanitized"', 'reason="x"')
    assert not schema.validate(etree.ElementTree(etree.fromstring(bad.encode(), xmlio.safe_parser())))


XML_MODEL = re.compile(r'<\?xml-model href="([^"]+)" type="application/xml" schematypens="([^"]+)"\?>')


@pytest.mark.parametrize("path", TEI_FILES + VALID_FIXTURES, ids=lambda p: p.name)
def test_xml_model_instructions_point_at_the_schemas(path):
    """Editors validate on open: both PIs present and their relative paths resolve."""
    head = path.read_text(encoding="utf-8")[:600]
    models = {ns: (path.parent / href).resolve() for href, ns in XML_MODEL.findall(head)}
    assert models == {
        "http://www.w3.org/2001/XMLSchema": (ROOT / "schemas" / "cmctei.xsd").resolve(),
        "http://purl.oclc.org/dsdl/schematron": (ROOT / "schemas" / "cmctei.sch").resolve(),
    }


# ---------------------------------------------------------------- the pruned tei_all grammar


def _mutations(text: str) -> list[str]:
    """Structural damage tei_all must notice (or accept) the same way in both grammars:
    each element in turn dropped, emptied, or renamed to another profile element."""
    root = etree.fromstring(text.encode("utf-8"), xmlio.safe_parser())
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    out = []
    renames = ["p", "div", "note", "head", "sp", "seg", "date", "fw", "persName", "title", "list"]
    for i in range(1, len(elements), max(1, len(elements) // 40)):
        for how in ("drop", "empty", "rename", "attr"):
            copy = etree.fromstring(text.encode("utf-8"), xmlio.safe_parser())
            target = [e for e in copy.iter() if isinstance(e.tag, str)][i]
            if how == "drop" and target.getparent() is not None:
                target.getparent().remove(target)
            elif how == "empty":
                target[:] = []
                target.text = None
            elif how == "rename":
                target.tag = "{%s}%s" % (xmlio.TEI_NS, renames[i % len(renames)])
            else:
                target.set("when", "not a date")
            out.append(etree.tostring(copy, encoding="unicode"))
    return out


def test_pruned_tei_all_gives_the_same_verdict_as_tei_all(tei_all):
    """The pruned grammar (compiled in milliseconds) answers exactly as the full tei_all
    (5 s) on every document that uses profile elements only: masters, fixtures, the
    rule battery's mutations, and structural damage to each of them."""
    from test_rules import CASES, mutate

    texts = [p.read_text(encoding="utf-8") for p in TEI_FILES + VALID_FIXTURES]
    texts += [mutate(case) for case in CASES]
    texts += [m for t in texts[: len(TEI_FILES) + len(VALID_FIXTURES)] for m in _mutations(t)]
    compared = invalid = 0
    for text in texts:
        body = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
        tree = etree.ElementTree(etree.fromstring(body.encode("utf-8"), xmlio.safe_parser()))
        if tei_all.grammar_for(tree) is tei_all.full:
            continue
        verdict = tei_all.full.validate(tree)
        assert tei_all.pruned.validate(tree) == verdict, etree.tostring(tree, encoding="unicode")[:2000]
        compared += 1
        invalid += not verdict
    assert compared > 500 and invalid > 100, (compared, invalid)


def test_documents_with_other_tei_elements_get_the_full_grammar(tmp_path, tei_all):
    """<emph> is TEI but not in the profile: the pruned grammar would refuse it, tei_all accepts it."""
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    path = tmp_path / "minimal.xml"
    path.write_text(text.replace("<p>We met", "<p><emph>ExComm</emph> We met"), encoding="utf-8")
    loaded = _load(path)
    assert tei_all.grammar_for(loaded.tree) is tei_all.full
    assert not tei_all.pruned.validate(loaded.tree)
    assert tei_all.check(loaded) == []
