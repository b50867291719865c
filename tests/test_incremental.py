"""Incremental runs: only what changed is redone, and nothing stale survives.

publish keeps a manifest (build/.cmctei-publish.json); validate keeps a record of
files that passed (build/.cache/validate.json). Both compare bytes (SHA-256), not
modification times."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, summary_of

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

SEEDS = sorted(p for p in (ROOT / "tei").glob("*.xml") if p.name != "persons.xml")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project folder of its own (CMCTEI_HOME) holding copies of the seed masters."""
    folder = corpus.make_project(tmp_path / "project")
    for seed in SEEDS:
        shutil.copy2(seed, folder / "tei" / seed.name)
    monkeypatch.setenv("CMCTEI_HOME", str(folder))
    return folder


def outputs(build: Path) -> dict[str, bytes]:
    """Every output, byte for byte (Pagefind's search index included)."""
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)}


def edit(master: Path) -> None:
    text = master.read_text(encoding="utf-8")
    start = text.index("<body>")
    at = text.index("<p", start)
    at = text.index(">", at) + 1
    master.write_text(text[:at] + "Edited by hand. " + text[at:], encoding="utf-8")


def test_second_publish_redoes_nothing_and_changes_no_byte(project, run_cli):
    assert run_cli("publish")[0] == 0
    before = outputs(project / "build")
    code, out, _ = run_cli("publish")
    assert code == 0 and f"{len(SEEDS)} unchanged since the last run, not redone" in out
    assert outputs(project / "build") == before


def test_one_edited_master_redoes_that_document_and_the_indexes_only(project, run_cli):
    run_cli("publish")
    before = outputs(project / "build")
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "build" / "html").glob("*.html")}
    target = project / "tei" / "excomm-24-1962-11-12.xml"
    edit(target)
    code, out, _ = run_cli("publish")
    assert code == 0 and f"{len(SEEDS) - 1} unchanged since the last run" in out
    after = outputs(project / "build")
    changed = {k for k in after if after[k] != before.get(k)}
    assert "html/excomm-24-1962-11-12.html" in changed and "text/excomm-24-1962-11-12.txt" in changed
    assert b"Edited by hand." in after["html/excomm-24-1962-11-12.html"]
    assert not any(k.startswith(("html/rfk", "text/rfk", "cite/rfk")) for k in changed)
    # the other documents' pages were not even rewritten
    untouched = project / "build" / "html" / "rfk-memo-to-rusk.html"
    assert untouched.stat().st_mtime_ns == mtimes[untouched]
    # the same bytes as a full rebuild
    code, _, _ = run_cli("publish", "--all", "--out", project / "full")
    assert code == 0 and outputs(project / "full") == after


def test_the_corpus_citations_are_written_again_only_when_a_citation_or_their_bytes_changed(project, run_cli,
                                                                                           tmp_path):
    """all.json, all.bib and all.ris are made again (0.1 to 0.2 s at 1,000 documents) when a
    citation changed, or when a file is not the bytes written last (edited, replaced by a
    link); an edit of a document's text leaves them be. Always the bytes of a full rebuild."""
    run_cli("publish")
    build = project / "build"
    names = [build / folder / name for folder in ("cite", "html/cite") for name in ("all.json", "all.bib", "all.ris")]
    inodes = {path: path.stat().st_ino for path in names}
    edit(project / "tei" / "excomm-24-1962-11-12.xml")  # the text, not what the citation says
    assert run_cli("publish")[0] == 0
    assert {path: path.stat().st_ino for path in names} == inodes  # not written again

    def same_as_full(name: str) -> None:
        code, _, _ = run_cli("publish", "--all", "--out", project / name)
        assert code == 0 and outputs(project / name) == outputs(build)

    same_as_full("full-1")
    (build / "cite" / "all.bib").write_text("@misc{forged, title={Not ours}}\n", encoding="utf-8")
    outside = tmp_path / "outside.ris"
    outside.write_text("kept as it is\n", encoding="utf-8")
    (build / "html" / "cite" / "all.ris").unlink()
    (build / "html" / "cite" / "all.ris").symlink_to(outside)
    edit(project / "tei" / "excomm-24-1962-11-12.xml")
    assert run_cli("publish")[0] == 0
    assert not (build / "html" / "cite" / "all.ris").is_symlink() and outside.read_text(encoding="utf-8") == "kept as it is\n"
    same_as_full("full-2")
    master = project / "tei" / "rfk-memo-to-rusk.xml"  # what the citation says: its title
    text = master.read_text(encoding="utf-8")
    title = re.search(r"<title[^>]*>([^<]+)</title>", text).group(1)
    master.write_text(text.replace(title, title + " (revised)", 1), encoding="utf-8")
    assert run_cli("publish")[0] == 0
    assert "(revised)" in (build / "cite" / "all.json").read_text(encoding="utf-8")
    same_as_full("full-3")


def test_touch_alone_is_not_a_change(project, run_cli):
    run_cli("publish")
    target = project / "tei" / "rfk-memo-to-rusk.xml"
    os.utime(target, None)
    code, out, _ = run_cli("publish")
    assert f"{len(SEEDS)} unchanged" in out


def test_a_deleted_master_takes_its_outputs_with_it(project, run_cli):
    run_cli("publish")
    (project / "tei" / "rfk-memo-to-rusk.xml").unlink()
    code, out, _ = run_cli("publish")
    assert code == 0
    build = project / "build"
    assert not list(build.rglob("rfk-memo-to-rusk.*"))
    assert b"rfk-memo-to-rusk" not in (build / "html" / "index.html").read_bytes()
    assert b"rfk-memo-to-rusk" not in (build / "cite" / "all.bib").read_bytes()
    manifest = json.loads((build / ".cmctei-publish.json").read_text(encoding="utf-8"))
    assert "rfk-memo-to-rusk" not in manifest["documents"]


def test_deleted_outputs_or_a_changed_stylesheet_are_redone(project, run_cli):
    run_cli("publish")
    (project / "build" / "text" / "rfk-memo-to-rusk.txt").unlink()
    code, out, _ = run_cli("publish")
    assert (project / "build" / "text" / "rfk-memo-to-rusk.txt").is_file()
    assert f"{len(SEEDS) - 1} unchanged" in out
    # a change of the site's assets invalidates everything (xslt/ is a link to the project's: copy it)
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    css = project / "xslt" / "assets" / "cmctei.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    code, out, _ = run_cli("publish")
    assert code == 0 and "unchanged since the last run" not in out
    assert (project / "build" / "html" / "cmctei.css").read_text(encoding="utf-8").endswith("/* changed */\n")


@pytest.mark.parametrize("sheet, before, after, output", [
    ("html.xsl", 'id="cite-heading">Cite this document<', 'id="cite-heading">How to cite this record<', "html"),
    ("text.xsl", "<xsl:text>[struck: </xsl:text>", "<xsl:text>[crossed out: </xsl:text>", "text"),
    ("common.xsl", "' excised — classified'", "' withheld — classified'", "html"),
])
def test_an_edited_stylesheet_is_followed_by_every_page(project, run_cli, sheet, before, after, output):
    """A user customises a stylesheet in xslt/ and runs `make publish` again: every output made by
    it follows the edit, without --all. Guards: a stylesheet change not invalidating the manifest."""
    assert run_cli("publish")[0] == 0
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    target = project / "xslt" / sheet
    text = target.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"{before!r} is no longer in xslt/{sheet} once: update this test"
    target.write_text(text.replace(before, after), encoding="utf-8")
    code, out, err = run_cli("publish")
    assert code == 0 and "unchanged since the last run" not in out, out + err
    build = project / "build"
    if sheet == "html.xsl":
        for seed in SEEDS:
            page = (build / "html" / f"{seed.stem}.html").read_text(encoding="utf-8")
            assert "How to cite this record" in page and "Cite this document" not in page, seed.stem
    elif sheet == "text.xsl":
        excomm = (build / "text" / "excomm-24-1962-11-12.txt").read_text(encoding="utf-8")
        assert "[crossed out: no]-invasion" in excomm and "[struck:" not in excomm
    else:
        tape = (build / "html" / "oval-office-1962-11-14.html").read_text(encoding="utf-8")
        assert "7 seconds withheld — classified" in tape and "excised — classified" not in tape
    # the same bytes as a full rebuild with the edited stylesheet
    code, _, _ = run_cli("publish", "--all", "--out", project / "full")
    assert code == 0 and outputs(project / "full") == outputs(build)


def test_an_invalid_master_is_never_served_from_the_last_run(project, run_cli):
    run_cli("publish")
    target = project / "tei" / "rfk-memo-to-rusk.xml"
    target.write_text(target.read_text(encoding="utf-8").replace('reason="', 'reason="x-', 1), encoding="utf-8")
    code, out, err = run_cli("publish")
    assert code == 1 and "[publish-skipped]" in err
    assert b"rfk-memo-to-rusk" not in (project / "build" / "html" / "index.html").read_bytes()


def test_validate_skips_files_that_passed_and_never_hides_a_problem(project, run_cli):
    code, out, _ = run_cli("validate")
    assert code == 0 and "unchanged since they last passed" not in out
    code, out, _ = run_cli("validate")
    files = len(SEEDS) + 1
    assert code == 0 and f"({files} unchanged since they last passed, not checked again)" in out
    target = project / "tei" / "rfk-memo-to-rusk.xml"
    target.write_text(target.read_text(encoding="utf-8").replace('reason="', 'reason="x-', 1), encoding="utf-8")
    for _ in range(2):  # a failing file is checked (and reported) every time
        code, out, _ = run_cli("validate")
        assert code == 1 and "rfk-memo-to-rusk.xml:" in out and f"({files - 1} unchanged" in out
    # a pass without tei_all does not answer for tei_all
    code, out, _ = run_cli("validate", "--tei-all", project / "tei" / "excomm-24-1962-11-12.xml")
    assert code == 0 and "unchanged" not in out
    code, out, _ = run_cli("validate", "--tei-all", project / "tei" / "excomm-24-1962-11-12.xml")
    assert "(1 unchanged" in out
    code, out, _ = run_cli("validate", "--no-cache")
    assert "unchanged" not in out and summary_of(out) == f"{files} files, 1 error, 0 warnings"


def test_a_register_change_revalidates_what_points_into_it(project, run_cli):
    run_cli("validate")
    register = project / "tei" / "persons.xml"
    text = register.read_text(encoding="utf-8")
    start = text.index("<person ")
    end = text.index("</person>", start) + len("</person>")
    register.write_text(text[:start] + text[end:], encoding="utf-8")  # a person the seeds point at goes
    code, out, _ = run_cli("validate")
    assert code == 1 and "unchanged since they last passed" not in out


def test_a_damaged_record_costs_time_only(project, run_cli):
    run_cli("validate")
    run_cli("publish")
    (project / "build" / ".cache" / "validate.json").write_text("{not json", encoding="utf-8")
    (project / "build" / ".cmctei-publish.json").write_text("[1, 2", encoding="utf-8")
    assert run_cli("validate")[0] == 0
    code, out, _ = run_cli("publish")
    assert code == 0 and "unchanged since the last run" not in out


def test_a_stylesheet_that_stops_on_one_document_costs_that_document_only(project, run_cli):
    """A customised stylesheet that stops on one document (here on purpose): the run goes on,
    says which document and why, leaves no partial outputs for it and records nothing, so
    it is published as soon as the stylesheet is fixed."""
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    text_xsl = project / "xslt" / "text.xsl"
    original = text_xsl.read_text(encoding="utf-8")
    stop = ('<xsl:template match="/">\n    <xsl:if test="tei:TEI/@xml:id = \'rfk-memo-to-rusk\'">'
            '<xsl:message terminate="yes">stopped on purpose</xsl:message></xsl:if>')
    assert original.count('<xsl:template match="/">') == 1
    text_xsl.write_text(original.replace('<xsl:template match="/">', stop), encoding="utf-8")
    code, out, err = run_cli("publish")
    assert code == 1
    problem = [line for line in err.splitlines() if "[publish-failed]" in line]
    assert len(problem) == 1 and "rfk-memo-to-rusk.xml:" in problem[0]
    assert "text.xsl stopped on this document: stopped on purpose" in problem[0]  # its own words
    line = original[:original.index('<xsl:template match="/">')].count("\n") + 2  # the xsl:message's line
    assert f"text.xsl line {line})" in problem[0]  # in the author's file, not in the inlined text
    assert "Traceback" not in err and "internal error" not in err
    build = project / "build"
    assert sorted(build.rglob("rfk-memo-to-rusk*")) == []
    assert b"rfk-memo-to-rusk" not in (build / "html" / "index.html").read_bytes()
    others = [seed.stem for seed in SEEDS if seed.stem != "rfk-memo-to-rusk"]
    for docid in others:
        assert (build / "html" / f"{docid}.html").is_file() and (build / "text" / f"{docid}.txt").is_file()
    text_xsl.write_text(original, encoding="utf-8")
    code, out, err = run_cli("publish")
    assert code == 0 and (build / "text" / "rfk-memo-to-rusk.txt").is_file(), out + err


def test_what_a_stylesheet_says_is_shown_with_its_document(project, run_cli):
    """xsl:message from a customised stylesheet is printed with the master it concerns; a
    citation stylesheet whose output is not JSON fails each document with a reason."""
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    text_xsl = project / "xslt" / "text.xsl"
    original = text_xsl.read_text(encoding="utf-8")
    say = '<xsl:template match="/">\n    <xsl:message>checked <xsl:value-of select="tei:TEI/@xml:id"/></xsl:message>'
    text_xsl.write_text(original.replace('<xsl:template match="/">', say, 1), encoding="utf-8")
    code, out, err = run_cli("publish", "--only", "text")
    assert code == 0, out + err
    for seed in SEEDS:
        assert f"{seed.name}: text.xsl says: checked {seed.stem}" in err
    (project / "xslt" / "cite.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text"/><xsl:template match="/">not JSON</xsl:template></xsl:stylesheet>',
        encoding="utf-8")
    code, out, err = run_cli("publish", "--only", "cite")
    assert code == 1
    failed = [line for line in err.splitlines() if "[publish-failed]" in line]
    assert len(failed) == len(SEEDS) and all("cite.xsl stopped on this document: its output is not JSON" in line
                                             for line in failed)
    assert not list((project / "build" / "cite").glob("*-*.json"))


@pytest.mark.parametrize("module, before, after, problem", [
    # an XPath error in the entry stylesheet, below the inlined common.xsl
    ("text.xsl", "cm:trim-end($block)", "cm:trim-end($block", "expected )"),
    # an unknown function in the included module
    ("common.xsl", "normalize-space(", "normalise-space(", "normalise-space"),
    # a stylesheet that is not XML at all
    ("text.xsl", '<xsl:iterate select="$sources">', '<xsl:iterate select="$sources" select=".">', "not well-formed"),
])
def test_a_stylesheet_that_does_not_compile_is_located_in_its_own_file(project, run_cli, module, before, after,
                                                                       problem):
    """Saxon compiles the stylesheets with their modules inlined (it may read no file), so
    its line numbers are those of the inlined text; cmctei reports the author's file and line."""
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    target = project / "xslt" / module
    text = target.read_text(encoding="utf-8")
    at = text.index(before)
    line = text.count("\n", 0, at) + 1
    target.write_text(text[:at] + after + text[at + len(before):], encoding="utf-8")
    code, out, err = run_cli("publish", "--only", "text")
    assert code == 2, out + err
    located = [row for row in err.splitlines() if "[xslt-static]" in row]
    assert len(located) == 1, err
    assert f"{module}:{line}:" in located[0] and problem in located[0], located[0]
    assert "internal error" not in err and "Traceback" not in err


def test_an_index_stylesheet_that_stops_fails_the_run_but_not_the_documents(project, run_cli):
    (project / "xslt").unlink()
    shutil.copytree(ROOT / "xslt", project / "xslt")
    index_xsl = project / "xslt" / "index.xsl"
    original = index_xsl.read_text(encoding="utf-8")
    assert original.count('<xsl:template match="/corpus">') == 1
    index_xsl.write_text(original.replace('<xsl:template match="/corpus">', '<xsl:template match="/corpus">'
                                          '<xsl:message terminate="yes">no index today</xsl:message>'),
                         encoding="utf-8")
    code, out, err = run_cli("publish")
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    failed = [line for line in err.splitlines() if "[publish-failed]" in line]
    assert len(failed) == 1 and "persons.xml:" in failed[0] and "index.xsl stopped" in failed[0] \
        and "no index today" in failed[0]
    for seed in SEEDS:
        assert (project / "build" / "html" / f"{seed.stem}.html").is_file()


def test_another_saxon_or_libxml2_redoes_everything(project, run_cli, monkeypatch):
    """The records keep what Saxon made and what libxml2 and Saxon found: after an upgrade of
    either, nothing is taken from them (publish redoes every document, validate checks every
    file again), though no file of the project changed."""
    from cmctei import cache

    assert run_cli("publish")[0] == 0
    assert run_cli("validate")[0] == 0
    code, out, _ = run_cli("publish")
    assert code == 0 and f"{len(SEEDS)} unchanged since the last run" in out
    real = cache.engines()
    assert real.startswith("saxonche ") and " libxml2 " in real
    for upgraded in (real.replace("saxonche ", "saxonche 99.", 1), real.replace(" libxml2 ", " libxml2 99.", 1)):
        monkeypatch.setattr(cache, "engines", lambda upgraded=upgraded: upgraded)
        code, out, err = run_cli("validate")
        assert code == 0 and "unchanged" not in out, out + err
        code, out, err = run_cli("publish")
        assert code == 0 and "unchanged since the last run" not in out, out + err
        code, out, err = run_cli("publish")  # and under the new engines, the records serve again
        assert code == 0 and f"{len(SEEDS)} unchanged since the last run" in out, out + err
