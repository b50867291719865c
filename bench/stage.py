"""One in-process measurement, run by bench/run.py in a fresh interpreter.

    python bench/stage.py STAGE FOLDER-OR-FILE...

(a folder stands for its masters: every *.xml but the register)

Prints one JSON object: the seconds spent in the measured work only (the
interpreter's start and each engine's one-time compile are excluded: the
CLI stages measure those), the number of files and their bytes.

Stages:
  floor       lxml parse + serialize of each file: the physical floor
  xsd         parse + libxml2 XML Schema (the fast path of `cmctei validate`)
  xmlschema   parse + xmlschema (pure Python; used only to explain failures)
  schematron  parse + the profile rules (Saxon)
  tei_all     parse + TEI P5 tei_all (the grammar pruned to what each file may use)
  html        one HTML transform of each file (Saxon), median of 3 runs
  pages       each file's HTML output as publish makes it (parse, Saxon's tree, the citation,
              the Dublin Core record, the page, written under OUT): what is compared with TEI
              Stylesheets (bench/peer_html.py); arguments: OUT FOLDER-OR-FILE...
  spin        a fixed amount of pure computation (the machine's parallelism: bench/run.py)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from lxml import etree


def main(stage: str, files: list[Path]) -> dict:
    from cmctei import xmlio

    parser = xmlio.safe_parser()
    data = [f.read_bytes() for f in files]
    if stage == "floor":
        start = time.perf_counter()
        for raw in data:
            etree.tostring(etree.fromstring(raw, parser))
        seconds = time.perf_counter() - start
    elif stage in ("xsd", "xmlschema", "schematron", "tei_all"):
        from cmctei.validate import Validator

        validator = Validator(tei_all=stage == "tei_all")
        check = {
            "xsd": lambda loaded: validator.xsd.fast.validate(loaded.tree),
            "xmlschema": lambda loaded: list(validator.xsd.schema.iter_errors(loaded.tree)),
            "schematron": lambda loaded: validator.schematron.check(loaded, {"register-ids": "", "file-stem": ""}),
            "tei_all": lambda loaded: validator.teiall.check(loaded),
        }[stage]
        check(xmlio.load(files[0])[0])  # compile outside the measurement
        start = time.perf_counter()
        for file in files:
            loaded, _ = xmlio.load(file)
            check(loaded)
        seconds = time.perf_counter() - start
    elif stage == "html":
        from cmctei import saxon
        from cmctei.publish import Publisher

        publisher = Publisher(Path("/nonexistent-bench-out"), ("html",))
        sheet = publisher.sheet("html")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            for file in files:
                loaded, _ = xmlio.load(file)
                node = saxon.document(loaded, release_source=True)  # as publish does
                sheet.clear_parameters()
                sheet.transform_to_string(xdm_node=node)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    return {"seconds": seconds, "files": len(files), "bytes": sum(len(d) for d in data)}


def pages(out: Path, files: list[Path]) -> dict:
    """Each file's HTML output as ``cmctei publish --only html`` makes it
    (:meth:`cmctei.publish.Publisher.publish_document`: the master's copy, one Saxon tree, the
    citation, the Dublin Core record and the page), written under ``out``: the per-document
    work that TEI Stylesheets' ``html.xsl`` is compared with (bench/peer_html.py). The
    stylesheets are compiled before the clock starts (TEI Stylesheets' compile is left out
    the same way); the site's own pages (indexes, search) are not per document and not here."""
    from cmctei import xmlio
    from cmctei.publish import Publisher

    publisher = Publisher(out, ("html",))
    for name in ("cite", "dc", "html"):
        publisher.sheet(name)
    publisher.register_node()
    start = time.perf_counter()
    for file in files:
        loaded, _ = xmlio.parse_document(xmlio.read_bytes(file), file, str(file))
        publisher.current = str(file)
        publisher.publish_document(file, loaded)
    return {"seconds": time.perf_counter() - start, "files": len(files)}


def spin() -> dict:
    """Pure computation of a fixed size, in one process (about half a second alone)."""
    start = time.perf_counter()
    total = 0
    for n in range(4_000_000):
        total += n * n % 7
    return {"seconds": time.perf_counter() - start, "files": 0, "total": total}


def expand(arguments: list[str]) -> list[Path]:
    files: list[Path] = []
    for argument in map(Path, arguments):
        files += sorted(p for p in argument.glob("*.xml") if p.name != "persons.xml") if argument.is_dir() else [argument]
    return files


if __name__ == "__main__":
    if sys.argv[1] == "pages":
        print(json.dumps(pages(Path(sys.argv[2]), expand(sys.argv[3:]))))
    elif sys.argv[1] == "spin":
        print(json.dumps(spin()))
    else:
        print(json.dumps(main(sys.argv[1], expand(sys.argv[2:]))))
