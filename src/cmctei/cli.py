"""The ``cmctei`` command.

Exit status, for every subcommand: 0 when everything is clean (warnings
allowed), 1 when problems were found, 2 when the command could not run
(bad arguments, a missing or unreadable path). No traceback reaches the
user unless ``CMCTEI_DEBUG=1`` is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from difflib import get_close_matches
from pathlib import Path

from cmctei import __version__
from cmctei.diagnostics import ERROR, Diagnostic, StylesheetError, summary_line, to_json
from cmctei.saxon_limits import SaxonUnavailable

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmctei",
        description="TEI toolkit for archives of declassified government records.",
    )
    parser.add_argument("--version", action="version", version=f"cmctei {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check TEI files against the cmctei profile",
        description=(
            "Check TEI files: well-formedness, the profile schema (schemas/cmctei.xsd), "
            "the profile rules (schemas/cmctei.sch) and, with --tei-all, TEI P5 conformance. "
            "One line per problem: path:line:col: severity: [rule-id] message."
        ),
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="files or folders (default: tei/ of the project)")
    validate.add_argument("--tei-all", action="store_true",
                          help="also validate against TEI P5 tei_all")
    validate.add_argument("--tei-all-only", action="store_true",
                          help="validate against TEI P5 tei_all only, as `jing tei_all.rng` does: for any TEI, "
                               "not only cmctei masters (nothing is recorded)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="output format (default: text)")
    validate.add_argument("--register", type=Path, metavar="FILE",
                          help="person register for persons.xml#… pointers "
                               "(default: persons.xml beside each file, else tei/persons.xml)")
    validate.add_argument("--quiet", action="store_true", help="no progress display")
    validate.add_argument("--no-cache", action="store_true",
                          help="check every file, even those unchanged since they last passed "
                               "(the record is build/.cache/validate.json; files outside the project are "
                               "always checked)")
    _add_jobs(validate)
    validate.set_defaults(func=run_validate)

    convert = commands.add_parser(
        "convert",
        help="convert raw transcriptions in sources/ into TEI masters in tei/",
        description=(
            "Convert the documents of the catalog (default: all) into tei/<docid>.xml. "
            "A master edited by hand since it was generated is never overwritten: the new "
            "conversion goes to tei/<docid>.xml.new and the command exits 1. Then: --diff DOCID "
            "shows the differences, --accept DOCID marks your merged master as up to date, "
            "--force DOCID replaces it (keeping yours as tei/<docid>.xml.bak)."
        ),
    )
    convert.add_argument("sources", nargs="*", metavar="SOURCE",
                         help="docids or source files to convert (default: every catalog entry)")
    convert.add_argument("--catalog", type=Path, help="the catalog (default: sources/catalog.toml)")
    convert.add_argument("--tei-dir", type=Path, help="where the masters go (default: tei/)")
    convert.add_argument("--register", type=Path, help="the person register (default: <tei-dir>/persons.xml)")
    convert.add_argument("--changed", action="store_true",
                         help="only convert sources that are new or changed since their TEI was generated")
    workflow = convert.add_mutually_exclusive_group()
    workflow.add_argument("--force", action="store_true",
                          help="replace the named masters even if edited by hand (each edited one is kept as "
                               "tei/<docid>.xml.bak); without SOURCE, refused if more than one would be replaced")
    workflow.add_argument("--force-all", action="store_true",
                          help="replace every master edited by hand that a conversion would change (each kept as .bak)")
    workflow.add_argument("--accept", action="store_true",
                          help="mark the named masters, merged by hand after a conflict, as up to date with their "
                               "source and catalog entry (make then keeps them); removes their .xml.new")
    workflow.add_argument("--diff", action="store_true",
                          help="show how the new conversion of the named documents differs from their masters "
                               "(the .xml.new if there is one); writes nothing")
    convert.add_argument("--quiet", action="store_true", help="print only problems and the summary")
    _add_jobs(convert)
    convert.set_defaults(func=run_convert)

    publish = commands.add_parser(
        "publish",
        help="publish tei/ as an HTML site, plain text and citations in build/",
        description=(
            "Transform TEI with the stylesheets in xslt/ into build/html, build/text and build/cite. "
            "cmctei masters are validated against the profile: invalid ones are reported and skipped. "
            "Other TEI P5 (FRUS volumes, other projects' files) is checked against tei_all, its findings "
            "shown as warnings, and published; a volume (many div[@type='document']) as a contents page "
            "and a page per document. A file that is not TEI, or not well-formed, is reported and skipped. "
            "The command exits 1 if any file was not published."
        ),
    )
    publish.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                         help="TEI files or folders to publish (default: every master in tei/)")
    publish.add_argument("--stylesheets", type=Path, metavar="DIR",
                         help="a customisation: html.xsl, text.xsl, cite.xsl, index.xsl or persons.xsl in DIR "
                              "replace cmctei's (they may xsl:import cmctei's: href=\"cmctei:html.xsl\"), "
                              "and DIR/assets/ adds to or replaces cmctei's assets (see xslt/README.md)")
    publish.add_argument("--only", choices=("html", "text", "cite"), action="append",
                         help="publish only this output (repeatable; default: all three)")
    publish.add_argument("--out", type=Path, help="output folder (default: build/)")
    publish.add_argument("--register", type=Path, help="person register (default: tei/persons.xml)")
    publish.add_argument("--quiet", action="store_true", help="no progress display")
    publish.add_argument("--all", dest="rebuild", action="store_true",
                         help="rebuild every document, not only those changed since the last publish")
    publish.add_argument("--tei-all", action="store_true",
                         help="validate as `cmctei validate --tei-all` does (every layer, TEI P5 included; every "
                              "finding told, warnings too) in the same run: each master is read, parsed and "
                              "handed to Saxon once, for validating and publishing (what `make` runs)")
    publish.add_argument("--base-url", metavar="URL", default="",
                         help="the published site's address (https://example.org/cmctei/): citations and "
                              "<meta> tags then carry each document's canonical URL, and sitemap.xml is "
                              "written; without it, none")
    publish.add_argument("--admin-email", metavar="EMAIL", default="",
                         help="the address of whoever answers for the OAI-PMH repository: with --base-url, "
                              "build/html/oai.xml (a static OAI-PMH repository of every document's Dublin "
                              "Core record) is written")
    publish.add_argument("--no-search", dest="search", action="store_false",
                         help="make no search index (Pagefind): quicker, and Pagefind needs about 17 times "
                              "the size of the largest page in memory; an index left by an earlier run "
                              "is removed, since it would no longer match the pages")
    publish.add_argument("--search-shard-pages", metavar="N", type=_positive, default=None,
                         help="pages per shard of the search index, on average (default 64, more past "
                              "4,096 pages): an edit re-indexes the shard of its page, and the search "
                              "page merges the shards")
    _add_jobs(publish)
    publish.set_defaults(func=run_publish)

    build = commands.add_parser(
        "build",
        help="convert what changed, then validate and publish: what `make` runs, in one process",
        description=(
            "`convert --changed`, then `publish --tei-all`, in one process: what `make` runs. Each stage "
            "runs even when the one before it reported problems (a source that cannot be converted does "
            "not keep the other masters from being validated and published); the run then fails, naming "
            "the stages that did. One process, not two: a run after an earlier one sets up a publishing "
            "worker (its stylesheets compiled) while the sources are converted."
        ),
    )
    build.add_argument("--stylesheets", type=Path, metavar="DIR", help="as for publish: a customisation")
    build.add_argument("--base-url", metavar="URL", default="", help="as for publish: the site's address")
    build.add_argument("--admin-email", metavar="EMAIL", default="",
                       help="as for publish: who answers for the OAI-PMH repository")
    build.add_argument("--quiet", action="store_true", help="print only problems and the summaries")
    _add_jobs(build)
    build.set_defaults(func=run_build)
    parser.commands = commands.choices  # type: ignore[attr-defined]  (for suggestions: main)
    return parser


def _whole_number(least: int, refusal: str):
    """An argparse type: a whole number of at least ``least``, else ``refusal``."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if number < least:
            raise argparse.ArgumentTypeError(refusal)
        return number
    return parse


_jobs = _whole_number(0, "must be 0 (one per core) or more")
_positive = _whole_number(1, "must be 1 or more")


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                        help="worker processes (default 1; 0 = one per core). Small runs stay in one "
                             "process: starting a worker costs more than a few documents")


def _resolve_jobs(args: argparse.Namespace) -> None:
    from cmctei.parallel import default_jobs

    if getattr(args, "jobs", 1) == 0:
        args.jobs = default_jobs()


def _publisher(args: argparse.Namespace):
    """The publisher ``publish`` arguments ask for, or the exit status when they cannot run
    (said on stderr): a bad --base-url, --admin-email or --stylesheets."""
    from cmctei import paths
    from cmctei.publish import OUTPUTS, BadAdminEmail, BadBaseURL, Publisher

    if args.stylesheets is not None and not args.stylesheets.is_dir():
        print(f"cmctei: error: {args.stylesheets}: the stylesheet folder does not exist", file=sys.stderr)
        return EXIT_CANNOT_RUN
    out = args.out or Path(paths.shown(paths.project_root() / "build"))
    try:
        return Publisher(out, tuple(args.only) if args.only else OUTPUTS, register=args.register,
                         base_url=args.base_url, stylesheets=args.stylesheets, admin_email=args.admin_email,
                         search=args.search, tei_all=args.tei_all, search_shard_pages=args.search_shard_pages)
    except BadBaseURL as exc:
        print(f"cmctei: error: --base-url: {exc}", file=sys.stderr)
    except BadAdminEmail as exc:
        print(f"cmctei: error: --admin-email: {exc}", file=sys.stderr)
    return EXIT_CANNOT_RUN


def run_publish(args: argparse.Namespace, publisher=None, warm=None) -> int:
    """``publish``; ``publisher`` and ``warm``: made already (by ``build``, from these arguments)."""
    from cmctei import paths
    from cmctei.publish import documents

    files: list[Path] = []
    seen: set[Path] = set()  # (a set: `in files` made listing 10,000 masters quadratic, issue 18)
    for target in args.paths or [Path(paths.shown(paths.tei_dir()))]:
        if target.is_dir():  # its TEI files, the person register aside
            found = [p for p in documents(target, recursive=bool(args.paths)) if p not in seen]
            files.extend(found)
            seen.update(found)
        elif os.path.lexists(target):  # (a named pipe under a master's name: reported by the run, which goes on)
            files.append(target)
            seen.add(target)
        else:
            print(f"cmctei: error: {target}: no such file or folder", file=sys.stderr)
            return EXIT_CANNOT_RUN
    if publisher is None:
        publisher = _publisher(args)
        if isinstance(publisher, int):
            return publisher
    out, outputs = publisher.out, publisher.outputs
    from cmctei.locking import folder_lock

    from cmctei.progress import Progress, Timings

    timings = Timings()
    progress = Progress("publish", len(files), quiet=args.quiet)
    try:
        with folder_lock(out, "publish"):
            report = publisher.run(files, jobs=args.jobs, rebuild=args.rebuild, progress=progress, warm=warm)
    except OSError as exc:
        progress.clear()
        print(f"cmctei: error: cannot write {exc.filename or out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    progress.clear()
    if args.tei_all:
        from cmctei.validate_publish import check_register

        folders = [t for t in args.paths or [paths.tei_dir()] if t.is_dir()]
        registers, checked = check_register(publisher.validator, args.register, folders, files)
    else:
        registers, checked = 0, []
    for problem in checked + report.problems:
        print(problem.format(), file=sys.stderr)
    for note in report.notes:
        print(note)
    timings.merge(report.stages)
    if args.tei_all:  # what `cmctei validate --tei-all` would have said of the same files
        from cmctei.diagnostics import summary_line

        found = [p for p in checked + report.problems if not p.rule.startswith("publish-")]
        print(f"{summary_line(len(files) + registers, found)} (every layer, TEI P5 included)")
    reused = f"; {len(report.reused)} unchanged since the last run, not redone" if report.reused else ""
    print(f"{len(report.published)} of {len(files)} document{'s' if len(files) != 1 else ''} published "
          f"({', '.join(outputs)}) in {paths.shown(out)}{reused}; {timings.line()}")
    return EXIT_PROBLEMS if report.failed or any(p.severity == ERROR for p in checked) else EXIT_OK


def run_convert(args: argparse.Namespace) -> int:
    from cmctei.convert_command import run

    return run(args)


BUILD_STAGES = ("convert", "validate-publish")  # as the Makefile names them (make convert, make validate-publish)


def run_build(args: argparse.Namespace) -> int:
    """``convert --changed`` then ``publish --tei-all`` (what `make` runs), each run whatever
    the other said; a publishing worker set up meanwhile (publish_workers.start_warm)."""
    from cmctei import publish_workers

    parser = build_parser()
    common = ["--jobs", str(args.jobs), *(["--quiet"] if args.quiet else [])]
    convert_args = parser.parse_args(["convert", "--changed", *common])
    publish_args = parser.parse_args(["publish", "--tei-all", *common, "--base-url", args.base_url,
                                      "--admin-email", args.admin_email,
                                      *(["--stylesheets", str(args.stylesheets)] if args.stylesheets else [])])
    publisher = _publisher(publish_args)
    if isinstance(publisher, int):  # (said why: nothing is converted for a run that cannot publish)
        return publisher
    warm = publish_workers.start_warm(publisher, args.jobs)
    try:
        codes = [_guarded(run_convert, convert_args),
                 _guarded(run_publish, publish_args, publisher, warm)]
    finally:
        if warm is not None:
            warm.close()
    failed = [stage for stage, code in zip(BUILD_STAGES, codes) if code]
    if failed:
        print(f"cmctei build: problems reported by: {' '.join(failed)} (see the messages above)", file=sys.stderr)
    return max(codes)


def run_validate(args: argparse.Namespace) -> int:
    from cmctei import parallel, paths
    from cmctei.cache import ValidationCache, cache_dir
    from cmctei.progress import Progress, Timings
    from cmctei.validate import CannotRun, Validator, _setup_worker, _validate_in_worker, collect_with_notes

    timings = Timings()
    targets = args.paths or [Path(paths.shown(paths.tei_dir()))]
    try:
        files, notes = collect_with_notes(targets)
        if args.register is not None and not args.register.is_file():
            raise CannotRun(f"{args.register}: register not found")
    except CannotRun as exc:
        print(f"cmctei: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    if args.tei_all_only:  # a verdict of one layer is no verdict of the file: never recorded
        args.tei_all, args.no_cache = True, True
    validator = Validator(tei_all=args.tei_all, register=args.register, tei_all_only=args.tei_all_only)
    cache = ValidationCache(None if args.no_cache else cache_dir() / "validate.json", validator.config())
    progress = Progress("validate", len(files), quiet=args.quiet or args.format == "json")
    problems: list[Diagnostic] = list(notes)
    if args.format == "text":
        for note in notes:
            progress.message(note.format())
    cannot_read = 0
    todo: list[tuple[Path, list[str]]] = []
    root = paths.project_root()
    for file in files:
        key: list[str] = []
        if not args.no_cache and file.resolve().is_relative_to(root):
            # only the project's own files: a file elsewhere is always checked afresh
            try:
                key = validator.cache_key(file)
            except Exception:  # unreadable: the check below reports it with its reason
                key = []
        if key and cache.is_clean(file, key, args.tei_all):
            progress.advance()
        else:
            todo.append((file, key))
    cached = len(files) - len(todo)
    if todo:  # the rules run in Saxon: say now if it cannot start (not from every worker)
        from cmctei.saxon_limits import check_address_space

        check_address_space()
    results = parallel.run([f for f, _ in todo], _validate_in_worker, jobs=args.jobs,
                           setup=_setup_worker, setup_args=(args.tei_all, args.register, args.tei_all_only))
    for (file, key), (found, unreadable, stages) in zip(todo, results):
        progress.advance()
        timings.merge(stages)
        if unreadable:
            progress.message(f"cmctei: error: {unreadable}", sys.stderr)
            cannot_read += 1
            continue
        problems.extend(found)
        if key:
            cache.record(file, key, clean=not found, tei_all=args.tei_all)
        if args.format == "text":
            for problem in found:
                progress.message(problem.format())
    progress.clear()
    cache.save()

    if args.format == "json":
        print(to_json(len(files), problems))
    else:
        line = summary_line(len(files), problems)
        if cached:
            line += f" ({cached} unchanged since they last passed, not checked again)"
        print(f"{line}; {timings.line()}")
    if cannot_read:
        return EXIT_CANNOT_RUN
    return EXIT_PROBLEMS if any(p.severity == ERROR for p in problems) else EXIT_OK


def _suggest(word: str, choices, what: str) -> str:
    near = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"unknown {what} {word!r}" + (f"; did you mean {near[0]}?" if near else f" (one of: {', '.join(choices)})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    parser = build_parser()
    commands = parser.commands  # type: ignore[attr-defined]
    if argv and not argv[0].startswith("-") and argv[0] not in commands:
        print(f"cmctei: error: {_suggest(argv[0], commands, 'command')}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = commands.get(getattr(args, "command", None) or "")
        options = [o for action in (command or parser)._actions for o in action.option_strings if o.startswith("--")]
        unknown = next((e for e in extra if e.startswith("-")), extra[0])
        prog = f"cmctei {args.command}" if command else "cmctei"
        what = _suggest(unknown.split("=", 1)[0], options, "option") if unknown.startswith("-") else \
            f"unexpected argument {unknown!r}"
        print(f"{prog}: error: {what}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_CANNOT_RUN
    _resolve_jobs(args)
    try:
        return _guarded(args.func, args)
    except KeyboardInterrupt:
        print("cmctei: interrupted", file=sys.stderr)
        return 130


def _guarded(command, *args) -> int:
    """``command(*args)``'s exit status, what stopped it said on stderr: never a traceback
    (Ctrl-C is not caught: it ends the whole run)."""
    try:
        return command(*args)
    except StylesheetError as exc:  # a stylesheet in xslt/ (perhaps customised) does not compile
        print(exc.diagnostic.format(), file=sys.stderr)
        return EXIT_CANNOT_RUN
    except SaxonUnavailable as exc:  # e.g. under a ulimit -v below what its runtime reserves
        print(f"cmctei: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("CMCTEI_DEBUG"):
            traceback.print_exc()
        print(f"cmctei: internal error: {type(exc).__name__}: {exc} "
              "(set CMCTEI_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return EXIT_CANNOT_RUN
