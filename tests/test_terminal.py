"""For the person at the terminal (issue 16): typos get a suggestion, paths in messages are
as the user can type them from where they stand, and advice names the command as it can be
typed (`.venv/bin/cmctei` is not on the PATH after `make`)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from convert_helpers import project, seed_text
from cmctei import paths

MINIMAL = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


@pytest.mark.parametrize("argv, words", [
    (["convet"], "cmctei: error: unknown command 'convet'; did you mean convert?"),
    (["valdiate", "tei"], "did you mean validate?"),
    (["publsh"], "did you mean publish?"),
    (["frobnicate"], "unknown command 'frobnicate' (one of: validate, convert, publish, build)"),
    (["convert", "--forse"], "cmctei convert: error: unknown option '--forse'; did you mean --force?"),
    (["validate", "--tei_all"], "did you mean --tei-all?"),
])
def test_typos_get_a_suggestion(run_cli, argv, words):
    code, out, err = run_cli(*argv)
    assert code == 2 and words in err, err
    assert "Traceback" not in err


def test_a_docid_typo_gets_a_suggestion(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": seed_text("rfk-memo-to-rusk")},
                           '[documents.rfk-memo]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "rfk-mmeo")
    assert code == 2 and "rfk-mmeo: not in the catalog" in err and "did you mean rfk-memo?" in err


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """A project of its own (CMCTEI_HOME) with one bad master, the user standing in it."""
    folder = corpus.make_project(tmp_path / "project")
    (folder / "tei" / "minimal.xml").write_text(MINIMAL.replace('reason="sanitized"', 'reason="redacted"'),
                                                encoding="utf-8")
    (folder / "sources" / "catalog.toml").write_text('[documents.a]\nsource = "a.txt"\ngenre = "letter"\n',
                                                     encoding="utf-8")
    (folder / "sources" / "a.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv("CMCTEI_HOME", str(folder))
    monkeypatch.chdir(folder)
    return folder


def test_paths_in_messages_are_relative_to_where_the_user_stands(home, run_cli, monkeypatch):
    """Before: `cmctei validate` (no path) and `cmctei convert` printed absolute paths
    (/home/…/tei/minimal.xml:41:9: …), unlike the docs."""
    code, out, _ = run_cli("validate")
    assert code == 1 and out.startswith("tei/minimal.xml:") and str(home) not in out, out
    code, _, err = run_cli("convert")
    assert code == 2 and err.startswith("sources/catalog.toml:3:1: error:") and str(home) not in err, err
    code, out, err = run_cli("publish")
    assert code == 1 and "tei/minimal.xml:" in err and " in build;" in out, out + err
    assert str(home) not in out + err
    monkeypatch.chdir(home / "tei")  # from a sub-folder: relative to it
    code, out, _ = run_cli("validate")
    assert code == 1 and out.startswith("minimal.xml:"), out
    monkeypatch.chdir(home.parent)  # from outside the project: as it is
    code, out, _ = run_cli("validate")
    assert out.startswith("project/tei/minimal.xml:"), out


def test_advice_names_the_command_as_it_can_be_typed(tmp_path, run_cli, monkeypatch):
    """After `make`, `cmctei` is not on the PATH: advice must say `.venv/bin/cmctei`."""
    script = Path(sys.prefix) / "bin" / "cmctei"
    if not script.exists():
        pytest.skip("not run from the project's virtual environment")
    catalog, tei = project(tmp_path, {"a.txt": seed_text("rfk-memo-to-rusk")},
                           '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n')
    assert run_cli("convert", "--catalog", catalog, "--tei-dir", tei)[0] == 0
    master = tei / "a.xml"
    master.write_text(master.read_text(encoding="utf-8").replace("We met", "We met today", 1), encoding="utf-8")
    monkeypatch.chdir(script.parents[2])
    elsewhere = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                if p and not (Path(p) / "cmctei").exists())
    monkeypatch.setenv("PATH", elsewhere)
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1 and "`.venv/bin/cmctei convert --force a`" in err, err
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{elsewhere}")
    assert paths.command() == "cmctei"
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1 and "`cmctei convert --force a`" in err, err
    assert shutil.which("cmctei") is not None
