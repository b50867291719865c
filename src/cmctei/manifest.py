"""The publish manifest (``build/.cmctei-publish.json``): what the last run published.

Per document, the SHA-256 of the master it was made from, its index entry and its
citation (and, for a volume, its documents' output names). Read back as untrusted
input: :func:`read` keeps only the entries that are sound
(:func:`cmctei.output_paths.sound_entry`); a damaged record costs a rebuild, nothing
else.
"""

from __future__ import annotations

import json
from pathlib import Path

from cmctei import output_paths, xmlio
from cmctei.output_paths import sound_entry




def parts(entry: object) -> list[str]:
    """A volume's documents' output ids, as recorded in the manifest: only safe names
    (the manifest is read back, and its values become file names)."""
    parts = entry.get("parts") if isinstance(entry, dict) else None
    if not isinstance(parts, list):
        return []
    return [name for name in (output_paths.checked(p) for p in parts or []) if name]


def read(path: Path, config: str) -> dict:
    """The manifest of the last run, with only the entries that are sound.

    It is read as untrusted input, like a master: a file in build/ can be damaged or
    written by anyone. An entry is kept only if its docid can name outputs
    (:func:`cmctei.output_paths.check_docid`), its digest is a SHA-256, its master a path, its index entry a
    ``<doc>`` of that docid whose facet values can name pages, and its citation the strings
    the aggregates are made of. Anything else is dropped, and the document is made again:
    a damaged record costs time, nothing else.

    ``summaries``: per sound entry, its summary's text and the element parsed from it to
    check it, which the run's site index takes instead of parsing the text again.
    """
    try:
        data = json.loads(xmlio.read_bytes(path).decode("utf-8"))
    except (xmlio.CannotRead, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("config") != config or not isinstance(data.get("documents"), dict):
        return {}
    documents, summaries = {}, {}
    for docid, entry in data["documents"].items():
        summary = sound_entry(docid, entry)
        if summary is not None:
            documents[docid] = entry
            summaries[docid] = (entry["summary"], summary)
    return {"config": config, "documents": documents, "summaries": summaries}


def write(path: Path, config: str, documents: dict[str, dict]) -> None:
    data = {"config": config, "documents": dict(sorted(documents.items()))}
    # (not sort_keys: the citations keep their order, so all.json is the same from the manifest)
    output_paths.write_output(path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
