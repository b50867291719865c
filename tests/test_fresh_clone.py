"""A newcomer's machine: `git clone`, then `make test`, with nothing installed by hand.

The clone lives in a temporary folder, so it has no ../shared/ beside it:
this also proves that the project builds and passes without it (the tests
that need ../shared/ skip with their reason). Only committed files are in
the clone. The clone's own run skips this test (CMCTEI_IN_FRESH_CLONE).

"N passed" is not enough: the clone's run writes a JUnit report, and every test in it
must have passed, except this test itself and the comparisons with ../shared/ (which
skip there, saying so) and the known bugs kept as strict xfails. The checks by outside
software (the Nu HTML Checker, Chromium, the CSL schema, BibTeX and RIS readers) must
be among those that passed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from lxml import etree

from conftest import IN_FRESH_CLONE, ROOT


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
    env["PYTEST_ADDOPTS"] = f"--junitxml={report}"
    # The outer test run may have .venv/bin first on PATH; the clone must build its own.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    result = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", result.stdout), output[-3000:]
    outcomes = junit_outcomes(report)
    failed = sorted(name for name, (kind, _) in outcomes.items() if kind in ("failure", "error"))
    assert failed == [], failed
    allowed_skips = ("this run is itself the fresh-clone check", "../shared/")
    bad_skips = sorted(f"{name}: {why}" for name, (kind, why) in outcomes.items()
                       if kind == "skipped" and not any(a in why for a in allowed_skips))
    assert bad_skips == [], bad_skips
    passed = {name for name, (kind, _) in outcomes.items() if kind == "passed"}
    for check in ("test_publish.py::test_every_page_is_valid_html5",
                  "test_browser.py::test_document_page_in_chromium[oval-office-1962-11-14]",
                  "test_browser.py::test_index_filter_enhancement",
                  "test_browser.py::test_axe_finds_no_violation_on_any_page[mobile]",
                  "test_browser.py::test_printed_banners_stand_in_the_margins_never_over_text[A4]",
                  "test_publish.py::test_csl_json_valid_and_typed",
                  "test_outputs.py::test_bibtex_read_by_pybtex",
                  "test_outputs.py::test_ris_read_by_rispy",
                  "test_seed_words.py::test_plain_text_keeps_every_word[oval-office-1962-11-14]",
                  "test_conformance.py::test_shared_profile_sample_adapted_passes_everything"):
        assert check in passed, f"{check} did not pass in the fresh clone: {outcomes.get(check)}"
    assert len(passed) >= 800, len(passed)
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
