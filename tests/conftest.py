"""Shared fixtures: compiled validators (once per test session), paths, and what the
suite needs from outside the repository.

Outside software (Java for the Nu HTML Checker, Chromium, the Python test
dependencies) is needed by some tests. On a developer's machine without it those
tests skip and say why; under CI (``CI=true``), with ``CMCTEI_REQUIRE_ALL=1`` or with
``pytest --require-all`` a missing tool is a failure that names what to install
(``make setup-system`` installs it): a green run then means every check ran.

``../shared/`` is not needed: the small pieces of it the tests read are copied in
``tests/fixtures/shared/`` (see its README), so the suite runs the same in a user's
clone, in the fresh-clone check and in CI. ``shared_path`` remains for a test that
compares with ``../shared/`` itself; it skips when that is absent unless
``CMCTEI_REQUIRE_SHARED=1``.
"""

from __future__ import annotations

import importlib
import re
import shutil

import os
from pathlib import Path

import pytest

from cmctei.validate import Validator
from cmctei.validate.teiall import TeiAllValidator

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SHARED_COPIES = FIXTURES / "shared"
REGISTER = ROOT / "tei" / "persons.xml"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


_REQUIRE = {"all": _flag("CI") or _flag("CMCTEI_REQUIRE_ALL"), "shared": _flag("CMCTEI_REQUIRE_SHARED")}


def pytest_addoption(parser) -> None:
    parser.addoption("--require-all", action="store_true", default=False,
                     help="a missing tool (Java, Chromium, a test dependency) fails the test instead of "
                          "skipping it (the same as CI=true or CMCTEI_REQUIRE_ALL=1)")


def pytest_configure(config) -> None:
    if config.getoption("--require-all", default=False):
        _REQUIRE["all"] = True


# Files whose tests run longest (`make test` lists the slowest), handed out first. `make test`
# gives each of the two workers a file at a time (`--dist loadfile`), in the order collected
# (`--no-loadscope-reorder`: xdist would order the files by their number of tests, and the
# fresh-clone check, two tests but its own `make` and `make test`, 143 s, came last and ran
# alone at the end: 914 and 952 s on 2 cores on 2026-12-07, against a 15-minute budget).
LONGEST_FIRST = ("test_fresh_clone.py", "test_conformance.py", "test_hardening.py", "test_browser.py",
                 "test_bench.py", "test_site_incremental.py", "test_citations_foreign.py", "test_incremental.py")


def pytest_collection_modifyitems(config, items) -> None:
    """The files of LONGEST_FIRST first, each file's tests in their own order."""
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # (a stable sort)


def tools_required() -> bool:
    """Whether a missing tool is a failure (CI=true, CMCTEI_REQUIRE_ALL=1, --require-all)."""
    return _REQUIRE["all"]


def unavailable(reason: str) -> None:
    """A tool the test needs is missing: skip with the reason, or fail where tools are required."""
    if tools_required():
        pytest.fail(f"{reason}; this run requires every tool (CI=true, CMCTEI_REQUIRE_ALL=1 or --require-all): "
                    "run `make setup-system` (Debian, as root) or install it", pytrace=False)
    pytest.skip(reason)


def need_program(*names: str, why: str) -> str:
    """The path of the first of ``names`` on PATH, or ``unavailable(why)``."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    unavailable(why)
    raise AssertionError("unreachable")


def need_module(name: str, why: str):
    """Import a test dependency, or ``unavailable(why)``."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(why)
        raise AssertionError("unreachable")


def shared_copy(*parts: str) -> Path:
    """A file of ../shared/ as copied into tests/fixtures/shared/ (always there: it is committed)."""
    path = SHARED_COPIES.joinpath(*parts)
    assert path.is_file(), f"{path} is missing: tests/fixtures/shared/README.md lists the copies"
    return path


def shared_path(*parts: str) -> Path:
    """A path under ../shared/ itself, or skip the test with the reason (fail under
    CMCTEI_REQUIRE_SHARED=1). The suite needs none: this is for comparing with it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"../shared/{'/'.join(parts)} is not present (a user's clone has no ../shared/)"
        if _REQUIRE["shared"]:
            pytest.fail(reason + "; CMCTEI_REQUIRE_SHARED=1 requires it", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seed masters of tei/ published once per session (HTML, text, citations), for the tests
    that only read the outputs."""
    from cmctei.publish import Publisher, documents

    out = tmp_path_factory.mktemp("seed-site")
    seeds = documents(ROOT / "tei")
    report = Publisher(out).run(seeds)
    assert report.published == [p.stem for p in seeds] and not report.problems, report.problems
    return out


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
