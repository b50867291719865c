"""Process faults: interrupted and killed runs, concurrent runs, full disks and
read-only outputs. After each, no output is partial or empty, the masters are
untouched, and the next run recovers."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT
from convert_helpers import project, seed_text
from cmctei.convert import masters
from cmctei.locking import TEMPORARY_GLOB

MANY = 60  # long enough that a signal sent after the first master lands mid-run


def many_documents(tmp_path: Path, count: int = MANY, extra: str = "") -> tuple[Path, Path]:
    chapter = seed_text("chapter-denouement")
    sources = {f"c{i}.txt": chapter for i in range(count)}
    entries = "".join(f'[documents.c{i}]\nsource = "c{i}.txt"\ngenre = "chapter"\n'
                      f'book = {{ title = "A Book", year = "2000" }}\n' for i in range(count))
    return project(tmp_path, sources, entries + extra)


def cmctei(*args: object) -> list[str]:
    return [sys.executable, "-m", "cmctei", *map(str, args)]


def default_signals() -> None:
    """In the child: SIGINT acts as Ctrl-C even if this test run was started in the
    background (a shell makes background jobs ignore SIGINT, and children inherit it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def assert_masters_complete(tei: Path) -> list[Path]:
    found = sorted(tei.glob("c*.xml"))
    for path in found:
        assert masters.state(path) is masters.State.PRISTINE, path  # sealed: complete, as generated
    return found


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_interrupted_convert_leaves_no_partial_master(tmp_path, sig):
    catalog, tei = many_documents(tmp_path)
    process = subprocess.Popen(cmctei("convert", "--catalog", catalog, "--tei-dir", tei, "--quiet"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    wait_for(lambda: len(list(tei.glob("c*.xml"))) >= 1 or process.poll() is not None)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err
        assert list(tei.glob(TEMPORARY_GLOB)) == []
    assert 0 < len(assert_masters_complete(tei)) < MANY or process.returncode == 0
    again = subprocess.run(cmctei("convert", "--catalog", catalog, "--tei-dir", tei, "--changed", "--quiet"),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(assert_masters_complete(tei)) == MANY
    assert list(tei.glob(TEMPORARY_GLOB)) == []  # a killed run's temporaries are cleaned up


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_interrupted_publish_leaves_no_partial_page(tmp_path, sig):
    catalog, tei = many_documents(tmp_path)
    subprocess.run(cmctei("convert", "--catalog", catalog, "--tei-dir", tei, "--quiet"), check=True, timeout=300)
    out = tmp_path / "build"
    documents = sorted(tei.glob("c*.xml"))
    process = subprocess.Popen(cmctei("publish", "--out", out, "--register", tei / "persons.xml", *documents),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    wait_for(lambda: len(list((out / "html").glob("c*.html"))) >= 1 or process.poll() is not None)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(sig)
    process.communicate(timeout=60)
    for page in (out / "html").glob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for text in (out / "text").glob("*.txt"):
        assert text.stat().st_size > 0
    again = subprocess.run(cmctei("publish", "--out", out, "--register", tei / "persons.xml", *documents),
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert len(list((out / "html").glob("c*.html"))) == MANY
    assert list(out.rglob(TEMPORARY_GLOB)) == []


def test_two_runs_at_once_lose_nothing(tmp_path):
    """Two conversions into one tei/ at once: both register additions survive."""
    transcript = "Conversation\n\n{who}: Yes.\n\nRusk: No.\n\nBundy: Perhaps.\n"
    sources = {"a.txt": transcript.format(who="General Alpha"), "b.txt": transcript.format(who="General Bravo")}
    entry = '[documents.{d}]\nsource = "{d}.txt"\ngenre = "transcript"\noverrides = {{ date = "1962-11-01" }}\n'
    catalog, tei = project(tmp_path, sources, entry.format(d="a") + entry.format(d="b"))
    runs = [subprocess.Popen(cmctei("convert", "--catalog", catalog, "--tei-dir", tei, docid),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for docid in ("a", "b")]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    register = (tei / "persons.xml").read_text(encoding="utf-8")
    assert "General Alpha" in register and "General Bravo" in register
    etree.fromstring(register.encode("utf-8"))  # still well-formed
    assert masters.state(tei / "a.xml") is masters.State.PRISTINE
    assert masters.state(tei / "b.xml") is masters.State.PRISTINE


def failing(errno_code: int, message: str):
    def raiser(*args, **kwargs):
        raise OSError(errno_code, message, str(args[0]) if args else None)
    return raiser


def test_full_disk_during_convert_keeps_the_master(tmp_path, run_cli, monkeypatch):
    catalog, tei = project(tmp_path, {"memo.txt": seed_text("rfk-memo-to-rusk")},
                           '[documents.memo]\nsource = "memo.txt"\noverrides = { date = "1962-10-30" }\n')
    assert run_cli("convert", "--catalog", catalog, "--tei-dir", tei)[0] == 0
    before = (tei / "memo.xml").read_bytes()
    (catalog.parent / "memo.txt").write_text(seed_text("rfk-memo-to-rusk") + "\nNew.\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", failing(errno.ENOSPC, "No space left on device"))
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert (tei / "memo.xml").read_bytes() == before
    assert list(tei.glob(TEMPORARY_GLOB)) == []


def test_read_only_build_is_a_clear_error(tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(os, "replace", failing(errno.EROFS, "Read-only file system"))
    code, _, err = run_cli("publish", "--out", tmp_path / "build", ROOT / "tei" / "rfk-memo-to-rusk.xml")
    assert code == 2 and "Read-only file system" in err and "Traceback" not in err
    assert list((tmp_path / "build").rglob("*.html")) == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_no_command_loses_a_hand_edit(tmp_path):
    """convert, validate, publish, clean, convert --changed, --force refused, and a killed convert:
    the hand edit survives every one of them."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("Makefile", "sources", "tei"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, copy / name)
    tei = copy / "tei"
    master = tei / "rfk-memo-to-rusk.xml"
    edited = master.read_text(encoding="utf-8").replace("We met in my office.", "We met in my office. [Hand edit.]")
    master.write_text(edited, encoding="utf-8")
    catalog = copy / "sources" / "catalog.toml"

    def still_there() -> None:
        assert master.read_text(encoding="utf-8") == edited

    # each command with the exit status it must give: a hand edit is kept silently (0) where
    # nothing asks to replace it, and a full convert refuses to overwrite it (1, .new written)
    steps = [
        (cmctei("convert", "--catalog", catalog, "--tei-dir", tei, "--changed"), 0),
        (cmctei("validate", tei), 0),
        (cmctei("publish", "--out", copy / "build", "--register", tei / "persons.xml", master), 0),
        (["make", "-C", str(copy), "clean"], 0),
        (cmctei("convert", "--catalog", catalog, "--tei-dir", tei), 1),  # refused: exit 1, .new written
    ]
    for step, status in steps:
        result = subprocess.run(step, capture_output=True, text=True, timeout=300, cwd=copy)
        assert result.returncode == status, (step[-3:], result.returncode, result.stdout[-800:], result.stderr[-800:])
        still_there()
    new = tei / "rfk-memo-to-rusk.xml.new"
    assert new.exists() and "We met in my office." in new.read_text(encoding="utf-8")
    # killed while it writes: started again, and killed as soon as it has written the new
    # conversion beside the hand-edited master (the moment closest to touching it)
    new.unlink()
    process = subprocess.Popen(cmctei("convert", "--catalog", catalog, "--tei-dir", tei),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=copy)
    wait_for(lambda: new.exists() or process.poll() is not None)
    assert process.poll() is None or process.returncode == 1, "the run ended with an unexpected status"
    process.kill()
    process.communicate(timeout=60)
    still_there()


def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"memo.txt": seed_text("rfk-memo-to-rusk")},
                           '[documents.memo]\nsource = "memo.txt"\noverrides = { date = "1962-10-30" }\n')
    stale = tei / ".memo.xml.cmctei-tmp-999999"
    stale.write_text("<TEI>half", encoding="utf-8")
    assert run_cli("convert", "--catalog", catalog, "--tei-dir", tei)[0] == 0
    assert not stale.exists() and masters.state(tei / "memo.xml") is masters.State.PRISTINE


def test_stale_temporaries_are_found_in_every_folder_below_and_nothing_else_is_removed(tmp_path):
    """The sweep under the lock of build/ (where a killed publish leaves them in any output
    folder, hidden ones too): a killed run's temporaries go, at any depth; this run's own,
    look-alikes, folders of that name and what a link to a folder leads to stay."""
    from cmctei.locking import remove_stale_temporaries

    out = tmp_path / "build"
    deep = out / "html" / "cite"
    hidden = out / ".cache" / "search-words" / "shards"
    for folder in (deep, hidden, tmp_path / "elsewhere"):
        folder.mkdir(parents=True)
    stale = [out / ".index.html.cmctei-tmp-999999", deep / ".a.json.cmctei-tmp-12",
             hidden / ".s.txt.cmctei-tmp-777", deep / ".a.json.cmctei-tmp-"]  # (the pattern's, as before)
    kept = [deep / f".b.json.cmctei-tmp-{os.getpid()}",  # this run's own, being written
            deep / "a.json.cmctei-tmp-12",  # not hidden: not a name cmctei gives a temporary
            deep / ".a.json.cmctei-tmp",  # not the pattern
            deep / "a.json", tmp_path / "elsewhere" / ".x.cmctei-tmp-999999"]
    for path in stale + kept:
        path.write_text("half", encoding="utf-8")
    (out / ".dir.cmctei-tmp-999999").mkdir()  # a folder of that name: never removed
    (out / "html" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    removed = remove_stale_temporaries(out)

    assert sorted(removed) == sorted(stale)
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)
    assert (out / ".dir.cmctei-tmp-999999").is_dir()


# ------------------------------------------------------------------ a master edited mid-run

def transcript_with_a_dangling_pointer(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the transcript seed whose first turn names a speaker who is not there (a
    rules finding, ptr-local, which has to be located in the file), and the seed's text."""
    path = tmp_path / "oval-office-1962-11-14.xml"
    text = (ROOT / "tei" / path.name).read_text(encoding="utf-8")
    assert 'who="#thompson"' in text
    path.write_text(text.replace('who="#thompson"', 'who="#nobody"', 1), encoding="utf-8")
    return path, text


def test_rules_findings_are_located_in_the_bytes_read_again(tmp_path, validator, monkeypatch):
    """While Saxon parses, the file's bytes are set aside (peak memory on a large file)
    and read again to locate what the rules found: the line is the line in the file."""
    from cmctei import xmlio

    path, _ = transcript_with_a_dangling_pointer(tmp_path)
    reads = []
    read_bytes = xmlio.read_bytes
    monkeypatch.setattr(xmlio, "read_bytes", lambda p: reads.append(p) or read_bytes(p))
    loaded, problems = validator.load_and_check(path, path.name)
    assert [p for p in reads if p == path] == [path, path]  # loaded, then read again to locate the finding
    assert [(p.rule, p.line) for p in problems] == [
        ("ptr-local", 1 + path.read_text(encoding="utf-8").split("#nobody")[0].count("\n"))]
    assert loaded.raw == path.read_bytes()


def test_master_edited_while_it_is_validated(tmp_path, validator):
    """An editor saves the master while it is being validated: the problem found in the
    old text is not placed on a line of the new one; the run says what happened."""
    path, seed = transcript_with_a_dangling_pointer(tmp_path)

    def editor_saves(_loaded) -> None:
        path.write_text(seed, encoding="utf-8")

    _, problems = validator.load_and_check(path, path.name, before_rules=editor_saves)
    assert [(p.rule, p.line, p.severity) for p in problems] == [("xml-changed", 0, "error")]
    assert problems[0].message == "the file changed while it was being checked; check it again"


def test_master_edited_while_it_is_published(tmp_path, run_cli, monkeypatch):
    """Publishing validates first; if the master is saved again before its copy is
    published, nothing of it is published and the run fails with the reason."""
    from cmctei import publish

    tei = tmp_path / "tei"
    tei.mkdir()
    path = tei / "rfk-memo-to-rusk.xml"
    seed = (ROOT / "tei" / path.name).read_text(encoding="utf-8")
    path.write_text(seed, encoding="utf-8")
    summary = publish.Publisher._summary

    def editor_saves(self, docid, tree):
        path.write_text(seed.replace("Memorandum", "Memorandum (edited)", 1), encoding="utf-8")
        return summary(self, docid, tree)

    monkeypatch.setattr(publish.Publisher, "_summary", editor_saves)
    out = tmp_path / "build"
    code, _, stderr = run_cli("publish", "--out", out, "--register", ROOT / "tei" / "persons.xml", path)
    assert code == 1
    assert re.search(r"rfk-memo-to-rusk\.xml:0:0: error: \[publish-failed\] not published: the file changed "
                     r"while it was being checked", stderr), stderr
    assert not list(out.glob("*/rfk-memo-to-rusk.*")) and not (out / "html" / "tei" / path.name).exists()
