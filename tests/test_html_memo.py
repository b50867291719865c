"""What the page's stylesheets remember, and what they may not (issue 18).

The functions of the whole document that a page asks several times (the date, the title,
the categories, the document div…) are declared ``cache="yes"`` (header.xsl, common.xsl,
html.xsl, site.xsl). cmctei compiles each stylesheet once and transforms every document
with it, so a memo kept by the compiled stylesheet instead of by the transformation would
give one document the date or title of another. SaxonC-HE keeps it per transformation;
these tests hold it to that: documents transformed in a row by one compiled stylesheet get
exactly what a stylesheet compiled for each of them alone gives.

And ``cm:in-link`` (html.xsl) now asks an ancestor's attributes before asking whether it is
a link: whatever stands inside a link (a footnote marker, a name of the register) must
still not become a link itself, at any depth, and must when it is not inside one.
"""

from __future__ import annotations

import pytest
from lxml import html

from conftest import ROOT
from cmctei import saxon

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{lang}"><teiHeader><fileDesc><titleStmt>
<title type="main">{title}</title></titleStmt><publicationStmt><p>crafted</p></publicationStmt>
<sourceDesc><p>crafted</p></sourceDesc></fileDesc>
<profileDesc><creation><date when="{date}"/></creation>
<textClass><catRef scheme="#genre" target="#{genre}"/><catRef scheme="#classification" target="#{level}"/></textClass>
</profileDesc></teiHeader>
<text><body>{body}</body></text></TEI>"""

DOCUMENTS = [
    dict(lang="en", title="Memorandum of the first day", date="1962-10-16", genre="memorandum", level="secret",
         body="<div type='document'><head>First</head><p>One <persName ref='persons.xml#jfk'>Kennedy</persName>.</p></div>"),
    dict(lang="ru", title="Telegram of the last day", date="1962-10-28", genre="telegram", level="top-secret",
         body="<p>Two<note n='1'>A note.</note></p>"),
    dict(lang="en", title="Undated transcript", date="", genre="transcript", level="unclassified",
         body="<div type='document'><head>Third</head><p>Three.</p></div><div type='document'><head>Fourth</head><p>Four.</p></div>"),
]


def _node(document: dict):
    return saxon.processor().parse_xml(xml_text=TEI.format(**document))


@pytest.mark.parametrize("sheet", ["html", "text", "cite", "dc"])
def test_one_compiled_stylesheet_gives_each_document_its_own_facts(sheet):
    path = ROOT / "xslt" / f"{sheet}.xsl"
    alone = [saxon.compile_stylesheet(path).transform_to_string(xdm_node=_node(d)) for d in DOCUMENTS]
    shared = saxon.compile_stylesheet(path)
    in_a_row = [shared.transform_to_string(xdm_node=_node(d)) for d in DOCUMENTS + DOCUMENTS[::-1]]
    assert in_a_row == alone + alone[::-1]
    # and the facts are there to be told apart (a test that compared empty pages would pass)
    if sheet in ("html", "text"):
        for document, output in zip(DOCUMENTS, alone):
            assert document["title"] in output or sheet == "html" and "First" in output
            if document["date"]:
                assert document["date"][:4] in output


# ---------------------------------------------------------------- links inside links

LINK_TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Links</title>'
            '</titleStmt><publicationStmt><p>crafted</p></publicationStmt><sourceDesc><p>crafted</p></sourceDesc>'
            '</fileDesc></teiHeader><text><body>{body}<p><term xml:id="t1">defined</term></p></body></text></TEI>')

# (a paragraph, the elements of the page's text inside links: noteref markers, register names
#  and local pointers shown as a span or sup, never as a link in a link)
CASES = [
    # a footnote inside a register name: the marker alone, no link
    ("<p><persName ref='persons.xml#jfk'>Kennedy<note n='1'>A note.</note></persName></p>", "sup.noteref"),
    # a register name inside a web link, two levels down
    ("<p><ref target='https://example.org/'>see <hi rend='italic'><persName ref='persons.xml#jfk'>Kennedy</persName></hi></ref></p>",
     "span.name"),
    # a footnote inside a term pointing at a defined term of the text
    ("<p><term corresp='#t1'>word<note n='2'>A note.</note></term></p>", "sup.noteref"),
    # a register name inside a name that points elsewhere in the text
    ("<p><name target='#t1'>the <persName ref='persons.xml#rfk'>brother</persName></name></p>", "span.name"),
]


def _page(body: str):
    executable = saxon.compile_stylesheet(ROOT / "xslt" / "html.xsl")
    node = saxon.processor().parse_xml(xml_text=LINK_TEI.format(body=body))
    return html.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))


@pytest.mark.parametrize(("body", "inside"), CASES)
def test_nothing_inside_a_link_is_a_link(body, inside):
    page = _page(body)
    text = page.xpath("//section[@id='text']")[0]
    outer = text.xpath(".//a")
    assert outer, "the outer element is a link"
    assert not text.xpath(".//a//a"), "a link inside a link"
    tag, cls = inside.split(".")
    assert text.xpath(f".//a//{tag}[contains(concat(' ', @class, ' '), ' {cls} ')]"), f"{inside} inside the link"


@pytest.mark.parametrize(("body", "linked"), [
    # the same elements outside any link are links
    ("<p><hi rend='italic'>Kennedy<note n='1'>A note.</note></hi></p>", "a.noteref"),
    ("<p><name>the <persName ref='persons.xml#rfk'>brother</persName></name></p>", "a.person"),
    ("<p><hi corresp='nothing-local'><persName ref='persons.xml#rfk'>brother</persName></hi></p>", "a.person"),
])
def test_outside_a_link_they_are_links(body, linked):
    text = _page(body).xpath("//section[@id='text']")[0]
    tag, cls = linked.split(".")
    assert text.xpath(f".//{tag}[contains(concat(' ', @class, ' '), ' {cls} ')]")
    assert not text.xpath(".//a//a")


# ---------------------------------------------------------------- a pointer's first token

PROBE = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:cm="urn:cmctei" xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:import href="{common}"/>
  <xsl:output method="text"/>
  <xsl:template match="/">
    <xsl:for-each select="//tei:p"><xsl:value-of select="'[' || cm:person-id(., string(@ana)) || ']'"/></xsl:for-each>
  </xsl:template>
</xsl:stylesheet>"""

POINTERS = ["persons.xml#jfk", "  persons.xml#jfk  ", "persons.xml#jfk persons.xml#rfk", "\tpersons.xml#rfk\n#x",
            "#local", "#local persons.xml#jfk", "#plain", "", " ", "persons.xml#", "other.xml#jfk persons.xml#rfk",
            "persons.xml#a\u00a0b"]


def _first_token_definition(pointer: str, local_same_as: dict[str, str]) -> str:
    """cm:person-id as it was written: the first token of normalize-space (XML whitespace only)."""
    tokens = [t for t in pointer.replace("\t", " ").replace("\n", " ").replace("\r", " ").split(" ") if t]
    token = tokens[0] if tokens else ""
    if token.startswith("persons.xml#"):
        return token.split("#", 1)[1]
    if token.startswith("#") and local_same_as.get(token[1:], "").startswith("persons.xml#"):
        return local_same_as[token[1:]].split("#", 1)[1]
    return ""


def test_a_pointer_s_first_token_is_found_without_tokenize(tmp_path):
    from xml.sax.saxutils import quoteattr
    probe = tmp_path / "probe.xsl"
    probe.write_text(PROBE.format(common=(ROOT / "xslt" / "common.xsl").as_uri()), encoding="utf-8")
    paragraphs = "".join(f"<p ana={quoteattr(p)}/>" for p in POINTERS)
    document = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                '<person xml:id="local" sameAs="persons.xml#khrushchev"/><person xml:id="plain"/>'
                f'{paragraphs}</body></text></TEI>')
    out = saxon.compile_stylesheet(probe).transform_to_string(xdm_node=saxon.processor().parse_xml(xml_text=document))
    expected = "".join(f"[{_first_token_definition(p, {'local': 'persons.xml#khrushchev', 'plain': ''})}]" for p in POINTERS)
    assert out == expected
    assert "[jfk][jfk][jfk][rfk][khrushchev][khrushchev][][][][][][a\u00a0b]" == expected  # the cases do differ
