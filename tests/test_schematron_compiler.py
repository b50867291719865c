"""The Schematron-to-XSLT compiler: ISO semantics, strictness, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmctei import xmlio
from cmctei.validate.schematron import SchematronError, SchematronValidator, compile_to_xslt, rules

from conftest import ROOT

HEAD = '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">\n'
DOC = """<r>
  <a n="1"/>
  <a n="2"><b k="x"/></a>
</r>
"""


def schema(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "rules.sch"
    path.write_text(head + body + "\n</sch:schema>\n", encoding="utf-8")
    return path


def run(tmp_path: Path, body: str, doc: str = DOC, params: dict[str, str] | None = None):
    validator = SchematronValidator(schema(tmp_path, body))
    source = tmp_path / "doc.xml"
    source.write_text(doc, encoding="utf-8")
    loaded, problems = xmlio.load(source)
    assert loaded is not None, problems
    return validator.check(loaded, params or {})


def test_first_matching_rule_of_a_pattern_wins(tmp_path):
    found = run(tmp_path, """
      <sch:pattern id="p">
        <sch:rule context="a[@n = '2']"><sch:assert id="first" test="false()">first</sch:assert></sch:rule>
        <sch:rule context="a"><sch:assert id="second" test="false()">second</sch:assert></sch:rule>
      </sch:pattern>""")
    assert [(d.rule, d.line) for d in found] == [("second", 2), ("first", 3)]


def test_patterns_are_independent_and_reports_fire(tmp_path):
    found = run(tmp_path, """
      <sch:pattern id="p1"><sch:rule context="a"><sch:report id="seen-a" role="warning" test="@n = '1'">a <sch:value-of select="@n"/> (<sch:name/>)</sch:report></sch:rule></sch:pattern>
      <sch:pattern id="p2"><sch:rule context="a"><sch:assert id="has-b" test="b">no b in <sch:name/></sch:assert></sch:rule></sch:pattern>""")
    assert [(d.rule, d.severity, d.line, d.message) for d in found] == [
        ("seen-a", "warning", 2, "a 1 (a)"),
        ("has-b", "error", 2, "no b in a"),
    ]


def test_attribute_contexts_are_located_at_the_attribute(tmp_path):
    found = run(tmp_path, """
      <sch:pattern id="p"><sch:rule context="@k"><sch:assert id="k" test=". = 'y'">k is <sch:value-of select="."/></sch:assert></sch:rule></sch:pattern>""")
    line3 = DOC.splitlines()[2]
    assert [(d.rule, d.line, d.col, d.message) for d in found] == [("k", 3, line3.index('k="x"') + 1, "k is x")]


def test_schema_level_lets_are_parameters(tmp_path):
    body = """
      <sch:let name="wanted" value="'none'"/>
      <sch:pattern id="p"><sch:rule context="a"><sch:assert id="w" test="@n = $wanted">n=<sch:value-of select="@n"/> wanted <sch:value-of select="$wanted"/></sch:assert></sch:rule></sch:pattern>"""
    assert [d.message for d in run(tmp_path, body, params={"wanted": "2"})] == ["n=1 wanted 2"]
    assert len(run(tmp_path, body)) == 2


def test_xpath2_functions_work(tmp_path):
    found = run(tmp_path, """
      <sch:ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>
      <sch:pattern id="p"><sch:rule context="a"><sch:assert id="d" test="every $t in tokenize('1962-10-27 x', ' ') satisfies $t castable as xs:date">bad</sch:assert></sch:rule></sch:pattern>""")
    assert [d.rule for d in found] == ["d", "d"]


@pytest.mark.parametrize("body, words", [
    ('<sch:pattern id="p"><sch:rule context="a"><sch:assert test="true()">x</sch:assert></sch:rule></sch:pattern>', "stable id"),
    ('<sch:pattern id="p"><sch:rule context="a"><sch:diagnostics/></sch:rule></sch:pattern>', "unsupported element diagnostics"),
    ('<sch:phase id="x"/>', "unsupported element phase"),
    ('<sch:pattern id="p"><sch:rule><sch:assert id="a" test="true()">x</sch:assert></sch:rule></sch:pattern>', "needs a context"),
])
def test_unsupported_or_incomplete_schemas_are_refused(tmp_path, body, words):
    with pytest.raises(SchematronError, match=words):
        compile_to_xslt(schema(tmp_path, body))


def test_xpath1_binding_is_refused(tmp_path):
    with pytest.raises(SchematronError, match="queryBinding"):
        compile_to_xslt(schema(tmp_path, "", head=HEAD.replace("xslt2", "xslt")))


def test_rules_cannot_read_files(tmp_path):
    """Saxon is configured to read no URI: doc() on a local file fails cleanly."""
    secret = tmp_path / "secret.xml"
    secret.write_text("<s>CLASSIFIED-CONTENT</s>", encoding="utf-8")
    found = run(tmp_path, f"""
      <sch:pattern id="p"><sch:rule context="r"><sch:report id="leak" test="true()"><sch:value-of select="doc('{secret.as_uri()}')"/></sch:report></sch:rule></sch:pattern>""")
    assert [d.rule for d in found] == ["schematron-run"]
    assert "CLASSIFIED-CONTENT" not in found[0].message


def test_project_rules_all_have_ids_roles_and_messages():
    listed = rules(ROOT / "schemas" / "cmctei.sch")
    ids = [r.id for r in listed]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    assert all(r.id and r.role in ("error", "warning") for r in listed)
    assert len(listed) >= 20
