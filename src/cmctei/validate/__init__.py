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

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cmctei import paths, xmlio
from cmctei.diagnostics import ERROR, WARNING, Diagnostic, StylesheetError, internal_error, sort_key
from cmctei.saxon_limits import SaxonUnavailable
from cmctei.validate.teiall import TeiAllValidator
from cmctei.validate.xsd import XsdValidator
from cmctei.xmlio import TEI_NS, CannotRead

if TYPE_CHECKING:  # (imported when the rules first run: it starts saxonche, which tei_all alone never needs)
    from cmctei.validate.schematron import SchematronValidator

BeforeRules = Callable[[xmlio.LoadedXML], None]


class CannotRun(Exception):
    """Validation could not run at all (missing path, unreadable file)."""


def collect(targets: list[Path]) -> list[Path]:
    """The XML files named, or found (recursively, sorted) in the folders named."""
    return collect_with_notes(targets)[0]


def collect_with_notes(targets: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """:func:`collect`, and what was found in the folders under an XML file's name that is
    not a file: a named pipe, a socket or a device is an error (it is never opened, so it
    cannot hang the run), a folder a warning (the files in it are checked). Neither is
    passed over in silence."""
    files: list[Path] = []
    notes: list[Diagnostic] = []
    for target in targets:
        if target.is_dir():
            for p in sorted(target.rglob("*.xml")):
                if any(part.startswith(".") for part in p.relative_to(target).parts):
                    continue
                if p.is_file():
                    files.append(p)
                elif p.is_dir():
                    notes.append(Diagnostic(str(p), 0, 0, WARNING, "xml-not-a-file",
                                            "a folder named like an XML file: not checked (the files in it are)"))
                else:
                    kind = xmlio.kind_of(p)
                    notes.append(Diagnostic(str(p), 0, 0, ERROR, "xml-not-a-file",
                                            f"{kind}, not a file: not opened, not checked; move it away"))
        elif target.exists():
            files.append(target)
        else:
            raise CannotRun(f"{target}: no such file or directory")
    return files, notes


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
    """Checks files against the cmctei profile; reusable across many files.

    Each grammar is compiled on first use, once per validator: a run in which
    every file is known clean (:class:`cmctei.cache.ValidationCache`) compiles
    nothing at all.
    """

    tei_all: bool = False
    register: Path | None = None
    tei_all_only: bool = False  # TEI P5 conformance alone (any TEI), as jing checks it
    xsd_path: Path = field(default_factory=paths.xsd_path)
    sch_path: Path = field(default_factory=paths.schematron_path)

    def __post_init__(self) -> None:
        self._xsd: XsdValidator | None = None
        self._schematron: SchematronValidator | None = None
        self._teiall: TeiAllValidator | None = None
        self._register_cache: dict[Path, str] = {}
        # per folder of the files checked (and project), which register their pointers resolve
        # against, and the digest of its ids: found once per folder, not once per file (1,000
        # masters: a third of a second of an incremental publish, issue 18); a validator lives
        # for one run
        self._register_by_folder: dict[tuple[Path, str | None], Path | None] = {}
        self._register_digests: dict[str, str] = {}

    @property
    def xsd(self) -> XsdValidator:
        if self._xsd is None:
            self._xsd = XsdValidator(self.xsd_path)
        return self._xsd

    @property
    def schematron(self) -> SchematronValidator:
        if self._schematron is None:
            from cmctei.validate.schematron import SchematronValidator

            self._schematron = SchematronValidator(self.sch_path)
        return self._schematron

    @property
    def teiall(self) -> TeiAllValidator | None:
        if self.tei_all and self._teiall is None:
            from cmctei.cache import cache_dir

            self._teiall = TeiAllValidator(profile_xsd=self.xsd_path, cache=cache_dir())
        return self._teiall

    def config(self) -> str:
        """Everything besides the file and its register that decides the verdict."""
        from cmctei.cache import fingerprint

        from cmctei.validate.teiall import TeiAllUnavailable, tei_all_path

        try:
            grammar = tei_all_path()
        except TeiAllUnavailable:
            grammar = Path("tei_all.rng")  # (missing: recorded as such)
        return fingerprint(self.xsd_path, self.sch_path, grammar)

    def cache_key(self, path: Path, digest: str | None = None) -> list[str]:
        """What a cached clean verdict for ``path`` depends on: its bytes (``digest``, their
        SHA-256, when the caller already has it) and its register."""
        from cmctei.cache import sha256

        ids = self._register_for(path)
        if ids not in self._register_digests:
            self._register_digests[ids] = sha256(ids.encode("utf-8"))
        return [digest or sha256(xmlio.read_bytes(path)), self._register_digests[ids]]

    def _register_for(self, path: Path) -> str:
        """The register that ``persons.xml#…`` pointers in ``path`` resolve against.

        In order: the one given on the command line; ``persons.xml`` beside
        the file (what the relative URI literally means); the project's
        ``tei/persons.xml``.
        """
        where = (path.parent, os.environ.get("CMCTEI_HOME"))  # (the project's tei/ is the last resort)
        if where not in self._register_by_folder:
            candidates = [self.register] if self.register else [
                path.parent / paths.REGISTER_NAME,
                paths.tei_dir() / paths.REGISTER_NAME,
            ]
            self._register_by_folder[where] = next(
                (candidate.resolve() for candidate in candidates if candidate is not None and candidate.is_file()), None)
        key = self._register_by_folder[where]
        if key is None:
            return ""
        if key not in self._register_cache:
            self._register_cache[key] = register_ids(key)
        return self._register_cache[key]

    def validate_file(self, path: Path, display: str | None = None, stages: dict[str, float] | None = None
                      ) -> list[Diagnostic]:
        """Every problem of one file, sorted by place. ``stages`` collects seconds per layer."""
        return self.load_and_check(path, display, stages)[1]

    def load_and_check(self, path: Path, display: str | None = None, stages: dict[str, float] | None = None,
                       *, before_rules: BeforeRules | None = None
                       ) -> tuple[xmlio.LoadedXML | None, list[Diagnostic]]:
        """The parsed file (``None`` if it is not well-formed) and its problems: callers that go
        on to use the document (publish) parse it once. The lxml tree is let go before the
        rules run in Saxon (peak memory on a large document); ``before_rules`` is called with
        the document while its lxml tree is still there."""
        started = time.perf_counter()
        try:
            loaded, problems = xmlio.load(path, display)
        except CannotRead as exc:
            raise CannotRun(str(exc)) from exc
        _lap(stages, "parse", started)
        if loaded is None:
            return None, problems
        return loaded, self.check(loaded, path, stages, before_rules=before_rules)

    def check(self, loaded: xmlio.LoadedXML, path: Path, stages: dict[str, float] | None = None,
              *, before_rules: BeforeRules | None = None) -> list[Diagnostic]:
        """Every layer on a parsed document; ``path`` decides the register and the expected id.

        The layers that work on the lxml tree (XSD, tei_all) run before the rules, which
        run in Saxon on a tree of its own, so the first is let go then (parsed again only to
        locate a problem the rules report).
        """
        started = time.perf_counter()
        if self.tei_all_only:
            problems = self.teiall.check(loaded) if self.teiall is not None else []
            _lap(stages, "tei_all", started)
            return sorted(problems, key=sort_key)
        problems = self.xsd.check(loaded)
        started = _lap(stages, "xsd", started)
        if any(p.rule == "xsd-root" for p in problems):
            return problems  # not a TEI document: the rules would only add noise
        if self.teiall is not None:
            problems += self.teiall.check(loaded)
            started = _lap(stages, "tei_all", started)
        if before_rules is not None:
            before_rules(loaded)
            started = time.perf_counter()  # the caller's time is not the rules'
        params = {
            "register-ids": self._register_for(path),
            "file-stem": path.name[:-4] if path.name.endswith(".xml") else path.name,
        }
        try:
            problems += self.schematron.check(loaded, params, release_tree=True)
        except CannotRead as exc:  # the bytes were set aside, and the file has changed since
            problems.append(Diagnostic(loaded.display, 0, 0, ERROR, "xml-changed",
                                       str(exc).removeprefix(f"{loaded.display}: ")))
        _lap(stages, "schematron", started)
        return sorted(problems, key=sort_key)


def _lap(stages: dict[str, float] | None, stage: str, started: float) -> float:
    """Add the seconds since ``started`` to ``stages[stage]``; returns now."""
    now = time.perf_counter()
    if stages is not None:
        stages[stage] = stages.get(stage, 0.0) + now - started
    return now


# ---------------------------------------------------------------- worker processes

_WORKER: dict = {}


def _setup_worker(tei_all: bool, register: Path | None, tei_all_only: bool = False) -> None:
    _WORKER["validator"] = Validator(tei_all=tei_all, register=register, tei_all_only=tei_all_only)


def _validate_in_worker(path: Path) -> tuple[list[Diagnostic], str | None, dict[str, float]]:
    """(problems, or the reason the file could not be read; seconds per layer)."""
    stages: dict[str, float] = {}
    try:
        return _WORKER["validator"].validate_file(path, str(path), stages), None, stages
    except CannotRun as exc:
        return [], str(exc), stages
    except (StylesheetError, SaxonUnavailable):  # the rules themselves cannot run: the run stops
        raise
    except Exception as exc:  # noqa: BLE001 -- a bug met on this file: the others are still checked
        return [internal_error(str(path), exc)], None, stages
