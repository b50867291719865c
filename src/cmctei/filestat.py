"""What was computed from a file, kept by the file's status, so that an unchanged file is not
read again.

An incremental run at 1,000 documents read every document page (the search index's record,
search.py) and every master's copy (``tei.zip``'s record, teizip.py) only to find most of
them unchanged: 36 MB hashed, about 0.2 s each (issue 18). Their digests are now kept
beside the status the file had when it was read, and taken from there while the file still
has that status. This is what git's index does; the same two precautions:

- The status is the inode, the size, and the last modification and change times in
  nanoseconds. Every way cmctei writes a file (a new file renamed over the old one) gives it a
  new inode and change time; an editor that writes in place changes both times; the change
  time cannot be set back by a user (``touch`` sets the modification time only).
- A file changed less than :data:`SETTLE_NS` before it was read is not kept ("racy" in git's
  words): the times have the kernel clock's granularity (a few ms), so a second write in the
  same tick, with a freed inode reused, could leave the same status on other bytes. It is
  read again next time, and kept then.

The records are machine-local caches in ``build/.cache/`` (inode numbers and times are not
the same on two machines, nor in two builds), outside the folder a publish writes, whose
every file stays byte-identical for the same inputs. A record is untrusted, like every file
in ``build/``: an entry that is not four integers
and a value of the expected shape is ignored, and the file is read. A forged record can make
cmctei trust a wrong digest, as a forged record of digests always could; it cannot make it
read or write anything else.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Callable, Generic, TypeVar

V = TypeVar("V")
SETTLE_NS = 1_000_000_000  # a file changed within a second of being read is read again next time

Status = tuple[int, int, int, int]
_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: object) -> bool:
    """Whether a value read from a record is a SHA-256 as cmctei writes them (64 hex digits)."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def regular(path: Path | str) -> os.stat_result | None:
    """The status of ``path`` if it is a regular file (links followed, as reading does), else
    None: what is not a regular file is always read, and refused there as it always was."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def status(found: os.stat_result) -> Status:
    """The fields that change when a file's bytes may have: inode, size, mtime and ctime (ns)."""
    return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


class Memo(Generic[V]):
    """Values computed from files, by name, valid while the file keeps the status it had.

    ``check`` tells whether a recorded value has the expected shape (the record is
    untrusted); ``get`` gives it only for the status recorded with it; ``put`` records a
    value just computed, unless the file changed too recently to be trusted by its status."""

    def __init__(self, recorded: object, check: Callable[[object], bool]) -> None:
        self._check = check
        self._old: dict[str, tuple[Status, object]] = {}
        if isinstance(recorded, dict):
            for name, entry in recorded.items():
                if (isinstance(name, str) and isinstance(entry, list) and len(entry) == 5
                        and all(type(n) is int for n in entry[:4])):
                    self._old[name] = (tuple(entry[:4]), entry[4])  # type: ignore[arg-type]
        self._new: dict[str, list] = {}
        self._now = time.time_ns()

    def get(self, name: str, found: os.stat_result) -> V | None:
        """The value recorded for ``name`` if the file has the status recorded with it (and the
        value the expected shape); it is kept in the new record too."""
        old = self._old.get(name)
        if old is None or old[0] != status(found) or not self._check(old[1]):
            return None
        self._new[name] = [*old[0], old[1]]
        return old[1]  # type: ignore[return-value]

    def put(self, name: str, found: os.stat_result, value: V) -> None:
        """Record ``value``, computed from the file whose status before reading was ``found``."""
        if max(found.st_mtime_ns, found.st_ctime_ns) + SETTLE_NS <= self._now:
            self._new[name] = [*status(found), value]

    def record(self) -> dict[str, list]:
        """What to keep for the next run: the entries got or put in this one, sorted by name."""
        return dict(sorted(self._new.items()))

    def changed(self) -> bool:
        """Whether the record differs from the one read (entries gone, new or different)."""
        return self.record() != {name: [*old[0], old[1]] for name, old in sorted(self._old.items())}


def read_record(path: Path) -> object:
    """A record as last written (parsed JSON), or None when it is missing or damaged."""
    from cmctei.xmlio import CannotRead, read_bytes

    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except (CannotRead, ValueError, RecursionError):
        return None


def write_record(path: Path, data: object) -> None:
    """Keep a record for the next run (atomically); a failure to write is not the run's: the
    next run reads the files again."""
    from cmctei.output_paths import write_output

    try:
        write_output(path, (json.dumps(data, separators=(",", ":")) + "\n").encode("utf-8"))
    except OSError:
        pass
