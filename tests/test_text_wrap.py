"""The plain text's line wrapping (text.xsl ``cm:wrap``) against its definition.

``cm:wrap`` runs its regular expression in Java's engine (Saxon's flag ``;j``: Saxon's own
engine took more than half of the plain-text stage, issue 18). The definition it must keep
is the XPath expression it replaced, ``replace(normalize-space($text),
'(.{1,n})(\\s|$)|(\\S+)(\\s|$)', $indent || '$1$3&#10;')``: each line the longest run of whole
words that fits in n characters, a longer word on a line of its own. Here that definition
is written with Python's engine (XPath's ``.``, ``\\s`` and ``$`` spelt out) and compared with
the stylesheet on crafted edges and on random text: characters outside the BMP (one
character each, for both), the separators XPath's ``.`` matches and Java's ``.`` does not
without ``(?s)``, no-break and other spaces that are not XML whitespace, lines of exactly n
characters, words longer than n, an indent.
"""

from __future__ import annotations

import random
import re

import pytest

from conftest import ROOT
from cmctei import saxon

WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:cm="urn:cmctei" exclude-result-prefixes="#all">
  <xsl:import href="{text_xsl}"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:for-each select="/cases/case">
      <xsl:value-of select="cm:wrap(string(.), string(@indent))"/>
      <xsl:text>&#xE000;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
"""

XML_SPACE = " \t\n\r"


def reference(text: str, indent: str, width: int = 72) -> str:
    """What the XPath expression gives: normalize-space, then the regex with XPath's meaning."""
    n = max(width - len(indent), 20)
    clean = " ".join(part for part in re.split(f"[{XML_SPACE}]+", text) if part)
    if not clean:
        return ""
    pattern = re.compile(f"([^\\n\\r]{{1,{n}}})([{XML_SPACE}]|\\Z)|([^{XML_SPACE}]+)([{XML_SPACE}]|\\Z)")
    return pattern.sub(lambda m: indent + (m.group(1) or "") + (m.group(3) or "") + "\n", clean)


def wrapped(tmp_path, cases: list[tuple[str, str]], width: int | None = None) -> list[str]:
    (tmp_path / "wrap.xsl").write_text(WRAPPER.replace("{text_xsl}", (ROOT / "xslt" / "text.xsl").as_uri()),
                                       encoding="utf-8")
    executable = saxon.compile_stylesheet(tmp_path / "wrap.xsl", [tmp_path, ROOT / "xslt"])
    if width is not None:
        executable.set_parameter("width", saxon.processor().make_integer_value(width))

    def escaped(value: str) -> str:
        return "".join(c if c.isascii() and c not in "<&\"\r\t\n" else f"&#{ord(c)};" for c in value)

    document = "<cases>" + "".join(f'<case indent="{escaped(indent)}">{escaped(text)}</case>'
                                   for text, indent in cases) + "</cases>"
    node = saxon.processor().parse_xml(xml_text=document)
    out = executable.transform_to_string(xdm_node=node)
    return out.split("\ue000")[:-1]


CRAFTED = [
    "",
    "   \t\n ",
    "one",
    "x" * 72,
    "x" * 73,
    "x" * 200 + " short " + "y" * 80,
    " ".join(["abc"] * 40),
    ("a" * 71 + " b"),
    ("a" * 72 + " b"),
    ("a" * 70 + " bb cc"),
    "\U0001d538" * 72 + " next",           # 72 characters outside the BMP: 144 UTF-16 units
    "\U0001d538" * 71 + " \U0001d539\U0001d539",
    "line\u2028separator and next\u0085line " * 12,
    "no-break\u00a0spaces\u00a0are\u00a0not\u00a0XML\u00a0whitespace " * 8,
    "em\u2003space and ideographic\u3000space " * 9,
    "tabs\tand\nnewlines\r\nare   whitespace " * 9,
    "$1 and \\1 and $ and \\ are not special in the words " * 4,
]


def test_wrap_is_its_definition_on_crafted_text(tmp_path):
    cases = [(text, indent) for text in CRAFTED for indent in ("", "    ")]
    for (text, indent), got in zip(cases, wrapped(tmp_path, cases), strict=True):
        assert got == reference(text, indent), (text, indent)


@pytest.mark.parametrize("width", [None, 40, 10, 100])
def test_wrap_is_its_definition_on_random_text(tmp_path, width):
    rng = random.Random(18)
    alphabet = ["a", "b", "Z", "é", "’", "\U0001d538", "\u00a0", "\u2028", "\u0085", "—", "$", "\\", "1"]
    cases = []
    for _ in range(300):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.choice([1, 2, 3, 5, 8, 13, 30, 75, 90])))
                 for _ in range(rng.randint(0, 60))]
        separators = [rng.choice([" ", "  ", "\t", "\n", " \r\n "]) for _ in words]
        text = "".join(s + w for s, w in zip(separators, words))
        cases.append((text, rng.choice(["", "    "])))
    for (text, indent), got in zip(cases, wrapped(tmp_path, cases, width), strict=True):
        assert got == reference(text, indent, 72 if width is None else width), (text, indent)
