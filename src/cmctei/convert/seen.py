"""What ``convert --changed`` knows of each master and source without reading them again.

Deciding which masters are up to date read every master and every source (36 MB and more at
1,000 documents) on every ``make``: 0.3 s of an incremental run, nearly all the converter's
time when one document changed (issue 18). What was found (a source's SHA-256; a master's
state and the values it records) is now kept in ``build/.cache/convert-seen.json`` with the
file's status (filestat.py: inode, size, modification and change times) and taken from there
while the file keeps that status.

This only spares reading: a master is still converted, or kept, by :func:`convert_one`, which
reads it and its source again and replaces it only if it still holds the bytes it read. So a
wrong entry (a forged record; the status collision filestat.py guards against) can only make
``--changed`` leave a document as it is, never overwrite a hand edit.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cmctei import cache, filestat
from cmctei.convert import masters
from cmctei.xmlio import read_bytes

NAME = "convert-seen.json"
_VALUES = {"source-sha256", "catalog-sha256", "cmctei-version"}
_STATES = {masters.State.PRISTINE.value, masters.State.EDITED.value}


def _master_shape(value: object) -> bool:
    """[state, {name: value}]: a master's state (pristine or edited) and what it records."""
    return (isinstance(value, list) and len(value) == 2 and value[0] in _STATES and isinstance(value[1], dict)
            and all(k in _VALUES and isinstance(v, str) for k, v in value[1].items()))


class Seen:
    """The masters and sources of one run, known by status (record read from ``path``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache.cache_dir() / NAME
        recorded = filestat.read_record(self.path)
        recorded = recorded if isinstance(recorded, dict) else {}
        self._sources: filestat.Memo[str] = filestat.Memo(recorded.get("sources"), filestat.is_sha256)
        self._masters: filestat.Memo[list] = filestat.Memo(recorded.get("masters"), _master_shape)

    def source_sha256(self, source: Path) -> str:
        """The source's SHA-256 (:class:`CannotRead` as :func:`read_bytes` raises it)."""
        found, key = filestat.regular(source), os.path.abspath(source)
        kept = self._sources.get(key, found) if found is not None else None
        if kept is None:
            kept = hashlib.sha256(read_bytes(source)).hexdigest()
            if found is not None:
                self._sources.put(key, found, kept)
        return kept

    def master(self, target: Path) -> tuple[masters.State, dict[str, str]]:
        """The master's state and the values it records (MISSING and {} when there is none;
        :class:`CannotRead` as :func:`masters.read_master` raises it)."""
        from cmctei.convert import recorded_in

        found, key = filestat.regular(target), os.path.abspath(target)
        kept = self._masters.get(key, found) if found is not None else None
        if kept is not None:
            return masters.State(kept[0]), dict(kept[1])
        before = masters.read_master(target)
        state, values = masters.state_of(before), recorded_in(before)
        if found is not None and state is not masters.State.MISSING:
            self._masters.put(key, found, [state.value, values])
        return state, values

    def save(self) -> None:
        """Keep what this run found (only if it differs from what was read; a failure to
        write is not the run's: the next run reads the files)."""
        if self._sources.changed() or self._masters.changed():
            filestat.write_record(self.path, {"sources": self._sources.record(), "masters": self._masters.record()})
