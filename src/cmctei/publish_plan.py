"""What a publishing run must redo: each master read (or known by its status), its digest
compared with the manifest's, its outputs looked for, and its validation record asked.

Split from publish.py (which passed 500 lines): this is the part of a run that decides; the
rest makes. A master is left alone when the bytes it was published from are the bytes it
has, under the same configuration, its outputs are all there, and (with ``--tei-all``) the
validation record knows those bytes clean at that level; anything else is redone.

Reading every master to hash it (36 MB at 1,000 documents) was 0.05 to 0.1 s of every
incremental run: a master's SHA-256 is kept in ``build/.cache/publish-seen.json`` with the
file's status and taken from there while the file keeps it (filestat.py). A publish from
nothing still reads each master, for the date the search index's shards are planned with
(search_early.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cmctei import cache, filestat, manifest, paths, search_early, validate_publish, xmlio
from cmctei.diagnostics import ERROR, WARNING, Diagnostic
from cmctei.output_paths import UnsafeName, check_docid

if TYPE_CHECKING:
    from cmctei.publish import Publisher, Report

SEEN = "publish-seen.json"


@dataclass
class Plan:
    """``publishable``: the masters that could be read; ``entries``: the manifest's entry of
    each, as far as known now; ``todo``: (master, its digest if the validation record knows
    it clean, else None) to publish; ``dates``: the date read from each master to publish, in
    a run from nothing (search_early.py)."""

    publishable: list[Path] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    todo: list[tuple[Path, str | None]] = field(default_factory=list)
    dates: dict[str, str | None] = field(default_factory=dict)


def plan(publisher: "Publisher", files: list[Path], known: dict[str, dict], validated: cache.ValidationCache,
         report: "Report", progress) -> Plan:
    """Decide, for each of ``files``, whether it is left alone (``report.reused``), published
    (``todo``) or skipped with a problem (a name that is not a safe docid, a file that cannot
    be read)."""
    found = Plan()
    root = paths.project_root()
    made = publisher._made() if known else {}
    seen = _Digests(cache.cache_dir() / SEEN)
    resolve = paths.Resolver()
    for path in files:
        try:
            check_docid(path.stem)
            digest, guess = seen.digest(path, with_date=not known)
        except (UnsafeName, xmlio.CannotRead) as exc:  # a folder named x.xml is only a warning
            report.problems.append(Diagnostic(str(path), 0, 0, WARNING if path.is_dir() else ERROR,
                                              "publish-skipped",
                                              f"not published: {str(exc).removeprefix(f'{path}: ')}"))
            if progress is not None:
                progress.advance()
            continue
        found.publishable.append(path)
        entry = known.get(path.stem)
        master = resolve(path)  # (once: 1,000 masters resolved three times each cost a tenth of a second)
        if (entry and entry.get("sha256") == digest and entry.get("master") == str(master)
                and publisher._outputs_exist(path.stem, manifest.parts(entry), made)
                and validate_publish.needs_no_check(publisher.validator, validated, path, digest, root, master)):
            found.entries[path.stem] = entry
            report.reused.append(path.stem)
            if progress is not None:
                progress.advance()
        else:
            found.entries[path.stem] = {"sha256": digest, "master": str(master)}  # (digest: see publish.py)
            clean = None  # (`cmctei validate` may just have passed it)
            if master.is_relative_to(root) and validated.is_clean(
                    path, publisher.validator.cache_key(path, digest), publisher.validator.tei_all):
                clean = digest
            found.todo.append((path, clean))
            if not known:
                found.dates[path.stem] = guess
    seen.save()
    return found


class _Digests:
    """Masters' SHA-256 by file status (filestat.py), in a record of build/.cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.memo: filestat.Memo[str] = filestat.Memo(filestat.read_record(path), filestat.is_sha256)

    def digest(self, path: Path, with_date: bool) -> tuple[str, str | None]:
        """The master's SHA-256, and (``with_date``) the date its header gives (the bytes are
        read then); :class:`xmlio.CannotRead` for what is not a regular file."""
        key, found = os.path.abspath(path), filestat.regular(path)
        kept = self.memo.get(key, found) if found is not None and not with_date else None
        if kept is not None:
            return kept, None
        raw = xmlio.read_bytes(path)
        digest = cache.sha256(raw)
        guess = search_early.predicted_date(raw) if with_date else None
        del raw  # (a 50 MB master is not held while the others are read)
        if found is not None:
            self.memo.put(key, found, digest)
        return digest, guess

    def save(self) -> None:
        if self.memo.changed():
            filestat.write_record(self.path, self.memo.record())
