"""``cmctei convert``: which catalog entries, checked how, converted under the folder's lock.

The command's own logic (selecting entries, refusing a --force that would replace several
hand-edited masters, --diff and --accept, the summary line); the conversion itself is
:mod:`cmctei.convert.runner`. Kept apart from :mod:`cmctei.cli`, which parses arguments and
dispatches, so that each stays small.
"""

from __future__ import annotations

import argparse
import sys
from difflib import get_close_matches
from pathlib import Path

from cmctei.cli import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    from cmctei import paths
    from cmctei.cache import cache_dir
    from cmctei.convert import catalog as cat
    from cmctei.convert import catalog_cache
    from cmctei.convert.persons import Register
    from cmctei.xmlio import CannotRead

    catalog_path = args.catalog or paths.project_root() / "sources" / "catalog.toml"
    tei_dir = args.tei_dir or paths.tei_dir()
    register_path = args.register or tei_dir / paths.REGISTER_NAME
    shown_catalog, shown_register = paths.shown(catalog_path), paths.shown(register_path)
    problems: list[cat.CatalogError] = []  # each entry refused, said; the others are converted
    try:
        entries = catalog_cache.load(catalog_path, cache_dir() / "catalog.json", problems=problems)
    except cat.CatalogError as exc:
        _say(exc)
        return EXIT_CANNOT_RUN
    for problem in problems:
        _say(problem)
    refused = {problem.docid for problem in problems}
    left_out: set[str] = set()  # of the entries asked for, those refused (all of them when none is named)
    if args.sources:
        wanted = []
        for selector in args.sources:
            chosen = [e for e in entries if selector in (e.docid, e.source_name)
                      or Path(selector).resolve() == e.source]
            if not chosen and selector in refused:
                left_out.add(selector)
                continue  # (its problem is said above)
            if not chosen:
                near = get_close_matches(selector, [e.docid for e in entries], n=1, cutoff=0.6)
                hint = f"; did you mean {near[0]}?" if near else ""
                print(f"cmctei: error: {selector}: not in the catalog {shown_catalog}{hint}", file=sys.stderr)
                return EXIT_CANNOT_RUN
            wanted.extend(c for c in chosen if c not in wanted)
        entries = wanted
    elif args.accept or args.diff:
        option = "--accept" if args.accept else "--diff"
        print(f"cmctei: error: {option} needs the documents it is about: {paths.command()} convert {option} DOCID",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    if not register_path.is_file():
        print(f"cmctei: error: {shown_register}: person register not found", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        register = Register.load(register_path)
        for entry in list(entries):
            unknown = [(label, pid) for label, pid in entry.overrides.get("speakers", {}).items()
                       if pid not in register.main and pid not in register.groups]
            if unknown:
                label, pid = unknown[0]
                print(f"{shown_catalog}:{entry.line}:1: error: [documents.{entry.docid}] overrides.speakers maps "
                      f"{label!r} to {pid!r}, which is not in the register {shown_register}", file=sys.stderr)
                entries.remove(entry)
                refused.add(entry.docid)
                left_out.add(entry.docid)
    except (ValueError, CannotRead) as exc:
        print(f"cmctei: error: the person register cannot be read: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    failed = EXIT_CANNOT_RUN if refused else EXIT_OK  # (the catalog must be mended: `make` says so)
    if not args.sources:
        left_out = refused
    if args.diff:
        return max(failed, _show_differences(entries, register, tei_dir))
    if args.force and not args.sources:
        edited = _edited_masters_a_conversion_would_replace(entries, tei_dir, args.changed)
        if len(edited) > 1:
            names = ", ".join(paths.shown(tei_dir / f"{docid}.xml") for docid in edited)
            print(f"cmctei: error: --force would replace {len(edited)} masters edited by hand ({names}). Name the "
                  f"ones to replace (`{paths.command()} convert --force {edited[0]}`), or pass --force-all to "
                  "replace them all (each is kept as tei/<docid>.xml.bak). Nothing was changed.", file=sys.stderr)
            return EXIT_CANNOT_RUN
    args.force = args.force or args.force_all

    from cmctei.locking import folder_lock

    with folder_lock(tei_dir, "convert"):
        # read the register only now: another run may just have added to it
        register = Register.load(register_path)
        if args.accept:
            return max(failed, _accept_locked(entries, tei_dir))
        return max(failed, _convert_locked(args, entries, register, register_path, tei_dir, len(left_out)))


def _say(problem: Exception) -> None:
    """A problem of the catalog as a compiler says it: ``file:line:col: error: message``."""
    where, message = problem.args[0].split(": ", 1)
    print(f"{where}: error: {message}", file=sys.stderr)


def _edited_masters_a_conversion_would_replace(entries, tei_dir: Path, changed_only: bool) -> list[str]:
    from cmctei.convert import masters, up_to_date
    from cmctei.xmlio import CannotRead

    edited = []
    for entry in entries:
        target = tei_dir / f"{entry.docid}.xml"
        try:
            data = masters.read_master(target)
        except CannotRead:
            continue  # reported by the conversion itself
        if masters.state_of(data) is masters.State.EDITED and not (changed_only and up_to_date(entry, target, data)):
            edited.append(entry.docid)
    return edited


def _show_differences(entries, register, tei_dir: Path) -> int:
    from cmctei.convert import merging

    failed = False
    for entry in entries:
        text, error = merging.diff(entry, register, tei_dir)
        if error:
            print(error if ": error: " in error else error.replace(": ", ": error: ", 1), file=sys.stderr)
            failed = True
        elif text:
            sys.stdout.write(text)
        else:
            print(f"{entry.docid}: the master is what a conversion gives now", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _accept_locked(entries, tei_dir: Path) -> int:
    from cmctei.convert import merging

    failed = False
    for entry in entries:
        outcome = merging.accept(entry, tei_dir)
        print(outcome.message, file=sys.stderr if outcome.status == "error" else sys.stdout)
        failed = failed or outcome.status == "error"
    return EXIT_PROBLEMS if failed else EXIT_OK


def _convert_locked(args, entries, register, register_path: Path, tei_dir: Path, refused: int = 0) -> int:
    from cmctei import paths
    from cmctei.convert import runner
    from cmctei.progress import Progress, Timings

    timings = Timings()
    settings = runner.Settings(register_path, tei_dir, args.force, args.changed)
    progress = Progress("convert", len(entries), quiet=args.quiet)
    counts: dict[str, int] = {}
    try:
        for outcome in runner.run(entries, register, settings, jobs=args.jobs):
            progress.advance()
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            for warning in outcome.warnings:
                progress.message(warning, sys.stderr)
            if outcome.status in ("error", "conflict"):
                progress.message(outcome.message, sys.stderr)
            elif not args.quiet and outcome.status != "unchanged":
                progress.message(outcome.message)
    except OSError as exc:
        progress.clear()
        print(f"cmctei: error: cannot write {exc.filename or tei_dir}: {exc.strerror or exc}; "
              "the masters already written are complete, the others untouched", file=sys.stderr)
        return EXIT_CANNOT_RUN
    progress.clear()
    timings.add("convert", timings.wall())
    if register.added:
        try:
            register.save()
        except OSError as exc:
            print(f"cmctei: error: cannot write the register {paths.shown(register_path)}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_CANNOT_RUN
        print(f"{paths.shown(register_path)}: added {len(register.added)} person(s) for unknown speakers: "
              + ", ".join(f"{pid} ({label})" for pid, label in register.added), file=sys.stderr)
    summary = ", ".join(f"{counts[k]} {k}" for k in ("written", "forced", "unchanged", "kept", "conflict", "error")
                        if counts.get(k))
    left = f" ({refused} more left out: the catalog's errors above)" if refused else ""
    print(f"{len(entries)} document{'s' if len(entries) != 1 else ''}{left}: {summary or 'nothing to do'}; "
          f"{timings.line()}")
    return EXIT_PROBLEMS if counts.get("error") or counts.get("conflict") else EXIT_OK
