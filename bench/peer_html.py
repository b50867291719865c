"""TEI Stylesheets' HTML conversion, run as its users run it, for bench/run.py to compare.

    python bench/peer_html.py STYLESHEETS OUT FOLDER-OR-FILE...

STYLESHEETS is a copy of the TEI Consortium's stylesheets (TEIC/Stylesheets: at least
html/, common/ and i18n.xml); its html/html.xsl, XSLT 3.0, is compiled once with SaxonC-HE
(saxonche, the processor cmctei runs) and applied to each file with its default
parameters, each page written to OUT. Nothing of it is copied into cmctei: it is read
from where the bench is told it is (``make bench TEI_STYLESHEETS=…``).

Prints one JSON object: ``compile`` (seconds to compile html.xsl) and ``seconds`` (the
transforms and writes, the compile excluded: what bench/stage.py's ``pages`` measures for
cmctei). The run's wall time, start-up included, is measured by bench/run.py.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(stylesheets: Path, out: Path, files: list[Path]) -> dict:
    from saxonche import PySaxonProcessor

    started = time.perf_counter()
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(stylesheets / "html" / "html.xsl"))
    compiled = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for file in files:
        executable.transform_to_file(source_file=str(file), output_file=str(out / f"{file.stem}.html"))
    return {"compile": compiled - started, "seconds": time.perf_counter() - compiled, "files": len(files)}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stage import expand

    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), expand(sys.argv[3:]))))
