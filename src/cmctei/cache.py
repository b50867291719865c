"""What earlier runs already established, so an unchanged file is not redone.

Records under ``build/.cache/`` (generated files: ``make clean``
removes them, and losing them only costs time):

* ``validate.json``: files that passed validation, keyed by their content,
  the register their pointers resolve against, and a fingerprint of
  everything that decides the verdict (schema, rules, tei_all, cmctei
  version). Only clean results are kept: a file with problems is always
  checked again, so its report is always fresh and complete.
* ``catalog.json``: the catalog as last parsed and checked, by its SHA-256
  (:mod:`cmctei.convert.catalog_cache`);
* ``tei_all-profile-<key>-<digest>.rng``: tei_all pruned to the profile, by the SHA-256 of
  what it is made from and of its own bytes (:mod:`cmctei.validate.teiall`), and
  ``tei_all-quick-<key>-<digest>.rng``, the same language with its attributes merged
  (:mod:`cmctei.validate.attributes`), the one a master is validated with first;
* the publish manifest (:mod:`cmctei.publish`), beside the outputs.

Records are compared by SHA-256 of the bytes, not by modification time:
``touch`` or a checkout does not make a file "changed", and an edit that
keeps the mtime (some editors, some copies) is still seen.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from cmctei import __version__, paths
from cmctei.atomic import write_atomic
from cmctei.xmlio import CannotRead, read_bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def engines() -> str:
    """The versions of the engines whose answers are kept: Saxon (the rules, every output) and
    libxml2 (the XSD and tei_all verdicts). An upgrade of either voids what they answered."""
    from importlib.metadata import PackageNotFoundError, version

    from lxml import etree

    try:
        saxon = version("saxonche")
    except PackageNotFoundError:
        saxon = "unknown"
    return f"saxonche {saxon} libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}"


def fingerprint(*files: Path, extra: str = "") -> str:
    """One digest of several files' contents (and of the cmctei version and its engines')."""
    digest = hashlib.sha256(f"cmctei {__version__} {engines()}\n{extra}\n".encode("utf-8"))
    for file in files:
        digest.update(str(file.name).encode("utf-8") + b"\0")
        digest.update(file.read_bytes() if file.is_file() else b"(missing)")
    return digest.hexdigest()


def cache_dir() -> Path:
    return paths.project_root() / "build" / ".cache"


class ValidationCache:
    """Files known to be clean under a given configuration."""

    def __init__(self, path: Path | None, config: str) -> None:
        self.path = path
        self.config = config
        self.entries: dict[str, list[str]] = {}
        self.dirty = False
        self._names: dict[Path, str] = {}  # each file's resolved name, found once per run
        self._resolve = paths.Resolver()
        if path is not None:
            try:
                data = json.loads(read_bytes(path).decode("utf-8"))
                if isinstance(data, dict) and data.get("config") == config and isinstance(data.get("clean"), dict):
                    # untrusted, like any file in build/: only entries of the shape written are kept
                    self.entries = {name: value for name, value in data["clean"].items()
                                    if isinstance(value, list) and value and all(isinstance(v, str) for v in value)}
            except (CannotRead, ValueError, RecursionError):
                pass  # no cache, or a damaged one: start afresh

    def _name(self, file: Path) -> str:
        if file not in self._names:
            self._names[file] = str(self._resolve(file))
        return self._names[file]

    def is_clean(self, file: Path, key: list[str], tei_all: bool) -> bool:
        """Known clean at this level (a pass with tei_all also answers for the profile alone)."""
        found = self.entries.get(self._name(file))
        if not found or found[:-1] != key:
            return False
        return found[-1] == "tei_all" or not tei_all

    def record(self, file: Path, key: list[str], clean: bool, tei_all: bool) -> None:
        name = self._name(file)
        if clean:
            value = [*key, "tei_all" if tei_all else "profile"]
            if not tei_all and self.is_clean(file, key, True):
                return  # already known clean at the stronger level
            if self.entries.get(name) != value:
                self.entries[name] = value
                self.dirty = True
        elif self.entries.pop(name, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        data = {"config": self.config, "clean": dict(sorted(self.entries.items()))}
        try:
            write_atomic(self.path, (json.dumps(data, indent=0) + "\n").encode("utf-8"), durable=False)
        except OSError:
            pass  # a cache that cannot be written costs time next run, nothing else
        self.dirty = False
