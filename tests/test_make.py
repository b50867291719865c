"""The Makefile's promises: help lists every target; clean never touches masters;
validation compiles its schemas once per run, not once per file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, summary_of

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def documented_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-zA-Z][\w-]*):[^=\n]*##", text, flags=re.M))


def test_help_lists_every_target_with_a_line():
    # Under a parent make (the fresh-clone test runs `make test`), MAKEFLAGS and MAKELEVEL are
    # inherited and make prints "Entering directory" lines: run it as a user would.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    result = subprocess.run(["make", "-s", "--no-print-directory", "help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()}
    assert documented_targets() == listed
    phony = re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M).group(1).split()
    assert set(phony) == listed, "every target is documented"
    for required in ("validate", "test", "clean", "help"):
        assert required in listed


def test_clean_removes_generated_files_but_never_masters(tmp_path):
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("Makefile", "tei", "sources"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / name)
    (copy / "build" / "html").mkdir(parents=True)
    (copy / "build" / "html" / "index.html").write_text("generated", encoding="utf-8")
    (copy / "tei" / "hand-edited.xml").write_text("<TEI/>", encoding="utf-8")
    (copy / "tei" / "__pycache__").mkdir()  # even odd names inside tei/ survive
    before = sorted(p.relative_to(copy) for p in (copy / "tei").rglob("*")) + \
        sorted(p.relative_to(copy) for p in (copy / "sources").rglob("*"))
    result = subprocess.run(["make", "clean"], cwd=copy, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (copy / "build").exists()
    after = sorted(p.relative_to(copy) for p in (copy / "tei").rglob("*")) + \
        sorted(p.relative_to(copy) for p in (copy / "sources").rglob("*"))
    assert before == after
    assert (copy / "tei" / "hand-edited.xml").read_text(encoding="utf-8") == "<TEI/>"


def test_schemas_compiled_once_per_run(tmp_path, monkeypatch, run_cli):
    from cmctei.validate import schematron, xsd

    for i in range(4):
        text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8").replace("minimal", f"doc{i}")
        (tmp_path / f"doc{i}.xml").write_text(text, encoding="utf-8")
    calls = {"xsd": 0, "sch": 0}
    original_xsd, original_sch = xsd.XsdValidator.__init__, schematron.SchematronValidator.__init__

    def count_xsd(self, *args, **kwargs):
        calls["xsd"] += 1
        original_xsd(self, *args, **kwargs)

    def count_sch(self, *args, **kwargs):
        calls["sch"] += 1
        original_sch(self, *args, **kwargs)

    monkeypatch.setattr(xsd.XsdValidator, "__init__", count_xsd)
    monkeypatch.setattr(schematron.SchematronValidator, "__init__", count_sch)
    code, out, _ = run_cli("validate", tmp_path)
    assert code == 0 and "4 files" in out
    assert calls == {"xsd": 1, "sch": 1}


def test_tei_all_option(tmp_path, run_cli):
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    (tmp_path / "minimal.xml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", "--tei-all", tmp_path)
    assert code == 0 and summary_of(out) == "1 file, 0 errors, 0 warnings"
    (tmp_path / "minimal.xml").write_text(text.replace("<p>We met", "<p><redaction/>We met"), encoding="utf-8")
    code, out, _ = run_cli("validate", "--tei-all", tmp_path)
    assert code == 1
    assert "[tei-all]" in out and "[xsd-element]" in out


def project_copy(tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the project that `make` can run in: this checkout's .venv (linked; its
    pyproject.toml is copied with its time, so make does not set up again) and CMCTEI_HOME."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("Makefile", "sources", "tei", "schemas", "xslt", "pyproject.toml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    env["CMCTEI_HOME"] = str(copy)
    return copy, env


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "cmctei").exists(), reason="no .venv in this checkout")
def test_one_source_that_cannot_be_converted_does_not_stop_the_others(tmp_path):
    """Before, `make` stopped at the conversion error: nothing validated or published."""
    copy, env = project_copy(tmp_path)
    (copy / "sources" / "bad.txt").write_bytes(b"bad\x00binary")
    with (copy / "sources" / "catalog.toml").open("a", encoding="utf-8") as catalog:
        catalog.write('\n[documents.bad]\nsource = "bad.txt"\ngenre = "memorandum"\n')
    result = subprocess.run(["make", "JOBS=1"], cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "sources/bad.txt:1:1: error: the source contains NUL bytes" in result.stderr
    assert "6 files, 0 errors" in result.stdout  # validated: the five masters and the register
    assert "5 of 5 documents published" in result.stdout
    assert (copy / "build" / "html" / "index.html").is_file()
    assert "problems reported by: convert" in result.stderr
    # the closing lines: where the site is, and how to run the command
    assert "The site is in build/html/index.html" in result.stdout
    assert "To run cmctei yourself: .venv/bin/cmctei" in result.stdout


def test_make_test_says_what_it_installs_before_installing(tmp_path):
    """`make test` installs Java and Chromium when they are missing: it says so first. Run with
    a PATH where they are missing, as root, and an apt-get that only writes down its call."""
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "apt.log"
    for name, body in (("id", "echo 0"), ("apt-get", f'echo "apt-get $*" >> {log}; echo "APT RAN"')):
        (fake / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (fake / name).chmod(0o755)
    env = {"PATH": str(fake), "HOME": str(tmp_path)}
    make = shutil.which("make")
    result = subprocess.run([make, "-s", "--no-print-directory", "setup-system"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert "installing Debian packages" in said and "default-jre-headless chromium" in said
    assert log.read_text(encoding="utf-8").count("apt-get install") == 1
    assert "APT RAN" not in said  # apt-get's own output is not shown; what it does was said before


def _lines(text: str) -> set[str]:
    """The diagnostics of a run's output (file:line:col: severity: message [rule])."""
    return {line for line in text.splitlines() if re.match(r"\S+:\d+:\d+: (error|warning):", line)
            and "[publish-" not in line}


def test_publish_with_tei_all_tells_what_validate_tei_all_tells_and_publishes_the_valid(tmp_path, run_cli):
    """What `make` runs (validate-publish: one parse and one Saxon tree per master for both):
    the same findings as `cmctei validate --tei-all`, every layer; an invalid master is not
    published, the valid one is, and the run fails."""
    good = tmp_path / "tei" / "rfk-memo-to-rusk.xml"
    good.parent.mkdir()
    shutil.copy2(ROOT / "tei" / "rfk-memo-to-rusk.xml", good)
    text = good.read_text(encoding="utf-8")
    bad = good.with_name("rfk-memo-redacted.xml")
    bad.write_text(re.sub(r"(<body>.*?<p[^>]*>)", r"\1<redaction/>", text, count=1, flags=re.S), encoding="utf-8")
    register = ROOT / "tei" / "persons.xml"
    code, out, _ = run_cli("validate", "--tei-all", "--no-cache", "--register", register, good, bad)
    assert code == 1
    expected = _lines(out)
    assert any("[tei-all]" in line for line in expected) and any("[xsd-" in line for line in expected)
    code, out, err = run_cli("publish", "--tei-all", "--no-search", "--register", register,
                             "--out", tmp_path / "build", good, bad)
    assert code == 1
    assert _lines(err) == expected
    assert "2 files, " in out and "(every layer, TEI P5 included)" in out
    assert (tmp_path / "build" / "html" / "rfk-memo-to-rusk.html").is_file()
    assert not (tmp_path / "build" / "html" / "rfk-memo-redacted.html").exists()


def test_validate_tei_all_only_checks_tei_p5_alone(tmp_path, run_cli):
    """What the benchmark compares with jing: the tei_all layer alone, nothing recorded."""
    text = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
    (tmp_path / "minimal.xml").write_text(text.replace("<p>We met", "<p><redaction/>We met"), encoding="utf-8")
    code, out, _ = run_cli("validate", "--tei-all-only", tmp_path)
    assert code == 1 and "[tei-all]" in out and "[xsd-" not in out
    (tmp_path / "minimal.xml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", "--tei-all-only", tmp_path)
    assert code == 0 and summary_of(out) == "1 file, 0 errors, 0 warnings"


def _pyc_is_current(source: Path) -> bool:
    """What Python checks before it uses a .pyc instead of compiling: the source's mtime and
    size, in the header (PEP 552, timestamp-based)."""
    import importlib.util

    cached = Path(importlib.util.cache_from_source(str(source)))
    if not cached.is_file():
        return False
    header, status = cached.read_bytes()[:16], source.stat()
    return (int.from_bytes(header[4:8], "little") == 0
            and int.from_bytes(header[8:12], "little") == int(status.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(header[12:16], "little") == status.st_size & 0xFFFFFFFF)


def test_setup_compiles_cmctei_to_bytecode_and_again_when_a_module_changes(tmp_path):
    """Each cmctei command is a fresh process: where Python may not write bytecode
    (PYTHONDONTWRITEBYTECODE), every one compiled its modules again. ``make setup`` compiles
    them once (a copy of the Makefile and src/, an environment already set up)."""
    import sys

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "src" / "cmctei", repo / "src" / "cmctei", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, repo / name)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / ".cmctei-ready").touch()  # (newer than pyproject.toml: nothing to install)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    modules = sorted((repo / "src" / "cmctei").rglob("*.py"))
    assert len(modules) > 20 and not any(_pyc_is_current(m) for m in modules)
    now = time.time()
    for module in modules:  # (in the past, so that make's comparisons with the stamp are clear-cut)
        os.utime(module, (now - 100, now - 100))
    make = ["make", "-s", "--no-print-directory", "-f", str(repo / "Makefile"), f"VENV={venv}", "setup"]
    done = subprocess.run(make, cwd=repo, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert [m.name for m in modules if not _pyc_is_current(m)] == []
    changed = repo / "src" / "cmctei" / "publish.py"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    os.utime(changed, (now - 50, now - 50))
    os.utime(venv / ".cmctei-bytecode", (now - 75, now - 75))  # made before the edit,
    os.utime(venv / ".cmctei-ready", (now - 90, now - 90))  # after the environment
    assert not _pyc_is_current(changed)
    done = subprocess.run(make, cwd=repo, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and _pyc_is_current(changed), done.stderr
    # `make clean` removes the bytecode, and the next `make setup` compiles it again
    clean = subprocess.run(make[:-1] + ["clean"], cwd=repo, capture_output=True, text=True, timeout=300, env=env)
    assert clean.returncode == 0 and not any(_pyc_is_current(m) for m in modules), clean.stderr
    done = subprocess.run(make, cwd=repo, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and [m.name for m in modules if not _pyc_is_current(m)] == [], done.stderr
