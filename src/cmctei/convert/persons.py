"""Resolving printed names to the person register (``tei/persons.xml``).

A name resolves when it is printed exactly as a name or variant in the
register. Failing that, titles ("Secretary", "Ambassador", "Mr.") are
stripped and the remaining surname is looked up among the register's
surnames, which is how a converter meets "Secretary Dillon" for the first
time. A speaker label that still does not resolve is reported and added to
the register as a new person, never dropped.

The register is a master file too: additions are appended to the parsed
file (keeping everything an editor wrote) and written atomically.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cmctei.convert import masters
from cmctei.xmlio import TEI_NS, XML_NS, load

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS

TITLES = [
    "President", "Vice President", "Secretary of State", "Secretary of Defense", "Secretary of the Treasury",
    "Under Secretary of State", "Under Secretary", "Assistant Secretary", "Deputy Secretary", "Secretary",
    "Attorney General", "Ambassador", "General", "Admiral", "Director", "Chairman", "Premier", "Chancellor",
    "Minister", "Foreign Minister", "Deputy Foreign Minister", "Senator", "Governor", "Dr.", "Mr.", "Mrs.",
    "Miss", "Sir", "Lord", "Colonel", "Major", "Captain", "Commander", "Soviet Ambassador", "Comrade",
    "Prime Minister", "Representative", "Special Assistant", "Counselor", "The", "the",
]
_TITLE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
                    + r")\s+)+")
UNIDENTIFIED = re.compile(r"^(?:an?\s+)?unidentified(?:\s+(?:speaker|voice|participant|male|female|person))?\s*\d*$", re.I)


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_name.lower())
    return "-".join(words) or "person"


@dataclass
class Register:
    path: Path | None
    names: dict[str, str] = field(default_factory=dict)  # printed form → id
    surnames: dict[str, set[str]] = field(default_factory=dict)  # surname → ids
    main: dict[str, str] = field(default_factory=dict)  # id → main name
    groups: set[str] = field(default_factory=set)
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, label) added in this run

    @classmethod
    def load(cls, path: Path) -> "Register":
        register = cls(path)
        if not path.is_file():
            return register
        loaded, problems = load(path)
        if loaded is None:
            raise ValueError("; ".join(p.format() for p in problems))
        for person in loaded.root.iter(T + "person", T + "personGrp"):
            pid = person.get(XML_ID)
            if not pid:
                continue
            if person.tag == T + "personGrp":
                register.groups.add(pid)
            for name in person.iter(T + "persName", T + "name"):
                text = " ".join("".join(name.itertext()).split())
                if not text:
                    continue
                register.names.setdefault(text, pid)
                if name.get("type") == "main" or pid not in register.main:
                    register.main[pid] = text
                surname = _surname(text)
                if surname and person.tag == T + "person":
                    register.surnames.setdefault(surname, set()).add(pid)
        return register

    def resolve(self, printed: str) -> str | None:
        """The register id for a printed name, or None."""
        text = " ".join(printed.replace("[", "").replace("]", "").split()).strip(" :,.")
        if not text:
            return None
        if text in self.names:
            return self.names[text]
        if UNIDENTIFIED.match(text):
            return "unidentified" if "unidentified" in self.groups else None
        stripped = _TITLE.sub("", text)
        if stripped in self.names:
            return self.names[stripped]
        candidates = self.surnames.get(_surname(stripped) or "", set())
        if len(candidates) == 1 and len(stripped.split()) <= 3:
            return next(iter(candidates))
        initials = self._by_initials(_TITLE.sub("", " ".join(printed.split())))
        if initials:
            return initials
        lowered = {k.lower(): v for k, v in self.names.items()}
        return lowered.get(text.lower())

    def _by_initials(self, text: str) -> str | None:
        """'McG. B.' → the one person whose main name has words starting so ('McGeorge Bundy')."""
        parts = text.split()
        if not parts or not all(p.endswith(".") for p in parts) or len(parts) < 2:
            return None
        prefixes = [p.rstrip(".").lower() for p in parts]
        found = set()
        for pid, name in self.main.items():
            if pid in self.groups:
                continue
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
            if len(words) >= len(prefixes) and all(w.startswith(p) for w, p in zip(words[-len(prefixes):], prefixes)):
                found.add(pid)
        return found.pop() if len(found) == 1 else None

    def add(self, label: str) -> str:
        """Add a person for an unknown printed label; returns the new id."""
        name = _TITLE.sub("", " ".join(label.split())).strip() or label.strip()
        # "p-" keeps new ids valid xml:ids and clear of the ids a document uses
        # for itself (categories such as "secret", timeline points, footnotes).
        base = "p-" + slug(name)
        pid, n = base, 2
        while pid in self.main or pid in self.groups:
            pid, n = f"{base}-{n}", n + 1
        self.main[pid] = name
        self.names[label.strip()] = pid
        self.names.setdefault(name, pid)
        self.added.append((pid, label.strip()))
        return pid

    def save(self) -> bool:
        """Append the persons added in this run to the register file (atomically)."""
        if not self.added or self.path is None or not self.path.is_file():
            return False
        loaded, problems = load(self.path)
        if loaded is None:
            raise ValueError("; ".join(p.format() for p in problems))
        tree = loaded.tree
        lists = tree.getroot().findall(f"{T}standOff/{T}listPerson")
        target = next((lp for lp in lists if lp.get("type") != "groups"), None)
        if target is None:
            raise ValueError(f"{self.path}: no standOff/listPerson to add persons to")
        indent = "\n      "
        for pid, label in self.added:
            if tree.getroot().xpath("//*[@xml:id=$id]", id=pid):
                continue
            if len(target):
                target[-1].tail = indent
            else:
                target.text = indent
            person = etree.SubElement(target, T + "person")
            person.set(XML_ID, pid)
            person.text = indent + "  "
            main = etree.SubElement(person, T + "persName", type="main")
            main.text = self.main[pid]
            main.tail = indent + "  "
            variant = etree.SubElement(person, T + "persName", type="variant")
            variant.text = label
            variant.tail = indent
            person.tail = "\n    "
        header = tree.getroot().find(f"{T}teiHeader/{T}revisionDesc")
        if header is not None:
            change = etree.SubElement(header, T + "change")
            change.text = "Added by cmctei convert for unknown speaker labels: " + ", ".join(
                f"{pid} ({label})" for pid, label in self.added) + "."
            if len(header) > 1:
                change.tail = header[-2].tail
                header[-2].tail = header[-2].tail or "\n      "
        # keep the prolog (declaration, xml-model instructions) exactly as it was
        raw = loaded.raw
        start = raw.find(b"<TEI")
        prolog = raw[:start] if start >= 0 else b'<?xml version="1.0" encoding="UTF-8"?>\n'
        body = etree.tostring(tree.getroot(), encoding="unicode").encode("utf-8")
        masters.write_atomic(self.path, prolog + body + b"\n")
        return True


def _surname(name: str) -> str | None:
    words = [w for w in re.findall(r"[A-Za-z’'\-]+", name) if w[:1].isupper()]
    return words[-1].lower() if words else None
