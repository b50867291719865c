"""After a conflict: seeing what a new conversion would change, and marking a merge as done.

When the source or catalog entry of a master edited by hand changes, ``convert`` does not
touch the master: it writes the new conversion beside it (``<docid>.xml.new``) and reports
a conflict. The editor carries what they want into their master. Two commands finish the
job:

* ``cmctei convert --diff DOCID``: the differences between the master and the new
  conversion (the ``.xml.new``, or a fresh conversion when there is none), as a unified
  diff;
* ``cmctei convert --accept DOCID``: the master, as it is, is declared merged. Its
  ``<change type="conversion">`` is brought up to date (the recorded source SHA-256,
  catalog-entry SHA-256 and cmctei version, nothing else in the file), so ``make`` keeps
  it from then on instead of raising the same conflict on every run; the ``.xml.new`` goes.
  The master stays "edited by hand": no conversion overwrites it without ``--force``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from cmctei import paths
from cmctei.convert import RECORDED, Outcome, current_values, generate, masters, recorded_in
from cmctei.convert import catalog as cat
from cmctei.convert import text as tx
from cmctei.convert.persons import Register
from cmctei.xmlio import CannotRead, read_bytes


def accept(entry: cat.Entry, tei_dir: Path) -> Outcome:
    """Record in the master that it is merged with the current source and catalog entry."""
    target = tei_dir / f"{entry.docid}.xml"
    shown = paths.shown(target)
    try:
        before = masters.read_master(target)
    except CannotRead as exc:
        return Outcome(entry.docid, "error", f"{shown}:0:0: error: {str(exc).split(': ', 1)[-1]}")
    if before is None:
        return Outcome(entry.docid, "error", f"{shown}:0:0: error: there is no master to accept; "
                                             f"run `{paths.command()} convert {entry.docid}`")
    values = current_values(entry)
    if values is None:
        return Outcome(entry.docid, "error", f"{paths.shown(entry.source)}:0:0: error: cannot read the source")
    found = recorded_in(before)
    if set(found) != set(values) or len(RECORDED.findall(before)) != len(values):
        return Outcome(entry.docid, "error", f"{shown}:0:0: error: the master does not record its conversion "
                       "once (change type=\"conversion\" with the idno source-sha256, catalog-sha256 and "
                       "cmctei-version): copy that element from the .xml.new, or convert again with --force")
    new = target.with_name(target.name + ".new")
    if found == values:
        message = f"{shown}: already up to date with its source and catalog entry; nothing to accept"
        if new.exists():
            new.unlink()
            message += f" ({paths.shown(new)} removed)"
        return Outcome(entry.docid, "unchanged", message)
    data = RECORDED.sub(lambda m: m.group(0).replace(m.group(2), values[m.group(1).decode()].encode()), before)
    try:
        masters.replace_if_unchanged(target, data, before)
    except masters.Changed:
        return Outcome(entry.docid, "error", f"{shown}:0:0: error: the master was saved while it was being "
                                             "accepted; run the command again")
    message = (f"{shown}: accepted as merged (its conversion record now names the current source, catalog "
               "entry and cmctei version; make keeps it)")
    if new.exists():
        new.unlink()
        message += f"; {paths.shown(new)} removed"
    return Outcome(entry.docid, "written", message)


def diff(entry: cat.Entry, register: Register, tei_dir: Path) -> tuple[str, str | None]:
    """The unified diff of the master and its new conversion, and an error (or None)."""
    target = tei_dir / f"{entry.docid}.xml"
    new = target.with_name(target.name + ".new")
    try:
        master = masters.read_master(target)
        if new.exists():
            theirs, label = read_bytes(new), paths.shown(new)
        else:
            theirs, label = generate(entry, register).data, f"{paths.shown(target)} (converted now)"
    except CannotRead as exc:
        return "", f"{paths.shown(target)}:0:0: error: {str(exc).split(': ', 1)[-1]}"
    except tx.SourceError as exc:
        return "", str(exc)
    mine = (master or b"").decode("utf-8", "replace").splitlines(keepends=True)
    other = theirs.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(mine, other, fromfile=paths.shown(target), tofile=label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines), None
