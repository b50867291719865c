"""What the page's stylesheets remember, and what they may not (issue 18).

The functions of the whole document that a page asks several times (the date, the title,
the categories, the document div…) are declared ``cache="yes"`` (header.xsl, common.xsl,
html.xsl, site.xsl). cmctei compiles each stylesheet once and transforms every document
with it, so a memo kept by the compiled stylesheet instead of by the transformation would
give one document the date or title of another. SaxonC-HE keeps it per transformation;
these tests hold it to that: documents transformed in a row by one compiled stylesheet get
exactly what a stylesheet compiled for each of them alone gives.

cmctei also keeps each compiled stylesheet for the rest of the process (saxon.compile_stylesheet:
a test process, or one that publishes twice, compiled the same text again for each run): it
must be handed out as a fresh one would be, and compiled anew for other text or other files.

And ``cm:in-link`` (html.xsl) now asks an ancestor's attributes before asking whether it is
a link: whatever stands inside a link (a footnote marker, a name of the register) must
still not become a link itself, at any depth, and must when it is not inside one.
"""

from __future__ import annotations

import shutil

import pytest
from lxml import html

from conftest import ROOT
from cmctei import saxon
from cmctei.stylesheets import Flattener

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


def _compiled_afresh(path):
    """A stylesheet compiled now, not the one saxon.compile_stylesheet keeps for the process."""
    text, _ = Flattener(path).flatten()
    return saxon.processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)


@pytest.mark.parametrize("sheet", ["html", "text", "cite", "dc"])
def test_one_compiled_stylesheet_gives_each_document_its_own_facts(sheet):
    path = ROOT / "xslt" / f"{sheet}.xsl"
    alone = [_compiled_afresh(path).transform_to_string(xdm_node=_node(d)) for d in DOCUMENTS]
    shared = _compiled_afresh(path)
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


# ---------------------------------------------------------------- one compile per process


def test_a_stylesheet_is_compiled_once_a_process_and_handed_out_clean():
    path = ROOT / "xslt" / "html.xsl"
    first = saxon.compile_stylesheet(path)
    assert saxon.compile_stylesheet(path) is first
    node = _node(DOCUMENTS[0])
    plain = _compiled_afresh(path).transform_to_string(xdm_node=node)
    proc = saxon.processor()
    first.set_parameter("site-title", proc.make_string_value("A TITLE SET BY AN EARLIER RUN"))
    assert "A TITLE SET BY AN EARLIER RUN" in first.transform_to_string(xdm_node=node)
    again = saxon.compile_stylesheet(path)
    assert again.transform_to_string(xdm_node=node) == plain  # the parameter is gone
    assert "A TITLE SET BY AN EARLIER RUN" not in plain


def test_other_text_or_other_files_are_compiled_anew(tmp_path):
    """The same text read from another folder (a copy of xslt/) is its own executable, whose
    run-time errors name the copy; an edited module is compiled again, and its edit shows."""
    kept = saxon.compile_stylesheet(ROOT / "xslt" / "text.xsl")
    copy = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", copy)
    copied = saxon.compile_stylesheet(copy / "text.xsl", [copy])
    assert copied is not kept
    assert saxon.compile_stylesheet(copy / "text.xsl", [copy]) is copied
    node = _node(DOCUMENTS[1])
    assert copied.transform_to_string(xdm_node=node) == kept.transform_to_string(xdm_node=node)
    module = copy / "text.xsl"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "</xsl:stylesheet>", '<xsl:template match="/" priority="9">EDITED</xsl:template></xsl:stylesheet>'),
        encoding="utf-8")
    edited = saxon.compile_stylesheet(copy / "text.xsl", [copy])
    assert edited is not copied and edited.transform_to_string(xdm_node=node) == "EDITED"
    # a run-time error (Saxon's words for its place in the text it compiled) is told as a
    # line of the file each executable was read from
    said = "Division by zero at line 40 in file:///inlined-stylesheet.xsl"  # (Saxon names the text it compiled)
    in_copy, in_own = saxon.relocate(copied, said), saxon.relocate(kept, said)
    assert f"({copy}/header.xsl line " in in_copy
    assert "(xslt/header.xsl line " in in_own and str(tmp_path) not in in_own  # (the project's own: shown relative)


def test_publishing_again_in_one_process_gives_what_the_first_run_gave(tmp_path):
    """A run with a base URL between two without: the third run's page and citation are the
    first's, byte for byte (the executables the three share keep nothing of the second's)."""
    from cmctei.publish import Publisher

    master = ROOT / "tei" / "rfk-memo-to-rusk.xml"
    register = ROOT / "tei" / "persons.xml"
    outputs = []
    for n, url in enumerate(["", "https://archives.example.org/cmc/", ""]):
        out = tmp_path / f"run{n}"
        report = Publisher(out, register=register, base_url=url).run([master])
        assert [p for p in report.problems if p.severity == "error"] == []
        outputs.append(((out / "html" / "rfk-memo-to-rusk.html").read_bytes(),
                        (out / "cite" / "rfk-memo-to-rusk.json").read_bytes()))
    assert b"archives.example.org" in outputs[1][0] and b"archives.example.org" in outputs[1][1]
    assert outputs[2] == outputs[0] and b"archives.example.org" not in outputs[0][0]
