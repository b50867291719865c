"""Resolving printed names to the person register (``tei/persons.xml``).

A name resolves when it is printed exactly as a name or variant in the
register. A role word ("President:", "the Secretary", "the Attorney
General") names whoever held that office on the document's date: the
register gives its persons' offices with dates (``occupation[@key][@from]
[@to]``) and ``data/offices.toml`` the words that name each office, some of
them only in a document of that office's department ("the Secretary" in a
State Department telegram). Failing that, titles ("Secretary", "Ambassador",
"Mr.") are stripped and the surname is looked up among the register's
surnames, which is how a converter meets "Secretary Dillon" for the first
time; a title that names an office ("President Johnson") picks, among
namesakes, the one who held it. A surname two persons share is ambiguous:
it stays unresolved (the caller warns), never guessed. A speaker label that
does not resolve is reported and added to the register as a new person,
never dropped.

The register is a master file too: additions are appended to the parsed
file (keeping everything an editor wrote) and written atomically.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
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


@dataclass(frozen=True)
class Office:
    """Words that name an office's holder (data/offices.toml)."""

    key: str
    roles: frozenset[str]  # normalised printed forms naming the holder anywhere
    generic: frozenset[str]  # ... only in a document of the office's department
    context: re.Pattern | None  # what such a document prints in its opening lines


@dataclass(frozen=True)
class Term:
    """One person's holding of an office, with its dates (ISO strings; None: open)."""

    holder: str
    start: str | None
    end: str | None

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def _normal(printed: str) -> str:
    """A printed role for comparison: no "the", no case, single spaces."""
    text = " ".join(printed.split()).strip(" :,.").lower()
    return re.sub(r"^the\s+", "", text)


@lru_cache(maxsize=1)
def offices() -> tuple[Office, ...]:
    data = tomllib.loads(resources.files("cmctei.convert").joinpath("data/offices.toml").read_text(encoding="utf-8"))
    out = []
    for entry in data["office"]:
        context = entry.get("context")
        out.append(Office(
            entry["key"], frozenset(_normal(r) for r in entry.get("roles", [])),
            frozenset(_normal(r) for r in entry.get("generic", [])),
            re.compile(r"\b(?:" + "|".join(map(re.escape, context)) + r")\b", re.I) if context else None))
    return tuple(out)


@dataclass
class Register:
    path: Path | None
    names: dict[str, str] = field(default_factory=dict)  # printed form → id
    surnames: dict[str, set[str]] = field(default_factory=dict)  # surname → ids
    main: dict[str, str] = field(default_factory=dict)  # id → main name
    groups: set[str] = field(default_factory=set)
    terms: dict[str, list[Term]] = field(default_factory=dict)  # office key → who held it when
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, label) added in this run
    ambiguous: list[str] = field(default_factory=list)  # printed names left unresolved as ambiguous
    # how many persons (not groups) have each surname, for unsure(); made when first asked, made
    # again when a person is added (or main/groups change size), never kept across registers
    _owners: tuple[tuple[int, int], dict[str | None, int]] | None = field(default=None, repr=False, compare=False)

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
            for occupation in person.iter(T + "occupation"):
                if occupation.get("key"):
                    register.terms.setdefault(occupation.get("key"), []).append(
                        Term(pid, occupation.get("from"), occupation.get("to")))
        return register

    # ------------------------------------------------------------ offices

    def holder(self, key: str, on: str | None) -> str | None:
        """Who held office ``key`` on the day ``on`` (ISO), if the register knows one person."""
        if not on:
            return None
        day = on[:10]
        found = {term.holder for term in self.terms.get(key, []) if term.covers(day)}
        return found.pop() if len(found) == 1 else None

    def office_named(self, printed: str, context: str = "") -> str | None | bool:
        """The office a printed role word names: its key; None when it is no role word; False
        when it is one but the context does not say which office (none, or two, claim it)."""
        role = _normal(printed)
        direct = [o.key for o in offices() if role in o.roles]
        if direct:
            return direct[0] if len(direct) == 1 else False
        claimed = [o for o in offices() if role in o.generic]
        generic = [o.key for o in claimed if o.context is not None and o.context.search(context)]
        if len(generic) > 1 or claimed and not generic:
            return False  # two departments, or none the document shows: whose Secretary?
        return generic[0] if generic else None

    def _title_office(self, title: str) -> set[str]:
        """The offices a title before a name may stand for ("President Johnson", "Secretary Rusk")."""
        role = _normal(title)
        return {o.key for o in offices() if role in o.roles or role in o.generic}

    def resolve(self, printed: str, on: str | None = None, context: str = "") -> str | None:
        """The register id for a printed name, or None.

        ``on`` is the document's date (ISO) and ``context`` its opening lines: they
        decide who a role word names. A name left unresolved because it is
        ambiguous is recorded in ``ambiguous``, for the caller to warn.
        """
        text = " ".join(printed.replace("[", "").replace("]", "").split()).strip(" :,.")
        if not text:
            return None
        if text in self.names:
            return self.names[text]
        if UNIDENTIFIED.match(text):
            return "unidentified" if "unidentified" in self.groups else None
        office = self.office_named(text, context)
        if office is False:
            self.ambiguous.append(text)
            return None
        if office:
            holder = self.holder(office, on)
            if holder is None:
                self.ambiguous.append(text)
            return holder
        if re.search(r"\band\b|&|,", text):
            return None  # several people ("President and Rusk"): each is resolved on its own
        title = _TITLE.match(text)
        stripped = _TITLE.sub("", text)
        candidates = set(self.surnames.get(_surname(stripped) or "", set()))
        if stripped in self.names:
            candidates.add(self.names[stripped])
        if len(candidates) > 1 and title:  # "President Johnson": the namesake who held the office
            keys = self._title_office(title.group(0))
            held = {c for c in candidates if any(term.holder == c for k in keys for term in self.terms.get(k, []))}
            if len(held) == 1:
                return held.pop()
        if stripped in self.names:
            return self.names[stripped]  # a variant the register lists is the archivist's decision
        if len(candidates) == 1 and len(stripped.split()) <= 3:
            return next(iter(candidates))
        if len(candidates) > 1:
            self.ambiguous.append(text)
            return None
        initials = self._by_initials(_TITLE.sub("", " ".join(printed.split())))
        if initials:
            return initials
        lowered = {k.lower(): v for k, v in self.names.items()}
        return lowered.get(text.lower())

    def unsure(self, printed: str) -> bool:
        """Whether a one-word name could be someone else: the surname of more than one person
        ("Kennedy"), or not a surname at all ("George", "Bobby": first names and nicknames the
        register lists because a transcript's speakers use them)."""
        if len(printed.split()) != 1:
            return False
        surname = _surname(printed)
        pid = self.names.get(printed)
        if pid is None or _surname(self.main.get(pid, "")) != surname:
            return True  # not the person's surname
        return self._surname_owners(surname) > 1

    def _surname_owners(self, surname: str | None) -> int:
        """How many persons of the register (groups aside) have ``surname`` as their main name's.
        Counted for every surname at once and kept: unsure() asked it of the whole register for
        each name found in running text, a twentieth of convert's time (issue 18)."""
        stamp = (len(self.main), len(self.groups))
        if self._owners is None or self._owners[0] != stamp:
            counts: dict[str | None, int] = {}
            for pid, main in self.main.items():
                if pid not in self.groups:
                    key = _surname(main)
                    counts[key] = counts.get(key, 0) + 1
            self._owners = (stamp, counts)
        return self._owners[1].get(surname, 0)

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
        self._owners = None
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


@lru_cache(maxsize=4096)
def _surname(name: str) -> str | None:
    # (cached: Register.unsure asks it of every main name of the register for each name found
    # in running text, a quarter of the converter's time before: issue 18)
    words = [w for w in re.findall(r"[A-Za-z’'\-]+", name) if w[:1].isupper()]
    return words[-1].lower() if words else None
