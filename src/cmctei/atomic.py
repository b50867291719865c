"""Writing a file so that no reader ever sees half of it (temporary file, then rename).

Used for the masters (:mod:`cmctei.convert.masters`, durable: synced to disk)
and for everything in build/ (not synced one by one). A module of its own,
outside the converter's package, so that validating and publishing do not
import the converter (a tenth of a second of every process: issue 18).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Callable

# A string is encoded this many characters at a time (see write_atomic).
_CHUNK = 1 << 20


def write_atomic(path: Path, data: "bytes | str | Callable[[BinaryIO], None]", *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never a part.

    ``data`` may also be a function that writes the content to the file it is given (a zip
    of large files, a page copied around an edit): then no whole copy is ever held.

    A string is written as UTF-8 a slice at a time rather than encoded whole:
    a transform's output can be tens of megabytes, and a second full copy of
    it in bytes would raise the peak memory of publishing a large document
    (``make bench``).

    ``durable`` (masters, the register) also flushes the file and its folder to
    disk, so a power cut cannot leave an empty file behind the rename. Generated
    outputs in build/ skip that (``durable=False``): a sync per file is most of
    the time of a large publish, and build/ can always be made again.
    """
    temporary = path.with_name(f".{path.name}.cmctei-tmp-{os.getpid()}")
    try:
        with opened_for(path, temporary, make_folder=True) as handle:
            if isinstance(data, str):
                for start in range(0, len(data), _CHUNK):
                    handle.write(data[start:start + _CHUNK].encode("utf-8"))
            elif callable(data):
                data(handle)
            else:
                handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        discard(temporary)
        raise
    if durable:
        sync_folder(path)


def discard(temporary: Path) -> None:
    """Remove a temporary file if it is there; on a read-only file system even trying fails,
    and that must not hide the error that matters (the write that failed)."""
    try:
        temporary.unlink(missing_ok=True)
    except OSError:
        pass


def opened_for(path: Path, temporary: Path, *, make_folder: bool = False):
    """The temporary file, open for writing; a failure names the file being written, not the
    temporary (``cannot write tei/x.xml: Read-only file system``). ``make_folder``: the
    folder is made when it is missing (asked only then: a ``mkdir`` before each of the 15
    files of each document was a tenth of a second of every 1,000 published; issue 18)."""
    try:
        try:
            return _created(temporary)
        except FileNotFoundError:
            if not make_folder:
                raise
        path.parent.mkdir(parents=True, exist_ok=True)
        return _created(temporary)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)


def _created(temporary: Path) -> BinaryIO:
    """A new file of that name, open for writing. Whatever has the name already (a temporary
    a killed run of the same process id left, or a link someone put there, which ``open(…,
    "wb")`` would have followed to write elsewhere) is removed first, itself, not followed."""
    try:
        fd = os.open(temporary, _NEW, 0o666)
    except FileExistsError:
        os.unlink(temporary)
        fd = os.open(temporary, _NEW, 0o666)
    return os.fdopen(fd, "wb")


def sync_folder(path: Path) -> None:
    """Flush the folder of ``path`` to disk (its entries: the rename that was just made)."""
    try:
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)
