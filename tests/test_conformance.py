"""TEI P5 conformance and schema portability.

Every file cmctei accepts must also be valid TEI P5 (tei_all): the profile
is a strict subset of TEI. These tests hold the masters in tei/ and every
valid fixture to that, and check that the profile schema compiles in both
XSD engines (xmlschema and libxml2) so a faster engine can be swapped in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REGISTER, ROOT, shared_copy, shared_path
from cmctei import xmlio
from cmctei.validate.teiall import TeiAllValidator

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
    """Structural damage tei_all must notice (or accept) the same way in both grammars: an
    element dropped, emptied, renamed to another profile element or given a bad @when,
    at 20 places at most, spread over the document (40 places took two and a half times as
    long, and at both the grammars agreed everywhere)."""
    root = etree.fromstring(text.encode("utf-8"), xmlio.safe_parser())
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    out = []
    renames = ["p", "div", "note", "head", "sp", "seg", "date", "fw", "persName", "title", "list"]
    for i in range(1, len(elements), max(1, -(-len(elements) // 20))):  # at most 20 places
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


FOREIGN_FIXTURES = sorted((FIXTURES / "tei-all").glob("*.xml")) + sorted((FIXTURES / "foreign").glob("*.xml"))
FRUS_SAMPLES = sorted((FIXTURES / "shared" / "frus").glob("*.xml"))


def _tree(text: str) -> etree._ElementTree:
    body = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
    return etree.ElementTree(etree.fromstring(body.encode("utf-8"), xmlio.safe_parser()))


def _messages(relaxng: etree.RelaxNG) -> list[tuple[int, str]]:
    return [(entry.line, entry.message) for entry in relaxng.error_log]


@pytest.fixture(scope="module")
def converted_masters(tmp_path_factory) -> list[Path]:
    """The crafted documents (tests/fixtures/crafted) and the development documents kept in
    tests/fixtures/devset, converted afresh: masters the converter writes for documents it
    was not written for."""
    from test_citations import convert
    from test_convert_devset import _convert_all

    work = tmp_path_factory.mktemp("tei-all-masters")
    crafted = work / "crafted"
    crafted.mkdir()
    shutil.copy2(REGISTER, crafted / "persons.xml")
    convert(FIXTURES / "crafted" / "catalog.toml", crafted)
    devset = work / "devset"
    devset.mkdir()
    here = os.getcwd()
    os.chdir(devset)
    try:
        devset_tei, _ = _convert_all(devset)
    finally:
        os.chdir(here)
    found = [p for folder in (crafted, devset_tei) for p in sorted(folder.glob("*.xml")) if p.name != "persons.xml"]
    assert len(found) >= 16 + 12, found
    return found


def test_pruned_tei_all_gives_the_same_verdict_as_tei_all(tei_all, converted_masters):
    """The grammar each master is checked against (tei_all pruned to the profile's elements,
    compiled in milliseconds, and its form with the attributes merged, validate/attributes.py)
    answers exactly as the full tei_all (seconds) on every
    master in tei/, every fixture, the masters converted from the crafted and development
    documents, the rule battery's mutations, and structural damage to each of them."""
    from test_rules import CASES, mutate

    originals = [p.read_text(encoding="utf-8") for p in TEI_FILES + VALID_FIXTURES + converted_masters]
    texts = originals + [mutate(case) for case in CASES]
    texts += [m for t in originals for m in _mutations(t)]
    compared = invalid = profile = 0
    for text in texts:
        tree = _tree(text)
        grammar = tei_all.grammar_for(tree)
        verdict = tei_all.full.validate(tree)
        assert grammar.validate(tree) == verdict, etree.tostring(tree, encoding="unicode")[:2000]
        if grammar is tei_all.pruned:  # and the form of it a master is asked first (attributes merged)
            assert tei_all.quick.validate(tree) == verdict, etree.tostring(tree, encoding="unicode")[:2000]
        compared += 1
        invalid += not verdict
        profile += grammar is tei_all.pruned
        if not verdict:  # and the user is told where, and why
            loaded = xmlio.LoadedXML(Path("mutated.xml"), "mutated.xml", b"", tree)
            found = tei_all.check(loaded)
            assert found and all(p.rule == "tei-all" and "libxml2 gives no reason" not in p.message for p in found)
    assert compared > 1500 and invalid > 300 and profile > 1400, (compared, invalid, profile)


def test_tei_from_elsewhere_gets_tei_alls_verdict_and_messages(tei_all):
    """TEI that is not a cmctei master (FRUS documents, crafted TEI using elements the profile
    does not have) is checked against tei_all pruned to the elements it uses: the same
    verdict as the full grammar on every file and on structural damage to it, and, for a file
    found invalid, tei_all's own messages (each message: line and text)."""
    files = FOREIGN_FIXTURES + FRUS_SAMPLES
    assert len(files) >= 4
    originals = [p.read_text(encoding="utf-8") for p in files]
    texts = originals + [m for t in originals for m in _mutations(t)]
    compared = invalid = same_messages = 0
    for text in texts:
        tree = _tree(text)
        grammar = tei_all.grammar_for(tree)
        verdict = tei_all.full.validate(tree)
        expected = _messages(tei_all.full)
        assert grammar.validate(tree) == verdict, etree.tostring(tree, encoding="unicode")[:2000]
        compared += 1
        if not verdict:
            invalid += 1
            messages = tei_all.messages_grammar(tree)
            messages.validate(tree)
            assert _messages(messages), "an invalid document must be told why"
            same_messages += _messages(messages) == expected
    assert compared > 150 and invalid > 80, (compared, invalid)
    # measured on 1,288 such documents (../shared/foreign and ../shared/frus, mutated): all the same
    assert same_messages >= 0.95 * invalid, (same_messages, invalid)


def test_shared_foreign_tei_gets_tei_alls_verdict_and_messages(tei_all):
    """The same on the foreign TEI of ../shared/ (whole FRUS volumes, ParlaMint, TEI
    Stylesheets' test files), as they are: verdict and messages."""
    for path in sorted(shared_path("foreign").glob("*.xml")):
        loaded = _load(path)
        verdict = tei_all.full.validate(loaded.tree)
        expected = _messages(tei_all.full)
        assert tei_all.grammar_for(loaded.tree).validate(loaded.tree) == verdict, path.name
        found = [(p.line, p.message.removeprefix("Not valid TEI P5 (tei_all): ")) for p in tei_all.check(loaded)]
        assert found == expected, path.name


def test_foreign_tei_never_compiles_the_full_grammar(tmp_path):
    """The fast path for TEI from elsewhere: checking it compiles only small grammars (a FRUS
    document, crafted TEI valid and invalid), never the whole tei_all (5 to 12 s)."""
    fresh = TeiAllValidator()
    for path in FOREIGN_FIXTURES + FRUS_SAMPLES:
        fresh.check(_load(path))
    broken = (FIXTURES / "tei-all" / "common-tei.xml").read_text(encoding="utf-8").replace("<item>quarantine</item>", "")
    path = tmp_path / "broken.xml"
    path.write_text(broken.replace("<item>air strike", "<p>air strike").replace("(rejected)</hi></item>", "(rejected)</hi></p>"),
                    encoding="utf-8")
    assert [p.rule for p in fresh.check(_load(path))] == ["tei-all"] * len(fresh.check(_load(path))) != []
    assert fresh._full is None


def test_masters_are_checked_against_the_profile_grammar(tei_all):
    """Every master uses the profile's elements only: one grammar, compiled once per process."""
    for path in TEI_FILES + VALID_FIXTURES:
        assert tei_all.grammar_for(_load(path).tree) is tei_all.pruned, path.name


def test_documents_with_other_tei_elements_get_their_own_grammar(tmp_path, tei_all):
    """<emph> is TEI but not in the profile: the profile's grammar would refuse it, tei_all
    accepts it, and so does the grammar pruned to the document's elements."""
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    path = tmp_path / "minimal.xml"
    path.write_text(text.replace("<p>We met", "<p><emph>ExComm</emph> We met"), encoding="utf-8")
    loaded = _load(path)
    assert tei_all.grammar_for(loaded.tree) is not tei_all.pruned
    assert not tei_all.pruned.validate(loaded.tree)
    assert tei_all.check(loaded) == []



def test_a_valid_master_costs_one_validation_and_no_walk(tei_all, monkeypatch):
    """Issue 18: a master the profile's grammar accepts is valid TEI (that grammar accepts
    nothing tei_all refuses), so its elements are never listed (a walk of the whole tree in
    Python, a sixth of a master's tei_all time)."""
    def never(tree):
        raise AssertionError("the elements of a valid master were listed")

    monkeypatch.setattr(tei_all, "element_names", never)
    for path in TEI_FILES + VALID_FIXTURES:
        assert tei_all.check(_load(path)) == [], path.name


def test_tei_from_elsewhere_goes_straight_to_its_own_grammar(tei_all):
    """TEI from elsewhere would pay a failing validation by the profile's grammar first (half
    the tei_all time of a one-page FRUS document): every such file here shows an element the
    profile lacks near its start (so do ../shared/foreign's, measured), and is sent to its own
    grammar without it."""
    files = FOREIGN_FIXTURES + FRUS_SAMPLES
    others = [path for path in files if not tei_all.element_names(_load(path).tree) <= tei_all.covered]
    assert len(others) >= len(files) - 2 >= 10, others
    assert [path.name for path in others if tei_all.looks_like_a_master(_load(path).tree)] == []
    assert all(tei_all.looks_like_a_master(_load(path).tree) for path in TEI_FILES + VALID_FIXTURES)


def test_a_master_with_other_tei_deep_inside_is_still_tei_alls_to_judge(tmp_path, tei_all):
    """A master-like start, then TEI the profile lacks far into the text: the profile's grammar
    refuses it, and the document's own grammar gives tei_all's verdict (valid with <emph>,
    invalid with <emph> where TEI has none), and its messages."""
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    padding = "<p>We met.</p>" * tei_all.HEAD
    for inserted, valid in (("<p><emph>ExComm</emph> met.</p>", True), ("<emph><p>ExComm met.</p></emph>", False)):
        path = tmp_path / "minimal.xml"
        path.write_text(text.replace("<p>We met", padding + inserted + "<p>We met", 1), encoding="utf-8")
        loaded = _load(path)
        assert tei_all.looks_like_a_master(loaded.tree) and not tei_all.pruned.validate(loaded.tree)
        assert tei_all.full.validate(loaded.tree) == valid
        found = [(p.line, p.message.removeprefix("Not valid TEI P5 (tei_all): ")) for p in tei_all.check(loaded)]
        assert found == ([] if valid else _messages(tei_all.full)), found

def _shapes(root: etree._Element) -> dict[str, int]:
    """Shapes libxml2 mishandles and tei_all never has, counted."""
    rng = "{http://relaxng.org/ns/structure/1.0}"
    repeats = (rng + "optional", rng + "zeroOrMore", rng + "oneOrMore")
    counts = {"notAllowed": 0, "group of one": 0, "repeat of a repeat": 0, "repeat of empty": 0}
    for node in root.iter(rng + "*"):
        patterns = list(node.iterchildren(rng + "*"))
        if node.tag == rng + "notAllowed" and node.getparent().tag != rng + "start":
            counts["notAllowed"] += 1
        elif node.tag == rng + "group" and len(patterns) == 1:
            counts["group of one"] += 1
        elif node.tag in repeats and node.getparent().tag in repeats:
            counts["repeat of a repeat"] += 1
        elif node.tag in repeats and [p.tag for p in patterns] == [rng + "empty"]:
            counts["repeat of empty"] += 1
    return counts


def test_pruned_grammars_keep_the_shapes_libxml2_validates_fast(tei_all):
    """What keeps libxml2's fast path, and keeps it out of its known traps: no notAllowed in a
    content model (libxml2 then validates an element's content by backtracking, ten times
    slower), no group of one pattern (its compiler looped for ever on one), no optional of
    an empty pattern (it then refused valid documents), no repeat directly inside another.
    The full grammar has none of these either."""
    from cmctei.validate import pruning

    grammar = pruning.Grammar(tei_all.grammar, xmlio.TEI_NS)
    zero = {"notAllowed": 0, "group of one": 0, "repeat of a repeat": 0, "repeat of empty": 0}
    assert _shapes(tei_all.grammar.getroot()) == zero
    sets = [tei_all.covered] + [tei_all.element_names(_load(p).tree) for p in FOREIGN_FIXTURES + FRUS_SAMPLES]
    for names in sets:
        assert _shapes(grammar.prune(grammar.completed(names)).getroot()) == zero, sorted(names)


def test_the_grammar_that_looped_compiles(tmp_path):
    """tests/fixtures/tei-all/prefixdef.xml, checked in a process of its own: an early pruning
    made libxml2's compiler loop for ever on its elements (a hang, so not in this process)."""
    script = ("import sys; from pathlib import Path; from cmctei import xmlio; "
              "from cmctei.validate.teiall import TeiAllValidator; "
              "print(TeiAllValidator().check(xmlio.load(Path(sys.argv[1]))[0]))")
    done = subprocess.run([sys.executable, "-c", script, str(FIXTURES / "tei-all" / "prefixdef.xml")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr[-2000:]

