"""Every word of a TEI text, and of what was published from it: token multisets and recall.

The reference is the TEI's ``<text>`` (front, body, back; not the header): its
text nodes in document order, with a word boundary at every element that
separates words in print (blocks, notes, gaps, page and line breaks) and none
at phrase-level elements, which may stand inside a word (``emph<emph>asis</emph>``,
``Au<lb break="no"/>thor``). A word is a run of letters and digits (``\\w+``).

The published side is every output made from the file: for HTML the text of
each page's body, for plain text the files, all of a volume's pages together.
Recall is the share of the reference's tokens (counted with their multiplicity)
found in the output: ``sum(min(ref[w], out[w])) / sum(ref)``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree, html

TEI = "{http://www.tei-c.org/ns/1.0}"
WORD = re.compile(r"\w+")

# elements at whose edges no word boundary falls (they may stand inside a word)
PHRASES = {
    "hi", "emph", "foreign", "ex", "am", "c", "g", "abbr", "expan", "sic", "corr", "orig", "reg", "choice",
    "unclear", "supplied", "add", "del", "persName", "placeName", "orgName", "name", "rs", "date", "time",
    "num", "measure", "term", "gloss", "mentioned", "soCalled", "title", "ref", "q", "said", "quote", "w",
    "pc", "seg", "s", "gi", "code", "forename", "surname", "roleName", "addName", "choice", "damage",
    "subst", "mod", "restore", "surplus", "secl", "orig", "hi", "lang",
}


def _is_boundary(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if not element.tag.startswith(TEI):
        return True  # other namespaces: FRUS's attachments, TEI examples
    local = element.tag[len(TEI):]
    parent = element.getparent()
    if parent is not None and parent.tag == TEI + "choice":
        return True  # the readings of a choice are words of their own ("1724", "1728")
    if local == "lb":
        return not (element.get("break") == "no" or element.get("type") == "hyphenInWord")
    return local not in PHRASES


def reference_text(path: Path) -> str:
    """The words of the file's <text>, with a space wherever print separates words."""
    tree = etree.parse(str(path))
    texts = tree.getroot().findall(f"{TEI}text")
    pieces: list[str] = []

    def walk(element: etree._Element) -> None:
        boundary = _is_boundary(element)
        if boundary:
            pieces.append(" ")
        if isinstance(element.tag, str):
            pieces.append(element.text or "")
            for child in element:
                walk(child)
                pieces.append(child.tail or "")
        if boundary:
            pieces.append(" ")

    for text in texts:
        walk(text)
    return "".join(pieces)


def tokens(text: str) -> Counter:
    return Counter(WORD.findall(text))


HTML_BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
               "figure", "figcaption", "dt", "dd", "dl", "br", "blockquote", "pre", "caption", "ul", "ol", "table",
               "header", "footer", "nav"}


def html_text(page: Path) -> str:
    """The words of a page as a reader sees them: the body's text (no attribute values), with
    a break between blocks (HTML's, and spans the CSS shows as blocks) and around footnote
    markers (a superscript, not part of the word it follows)."""
    root = html.parse(str(page)).getroot()
    body = root.find("body")
    pieces: list[str] = []

    def walk(element) -> None:
        classes = (element.get("class") or "").split()
        block = element.tag in HTML_BLOCKS or "block" in classes or "noteref" in classes
        if block:
            pieces.append(" ")
        pieces.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            pieces.append(child.tail or "")
        if block:
            pieces.append(" ")

    if body is not None:
        walk(body)
    return "".join(pieces)


def recall(reference: Counter, published: Counter) -> tuple[float, list[str]]:
    """The share of the reference's tokens found in the published ones, and some that are not."""
    total = sum(reference.values())
    found = sum(min(count, published[word]) for word, count in reference.items())
    missing = [word for word, count in reference.most_common() if published[word] < count][:20]
    return (found / total if total else 1.0), missing
