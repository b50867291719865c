"""A newcomer's machine: `git clone`, then `make test`, with nothing installed by hand.

The clone lives in a temporary folder, so it has no ../shared/ beside it:
this also proves that the project builds and passes without it (the tests
that need ../shared/ skip with their reason). Only committed files are in
the clone. The clone's own run skips this test (CMCTEI_IN_FRESH_CLONE).

"N passed" is not enough: the clone's run writes a JUnit report, and each named check
by outside software (the Nu HTML Checker, Chromium with axe-core, Pagefind, the OAI and
CSL schemas, citeproc-js, biber, BibTeX and RIS readers, tei_all) must have passed in it,
and a comparison with ../shared/ must have skipped saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from lxml import etree

from conftest import IN_FRESH_CLONE, ROOT


# What the clone runs: every check that leans on software installed by `make test` itself
# (Debian's Java, Chromium, biber, Node.js; npm's citeproc-js and axe-core; PyPI's Pagefind,
# pybtex, rispy, jsonschema), the profile and tei_all, and one test that needs ../shared/ (it
# must skip, saying why). The whole suite already runs once in the same `make test` (CI is a
# fresh clone too); running all of it a second time inside the clone doubled the suite's time
# (1,243 s on 2 cores against a 15-minute budget) and proved nothing these do not. One check per
# tool, the cheapest that uses it: the printed pages in Chromium (30 s) and the merged search
# shards (50 s) run in the outer suite; here Chromium and Pagefind are proven by a page and a
# search.
CLONE_CHECKS = (
    "tests/test_publish.py::test_every_page_is_valid_html5",
    "tests/test_browser.py::test_document_page_in_chromium[oval-office-1962-11-14]",
    "tests/test_browser.py::test_index_filter_enhancement",
    "tests/test_browser.py::test_axe_finds_no_violation_on_any_page[mobile]",
    "tests/test_site_browser.py::test_a_word_of_one_document_finds_that_document[one-index]",
    "tests/test_site.py::test_the_static_oai_repository_is_valid_and_lists_every_document",
    "tests/test_citations.py::test_csl_json_stays_valid[seeds]",
    "tests/test_citations.py::test_citeproc_js_renders_our_chicago_words[seeds]",
    "tests/test_citations.py::test_biber_validates_every_bib_with_no_warning[seeds]",
    "tests/test_outputs.py::test_bibtex_read_by_pybtex",
    "tests/test_outputs.py::test_ris_read_by_rispy",
    "tests/test_seed_words.py::test_plain_text_keeps_every_word[oval-office-1962-11-14]",
    "tests/test_conformance.py::test_shared_profile_sample_adapted_passes_everything",
)
# Skipped in the clone, and must say it is for want of ../shared/.
CLONE_SKIPS = ("tests/test_convert_devset.py::test_development_set_meets_the_targets",)


def report_name(node: str) -> str:
    """A node id as junit_outcomes names it (file.py::name)."""
    return node.removeprefix("tests/")


def test_the_clone_checks_name_tests_that_exist():
    """A renamed test must not turn the fresh-clone check into one that cannot pass (as when
    test_csl_json_valid_and_typed became test_csl_json_stays_valid): pytest collects each name."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS",)}
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           *CLONE_CHECKS, *CLONE_SKIPS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    collected = {line.strip() for line in done.stdout.splitlines()}
    assert set(CLONE_CHECKS + CLONE_SKIPS) <= collected, sorted(set(CLONE_CHECKS + CLONE_SKIPS) - collected)


@pytest.mark.slow
def test_fresh_clone_passes_make_test(tmp_path):
    if IN_FRESH_CLONE:
        pytest.skip("this run is itself the fresh-clone check")
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed for the fresh-clone check")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout with commits")
    clone = tmp_path / "cmctei"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
    assert not (clone / ".venv").exists() and not (clone.parent / "shared").exists()

    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CMCTEI_HOME", "PYTHONPATH")}
    env["CMCTEI_IN_FRESH_CLONE"] = "1"
    report = tmp_path / "junit.xml"
    # `make test` exactly as the README says; pytest adds the environment's options to its own,
    # so the clone runs the named checks (node ids given here replace testpaths).
    env["PYTEST_ADDOPTS"] = " ".join((f"--junitxml={report}", *CLONE_CHECKS, *CLONE_SKIPS))
    # The outer test run may have .venv/bin first on PATH; the clone must build its own.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    result = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", result.stdout), output[-3000:]
    outcomes = junit_outcomes(report)
    assert set(outcomes) == {report_name(n) for n in CLONE_CHECKS + CLONE_SKIPS}, sorted(outcomes)
    failed = sorted(name for name, (kind, _) in outcomes.items() if kind in ("failure", "error"))
    assert failed == [], failed
    for check in CLONE_CHECKS:
        kind, why = outcomes[report_name(check)]
        assert kind == "passed", f"{check} did not pass in the fresh clone: {kind} {why}"
    for check in CLONE_SKIPS:
        kind, why = outcomes[report_name(check)]
        assert kind == "skipped" and "../shared/" in why, f"{check} in the fresh clone: {kind} {why}"
    assert (clone / ".venv" / "bin" / "cmctei").exists()
    # `make` itself also works in the clone (validates tei/).
    build = subprocess.run(["make"], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    assert "0 errors" in build.stdout


def junit_outcomes(report) -> dict[str, tuple[str, str]]:
    """Each test of a JUnit report as ``file.py::name`` → (passed | skipped | xfailed | failure | error,
    message). A strict xfail that passes is a failure in the report."""
    outcomes = {}
    for case in etree.parse(str(report)).iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        name = f"{module}.py::{case.get('name')}"
        kind, why = "passed", ""
        for child in case:
            if child.tag in ("skipped", "failure", "error"):
                kind, why = child.tag, child.get("message", "")
                if child.tag == "skipped" and child.get("type") == "pytest.xfail":
                    kind = "xfailed"
                break
        outcomes[name] = (kind, why)
    return outcomes
