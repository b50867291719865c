"""The record of the site's own pages (``build/.cmctei-site.json``), so that an incremental run
does not transform them again when what they are made from is the same (issue 18).

The index pages (``index.html``, ``index-<facet>-<value>.html``), ``persons.html``,
``search.html`` and the previous/next links (``sequence.xsl``) are a pure function of

* the corpus handed to Saxon: every document's summary (:func:`cmctei.site.summary`) with
  the register's persons added, as the exact text Saxon parses;
* the stylesheets, the assets, a customisation's files, the register, the schemas, the
  site title, base URL and outputs, and the cmctei version: the fingerprint that already
  voids the publish manifest (:meth:`cmctei.publish.Publisher.config`), reused rather
  than made twice;
* the parameters the pages are transformed with: the site title (in that fingerprint) and
  each index page's facet and value (from the corpus).

The stylesheets read nothing else (``common.xsl``: no ``doc()``, no ``unparsed-text()``,
and Saxon runs with every URI read refused). The record keeps one digest of those inputs,
the SHA-256 of each page written, and the ``sequence.xsl`` output, so that a document page
made again in this run still gets its links without the transform.

The pages are reused only when the digest matches *and* every page has the bytes the
record says it was written with. Bytes rather than existence: reading them costs a few
milliseconds at 1,000 documents (about 5 MB of pages), and it also catches a page edited,
truncated or replaced by hand, or left by an interrupted run made from other inputs, which
existence alone would not. The record is untrusted like every file in build/: the page
names are never taken from it (they are made from the corpus, through
:func:`cmctei.output_paths.output_file`, and must equal the recorded ones), the pages are
read as regular files only (:func:`cmctei.xmlio.read_bytes`), and a record that is not
what was written (not JSON, another shape, a sequence that does not match its digest)
means that every page is made again: a damaged record costs time, nothing else.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cmctei import xmlio
from cmctei.cache import sha256
from cmctei.output_paths import write_output

RECORD = ".cmctei-site.json"
VERSION = 1  # of the record's layout (and of what the digest covers)


def inputs_digest(config: str, corpus_text: str) -> str:
    """One digest of what the site's own pages are made from: the publisher's fingerprint
    (stylesheets, assets, customisation, register, schemas, the site title and the other
    settings, cmctei version) and the corpus text Saxon parses."""
    digest = hashlib.sha256(f"cmctei-site {VERSION}\0{config}\0".encode("utf-8"))
    digest.update(corpus_text.encode("utf-8"))
    return digest.hexdigest()


def reusable(path: Path, inputs: str, pages: list[Path]) -> dict | None:
    """The previous/next links the record keeps (``sequence.xsl``'s output, parsed) when the
    pages ``pages`` need not be made again: the record's digest is ``inputs`` and each page
    has the bytes it was written with. None otherwise (no record, a damaged one, other
    inputs, a page missing or changed)."""
    try:
        data = json.loads(xmlio.read_bytes(path).decode("utf-8"))
    except (xmlio.CannotRead, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("inputs") != inputs:
        return None
    recorded, sequence = data.get("pages"), data.get("sequence")
    if (not isinstance(recorded, dict) or set(recorded) != {page.name for page in pages}
            or not isinstance(sequence, str) or data.get("sequence-sha256") != sha256(sequence.encode("utf-8"))):
        return None
    for page in pages:
        try:
            if sha256(xmlio.read_bytes(page)) != recorded[page.name]:
                return None
        except xmlio.CannotRead:
            return None
    try:
        links = json.loads(sequence)
    except (ValueError, RecursionError):
        return None
    return links if isinstance(links, dict) else None


def forget(path: Path) -> None:
    """Remove the record before the pages are made again: a run stopped half-way leaves none."""
    path.unlink(missing_ok=True)


def write(path: Path, inputs: str, pages: dict[str, str], sequence: str) -> None:
    """Record the pages just written (their names and the SHA-256 of their bytes) and
    ``sequence.xsl``'s output."""
    data = {"version": VERSION, "inputs": inputs, "pages": dict(sorted(pages.items())),
            "sequence-sha256": sha256(sequence.encode("utf-8")), "sequence": sequence}
    write_output(path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
