"""Customising the stylesheets the TEI Stylesheets way: a stylesheet that xsl:imports cmctei's
and overrides templates or parameters, given to `cmctei publish --stylesheets DIR`; the modules
are read by cmctei itself (import precedence kept, included modules' namespaces kept), only
from the stylesheet folders, and Saxon still reads no file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from conftest import ROOT
from cmctei import saxon
from cmctei.diagnostics import StylesheetError

CUSTOM = ROOT / "tests" / "custom"
MASTERS = [ROOT / "tei" / "rfk-memo-to-rusk.xml", ROOT / "tei" / "excomm-24-1962-11-12.xml"]


def run(path: Path, xml: str = "<r><a/><b/><c/></r>", folders=None) -> str:
    executable = saxon.compile_stylesheet(path, folders)
    out = executable.transform_to_string(xdm_node=saxon.processor().parse_xml(xml_text=xml))
    return re.sub(r"^<\?xml[^>]*\?>", "", out)


def write(folder: Path, name: str, body: str, ns: str = "") -> Path:
    path = folder / name
    path.write_text(f'<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {ns}>'
                    f"{body}</xsl:stylesheet>", encoding="utf-8")
    return path


def test_the_customising_stylesheet_publishes_through_the_cli(tmp_path, run_cli):
    out = tmp_path / "build"
    code, stdout, stderr = run_cli("publish", "--stylesheets", CUSTOM, "--out", out, *MASTERS)
    assert code == 0, stderr
    memo = html.parse(str(out / "html" / "rfk-memo-to-rusk.html")).getroot()
    assert memo.xpath("string(//footer)").strip() == "Our Archive, Reading Room 2. Published with cmctei."
    assert memo.xpath("//header//a[.='Our Archive: the collection']")  # the parameter, overridden
    excomm = html.parse(str(out / "html" / "excomm-24-1962-11-12.html")).getroot()
    # every name of the register in its text (the speakers of the meeting, the signature) is wrapped,
    # with the base's link to the person index kept inside
    names = excomm.xpath("//span[@class='our-person']")
    assert names and all(n.xpath("a[@class='person'][starts-with(@href, 'persons.html#')]") for n in names)
    assert "Bromley Smith" in [n.xpath("string(a[@class='person'][@href='persons.html#smith'])") for n in names]
    assert memo.xpath("//section[@class='cite']//i")  # every cmctei feature kept: "Cite this document"
    assert memo.xpath("//ol[@class='notes']") and memo.xpath("//nav[@class='downloads']")
    assert (out / "text" / "rfk-memo-to-rusk.txt").is_file()  # text.xsl: cmctei's own, not customised


def test_xslt_readme_shows_the_tested_example():
    readme = (ROOT / "xslt" / "README.md").read_text(encoding="utf-8")
    example = (CUSTOM / "html.xsl").read_text(encoding="utf-8")
    assert example.strip() in readme
    assert "cmctei publish --stylesheets" in readme


def test_import_precedence(tmp_path):
    write(tmp_path, "base.xsl", """
      <xsl:param name="p" select="'base'"/>
      <xsl:template match="/"><out><xsl:apply-templates/>|<xsl:call-template name="foot"/>|<xsl:value-of select="$p"/></out></xsl:template>
      <xsl:template match="a">[base-a]</xsl:template>
      <xsl:template match="b" priority="5">[base-b]</xsl:template>
      <xsl:template match="c | *:c">[base-c]</xsl:template>
      <xsl:template name="foot">base-foot</xsl:template>""")
    custom = write(tmp_path, "custom.xsl", """
      <xsl:import href="base.xsl"/>
      <xsl:param name="p" select="'custom'"/>
      <xsl:template match="r"><xsl:apply-templates/></xsl:template>
      <xsl:template match="*">[any:<xsl:next-match/>]</xsl:template>
      <xsl:template match="b">[custom-b <xsl:apply-imports/>]</xsl:template>
      <xsl:template name="foot">custom-foot</xsl:template>""")
    # the importer wins whatever the priorities (base's b has priority 5, custom's * -0.5);
    # next-match and apply-imports go on to the imported rules
    assert run(custom) == "<out>[any:[base-a]][custom-b [any:[base-b]]][any:[base-c]]|custom-foot|custom</out>"
    later = write(tmp_path, "two.xsl", """
      <xsl:import href="base.xsl"/><xsl:import href="over.xsl"/>""")
    write(tmp_path, "over.xsl", """<xsl:template match="a">[over-a]</xsl:template>""")
    assert run(later) == "<out>[over-a][base-b][base-c]|base-foot|base</out>"  # a later import wins


def test_included_modules_keep_their_namespaces(tmp_path):
    """XTSE0280 on an included module's prefix, which plain saxonche compiles."""
    write(tmp_path, "mod.xsl", """<xsl:function name="my:f" as="xs:string"><xsl:sequence select="'from mod'"/></xsl:function>
      <xsl:template name="g"><xsl:value-of select="my:f()"/></xsl:template>""",
          ns='xmlns:my="urn:my" xmlns:xs="http://www.w3.org/2001/XMLSchema"')
    write(tmp_path, "imported.xsl", """<xsl:include href="mod.xsl"/>""")
    main = write(tmp_path, "main.xsl", """<xsl:import href="imported.xsl"/>
      <xsl:template match="/"><out><xsl:call-template name="g"/></out></xsl:template>""")
    assert run(main) == "<out>from mod</out>"


def test_modules_come_from_the_stylesheet_folders_only(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write(outside, "secret.xsl", "")
    folder = tmp_path / "custom"
    folder.mkdir()
    for href in ("../elsewhere/secret.xsl", (outside / "secret.xsl").as_uri(), "http://example.org/x.xsl"):
        sheet = write(folder, "html.xsl", f'\n<xsl:import href="{href}"/>')
        with pytest.raises(StylesheetError) as caught:
            saxon.compile_stylesheet(sheet, [folder])
        assert caught.value.diagnostic.line == 2 and caught.value.diagnostic.path.endswith("html.xsl"), href


def test_a_customisation_that_does_not_compile_is_located_in_its_own_file(tmp_path, run_cli):
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "html.xsl").write_text((CUSTOM / "html.xsl").read_text(encoding="utf-8").replace(
        '<xsl:next-match/>', '<xsl:value-of select="no-such-function()"/>'), encoding="utf-8")
    code, _, stderr = run_cli("publish", "--stylesheets", folder, "--out", tmp_path / "build", MASTERS[0])
    assert code == 2
    line = next(i for i, text in enumerate((folder / "html.xsl").read_text().splitlines(), 1) if "no-such-function" in text)
    assert re.search(rf"custom/html\.xsl:{line}:0: error: \[xslt-static\]", stderr), stderr


def test_a_customisation_still_reads_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MUST-NOT-LEAK", encoding="utf-8")
    folder = tmp_path / "custom"
    folder.mkdir()
    sheet = write(folder, "html.xsl", f"""<xsl:import href="cmctei:html.xsl"/>
      <xsl:template name="footer"><footer><xsl:value-of select="unparsed-text('{secret.as_uri()}')"/></footer></xsl:template>""")
    executable = saxon.compile_stylesheet(sheet, [folder])
    node = saxon.processor().parse_xml(xml_text=(ROOT / "tei" / "rfk-memo-to-rusk.xml").read_text(encoding="utf-8"))
    with pytest.raises(Exception) as caught:
        executable.transform_to_string(xdm_node=node)
    assert "MUST-NOT-LEAK" not in str(caught.value)
