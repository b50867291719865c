"""Shared fixtures: compiled validators (once per test session) and paths."""

from __future__ import annotations

import re

import os
from pathlib import Path

import pytest

from cmctei.validate import Validator
from cmctei.validate.teiall import TeiAllValidator

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
REGISTER = ROOT / "tei" / "persons.xml"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not present (a user's clone has no ../shared/)")
    return path


@pytest.fixture(scope="session")
def validator() -> Validator:
    """Profile validator (XSD + Schematron) resolving pointers against tei/persons.xml."""
    return Validator(register=REGISTER)


@pytest.fixture(scope="session")
def tei_all() -> TeiAllValidator:
    """TEI P5 tei_all; compiled once per session (it takes several seconds)."""
    return TeiAllValidator()


@pytest.fixture()
def run_cli(capsys):
    """Run the cmctei command in-process; returns (exit code, stdout, stderr)."""
    from cmctei.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


IN_FRESH_CLONE = bool(os.environ.get("CMCTEI_IN_FRESH_CLONE"))


def summary_of(out: str) -> str:
    """The counts of a `cmctei validate` summary line (its last line), without what follows
    them: the note on files skipped as unchanged, and the time per stage."""
    last = out.strip().splitlines()[-1]
    counts = last.split("; time ", 1)[0]
    return re.sub(r" \(\d+ unchanged since they last passed, not checked again\)$", "", counts)
