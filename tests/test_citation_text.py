"""citation.xsl's ``c:text`` (every string of every citation format) against its definition.

``c:text`` skips its two regular expressions when the text holds none of ``$c:z-but-space``
(issue 18: they were a third of the citation's transform). That is only right if every
separator Saxon's ``\\p{Z}`` knows, but the space, is in that list: checked here over every
character XML allows. And the result must be the definition's, the two regular expressions
always applied, on crafted and random text.
"""

from __future__ import annotations

import random

from conftest import ROOT
from cmctei import saxon

WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:c="urn:cmctei:citation" exclude-result-prefixes="#all">
  <xsl:import href="{cite_xsl}"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="/missing">
        <xsl:variable name="all" select="codepoints-to-string((9, 10, 13, 32 to 55295, 57344 to 65533, 65536 to 1114111))"/>
        <xsl:value-of select="string-to-codepoints(translate(replace($all, '\\P{{Z}}', ''), ' ' || $c:z-but-space, ''))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="/cases/case">
          <xsl:variable name="definition" select="replace(normalize-space(replace(translate(string(.), '&#x85;&#x2028;&#x2029;', '   '),
            '[\\p{{Zs}}-[&#xA0;]]', ' ')), '^\\p{{Z}}+|\\p{{Z}}+$', '')"/>
          <xsl:value-of select="if (c:text(.) eq $definition) then 'same' else 'DIFFERENT: [' || c:text(.) || '] [' || $definition || ']'"/>
          <xsl:text>&#xE000;</xsl:text>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
"""


def run(tmp_path, document: str) -> str:
    (tmp_path / "wrap.xsl").write_text(WRAPPER.format(cite_xsl=(ROOT / "xslt" / "cite.xsl").as_uri()), encoding="utf-8")
    executable = saxon.compile_stylesheet(tmp_path / "wrap.xsl", [tmp_path, ROOT / "xslt"])
    return executable.transform_to_string(xdm_node=saxon.processor().parse_xml(xml_text=document))


def test_every_separator_but_the_space_is_listed(tmp_path):
    assert run(tmp_path, "<missing/>").strip() == ""


SEPARATORS = ["\u00a0", "\u1680", "\u180e", "\u2000", "\u2003", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
              "\u3000", "\u0085", "\u200b", "\ufeff", "\t", "\n", "\r", " "]


def test_c_text_is_its_definition(tmp_path):
    rng = random.Random(18)
    cases = ["", " ", "Robert F. Kennedy", "  Robert \t F.\n Kennedy ", "\u00a0Kennedy\u00a0", "Kennedy\u00a0Jr.",
             "\u2003Memorandum\u2003for\u2003the\u2003Record\u2003", "a\u2028b\u0085c\u2029d", "\u3000", "\u00a0 \u00a0",
             "Khrushchev’s letter — 27 October", "\U0001d538\u00a0\U0001d539"]
    for _ in range(400):
        cases.append("".join(rng.choice(SEPARATORS + ["a", "Z", "é", "—", "\U0001d538"] * 3)
                             for _ in range(rng.randint(0, 12))))

    def escaped(value: str) -> str:
        return "".join(c if c.isascii() and c not in "<&\r\t\n" else f"&#{ord(c)};" for c in value)

    document = "<cases>" + "".join(f"<case>{escaped(case)}</case>" for case in cases) + "</cases>"
    results = run(tmp_path, document).split("\ue000")[:-1]
    assert len(results) == len(cases)
    for case, result in zip(cases, results):
        assert result == "same", (case, result)
