"""Validation: well-formedness, the profile schema, the profile rules, tei_all.

Layers, in order, for each file:

1. well-formed, safe XML (:mod:`cmctei.xmlio`): a file that fails here is
   reported once and not checked further;
2. XML Schema (:mod:`.xsd`): structure and closed value lists;
3. Schematron (:mod:`.schematron`): identity, pointers, numbering, dates;
4. optionally TEI P5 conformance against tei_all (:mod:`.teiall`).

Every schema is compiled once per :class:`Validator`, not once per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cmctei import paths, xmlio
from cmctei.diagnostics import Diagnostic, sort_key
from cmctei.validate.schematron import SchematronValidator
from cmctei.validate.teiall import TeiAllValidator
from cmctei.validate.xsd import XsdValidator
from cmctei.xmlio import TEI_NS, XML_NS, CannotRead


class CannotRun(Exception):
    """Validation could not run at all (missing path, unreadable file)."""


def collect(targets: list[Path]) -> list[Path]:
    """The XML files named, or found (recursively, sorted) in the folders named."""
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = sorted(
                p for p in target.rglob("*.xml")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(target).parts)
            )
            files.extend(found)
        elif target.exists():
            files.append(target)
        else:
            raise CannotRun(f"{target}: no such file or directory")
    return files


def register_ids(register: Path) -> str:
    """Space-separated xml:ids of the persons and groups in a register file."""
    loaded, _ = xmlio.load(register)
    if loaded is None:
        return ""
    ns = {"tei": TEI_NS}
    ids = loaded.root.xpath("//tei:person/@xml:id | //tei:personGrp/@xml:id", namespaces=ns)
    return " ".join(str(i) for i in ids)


@dataclass
class Validator:
    """Checks files against the cmctei profile; reusable across many files."""

    tei_all: bool = False
    register: Path | None = None
    xsd_path: Path = field(default_factory=paths.xsd_path)
    sch_path: Path = field(default_factory=paths.schematron_path)

    def __post_init__(self) -> None:
        self.xsd = XsdValidator(self.xsd_path)
        self.schematron = SchematronValidator(self.sch_path)
        self.teiall = TeiAllValidator() if self.tei_all else None
        self._register_cache: dict[Path, str] = {}

    def _register_for(self, path: Path) -> str:
        """The register that ``persons.xml#…`` pointers in ``path`` resolve against.

        In order: the one given on the command line; ``persons.xml`` beside
        the file (what the relative URI literally means); the project's
        ``tei/persons.xml``.
        """
        candidates = [self.register] if self.register else [
            path.parent / paths.REGISTER_NAME,
            paths.tei_dir() / paths.REGISTER_NAME,
        ]
        for candidate in candidates:
            if candidate is not None and candidate.is_file():
                key = candidate.resolve()
                if key not in self._register_cache:
                    self._register_cache[key] = register_ids(candidate)
                return self._register_cache[key]
        return ""

    def validate_file(self, path: Path, display: str | None = None) -> list[Diagnostic]:
        try:
            loaded, problems = xmlio.load(path, display)
        except CannotRead as exc:
            raise CannotRun(str(exc)) from exc
        if loaded is None:
            return problems
        problems += self.xsd.check(loaded)
        if any(p.rule == "xsd-root" for p in problems):
            return problems  # not a TEI document: the rules would only add noise
        params = {
            "register-ids": self._register_for(path),
            "file-stem": path.name[:-4] if path.name.endswith(".xml") else path.name,
        }
        problems += self.schematron.check(loaded, params)
        if self.teiall is not None:
            problems += self.teiall.check(loaded)
        return sorted(problems, key=sort_key)
