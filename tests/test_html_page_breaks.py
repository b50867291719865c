"""The space around a page break's label on the page (html.xsl, template ``tei:pb``).

The label gets a space before it when the text before ends in a character that is not XML
whitespace, and after it unless the text after starts with XML whitespace; never inside a
word (``break="no"``). These were ``matches(…, '\\S$')`` and ``matches(…, '^\\s')``; they are
now string tests (``cm:ends-in-non-space``, ``cm:starts-with-space``: Saxon's regular
expressions cost about 50 microseconds a page break, issue 18), which must decide alike:
XML whitespace is space, tab, newline and carriage return only (a no-break space is not),
a character outside the BMP is one character, and no text at all has no space.
"""

from __future__ import annotations

import pytest
from lxml import html

from conftest import ROOT
from cmctei import saxon

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Breaks</title>'
       '</titleStmt><publicationStmt><p>crafted</p></publicationStmt><sourceDesc><p>crafted</p></sourceDesc>'
       '</fileDesc></teiHeader><text><body>{body}</body></text></TEI>')

# (the paragraph, the text the page shows around the label "p. 2" or "page" as [label])
CASES = [
    ("<p>word<pb n='2'/>next</p>", "word [p. 2] next"),
    ("<p>word <pb n='2'/> next</p>", "word [p. 2] next"),
    ("<p>word<pb n='2' break='no'/>next</p>", "word[p. 2]next"),
    ("<p>word&#9;<pb n='2'/>&#10;next</p>", "word\t[p. 2]\nnext"),
    ("<p>word&#13;<pb n='2'/>&#13;next</p>", "word\r[p. 2]\rnext"),
    ("<p>word&#160;<pb n='2'/>&#160;next</p>", "word\u00a0 [p. 2] \u00a0next"),
    ("<p>\U0001d538<pb n='2'/>\U0001d539</p>", "\U0001d538 [p. 2] \U0001d539"),
    ("<p>word<pb n='2'/><hi>next</hi></p>", "word [p. 2] next"),
    ("<p>word<pb n='2'/></p>", "word [p. 2] "),
]


def shown(tmp_path, body: str) -> str:
    executable = saxon.compile_stylesheet(ROOT / "xslt" / "html.xsl")
    node = saxon.processor().parse_xml(xml_text=TEI.format(body=body))
    page = html.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    text = page.xpath("//section[@id='text']")[0]
    for label in text.xpath(".//span[@class='pb']"):
        label.text = f"[{label.text_content().strip()}]"
        for child in list(label):
            label.remove(child)
    paragraph = text.xpath(".//p")[0]
    return paragraph.text_content()


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_the_space_around_a_page_break(tmp_path, body, expected):
    assert shown(tmp_path, body) == expected


def test_a_page_break_with_no_text_before_it_gets_no_space(tmp_path):
    # the text before the first paragraph is the header's: not counted
    assert shown(tmp_path, "<p><pb n='2'/>next</p>") == "[p. 2] next"
