"""The Makefile's promises: help lists every target; clean never touches masters;
validation compiles its schemas once per run, not once per file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

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
