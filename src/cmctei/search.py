"""The site's full-text search: Pagefind's index of the document pages, made at publish time.

Pagefind (https://pagefind.app, PyPI ``pagefind[bin]``, installed by ``make setup``) reads
the pages of ``build/html`` and writes a static index (``build/html/pagefind/``) that
``search.js`` queries in the browser: no server beyond a static file server. Only the
document pages are indexed (their ``<main data-pagefind-body>``); the filters (genre,
classification, year, kind, person) and the date come from the hidden facets each page
carries (``site.xsl``). Every language is indexed as English (``--force-language``): the
search page is English, and a French document of a mixed collection must still be found
from it.

The index is made again whenever a page it reads changed (a digest of the pages'
bytes, kept in ``build/.cmctei-search.json``), into a fresh folder that then takes the
place of the old one: an interrupted run leaves the old index whole. Pagefind writes its
filter lists in a different order each run; :mod:`cmctei.search_bytes` puts them in a fixed
order, so the index is the same bytes for the same pages (checked by ``tests/test_site.py``).

Without Pagefind (a plain ``pip install cmctei``), publishing goes on with a warning:
the site reads and navigates, and the search page says that there is no index.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from cmctei import search_bytes
from cmctei.diagnostics import WARNING, Diagnostic
from cmctei.output_paths import write_output

if TYPE_CHECKING:
    from cmctei.publish import Publisher

FOLDER = "pagefind"
STAMP = ".cmctei-search.json"
LANGUAGE = "en"


def executable() -> str | None:
    """The Pagefind binary shipped by the ``pagefind_bin`` package, or None."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        found = get_executable()
    except Exception:  # noqa: BLE001  (a broken install is "not installed")
        return None
    return str(found) if found and Path(found).is_file() else None


def pages_digest(html: Path) -> str:
    """A digest of every page Pagefind reads (their names and bytes)."""
    digest = hashlib.sha256()
    for page in sorted(html.glob("*.html")):
        digest.update(page.name.encode("utf-8") + b"\0" + hashlib.sha256(page.read_bytes()).digest())
    return digest.hexdigest()


def index(publisher: "Publisher") -> list[Diagnostic]:
    """Make (or keep) the search index of ``build/html``; a warning when it cannot be made."""
    html = publisher.out / "html"
    stamp_path = publisher.out / STAMP
    for stale in html.glob(f".{FOLDER}-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    binary = executable()
    if binary is None:
        return [Diagnostic(str(html), 0, 0, WARNING, "search-not-built",
                           "the search index was not made: Pagefind is not installed (pip install "
                           "'pagefind[bin]', which `make setup` does); the site works without it, "
                           "and its search page says so")]
    version = _version(binary)
    wanted = {"pages": pages_digest(html), "pagefind": version, "language": LANGUAGE}
    try:
        recorded = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    if recorded == wanted and (html / FOLDER / "pagefind.js").is_file():
        return []
    fresh = html / f".{FOLDER}-{hashlib.sha256(str(wanted).encode()).hexdigest()[:12]}"
    shutil.rmtree(fresh, ignore_errors=True)
    # (the toolkit never reaches the network: Pagefind only reads and writes these folders)
    result = subprocess.run([binary, "--site", str(html), "--output-path", str(fresh),
                             "--force-language", LANGUAGE, "--silent"],
                            capture_output=True, text=True, timeout=3600, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        said = " ".join((result.stderr or result.stdout).split())[:500]
        return [Diagnostic(str(html), 0, 0, WARNING, "search-not-built",
                           f"the search index was not made: Pagefind failed ({said or 'no message'})")]
    problems: list[Diagnostic] = []
    try:
        search_bytes.canonicalise(fresh)
    except (search_bytes.Unexpected, OSError, ValueError) as exc:
        problems.append(Diagnostic(str(html), 0, 0, WARNING, "search-not-reproducible",
                                   f"the search index works but may differ byte for byte between runs: "
                                   f"this Pagefind ({version or 'unknown version'}) lays out its filter "
                                   f"files differently ({exc})"))
    target = html / FOLDER
    old = html / f".{FOLDER}-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    write_output(stamp_path, (json.dumps(wanted, sort_keys=True) + "\n").encode("utf-8"))
    return problems


def remove(publisher: "Publisher") -> list[Diagnostic]:
    """``publish --no-search``: no index, and none left from an earlier run (it would find pages
    as they were, not as they are); the search page then says there is no index."""
    html = publisher.out / "html"
    for stale in [html / FOLDER, *html.glob(f".{FOLDER}-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    (publisher.out / STAMP).unlink(missing_ok=True)
    return []


def _version(binary: str) -> str:
    try:
        result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()
