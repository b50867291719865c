"""libxml2 decides validity, xmlschema explains it: the two must agree."""

from __future__ import annotations

from lxml import etree

from test_rules import CASES, mutate
from cmctei import xmlio


def test_engines_agree_on_every_rule_case(validator, tmp_path):
    checked = 0
    for case in CASES:
        text = mutate(case)
        try:
            tree = etree.ElementTree(etree.fromstring(text.encode("utf-8"), xmlio.safe_parser()))
        except etree.XMLSyntaxError:
            continue
        fast = validator.xsd.fast.validate(tree)
        detailed = not list(validator.xsd.schema.iter_errors(tree))
        assert fast == detailed, (case.id, validator.xsd.fast.error_log)
        checked += 1
    assert checked >= 50
