"""Converting a whole catalog, in one process or several.

Documents are independent except for one shared thing: the person
register, to which a conversion adds unknown speakers. For the result not
to depend on scheduling (nor on ``--jobs``), a run has two phases:

1. every document is converted against the register as it was when the
   run started (in worker processes when worth it); a document that would
   add persons is not written but *deferred*;
2. the deferred documents are converted again, in catalog order, in this
   process, against the live register, which they extend.

A corpus whose speakers are all known (the common case) is done in phase
1; a new collection with new speakers converts those documents twice.

With ``--changed``, which masters are up to date is decided first, here, on the
bytes of each master and source (:func:`cmctei.convert.settled`, a tenth of a
millisecond a document; less for files known unchanged by their status,
:mod:`cmctei.convert.seen`): only the others go to phase 1, so a run with nothing
or one document to convert starts no worker process (each costs half a second
and imports the converters; issue 18). The outcomes still come in catalog order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cmctei import parallel, paths
from cmctei.convert import Outcome, convert_one, settled
from cmctei.convert import catalog as cat
from cmctei.convert.persons import Register
from cmctei.convert.seen import Seen
from cmctei.diagnostics import internal_error


@dataclass(frozen=True)
class Settings:
    register_path: Path
    tei_dir: Path
    force: bool
    changed_only: bool


_WORKER: dict = {}


def _setup(settings: Settings) -> None:
    _WORKER["settings"] = settings
    _WORKER["register"] = Register.load(settings.register_path)


def _convert(entry: cat.Entry) -> Outcome:
    settings: Settings = _WORKER["settings"]
    register: Register = _WORKER["register"]
    outcome = guarded(entry, register, settings, defer_new_persons=True)
    if register.added:  # back to the register as the run found it
        _WORKER["register"] = Register.load(settings.register_path)
    return outcome


def _settled(entry: cat.Entry, settings: Settings, seen: Seen) -> Outcome | None:
    """The outcome of an entry whose master is up to date (``--changed`` only), else None: it
    is converted. A bug met here leaves the entry to the conversion, which reports it."""
    if not settings.changed_only:
        return None
    try:
        return settled(entry, settings.tei_dir, seen)
    except Exception:  # noqa: BLE001
        return None


def guarded(entry: cat.Entry, register: Register, settings: Settings, *, defer_new_persons: bool) -> Outcome:
    """:func:`convert_one`, with a bug met on this one document reported as its error: the
    other documents are still converted. (A write that fails is not a bug: it stops the run,
    which says what it could not write.)"""
    try:
        return convert_one(entry, register, settings.tei_dir, force=settings.force,
                           changed_only=settings.changed_only, defer_new_persons=defer_new_persons)
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001
        return Outcome(entry.docid, "error", internal_error(paths.shown(entry.source), exc).format())


def run(entries: list[cat.Entry], register: Register, settings: Settings, *, jobs: int) -> Iterator[Outcome]:
    """Outcomes of every entry (phase 1 in catalog order, then the deferred ones).

    ``register`` is the live register (loaded under the lock); phase 2 adds to it.
    """
    deferred: list[cat.Entry] = []
    seen = Seen()
    decided = [_settled(entry, settings, seen) for entry in entries]
    seen.save()
    todo = [entry for entry, outcome in zip(entries, decided) if outcome is None]
    converted = parallel.run(todo, _convert, jobs=jobs, setup=_setup, setup_args=(settings,))
    for entry, outcome in zip(entries, decided):
        if outcome is None:
            outcome = next(converted)
        if outcome.status == "deferred":
            deferred.append(entry)
        else:
            yield outcome
    if todo:  # nothing is left: this ends the generator, and with it the workers
        for _ in converted:
            raise AssertionError("more outcomes than documents to convert")
    for entry in deferred:
        yield guarded(entry, register, settings, defer_new_persons=False)
