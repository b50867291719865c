"""The processes that publish masters for :class:`cmctei.publish.Publisher`.

Each worker process has a publisher of its own, set up once (:func:`setup`), and publishes
the masters it is sent (:func:`process`): module-level functions, sent to the workers by name
(:mod:`cmctei.parallel`). A run after an earlier one starts one worker before it knows what
changed (:func:`start_warm`): its stylesheets are compiled, 0.5 to 0.6 s, on the other core
while this process reads the last run's record and finds the changed masters; ``cmctei
build`` starts it before converting, so that conversion hides the compile too (issue 18).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cmctei import parallel

if TYPE_CHECKING:
    from cmctei.publish import Done, Publisher

_WORKER: dict = {}

DOCUMENT_SHEETS = ("cite", "text", "dc", "html")
"""The stylesheets a master's outputs are made with (:meth:`Publisher.needs` says which a run
uses)."""


def settings(publisher: "Publisher") -> tuple:
    """What a worker's publisher is made from (:func:`setup`'s arguments)."""
    return (publisher.out, publisher.outputs, publisher.register_path, publisher.site_title,
            publisher.base_url, publisher.custom, publisher.validator.tei_all)


def setup(out: Path, outputs: tuple[str, ...], register: Path | None, site_title: str | None,
          base_url: str = "", stylesheets: Path | None = None, tei_all: bool = False,
          ready: bool = False) -> None:
    """A worker's publisher; ``ready``: with what every master needs made now, not for the
    first (its stylesheets compiled, the schema, rules and tei_all grammar loaded), for a
    worker started before the work is known. Nothing here reads a master or the register:
    a conversion that runs meanwhile may still change them."""
    from cmctei.publish import Publisher

    publisher = _WORKER["publisher"] = Publisher(out, outputs, register=register, site_title=site_title,
                                                 base_url=base_url, stylesheets=stylesheets, tei_all=tei_all)
    if ready:
        publisher.validator.xsd, publisher.validator.schematron, publisher.validator.teiall
        for name in DOCUMENT_SHEETS:
            if publisher.needs(name):
                publisher.sheet(name)


def process(task: tuple[Path, str | None]) -> "Done":
    return _WORKER["publisher"].process(task)


def start_warm(publisher: "Publisher", jobs: int) -> parallel.Warm | None:
    """A worker set up for ``publisher`` before the work is known, or None: one job, nothing
    published before (a first run has every master to publish, in as many workers as it has
    jobs), or a process that must not fork (:meth:`cmctei.parallel.Warm.start`)."""
    from cmctei.publish import MANIFEST

    if not (publisher.out / MANIFEST).is_file():
        return None
    return parallel.Warm.start(jobs, setup, (*settings(publisher), True))
