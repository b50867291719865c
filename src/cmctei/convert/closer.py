"""The end of a letter-like document: the signature, and a date printed with it.

A signature is the last line of text (anything printed after it is furniture:
a classification line, a stamp, a page number, footnote texts at the page
foot). Its printed forms: a name ("Foy D. Kohler", "A. DOBRYNIN",
"R.W. Komer"), a single surname ("Harriman", "Rusk"), initials ("WWR",
"J.F.D.", "CK"), with or without a footnote marker after it ("Llewellyn
Thompson⁵", "J.F.D.4", "Benjamin H. Read 1"), with or without a date before
it ("27/X-62 A. DOBRYNIN"). A signer who is not in the person register is
still a signature: a ``persName`` without ``@ref``, and a warning.

What keeps a last line from passing for a name: it must be short, every word
capitalised (or initials), no sentence punctuation, and not one of the words
that end documents without being anyone's name (``data/closing.toml``).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from lxml import etree

from cmctei.convert import structure as st
from cmctei.convert import text as tx
from cmctei.convert.build import Builder
from cmctei.convert import inline
from cmctei.convert.inline import T, el

CLOSER = "closer"  # item kind: where a signature block stood
MAX_SIGNATURE = 60  # characters of a signature line
MAX_WORDS = 5
MAX_CLOSE = 60  # characters of a complimentary close

_DATED = re.compile(r"^(?P<date>\d{1,2}[/.][IVX]{1,4}[-./]\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}|"
                    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}))\s+(?P<name>.+)$")
# A footnote marker after the name: superscript digits, digits glued to the name or standing after it.
_MARKER = re.compile(r"(?:\s*[" + tx.SUPERSCRIPTS + r"]+|(?<=[A-Za-z.])\d{1,3}|\s\d{1,3})$")
_INITIALS = re.compile(r"^(?:[A-Z]\.\s?){1,4}$|^[A-Z]{2,4}$|^[A-Z][a-z]?\.[A-Z]\.?$")
_SURNAME = re.compile(r"^(?=.*[a-z])[A-Z][A-Za-z'’\-]{2,}$|^[A-Z]{3,}$")  # "Rusk", "MacMurray", "Grant-Smith", "DR"
_TITLE = re.compile(r"^(?:[A-Z][A-Za-z.'’\-]*|of|the|and|for|to|in)(?:\s+(?:[A-Z][A-Za-z.'’\-]*|of|the|and|for|to|in)){0,7}$")
# A complimentary close: the line before a signature ("Sincerely,", "I have, etc.,", "Believe me [etc.]").
_CLOSE = re.compile(r"^(?:[A-Z][\w'’]*(?:\s+[\w'’.\[\]]+){0,6}[,.]?|.*\[?etc\.?\]?[,.]?)$")
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zA-Z'’\-]*\.?|(?:[A-Z]\.){1,3}[A-Z]?[a-zA-Z'’\-]*)$")


@lru_cache(maxsize=1)
def _closing() -> dict:
    return tomllib.loads(resources.files("cmctei.convert").joinpath("data/closing.toml").read_text(encoding="utf-8"))


def not_names() -> frozenset[str]:
    """Words that end documents but are nobody's name (data/closing.toml)."""
    return frozenset(w.lower() for w in _closing()["not_names"]["words"])


def particles() -> frozenset[str]:
    """Lower-case words inside names ("di" in "V. Macchi di Cellere"; data/closing.toml)."""
    return frozenset(_closing()["name_particles"]["words"])


def _name_word(word: str) -> bool:
    return bool(_NAME_WORD.match(word)) or word in particles()


def name_of(line: str, *, after_close: bool = False, senders: frozenset[str] = frozenset()) -> str | None:
    """The name a signature line prints (without a footnote marker or a title after it), or None.

    ``after_close``: the line follows a complimentary close ("Sincerely,", "I have, etc.,"),
    where a full stop after the name is the typist's ("W. Q. Gresham.").
    ``senders``: the surnames (lower case) of the senders the heading names ("Mr. Bayard to
    Mr. Gresham"): a lone "Bayard." at the end is then his signature, not a one-word sentence.
    """
    text = " ".join(line.split())
    if not text or len(text) > MAX_SIGNATURE:
        return None
    name = _MARKER.sub("", text).strip()
    if "," in name:  # "S. C. Braida, United States Consul": the name, then the signer's title
        name, title = (part.strip() for part in name.split(",", 1))
        if not _TITLE.match(title.rstrip(".")):
            return None
    if not name or re.search(r"[,;:!?\"“”()\[\]]", name):
        return None
    if name.endswith(".") and not re.search(r"(?:\b[A-Z]|\b(?:Jr|Sr))\.$", name):
        if not (after_close or len(name.split()) >= 2 or name[:-1].lower() in senders):
            return None  # a sentence; "J.F.D." and "Jr." are not
        name = name[:-1]
    words = name.split()
    if not 1 <= len(words) <= MAX_WORDS or not all(_name_word(w) for w in words):
        return None
    if not any(w[:1].isupper() for w in words):
        return None
    if any(w.lower().strip(".") in not_names() or w.lower() in tx.FUNCTION_WORDS for w in words):
        return None
    if len(words) == 1 and not (_INITIALS.match(name) or _SURNAME.match(name)):
        return None
    return name


def signature(builder: Builder, items: list[st.Item]) -> etree._Element | None:
    """Replace the signature item (the last line of text) by a ``closer`` at the same place."""
    index = next((i for i in range(len(items) - 1, -1, -1) if items[i].kind not in st.FURNITURE), None)
    if index is None:
        return None
    item = items[index]
    if item.kind not in (st.PARA, st.HEADING) or item.joins or len(item.lines or [item.text]) > 2:
        return None
    text = item.text.strip()
    dated = _DATED.match(text)
    date_text, rest = (dated.group("date"), dated.group("name")) if dated else (None, text)
    before = next((i for i in reversed(items[:index]) if i.kind not in st.FURNITURE), None)
    after_close = before is not None and before.kind == st.PARA and len(before.text) <= MAX_CLOSE \
        and before.text.rstrip().endswith((",", "etc.]", "etc.")) and bool(_CLOSE.match(before.text.strip()))
    senders = frozenset(printed.split()[-1].strip(".,").lower() for printed, _ in builder.info.sender
                        if printed.split())
    name = name_of(rest, after_close=after_close, senders=senders)
    if name is None:
        return None
    builder.line = item.line
    closer = el("closer")
    if date_text:
        found = tx.find_date(date_text)
        dateline = el("dateline")
        date = el("date", date_text)
        if found:
            date.set("when", found.iso)
            builder.info.date = builder.info.date or found.iso
            builder.info.date_printed = builder.info.date_printed or date_text
        dateline.append(date)
        closer.append(dateline)
    pid = builder.resolve(name)
    if pid:
        builder.participant(pid)
    else:
        builder.warn_at(name, f"the signature {name!r} names nobody in the person register: "
                              "kept as a name without a register link (add the person to tei/persons.xml)")
    builder.info.signed = (name, pid)
    item.text = rest  # the marker after the name, if any, is read as a footnote marker
    # the closer is emitted exactly where the signature is printed, and its name is read
    # there too (complete): a footnote marker after it is numbered in reading order
    items[index] = st.Item(CLOSER, "", item.line, data={"element": closer, "signature": item, "ref": pid})
    return closer


def closing_dateline(builder: Builder, items: list[st.Item]) -> etree._Element | None:
    """A dateline printed at the foot, when the opening printed none: "Washington, September 5,
    1918." as the last line of text, or just above the signature (call after :func:`signature`).
    Diplomatic notes and many letters are dated so. It becomes the ``closer``'s ``dateline``
    (opening the signature's closer, or a closer of its own) and dates the document, in place:
    no line moves. A dateline below the text of a document dated at its head stays a paragraph."""
    from cmctei.convert import opener

    if builder.info.date is not None or builder.info.undated:
        return None
    texts = [i for i, item in enumerate(items) if item.kind not in st.FURNITURE]
    signed = bool(texts) and items[texts[-1]].kind == CLOSER
    if len(texts) < 1 + signed:
        return None
    index = texts[-2] if signed else texts[-1]
    item = items[index]
    if item.kind not in (st.PARA, st.HEADING) or item.joins or len(item.lines or [item.text]) > 1:
        return None
    line = opener.read_dateline(item.text)
    if line is None or line.date is None:
        return None
    builder.line = item.line
    dateline = opener.dated("dateline", line, builder)
    if signed:
        items[texts[-1]].data["element"].insert(0, dateline)
        del items[index]
        return dateline
    closer = el("closer")
    closer.append(dateline)
    items[index] = st.Item(CLOSER, "", item.line, data={"element": closer})
    return dateline


def complete(builder: Builder, item: st.Item) -> etree._Element:
    """The ``closer`` of a CLOSER item, its signature read now, in reading order."""
    closer = item.data["element"]
    if "signature" in item.data:
        signed = el("signed")
        persname = builder.paragraph(item.data.pop("signature"), tag="persName")
        if item.data["ref"]:
            persname.set("ref", "persons.xml#" + item.data["ref"])
        _move_notes_after(persname, signed)
        closer.append(signed)
    return closer


def _move_notes_after(persname: etree._Element, signed: etree._Element) -> None:
    """``signed`` holds the name, then any footnote printed after it (not inside the name)."""
    signed.append(persname)
    for note in persname.findall(T + "note"):
        inline.detach(note)
        signed.append(note)
    inline.rstrip(persname)
