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
  tei_all     parse + TEI P5 tei_all (the pruned grammar where exact)
  html        one HTML transform of each file (Saxon), median of 3 runs
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


def expand(arguments: list[str]) -> list[Path]:
    files: list[Path] = []
    for argument in map(Path, arguments):
        files += sorted(p for p in argument.glob("*.xml") if p.name != "persons.xml") if argument.is_dir() else [argument]
    return files


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], expand(sys.argv[2:]))))
