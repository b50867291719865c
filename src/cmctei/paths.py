"""Where the project's files are.

The schemas, stylesheets and the TEI masters live in the project tree, not
inside the Python package: archivists edit them, and editors such as oXygen
find the schemas through the ``<?xml-model?>`` instructions by relative path.
The package is installed in editable mode by ``make``, so the project root is
two levels above this file. ``CMCTEI_HOME`` overrides it (e.g. for a
checkout used from another directory).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("CMCTEI_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def schemas_dir() -> Path:
    return project_root() / "schemas"


def xsd_path() -> Path:
    return schemas_dir() / "cmctei.xsd"


def schematron_path() -> Path:
    return schemas_dir() / "cmctei.sch"


def tei_dir() -> Path:
    return project_root() / "tei"


REGISTER_NAME = "persons.xml"


RESERVED_DOCIDS = ("persons", "index", "all")
"""Names a document cannot take: its outputs would overwrite the register (``tei/persons.xml``)
or the site's own pages (``index.html``, ``persons.html``, ``index-<facet>-<value>.html``,
``cite/all.json``, ``all.bib``, ``all.ris``)."""
RESERVED_HELP = "persons, index, all and names starting with index-"


def reserved_docid(docid: str) -> bool:
    """Whether ``docid`` is one of RESERVED_DOCIDS, in any case: where file names do not tell
    case apart (macOS, Windows), ``Index.html`` is ``index.html``."""
    lower = docid.lower()
    return lower in RESERVED_DOCIDS or lower.startswith("index-")


def shown(path: Path | str) -> str:
    """A path as the user can type it from where they stand: relative to the working folder
    when it is inside it (``tei/x.xml``), else as given."""
    text = str(path)
    if not os.path.isabs(text):
        return text
    try:
        here = os.getcwd()
    except OSError:
        return text
    relative = os.path.relpath(text, here)
    return text if relative == ".." or relative.startswith(".." + os.sep) else relative


def command() -> str:
    """The cmctei command as the user can type it: ``cmctei`` when that is on the PATH (and is
    this one), else the virtual environment's script (``.venv/bin/cmctei`` after ``make``)."""
    script = Path(sys.prefix) / "bin" / "cmctei"
    found = shutil.which("cmctei")
    try:
        if found and script.exists() and os.path.samefile(found, script):
            return "cmctei"
    except OSError:
        pass
    return shown(script) if script.exists() else "cmctei"


class Resolver:
    """``path.resolve()`` for many files of a few folders: each folder resolved once, and a
    file itself only when it is a link (or a name ``resolve`` treats specially). Resolving
    each of 1,000 masters, component by component, took 0.05 s of every publish (issue 18).
    For one run: a folder replaced by a link meanwhile is not seen."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name


def documents(tei_dir: Path, recursive: bool = False) -> list[Path]:
    """The files to publish in a folder: every *.xml (in its subfolders too if ``recursive``,
    hidden ones aside) except the person register."""
    found = tei_dir.rglob("*.xml") if recursive else tei_dir.glob("*.xml")
    # (not only regular files: a folder or a named pipe under an .xml name is reported by the run)
    return sorted(p for p in found if p.name != REGISTER_NAME
                  and not any(part.startswith(".") for part in p.relative_to(tei_dir).parts))
