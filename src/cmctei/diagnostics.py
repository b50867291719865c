"""Problems found in files, reported like a compiler does.

One line per problem: ``path:line:col: severity: [rule-id] message``. Line
and column are 1-based; 0 means "not known" (e.g. a whole-file problem).
The rule id is stable: tests, editors and scripts match on it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str
    rule: str
    message: str

    def format(self) -> str:
        message = " ".join(self.message.split())
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: [{self.rule}] {message}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["message"] = " ".join(self.message.split())
        return data


class StylesheetError(Exception):
    """A stylesheet that does not compile, located in its own file (not in the text Saxon
    was given, where the included modules are inlined)."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(path, line, col, message)
        self.diagnostic = Diagnostic(path, line, col, ERROR, "xslt-static", message)

    def __str__(self) -> str:
        return self.diagnostic.format()


def internal_error(path: str, exc: BaseException) -> Diagnostic:
    """A bug met on one input, reported as that input's problem so that the run goes on
    with the others (the last line of defence per document; ``CMCTEI_DEBUG=1`` prints the
    traceback for a bug report)."""
    import os
    import traceback

    if os.environ.get("CMCTEI_DEBUG"):
        traceback.print_exception(exc)
    return Diagnostic(path, 0, 0, ERROR, "internal-error",
                      f"cmctei failed on this file: {type(exc).__name__}: {exc} (the other files are not "
                      "affected; set CMCTEI_DEBUG=1 for details, and please report it)")


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.col, d.rule, d.message)


def counts(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    errors = warnings = 0
    for d in diagnostics:
        if d.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary_line(files: int, diagnostics: list[Diagnostic]) -> str:
    errors, warnings = counts(diagnostics)
    return (
        f"{files} file{'s' if files != 1 else ''}, "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def to_json(files: int, diagnostics: list[Diagnostic]) -> str:
    errors, warnings = counts(diagnostics)
    payload = {
        "files": files,
        "errors": errors,
        "warnings": warnings,
        "problems": [d.as_dict() for d in diagnostics],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True)
