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
from pathlib import Path

from cmctei import __version__
from cmctei.diagnostics import ERROR, Diagnostic, summary_line, to_json

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
                          help="also validate against TEI P5 tei_all (slower: compiles the full TEI grammar)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="output format (default: text)")
    validate.add_argument("--register", type=Path, metavar="FILE",
                          help="person register for persons.xml#… pointers "
                               "(default: persons.xml beside each file, else tei/persons.xml)")
    validate.set_defaults(func=run_validate)
    return parser


def run_validate(args: argparse.Namespace) -> int:
    from cmctei import paths
    from cmctei.validate import CannotRun, Validator, collect

    targets = args.paths or [paths.tei_dir()]
    try:
        files = collect(targets)
        if args.register is not None and not args.register.is_file():
            raise CannotRun(f"{args.register}: register not found")
    except CannotRun as exc:
        print(f"cmctei: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    validator = Validator(tei_all=args.tei_all, register=args.register)
    problems: list[Diagnostic] = []
    cannot_read = 0
    for file in files:
        try:
            found = validator.validate_file(file, str(file))
        except CannotRun as exc:
            print(f"cmctei: error: {exc}", file=sys.stderr)
            cannot_read += 1
            continue
        problems.extend(found)
        if args.format == "text":
            for problem in found:
                print(problem.format())

    if args.format == "json":
        print(to_json(len(files), problems))
    else:
        print(summary_line(len(files), problems))
    if cannot_read:
        return EXIT_CANNOT_RUN
    return EXIT_PROBLEMS if any(p.severity == ERROR for p in problems) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("cmctei: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("CMCTEI_DEBUG"):
            traceback.print_exc()
        print(f"cmctei: internal error: {type(exc).__name__}: {exc} "
              "(set CMCTEI_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return EXIT_CANNOT_RUN
