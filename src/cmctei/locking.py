"""One cmctei run at a time per folder it writes.

Atomic writes already guarantee that no reader sees half a file. The lock
adds what they cannot: two runs converting into the same tei/ at once
would each read the person register, append their unknown speakers and
write it back, and the second write would drop the first's additions. With
the lock, a second run waits (and says so) until the first is done.

The lock is an advisory ``flock`` on ``<folder>/.cmctei.lock``: the kernel
releases it when the process ends, even after SIGKILL, so a crashed run
never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import fcntl
import fnmatch
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TEMPORARY_GLOB = ".*.cmctei-tmp-*"
_TEMPORARY_MARK = ".cmctei-tmp-"  # (a quick test before the pattern's)


@contextmanager
def folder_lock(folder: Path, what: str) -> Iterator[None]:
    """Hold the folder's lock while the body runs.

    A folder this process cannot write (a read-only mount, no permission) is still
    locked if its lock file exists (``flock`` needs no write access); if it cannot even
    be created, the run goes on unlocked: it cannot write there, so it cannot lose
    anything there, and a run with nothing to write (everything up to date) succeeds.
    Whatever it does try to write fails with a clear error.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / ".cmctei.lock"
    try:
        handle = open(lock, "a+")
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        try:
            handle = open(lock, "r")
        except OSError:
            yield
            return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"cmctei: waiting for another cmctei run that is writing {folder} ({what})…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        remove_stale_temporaries(folder)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files of runs that were killed mid-write (under the lock, none is live), in
    ``folder`` and every folder below it (links to folders are not followed).

    Walked with ``os.walk`` and a test of each name, not ``Path.rglob``: every run locks
    build/, which holds some 17,000 files at 1,000 documents, and the walk is on the way
    of every ``make`` (issue 18: 56 ms with rglob's paths, about half that now)."""
    removed = []
    for parent, _folders, names in os.walk(folder):
        for name in names:
            if not (name.startswith(".") and _TEMPORARY_MARK in name and fnmatch.fnmatchcase(name, TEMPORARY_GLOB)):
                continue
            pid = name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) == os.getpid():
                continue
            path = Path(parent, name)
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed
