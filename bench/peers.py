"""The tools users would run instead of cmctei, run by bench/run.py on the same corpus, in
the same run, interleaved with cmctei's own runs (the machine is shared: what slows one
slows the other within a round, and medians are compared).

* ``jing`` (Debian package ``jing``, what ParlaMint and most TEI projects run): the same
  tei_all.rng against the corpus's masters, one process, start-up included; compared
  with ``cmctei validate --tei-all-only``, which checks exactly that layer.
* TEI Stylesheets' HTML conversion (``html/html.xsl`` on SaxonC-HE, bench/peer_html.py),
  from the copy whose folder ``make bench TEI_STYLESHEETS=…`` names (by default
  ``../shared/peers/tei-stylesheets``); compared with cmctei's pages as publish makes
  them (bench/stage.py ``pages``: the citation and the page), compile excluded on both
  sides, and one-shot (start-up and compile included) with ``cmctei publish --only html``.

A peer that is not there is skipped, and the summary says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# each cmctei stage and the peer it is compared with
PEER_OF = {"tei_all one-shot": "jing", "pages": "TEI Stylesheets", "html": "TEI Stylesheets one-shot"}


def find_jing(given: str | None) -> tuple[str | None, str]:
    """The jing command, or None and why it is missing."""
    found = shutil.which(given or "jing")
    if found:
        return found, ""
    return None, (f"jing is not installed ({given or 'jing'} not found): the tei_all comparison is skipped "
                  "(`make bench` installs the Debian package jing when it runs as root; else apt-get install jing)")


def find_tei_stylesheets(given: Path) -> tuple[Path | None, str]:
    """The TEI Stylesheets folder (with html/html.xsl), absolute (the peer runs in the corpus's
    folder, where the Makefile's relative default would name nothing), or None and why it is missing."""
    given = Path(given).resolve()
    if (given / "html" / "html.xsl").is_file() and (given / "common").is_dir():
        return given, ""
    return None, (f"TEI Stylesheets are not at {given} (no html/html.xsl there): the HTML comparison is skipped "
                  "(make bench TEI_STYLESHEETS=<a copy of TEIC/Stylesheets>)")


def jing_files(tei: Path) -> list[str]:
    return [str(p) for p in sorted(tei.glob("*.xml")) if p.name != "persons.xml"]


def spin_parallelism(python: str, jobs: int, rounds: int = 3) -> float:
    """The machine's measured parallelism for ``jobs`` processes, now: ``jobs`` times the time
    of one fixed computation alone, over the time of ``jobs`` of them at once (2.0 on two free
    cores, less when other work holds one). Rounds are interleaved; the median is kept."""
    if jobs <= 1:
        return 1.0
    command = [python, str(HERE / "stage.py"), "spin"]
    ratios = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(jobs)]
        for process in processes:
            process.wait()
        together = time.perf_counter() - started
        ratios.append(jobs * alone / together)
    ratios.sort()
    return ratios[len(ratios) // 2]


def available_cores() -> int:
    """The cores this process may run on (``os.sched_getaffinity``: a container or ``taskset``
    can give fewer than ``os.cpu_count``)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # (not Linux)
        return os.cpu_count() or 1
