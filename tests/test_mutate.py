"""The list of deliberate bugs `make mutate` tries (tests/mutations.toml) stays usable:
every snippet is still found exactly once, each names tests that exist, and a snippet
that is no longer found is reported "stale", never passed. The mutation run itself is
`make mutate` (docs/testing.md), not part of the suite."""

from __future__ import annotations

from pathlib import Path

import mutate  # tests/mutate.py (the tests folder is on the import path, as for conftest)
from conftest import ROOT

REGRESSIONS = ["rank-secret-above-top-secret", "bibtex-year-of-the-edition", "tei-all-skipped-on-the-parallel-path",
               "doctype-check-of-the-parsed-document-removed", "stylesheet-change-keeps-the-manifest",
               "from-and-to-swapped", "text-loses-the-doubt-mark", "text-calls-sanitized-excised",
               "person-index-links-to-xml"]


def test_the_list_holds_issue_17s_regressions_and_twenty_more_across_the_product():
    mutations = mutate.load()
    ids = [m.id for m in mutations]
    assert all(r in ids for r in REGRESSIONS)
    others = [m for m in mutations if m.id not in REGRESSIONS]
    assert len(others) >= 20
    for area in ("converter", "validation", "publishing", "citations"):
        assert sum(1 for m in others if m.area == area) >= 3, area


def test_every_snippet_is_found_exactly_once_and_every_test_file_exists():
    for m in mutate.load():
        text = (ROOT / m.file).read_text(encoding="utf-8")
        assert text.count(m.original) == 1, f"{m.id}: the snippet occurs {text.count(m.original)} times in {m.file}"
        assert m.original != m.replacement, m.id
        for test in m.tests:
            path, _, name = test.partition("::")
            assert (ROOT / path).is_file(), f"{m.id}: {path}"
            if name:
                assert f"def {name.split('[')[0]}(" in (ROOT / path).read_text(encoding="utf-8"), f"{m.id}: {test}"


def test_a_snippet_no_longer_found_is_stale_not_passed(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.py").write_text("RANK = 1\n", encoding="utf-8")
    moved = mutate.Mutation(id="moved", file="src/x.py", original="RANK = 2", replacement="RANK = 3",
                            tests=["tests/test_x.py"], why="", area="converter")
    assert mutate.apply(tmp_path, moved).status == "stale"
    twice = mutate.Mutation(id="twice", file="src/x.py", original=" ", replacement="", tests=[], why="",
                            area="converter")
    assert mutate.apply(tmp_path, twice).status == "ambiguous"
    gone = mutate.Mutation(id="gone", file="src/y.py", original="x", replacement="y", tests=[], why="",
                           area="converter")
    assert mutate.apply(tmp_path, gone).status == "stale"
    assert (tmp_path / "src" / "x.py").read_text(encoding="utf-8") == "RANK = 1\n"  # untouched
    report = mutate.format_report([mutate.Result(moved, "stale", 0.0, "gone")], 1.0)
    assert "NOT KILLED: moved (stale)" in report and "0 of 1 edits killed" in report


def test_the_scratch_copy_holds_the_project_files(tmp_path):
    copy = mutate.scratch_copy(tmp_path)
    for name in ("Makefile", "src/cmctei/cli.py", "xslt/html.xsl", "tests/mutations.toml", "tei/persons.xml"):
        assert (copy / name).is_file(), name
    assert not (copy / ".venv").exists() and not (copy / "build").exists()
    assert Path(mutate.python()).exists()
