"""Where a name taken from data may become an output path, and which records of build/ are sound.

Publishing names its outputs after data: a master's file name (its docid), values in a
document (the facets of the index pages), the keys and entries of the manifest in build/.
None of these is trusted. :func:`output_file` is the one place such a name becomes a path,
:func:`check_docid` adds the names the site keeps for itself, and :func:`sound_entry` says
whether an entry of the manifest can be used as it is (see ``cmctei.publish``).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from cmctei import paths, xmlio


class UnsafeName(ValueError):
    """A name taken from data (a file name, a document value, the manifest) that cannot be
    the name of an output file."""


_UNSAFE_CHARACTERS = re.compile(r"[/\\\x00-\x1f\x7f]")


def output_file(folder: Path, name: str) -> Path:
    """``folder / name``, where ``name`` comes from data: a master's file name, a value in a
    document (a facet of the index), a key of the manifest in build/. Every output path
    made from data is made here, so none can leave its folder or hide in it: a name must be
    one plain file name (no ``/``, ``\\``, control character, leading dot, ``..``), at most
    255 bytes. Raises :class:`UnsafeName` otherwise."""
    if (not name or _UNSAFE_CHARACTERS.search(name) or name.startswith(".")
            or len(name.encode("utf-8", "surrogatepass")) > 255):
        raise UnsafeName(f"{name!r} cannot be the name of a file in {folder.name}/ (it must be one plain "
                         "file name: no '/', no control character, not starting with '.')")
    return folder / name


def check_docid(docid: str) -> None:
    """A document id that can name its outputs: a plain file name, and not the name of one of
    the site's own pages (``index``, ``persons``, ``all``, ``index-…``): :class:`UnsafeName`."""
    output_file(Path("html"), docid)
    if docid == Path(paths.REGISTER_NAME).stem:
        raise UnsafeName("this is the name of the person register, which is not a document (the site's "
                         "persons.html is made from it)")
    if paths.reserved_docid(docid):
        raise UnsafeName(f"the name {docid!r} is kept for the site's own pages ({paths.RESERVED_HELP}); "
                         "rename the master")


_SHA256 = re.compile(r"[0-9a-f]{64}")
_CITATION_STRINGS = ("chicago-note", "chicago-short", "chicago-bibliography", "chicago-note-html",
                     "chicago-bibliography-html", "bibtex", "ris")


def sound_entry(docid: object, entry: object) -> bool:
    """Whether one manifest entry can be used as it is (see :func:`cmctei.publish._read_manifest`)."""
    if not isinstance(docid, str) or not isinstance(entry, dict):
        return False
    try:
        check_docid(docid)
    except UnsafeName:
        return False
    if not (isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])
            and isinstance(entry.get("master"), str) and "\x00" not in entry["master"]
            and isinstance(entry.get("summary"), str)):
        return False
    try:
        summary = xmlio.parse_untrusted(entry["summary"])
        for facet in ("genre", "classification"):
            output_file(Path("html"), f"index-{facet}-{summary.get(facet)}.html")
    except (etree.XMLSyntaxError, ValueError):
        return False
    if summary.tag != "doc" or summary.get("id") != docid:
        return False
    citation = entry.get("citation")
    if citation is None or citation == {}:
        return True
    return (isinstance(citation, dict) and isinstance(citation.get("csl"), dict)
            and all(isinstance(citation.get(key), str) for key in _CITATION_STRINGS))
