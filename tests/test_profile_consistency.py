"""The schema and the rules say the same thing where they overlap, and the
holes found while building the rule battery stay closed."""

from __future__ import annotations

import re

from lxml import etree

from conftest import FIXTURES, ROOT

MINIMAL = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def sch_list(name: str) -> list[str]:
    root = etree.parse(str(ROOT / "schemas" / "cmctei.sch")).getroot()
    value = next(let.get("value") for let in root.iter(SCH + "let") if let.get("name") == name)
    return re.findall(r"'([^']+)'", value)


def test_category_lists_agree(validator):
    xsd_targets = validator.xsd.vocabularies["catref-target-vocab"]
    assert xsd_targets == ["#" + c for c in sch_list("genres") + sch_list("classifications")]


def rules_for(validator, tmp_path, text: str) -> set[str]:
    path = tmp_path / "minimal.xml"
    path.write_text(text, encoding="utf-8")
    return {d.rule for d in validator.validate_file(path)}


def test_values_with_stray_spaces_cannot_slip_past_the_rules(validator, tmp_path):
    text = MINIMAL.replace('<gap reason="classified" quantity="12" unit="s" dur="PT12S">',
                           '<gap reason=" classified">')
    assert "vocab-gap-reason" in rules_for(validator, tmp_path, text)


def test_nested_categories_are_refused(validator, tmp_path):
    text = MINIMAL.replace('<category xml:id="secret"><catDesc>SECRET</catDesc></category>',
                           '<category xml:id="secret"><catDesc>SECRET</catDesc>'
                           '<category xml:id="telegram"><catDesc>Telegram</catDesc></category></category>')
    text = text.replace('<catRef scheme="#classification" target="#secret"/>',
                        '<catRef scheme="#classification" target="#telegram"/>')
    found = rules_for(validator, tmp_path, text)
    assert "xsd-element" in found and "catref-declared" in found


def test_non_tei_root_reports_once(validator, tmp_path):
    text = MINIMAL.replace('<TEI xmlns="http://www.tei-c.org/ns/1.0"', "<TEI").replace("</TEI>", "</TEI>")
    path = tmp_path / "minimal.xml"
    path.write_text(text, encoding="utf-8")
    found = validator.validate_file(path)
    assert [d.rule for d in found] == ["xsd-root"]
    assert "without a namespace" in found[0].message
