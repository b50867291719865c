"""`cmctei build`: what `make` runs, convert --changed then publish --tei-all in one process.

Each stage runs whatever the other said; the run fails naming the stages that did. After an
earlier run, publishing's worker is set up (its stylesheets compiled) while the sources are
converted (issue 18): checked here by holding the conversion back until that worker says it
is ready, which, one after the other, would never happen. The site is byte for byte what the
two commands give."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


def project(folder: Path) -> Path:
    """A project of the seeds' sources, with the register and no masters yet (the schemas and
    stylesheets: links to this checkout's, bench/corpus.py)."""
    corpus.make_project(folder)
    for source in (ROOT / "sources").iterdir():
        shutil.copy2(source, folder / "sources" / source.name)
    return folder


def cmctei(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cmctei", *args], cwd=home, capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, CMCTEI_HOME=str(home)))


def outputs(build: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)}


def change_source(home: Path) -> None:
    source = home / "sources" / "rfk-memo-to-rusk.txt"
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\nA paragraph the archivist added to the transcription.\n", encoding="utf-8")


def test_build_is_convert_then_publish_and_goes_on_past_a_source_that_cannot_be_converted(tmp_path, monkeypatch,
                                                                                          run_cli):
    home = project(tmp_path / "built")
    twin = project(tmp_path / "twin")
    for folder in (home, twin):
        (folder / "sources" / "bad.txt").write_bytes(b"bad\x00binary")
        with (folder / "sources" / "catalog.toml").open("a", encoding="utf-8") as catalog:
            catalog.write('\n[documents.bad]\nsource = "bad.txt"\ngenre = "memorandum"\n')
    monkeypatch.setenv("CMCTEI_HOME", str(home))
    code, out, err = run_cli("build", "--jobs", "2")
    assert code == 1
    assert "sources/bad.txt:1:1: error: the source contains NUL bytes" in err
    assert "cmctei build: problems reported by: convert (see the messages above)" in err
    assert "6 files, 0 errors" in out and "5 of 5 documents published" in out
    monkeypatch.setenv("CMCTEI_HOME", str(twin))
    assert run_cli("convert", "--changed")[0] == 1
    assert run_cli("publish", "--tei-all")[0] == 0
    assert outputs(home / "build") == outputs(twin / "build")
    # nothing to do, then a stage that fails alone is the one named
    monkeypatch.setenv("CMCTEI_HOME", str(home))
    (home / "sources" / "bad.txt").unlink()
    text = (home / "sources" / "catalog.toml").read_text(encoding="utf-8")
    (home / "sources" / "catalog.toml").write_text(text.split("\n[documents.bad]")[0] + "\n", encoding="utf-8")
    master = home / "tei" / "rfk-memo-to-rusk.xml"  # a hand edit, kept by convert, invalid
    master.write_text(re.sub(r"(<body>.*?<p[^>]*>)", r"\1<redaction/>", master.read_text(encoding="utf-8"),
                             count=1, flags=re.S), encoding="utf-8")
    code, out, err = run_cli("build")
    assert code == 1 and "rfk-memo-to-rusk.xml: kept (edited by hand" in out
    assert "cmctei build: problems reported by: validate-publish (" in err


def test_build_refuses_settings_publishing_cannot_use_before_converting_anything(tmp_path, monkeypatch, run_cli):
    home = project(tmp_path / "p")
    monkeypatch.setenv("CMCTEI_HOME", str(home))
    code, _, err = run_cli("build", "--base-url", "ftp://example.org/")
    assert code == 2 and "--base-url" in err
    code, _, err = run_cli("build", "--stylesheets", tmp_path / "none")
    assert code == 2 and "the stylesheet folder does not exist" in err
    assert sorted(p.name for p in (home / "tei").iterdir()) == ["persons.xml"]


HELD_BACK = """
import os, sys, time
from cmctei import cli, convert_command, publish_plan, publish_workers
MARK, HOLD = sys.argv[1], sys.argv[2]
real_setup = publish_workers.setup
def setup(*args):
    real_setup(*args)
    if args[-1] is True:  # the warm worker, its stylesheets compiled
        open(MARK, "w").write(str(os.getpid()))
publish_workers.setup = setup
real_process = publish_workers.process
def process(task):  # (where the changed master is published)
    open(MARK + ".published", "w").write(str(os.getpid()))
    return real_process(task)
publish_workers.process = process
def held(real):
    def wait(*args, **kwargs):
        waited.append(any(os.path.exists(MARK) or time.sleep(0.05) for _ in range(600)))
        return real(*args, **kwargs)
    return wait
waited = []
if HOLD == "convert":
    convert_command._convert_locked = held(convert_command._convert_locked)
else:
    publish_plan.plan = held(publish_plan.plan)
code = cli.main(sys.argv[3:])
worker = open(MARK).read()
print("waited", waited, "code", code, "worker", worker != str(os.getpid()),
      "published there", open(MARK + ".published").read() == worker)
"""


@pytest.mark.parametrize("command, held", [
    (("build", "--jobs", "2"), "convert"),
    (("publish", "--tei-all", "--jobs", "2"), "plan"),
])
def test_after_an_edit_the_stylesheets_are_compiled_while_this_process_finds_what_changed(tmp_path, command, held):
    """`build` holds its conversion back, `publish` its reading of the last run's record, until
    the warm worker has compiled its stylesheets: it did so meanwhile, and then published the
    changed master (not this process); the site is what a clean run gives."""
    home = project(tmp_path / "p")
    first = cmctei(home, "build", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    change_source(home)
    if held == "plan":
        assert cmctei(home, "convert", "--changed").returncode == 0
    script = tmp_path / "held.py"
    script.write_text(HELD_BACK, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(tmp_path / "ready"), held, *command], cwd=home,
                         capture_output=True, text=True, timeout=600, env=dict(os.environ, CMCTEI_HOME=str(home)))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "waited [True] code 0 worker True published there True"
    assert "4 unchanged since the last run, not redone" in run.stdout
    page = (home / "build" / "html" / "rfk-memo-to-rusk.html").read_text(encoding="utf-8")
    assert "A paragraph the archivist added to the transcription." in page
    clean = cmctei(home, "publish", "--tei-all", "--out", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    assert outputs(home / "build") == outputs(tmp_path / "clean")
