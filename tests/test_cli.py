"""`cmctei validate` as a user runs it: output lines, summary, exit status."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT, summary_of

MINIMAL = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")


def line_col(text: str, needle: str, offset_in_needle: int = 0) -> tuple[int, int]:
    """1-based line and column of the first occurrence of needle (computed from the text)."""
    index = text.index(needle) + offset_in_needle
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def make_folder(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Four files: malformed, schema-invalid, rule-invalid, valid. Returns expected (rule, line, col)."""
    folder.mkdir()
    expected = {}

    malformed = MINIMAL.replace("minimal", "malformed").replace("<p>We met in my office.", "<p>We met <hi rend=\"italic\">in my office.", 1)
    (folder / "malformed.xml").write_text(malformed, encoding="utf-8")
    # libxml2 notices the mismatch at the end tag of the paragraph.
    start = malformed.index('<hi rend="italic">in my office.')
    end_tag = malformed.index("</p>", start)
    line = malformed.count("\n", 0, end_tag) + 1
    expected["malformed.xml"] = ("xml-wellformed", line, 0)

    schema_invalid = MINIMAL.replace("minimal", "schemainvalid").replace('reason="sanitized"', 'reason="redacted"')
    (folder / "schemainvalid.xml").write_text(schema_invalid, encoding="utf-8")
    expected["schemainvalid.xml"] = ("vocab-gap-reason", *line_col(schema_invalid, 'reason="redacted"'))

    # footnotes 1 and 2 swapped: the second is numbered lower than the first
    rule_invalid = MINIMAL.replace("minimal", "ruleinvalid").replace(
        'n="1" xml:id="ruleinvalid-fn1"', "FIRST").replace('n="2" xml:id="ruleinvalid-fn2"', 'n="1" xml:id="ruleinvalid-fn1"'
                                                            ).replace("FIRST", 'n="2" xml:id="ruleinvalid-fn2"')
    (folder / "ruleinvalid.xml").write_text(rule_invalid, encoding="utf-8")
    expected["ruleinvalid.xml"] = ("fn-sequence", *line_col(rule_invalid, '<note place="foot" n="1"'))

    (folder / "valid.xml").write_text(MINIMAL.replace("minimal", "valid"), encoding="utf-8")
    return expected


def test_folder_with_three_bad_files_and_one_good(tmp_path, run_cli):
    folder = tmp_path / "corpus"
    expected = make_folder(folder)
    code, out, err = run_cli("validate", folder)
    assert code == 1
    assert err == ""
    lines = out.strip().splitlines()
    assert summary_of(out) == "4 files, 3 errors, 0 warnings"
    assert re.fullmatch(r".*; time \d+\.\d\d s \(.*xsd \d+\.\d\d s.*\)", lines[-1])
    problems = lines[:-1]
    assert len(problems) == 3
    for name, (rule, line, col) in expected.items():
        matching = [p for p in problems if p.startswith(f"{folder / name}:")]
        assert len(matching) == 1, (name, problems)
        path_part, line_part, col_part, rest = matching[0].split(":", 3)
        assert int(line_part) == line, matching[0]
        if col:  # the malformed file's column is libxml2's; the others are exact
            assert int(col_part) == col, matching[0]
        else:
            assert int(col_part) >= 1
        assert rest.startswith(f" error: [{rule}] "), matching[0]
    assert not any(p.startswith(str(folder / "valid.xml")) for p in problems)


def test_json_output(tmp_path, run_cli):
    folder = tmp_path / "corpus"
    expected = make_folder(folder)
    code, out, _ = run_cli("validate", "--format", "json", folder)
    assert code == 1
    report = json.loads(out)
    assert report["files"] == 4 and report["errors"] == 3 and report["warnings"] == 0
    rules = {Path(p["path"]).name: p["rule"] for p in report["problems"]}
    assert rules == {name: rule for name, (rule, _, _) in expected.items()}
    for problem in report["problems"]:
        assert set(problem) == {"path", "line", "col", "severity", "rule", "message"}


def test_clean_files_exit_zero(run_cli):
    code, out, err = run_cli("validate", FIXTURES / "valid")
    assert (code, err) == (0, "")
    assert summary_of(out) == "2 files, 0 errors, 0 warnings"


def test_default_path_is_tei_folder(run_cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the default does not depend on the working directory
    code, out, _ = run_cli("validate")
    files = len(list((ROOT / "tei").rglob("*.xml")))
    assert code == 0, out
    assert summary_of(out) == f"{files} file{'s' if files != 1 else ''}, 0 errors, 0 warnings"


def test_missing_path_exits_2_with_one_line(tmp_path, run_cli):
    code, out, err = run_cli("validate", tmp_path / "nowhere")
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "nowhere" in err and "no such file" in err and "Traceback" not in err


def test_missing_register_exits_2(run_cli, tmp_path):
    code, _, err = run_cli("validate", "--register", tmp_path / "people.xml", FIXTURES / "valid")
    assert code == 2 and "register not found" in err


def test_warnings_do_not_fail(tmp_path, run_cli):
    text = MINIMAL.replace("<term>EYES ONLY</term>", "<term>NOFORN</term>")
    (tmp_path / "minimal.xml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", tmp_path)
    assert code == 0
    assert "warning: [handling-declared]" in out
    assert summary_of(out) == "1 file, 0 errors, 1 warning"


def test_console_script_and_module_entry_points(tmp_path):
    """A real process: `python -m cmctei` and the installed `cmctei` script."""
    folder = tmp_path / "corpus"
    make_folder(folder)
    module = subprocess.run([sys.executable, "-m", "cmctei", "validate", str(folder)],
                            capture_output=True, text=True, timeout=300)
    assert module.returncode == 1 and "4 files, 3 errors, 0 warnings" in module.stdout
    script = Path(sys.executable).with_name("cmctei")
    missing = subprocess.run([str(script), "validate", str(tmp_path / "nope")],
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    no_command = subprocess.run([str(script)], capture_output=True, text=True, timeout=300)
    assert no_command.returncode == 2 and "usage" in no_command.stderr.lower()
