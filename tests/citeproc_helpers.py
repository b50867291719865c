"""Reading cmctei's citations the way the clients do: citeproc-js, biber, pybtex, rispy and
Zotero's RIS and Embedded Metadata translators. Used by test_citations.py and test_fuzz.py.

Only the clients' own behaviour is encoded here, each with where it comes from; nothing is
derived from cmctei's code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

CITEPROC = ROOT / "tests" / "citeproc"
IN_CI = os.environ.get("CI") == "true"


def missing(reason: str) -> None:
    """Skip with the reason; in CI (CI=true) a missing client is a failure, not a skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the project's set-up must install it)")
    pytest.skip(reason)


# ------------------------------------------------------------------ citeproc-js

def expected_text(text: str) -> str:
    """The text every format must give back (docs/citations.md): XML whitespace, the line
    separators U+0085, U+2028, U+2029 and the typographic spaces (Unicode Zs but the no-break
    space) as single spaces; no space of any kind at either end."""
    text = re.sub(r"[\u0085\u2028\u2029\u1680\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = " ".join(re.split(r"[ \t\r\n]+", text))
    return text.strip(" \u00a0")


def citeproc(items: list[dict]) -> dict[str, dict[str, str]]:
    """citeproc-js with the official Chicago 17th styles: {id: {note, short, bibliography}}."""
    if shutil.which("node") is None:
        missing("Node.js is not installed (make setup-system installs it)")
    if not (CITEPROC / "node_modules" / "citeproc").is_dir():
        missing("citeproc-js is not installed (make setup-node runs npm ci in tests/citeproc)")
    result = subprocess.run(["node", str(CITEPROC / "render.js")], input=json.dumps(items), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def words(text: str) -> list[str]:
    """The words of a citation, case and punctuation aside ("Kennedy's" and "Kennedy’s" alike)."""
    return re.findall(r"\w+", text.casefold())


def chicago_texts(cite: Path, docid: str) -> dict[str, str]:
    """Our own Chicago texts, as build/cite/<docid>.txt gives them (no bibliography: "")."""
    text = (cite / f"{docid}.txt").read_text(encoding="utf-8")
    found = re.fullmatch(r"Note:\n(.*?)\n\nShort note:\n(.*?)\n(?:\nBibliography:\n(.*)\n)?", text, flags=re.S)
    assert found, text
    return {"note": found[1], "short": found[2], "bibliography": found[3] or ""}


def citeproc_differences(cite: Path) -> list[str]:
    """Every citation whose words differ between citeproc-js (from all.json) and our Chicago."""
    items = json.loads((cite / "all.json").read_text(encoding="utf-8"))
    rendered = citeproc(items)
    found = []
    for item in items:
        ours = chicago_texts(cite, item["id"])
        for form in ("note", "short", "bibliography"):
            theirs = rendered[item["id"]][form]
            if words(ours[form]) != words(theirs):
                found.append(f"{item['id']} {form}:\n  cmctei:      {ours[form]}\n  citeproc-js: {theirs}")
    return found


# ------------------------------------------------------------------ biber and pybtex

def biber_warnings(bib: Path, scratch: Path) -> list[str]:
    """What `biber --tool --validate-datamodel` says about a .bib beyond its INFO lines."""
    if shutil.which("biber") is None:
        missing("biber is not installed (make setup-system installs the Debian package)")
    scratch.mkdir(parents=True, exist_ok=True)
    shutil.copy2(bib, scratch / bib.name)  # biber writes its log and output beside what it reads
    result = subprocess.run(["biber", "--tool", "--validate-datamodel", bib.name], cwd=scratch,
                            capture_output=True, text=True, timeout=300)
    said = [line for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and not line.startswith("INFO")]
    if result.returncode != 0:
        said.append(f"biber exit status {result.returncode}")
    return said


def pybtex_entries(bib: Path):
    """The entries as pybtex reads them, in strict mode (a warning is an error)."""
    import pybtex.errors
    from pybtex.database import parse_file

    pybtex.errors.set_strict_mode(True)
    try:
        return parse_file(str(bib), bib_format="bibtex").entries
    finally:
        pybtex.errors.set_strict_mode(False)


# LaTeX's own commands for the characters TeX and BibTeX treat specially: \textbackslash
# (LaTeX kernel), and the names biber decodes (Biber/LaTeX/recode_data.xml: textbraceleft,
# textbraceright, textasciicircum, textasciitilde); \% \& \$ \# \_ are LaTeX's escapes,
# ~ its no-break space.
LATEX_COMMANDS = {"textbackslash": "\\", "textbraceleft": "{", "textbraceright": "}",
                  "textasciicircum": "^", "textasciitilde": "~"}


def latex_text(value: str) -> str:
    """A BibTeX field value as the text LaTeX prints (for the escapes above); stray special
    characters are an error: they would not be text."""
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1]  # the braces that keep a title's capitals

    def command(match: re.Match) -> str:
        if match[1]:
            assert match[1] in LATEX_COMMANDS, f"unexpected LaTeX command {match[0]!r} in {value!r}"
            return LATEX_COMMANDS[match[1]]
        return match[2] or "\u00a0"

    pattern = r"\\([A-Za-z]+)\{\}|\\([%&$#_])|~"
    rest = re.sub(pattern, "", value)
    assert not re.search(r"[\\{}$&#^_%~]", rest), f"unescaped special character in {value!r}"
    return re.sub(pattern, command, value)


# ------------------------------------------------------------------ RIS: rispy and Zotero

def rispy_records(path: Path) -> list[dict]:
    import rispy

    with path.open(encoding="utf-8") as handle:
        return rispy.load(handle)


# Zotero's RIS import table (zotero/translators, RIS.js: fieldMap, and its importTypeMap
# for the four record types cmctei writes), for the tags valid on those item types:
# tag -> Zotero field. A tag missing here lands in a note or in the wrong field. DO is one of
# fieldMap's tags "same for all itemTypes"; SN is ISBN by default (ISSN only for periodicals);
# a book's A3 is its editor (A2 its series editor).
ZOTERO_RIS_TYPES = {"CHAP": "bookSection", "MANSCPT": "manuscript", "PCOMM": "letter", "BOOK": "book"}
_COMMON = {"TY": "itemType", "ER": "(end)", "TI": "title", "AU": "creators/author", "AN": "archiveLocation",
           "DB": "archive", "N1": "notes", "ST": "shortTitle", "UR": "url", "LA": "language", "DA": "date",
           "PY": "date", "DO": "DOI"}
ZOTERO_RIS = {
    "bookSection": {**_COMMON, "T2": "bookTitle", "T3": "series", "A2": "creators/editor", "VL": "volume",
                    "SP": "pages", "EP": "pages", "PB": "publisher", "CY": "place", "SN": "ISBN"},
    "manuscript": {**_COMMON, "M3": "manuscriptType", "CY": "place"},
    "letter": {**_COMMON, "M3": "letterType", "A2": "creators/recipient"},
    "book": {**_COMMON, "A3": "creators/editor", "A2": "creators/seriesEditor", "T2": "series", "VL": "volume",
             "PB": "publisher", "CY": "place", "SN": "ISBN"},
}
RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def ris_tags(path: Path) -> list[list[tuple[str, str]]]:
    """The records of an RIS file as (tag, value) lines, checking the line format."""
    records, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        found = RIS_LINE.match(line) or re.match(r"^(ER)  - ()$", line)
        assert found, f"not an RIS line: {line!r}"
        current.append((found[1], found[2]))
        if found[1] == "ER":
            records.append(current)
            current = []
    assert not current, "a record without ER"
    return records


# ------------------------------------------------------------------ Zotero's Embedded Metadata translator

ZOTERO_ITEM_TYPES = {"bookSection", "manuscript", "letter", "book", "journalArticle", "document", "webpage"}


def zotero_clean_author(author: str, use_comma: bool) -> dict:
    """Zotero.Utilities.cleanAuthor: trims spaces and . , / [ ] : at both ends; with a comma,
    "Last, First"; without, the last word is the last name."""
    author = re.sub(r"^[\s\u00a0.,/\[\]:]+", "", author)
    author = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", author)
    author = re.sub(r"[\s\u00a0]+", " ", author)
    if use_comma:
        parts = re.split(r", ?", author)
        return {"lastName": parts[0], "firstName": parts[1] if len(parts) > 1 else ""}
    space = author.rfind(" ")
    return {"lastName": author[space + 1:], "firstName": author[:space] if space >= 0 else ""}


def zotero_creators(values: list[str]) -> list[dict]:
    """Embedded Metadata.js, processHighwireCreators: one tag per creator, split at ";";
    a single tag is split at commas when both sides hold a space."""
    creators = []
    last = None
    for value in values:
        parts = re.split(r"\s*;\s*", value)
        if len(parts) == 1 and len(values) == 1:
            by_comma = re.split(r"\s*,\s*", parts[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                parts = by_comma
        for part in parts:
            part = part.strip()
            if not part or not re.search(r"[^\s,\-.;]", part) or part == last:
                continue
            last = part
            creators.append(zotero_clean_author(part, "," in part))
    return creators


def zotero_embedded_metadata(page) -> dict:
    """What Zotero's Embedded Metadata translator makes of a page's <meta> tags: the item
    type (citation_book_title → bookSection; else a DC.type naming a Zotero item type, read
    through its RDF import; else journalArticle, its guess for citation_title), creators,
    date and container."""
    metas: dict[str, list[str]] = {}
    for meta in page.xpath("//head/meta[@name]"):
        metas.setdefault(meta.get("name"), []).append(meta.get("content") or "")
    first = lambda name: (metas.get(name) or [""])[0]  # noqa: E731
    if "citation_book_title" in metas or "citation_inbook_title" in metas:
        item_type = "bookSection"
    elif first("DC.type") in ZOTERO_ITEM_TYPES:
        item_type = first("DC.type")
    else:
        item_type = "journalArticle"
    # HIGHWIRE_MAPPINGS for the other fields; DC.rights through the RDF import (RDF.js: rights
    # from dc:rights)
    return {"itemType": item_type, "title": first("citation_title"),
            "authors": zotero_creators(metas.get("citation_author", [])),
            "editors": zotero_creators(metas.get("citation_editor", [])),
            "date": first("citation_date"), "bookTitle": first("citation_book_title"),
            "series": first("citation_series_title"), "volume": first("citation_volume"),
            "url": first("citation_public_url"), "publisher": first("citation_publisher"),
            "ISBN": first("citation_isbn"), "DOI": first("citation_doi"), "language": first("citation_language"),
            "rights": first("DC.rights")}
