"""One Saxon processor per process, configured to read nothing by itself.

SaxonC starts a small JVM-like runtime; starting it once per process (not
once per file) is what keeps validation and publishing fast. Its defaults
are open (its parser expands external entities; ``doc()`` and
``unparsed-text()`` read local files), so cmctei never lets Saxon parse a
file: lxml parses with safe settings and Saxon receives the text. Reading
URIs from inside a stylesheet is switched off with ``allowedProtocols``.
"""

from __future__ import annotations

from saxonche import PySaxonProcessor

_PROCESSOR: PySaxonProcessor | None = None


def processor() -> PySaxonProcessor:
    global _PROCESSOR
    if _PROCESSOR is None:
        proc = PySaxonProcessor(license=False)
        # An empty list of protocols forbids every URI read from stylesheets
        # (doc(), document(), unparsed-text(), collection()).
        proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "")
        _PROCESSOR = proc
    return _PROCESSOR
