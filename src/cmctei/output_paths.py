"""Where a name taken from data may become an output path, and which records of build/ are sound.

Publishing names its outputs after data: a master's file name (its docid), values in a
document (the facets of the index pages), the documents of a volume (the file's name, a
document's ``xml:id`` or ``@n``), the keys and entries of the manifest in build/. None of
these is trusted. :func:`output_file` is the one place such a name becomes a path,
:func:`check_docid` adds the names the site keeps for itself, :func:`output_id` makes a safe
name for a document of a volume and :func:`checked` checks one read back from the manifest,
and :func:`sound_entry` says whether an entry of the manifest can be used as it is (see
``cmctei.publish``).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, Callable

from lxml import etree

from cmctei import paths, xmlio
from cmctei.atomic import write_atomic


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
    check_name(name, folder.name)
    return folder / name


def check_name(name: str, folder: str = "html") -> None:
    """What :func:`output_file` checks, without making the path (checking the 1,000 entries of
    the manifest is then a tenth as costly): :class:`UnsafeName` when ``name`` cannot be the
    name of a file in the folder named ``folder``."""
    if (not name or _UNSAFE_CHARACTERS.search(name) or name.startswith(".")
            or len(name.encode("utf-8", "surrogatepass")) > 255):
        raise UnsafeName(f"{name!r} cannot be the name of a file in {folder}/ (it must be one plain "
                         "file name: no '/', no control character, not starting with '.')")


_REGISTER_STEM = Path(paths.REGISTER_NAME).stem


def check_docid(docid: str) -> None:
    """A document id that can name its outputs: a plain file name, and not the name of one of
    the site's own pages (``index``, ``persons``, ``all``, ``index-…``): :class:`UnsafeName`."""
    check_name(docid)
    if docid == _REGISTER_STEM:
        raise UnsafeName("this is the name of the person register, which is not a document (the site's "
                         "persons.html is made from it)")
    if paths.reserved_docid(docid):
        raise UnsafeName(f"the name {docid!r} is kept for the site's own pages ({paths.RESERVED_HELP}); "
                         "rename the master")


# ------------------------------------------------------------ names made from a volume's data

SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,149}")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")


def output_id(*parts: str) -> str:
    """An output name from ``parts`` (joined by "-"), for a document of a volume
    (``<volume>-<document>``): characters outside [A-Za-z0-9._-] become "_", leading dots
    and hyphens go, the result is cut to 150 characters; never empty ("document")."""
    cleaned = [_UNSAFE_RUN.sub("_", part).strip("._-") for part in parts]
    name = re.sub(r"\.{2,}", ".", "-".join(part for part in cleaned if part))[:150].rstrip("._-")
    return name if SAFE.fullmatch(name) else "document"


def checked(value: object) -> str | None:
    """``value`` if it is a safe output name (e.g. read back from the manifest), else None."""
    if isinstance(value, str) and SAFE.fullmatch(value) and ".." not in value:
        return value
    return None


# ------------------------------------------------------------ the manifest

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CITATION_STRINGS = ("chicago-note", "chicago-short", "chicago-bibliography", "chicago-note-html",
                     "chicago-bibliography-html", "bibtex", "ris")


def sound_entry(docid: object, entry: object) -> etree._Element | None:
    """One manifest entry's index entry (its ``summary``, parsed) if the entry can be used as
    it is, else None (see :func:`cmctei.manifest.read`). The parsed summary is given back so
    that the run does not parse it a second time for the site's index (issue 18)."""
    if not isinstance(docid, str) or not isinstance(entry, dict):
        return None
    try:
        check_docid(docid)
    except UnsafeName:
        return None
    if not (isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])
            and isinstance(entry.get("master"), str) and "\x00" not in entry["master"]
            and isinstance(entry.get("summary"), str)):
        return None
    try:
        summary = xmlio.parse_untrusted(entry["summary"])
        for facet in ("genre", "classification"):
            check_name(f"index-{facet}-{summary.get(facet)}.html")
    except (etree.XMLSyntaxError, ValueError):
        return None
    if summary.tag != "doc" or summary.get("id") != docid:
        return None
    citation = entry.get("citation")
    if citation is None or citation == {}:
        return summary
    sound = (isinstance(citation, dict) and isinstance(citation.get("csl"), dict)
             and all(isinstance(citation.get(key), str) for key in _CITATION_STRINGS))
    return summary if sound else None


def write_output(path: Path, data: "bytes | str | Callable[[BinaryIO], None]") -> None:
    """Write one file of build/: atomically (never half-written), but not synced to disk one
    by one as a master is (see :func:`cmctei.atomic.write_atomic`): build/ can always
    be made again."""
    write_atomic(path, data, durable=False)


def write_output_if_changed(path: Path, data: bytes) -> bool:
    """:func:`write_output`, unless ``path`` is already a regular file of these bytes (the
    schemas, the register and the assets, copied into the site on every run): the file keeps
    its status, which tei.zip's record trusts (filestat.py). Whether it was written."""
    try:
        found = os.lstat(path)
        if stat.S_ISREG(found.st_mode) and found.st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_output(path, data)
    return True


def write_outputs_alike(paths: list[Path], data: "bytes | str") -> None:
    """The same bytes into several files of build/ (a plain text in ``text/`` and in the site's
    ``html/text/``, a citation in ``cite/`` and ``html/cite/``): written once, then hard-linked
    under the other names, each put in place by a rename as :func:`write_output` does. Creating
    and writing a file costs this disk 0.1 to 0.2 ms, a link a tenth of that: six of each
    document's fifteen files (issue 18). Where a link cannot be made (another file system, one
    without links), the file is written."""
    if not paths:
        return
    first, *others = paths
    write_output(first, data)
    for path in others:
        temporary = path.with_name(f".{path.name}.cmctei-tmp-{os.getpid()}")
        try:
            try:
                os.link(first, temporary)
            except FileNotFoundError:  # (its folder, made only when missing: see atomic.opened_for)
                path.parent.mkdir(parents=True, exist_ok=True)
                os.link(first, temporary)
            except FileExistsError:  # (a temporary a killed run of this process id left)
                temporary.unlink()
                os.link(first, temporary)
            os.replace(temporary, path)
        except OSError:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
            write_output(path, data)
