"""tei_all's grammar with its attributes merged (validate/attributes.py) is the same language.

A master is validated first with the grammar pruned to the profile in the shape libxml2
validates about twice as fast (``TeiAllValidator.quick``); only a master it refuses is asked
again with the plain pruned grammar (``pruned``), whose verdict and messages
tests/test_conformance.py compares with the full tei_all's. So what must hold here:

- the two answer alike on masters, fixtures and thousands of variants of them made to try
  the attributes (every attribute name the grammar knows, with good and bad values, on
  elements that may and may not have it; attributes removed; attributes of no namespace and
  of others that no TEI element has);
- the rewrite leaves alone what its argument does not cover, and merges what it does
  (crafted grammars, each checked on documents against the grammar as written);
- the merged shape is what the profile's grammar gets (the speed comes from it);
- a run compiles the quick form only once it pays off (QUICK_AFTER masters), from the kept
  text, and then asks it first.
"""

from __future__ import annotations

import itertools
import re

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT
from cmctei import xmlio
from cmctei.validate import attributes
from cmctei.validate.pruning import RNG_NS
from cmctei.validate.teiall import TeiAllValidator

R = "{%s}" % RNG_NS
MASTERS = sorted(p for p in (ROOT / "tei").glob("*.xml") if p.name != "persons.xml")
VALID = sorted((FIXTURES / "valid").glob("*.xml"))
VALUES = ["", "x", "a b", "#p1", "persons.xml#jfk", "1962-10-27", "1962-13-45", "12", "-1", "0.5",
          "en", "en-US", "not a lang!", "true", "preserve", "unit", "https://example.org/x", "\u00a0"]


def _grammar_attribute_names(grammar: etree._ElementTree) -> list[str]:
    return sorted({a.get("name") for a in grammar.iter(R + "attribute") if a.get("name")})


def _variants(text: str, names: list[str], step: int) -> list[etree._ElementTree]:
    """Copies of the document, each with one attribute added, changed or removed."""
    root = etree.fromstring(text.encode("utf-8"), xmlio.safe_parser())
    count = sum(1 for e in root.iter() if isinstance(e.tag, str))
    out = []
    choices = itertools.cycle(VALUES)
    name_cycle = itertools.cycle(names + ["bogus", "{http://www.w3.org/1999/xlink}href", "{http://example.org/x}y"])
    for i in range(0, count, step):
        for how in ("set", "set", "set", "drop"):
            copy = etree.fromstring(text.encode("utf-8"), xmlio.safe_parser())
            target = [e for e in copy.iter() if isinstance(e.tag, str)][i]
            if how == "drop":
                if not target.attrib:
                    continue
                del target.attrib[sorted(target.attrib)[i % len(target.attrib)]]
            else:
                name = next(name_cycle)
                name = "{http://www.w3.org/XML/1998/namespace}" + name[4:] if name.startswith("xml:") else name
                target.set(name, next(choices))
            out.append(etree.ElementTree(copy))
    return out


@pytest.fixture(scope="module")
def validator() -> TeiAllValidator:
    return TeiAllValidator()


def test_quick_and_plain_profile_grammars_agree_on_attribute_variants(validator):
    assert validator.quick is not validator.pruned
    names = _grammar_attribute_names(etree.ElementTree(validator._pruned_tree))
    assert {"xml:id", "when", "type", "rend", "ref", "n", "xml:lang"} <= set(names), names
    compared = refused = 0
    for path in MASTERS + VALID:
        text = re.sub(r"^<\?xml[^>]*\?>", "", path.read_text(encoding="utf-8").lstrip())
        for tree in [etree.ElementTree(etree.fromstring(text.encode("utf-8"), xmlio.safe_parser()))] + \
                _variants(text, names, step=3):
            verdict = validator.pruned.validate(tree)
            assert validator.quick.validate(tree) == verdict, etree.tostring(tree, encoding="unicode")[:3000]
            compared += 1
            refused += not verdict
    assert compared > 2000 and 0.2 * compared < refused < 0.9 * compared, (compared, refused)


def _rng(body: str, defines: str = "", extra_ns: str = "") -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(
        f'<grammar xmlns="{RNG_NS}" xmlns:x="http://example.org/x" {extra_ns} '
        f'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">'
        f'<start><ref name="doc"/></start><define name="doc">{body}</define>{defines}</grammar>'))


ATTS = ('<define name="att.a"><optional><attribute name="a"><data type="token"/></attribute></optional>'
        '<optional><attribute name="b"><data type="token"/></attribute></optional></define>')

CRAFTED = {
    # same value pattern: merged into one attribute of two names
    "merged": (_rng('<element name="doc"><ref name="att.a"/><optional><attribute name="c"><data type="integer"/>'
                    '</attribute></optional><empty/></element>', ATTS),
               ['<doc/>', '<doc a="1" b="2" c="3"/>', '<doc c="x"/>', '<doc d="1"/>', '<doc a="" b="x y"/>',
                '<doc x:a="1" xmlns:x="http://example.org/x"/>', '<doc a="1"><doc/></doc>']),
    # a required attribute beside them: it stays where it is
    "required": (_rng('<element name="doc"><ref name="att.a"/><attribute name="c"><value>on</value></attribute>'
                      '<empty/></element>', ATTS),
                 ['<doc c="on"/>', '<doc/>', '<doc a="1" c="on"/>', '<doc a="1" c="off"/>']),
    # a choice of attributes beside them: stays as it is, they are merged
    "choice": (_rng('<element name="doc"><ref name="att.a"/><optional><attribute name="z"><data type="token"/>'
                    '</attribute></optional><choice><attribute name="q"><value>1</value></attribute>'
                    '<attribute name="r"><value>2</value></attribute></choice><empty/></element>', ATTS),
               ['<doc q="1"/>', '<doc r="2" a="x"/>', '<doc q="1" r="2"/>', '<doc/>', '<doc q="2"/>']),
    # attributes named by a name class: the element is left alone
    "open": (_rng('<element name="doc"><ref name="att.a"/><zeroOrMore><attribute><nsName ns="http://example.org/x"/>'
                  '</attribute></zeroOrMore><empty/></element>', ATTS),
             ['<doc/>', '<doc a="1" x:q="2" xmlns:x="http://example.org/x"/>', '<doc q="2"/>']),
    # a prefixed name, values that differ only in the text of <value>, an ID
    "prefixed": (_rng('<element name="doc"><optional><attribute name="x:a"><value>a b</value></attribute></optional>'
                      '<optional><attribute name="v"><value>ab</value></attribute></optional>'
                      '<optional><attribute name="xml:id"><data type="ID"/></attribute></optional>'
                      '<optional><attribute name="key"><data type="ID"/></attribute></optional>'
                      '<optional><attribute name="w"><value>a b</value></attribute></optional>'
                      '<zeroOrMore><ref name="doc"/></zeroOrMore></element>'),
                 ['<doc/>', '<doc xmlns:x="http://example.org/x" x:a="a b" w="a b" v="ab"/>', '<doc v="a b"/>',
                  '<doc x:a="ab" xmlns:x="http://example.org/x"/>', '<doc a="a b"/>', '<doc w="ab"/>',
                  '<doc xml:id="d1"><doc xml:id="d2"/></doc>', '<doc key="k1"><doc key="k2" xml:id="d1"/></doc>']),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_the_rewrite_keeps_the_language_of_crafted_grammars(case):
    grammar, documents = CRAFTED[case]
    written, rewritten = etree.RelaxNG(grammar), etree.RelaxNG(attributes.rewrite(grammar))
    verdicts = []
    for document in documents:
        tree = etree.ElementTree(etree.fromstring(document))
        verdicts.append(written.validate(tree))
        assert rewritten.validate(tree) == verdicts[-1], (case, document)
    assert True in verdicts and False in verdicts, (case, verdicts)


def test_the_rewrite_merges_what_it_covers_and_leaves_the_rest():
    merged = attributes.rewrite(CRAFTED["merged"][0]).getroot()
    (element,) = merged.iter(R + "element")
    assert [c.tag for c in element.iterchildren(R + "*")] == [R + "empty", R + "zeroOrMore"]
    names = sorted(n.text for n in element.iter(R + "name"))
    assert names == ["a", "b"]  # a and b share a value pattern; c keeps its own
    assert element.find(f"{R}zeroOrMore/{R}choice/{R}attribute[@name='c']") is not None
    required = attributes.rewrite(CRAFTED["required"][0]).getroot()
    assert required.find(f".//{R}element/{R}attribute[@name='c']") is not None  # still required, in place
    choice = attributes.rewrite(CRAFTED["choice"][0]).getroot()
    assert choice.find(f".//{R}element/{R}choice/{R}attribute[@name='q']") is not None
    one = choice.find(f".//{R}element/{R}zeroOrMore/{R}attribute")  # a, b and z: one value pattern
    assert one is not None and sorted(n.text for n in one.iter(R + "name")) == ["a", "b", "z"]
    left = attributes.rewrite(CRAFTED["open"][0]).getroot()
    assert etree.tostring(left) == etree.tostring(CRAFTED["open"][0].getroot())
    prefixed = attributes.rewrite(CRAFTED["prefixed"][0]).getroot()
    kept_alone = prefixed.find(f".//{R}attribute[@name='id']")
    assert kept_alone is not None and kept_alone.get("ns") == "http://www.w3.org/XML/1998/namespace"
    assert prefixed.find(f".//{R}attribute[@name='key']") is not None  # IDs are not merged
    assert sorted(n.text for n in prefixed.iter(R + "name")) == ["a", "w"]  # "a b" twice; "ab" apart


def test_the_profile_grammar_gets_the_merged_shape(validator):
    """No element pattern of the quick grammar keeps an optional attribute of its own."""
    quick = attributes.rewrite(etree.ElementTree(validator._pruned_tree)).getroot()
    plain = validator._pruned_tree
    def optional_attributes(root):  # (written in element patterns themselves)
        return sum(1 for o in root.iter(R + "optional") if [c.tag for c in o.iterchildren(R + "*")] == [R + "attribute"]
                   and next(o.iterancestors(R + "element", R + "define")).tag == R + "element")
    attribute_refs = sum(1 for r in plain.iter(R + "ref") if ".attribute" in r.get("name")
                         and r.getparent().tag == R + "element")
    assert optional_attributes(plain) + attribute_refs > 100
    assert optional_attributes(quick) == 0
    repeats = [z for z in quick.iter(R + "zeroOrMore") if z.getparent().tag == R + "element"]
    assert len(repeats) >= 0.9 * len(list(quick.iter(R + "element")))


def test_the_quick_form_is_compiled_when_it_pays_off_and_asked_first(tmp_path):
    """The one master of an incremental ``make`` is asked with the plain pruned grammar alone
    (the quick form takes about 10 ms more to compile than it saves on a master); from the
    QUICK_AFTER-th master of a run on, the quick form is compiled once, from the kept text,
    and asked first; a master it refuses is explained by the plain grammar."""
    cache = tmp_path / "cache"
    made = TeiAllValidator(cache=cache)
    assert made._quick is None and list(cache.glob("tei_all-quick-*.rng")) == []
    made.quick  # made from the pruned grammar's text, and kept
    assert len(list(cache.glob("tei_all-quick-*.rng"))) == len(list(cache.glob("tei_all-profile-*.rng"))) == 1

    fresh = TeiAllValidator(cache=cache)
    asked: list[str] = []
    fresh.pruned = _Counting(fresh.pruned, "pruned", asked)
    loaded = [xmlio.load(path)[0] for path in MASTERS + VALID]
    runs = [loaded[i % len(loaded)] for i in range(TeiAllValidator.QUICK_AFTER + 8)]
    assert all(fresh.check(doc) == [] for doc in runs[:TeiAllValidator.QUICK_AFTER])
    assert fresh._quick is None and len(asked) == TeiAllValidator.QUICK_AFTER
    assert all(fresh.check(doc) == [] for doc in runs[TeiAllValidator.QUICK_AFTER:])
    assert fresh._quick is not None and len(asked) == TeiAllValidator.QUICK_AFTER  # the quick form alone
    assert fresh._grammar is None  # tei_all itself never read: both forms came from the cache
    broken, _ = xmlio.load(MASTERS[0])
    broken.root.set("bogus", "1")
    assert [p.rule for p in fresh.check(broken)] == ["tei-all"]


class _Counting:
    """A compiled grammar that notes its name each time it is asked."""

    def __init__(self, grammar, name, asked):
        self.grammar, self.name, self.asked = grammar, name, asked

    def validate(self, tree):
        self.asked.append(self.name)
        return self.grammar.validate(tree)

    def __getattr__(self, attribute):
        return getattr(self.grammar, attribute)
