"""Long runs show progress on a terminal, stay quiet in logs, and end with a summary."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys

from conftest import ROOT

from cmctei.progress import Progress, Timings


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_counts_stage_and_eta_on_a_terminal():
    stream = Terminal()
    progress = Progress("validate", 4, stream=stream, interval=0)
    progress.advance()
    progress.advance()
    drawn = stream.getvalue()
    assert "\r[validate] 1/4 25%" in drawn and "\r[validate] 2/4 50%" in drawn and "ETA" in drawn
    progress.message("a problem line", stream)
    progress.advance(2)
    assert "[validate] 4/4 100%" in stream.getvalue()
    progress.clear()
    assert stream.getvalue().endswith("\r")


def test_no_progress_when_not_a_terminal_or_quiet():
    for stream, quiet in ((io.StringIO(), False), (Terminal(), True)):
        progress = Progress("publish", 3, stream=stream, quiet=quiet, interval=0)
        for _ in range(3):
            progress.advance()
        progress.clear()
        assert stream.getvalue() == ""


def test_timings_line_names_each_stage():
    timings = Timings()
    timings.merge({"xsd": 0.25, "schematron": 1.5})
    assert re.fullmatch(r"time \d+\.\d\d s \(xsd 0\.25 s, schematron 1\.50 s\)", timings.line())


def _run_on_pty(args: list[str], cwd) -> str:
    """Run the command with its stderr on a pseudo-terminal; returns what it drew there."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "cmctei", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=child, env=dict(os.environ, CMCTEI_HOME=str(cwd)))
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=300)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_commands_draw_progress_on_a_terminal_only(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    project = corpus.make_project(tmp_path / "p")
    for seed in sorted((ROOT / "tei").glob("*.xml")):
        if seed.name != "persons.xml":
            shutil.copy2(seed, project / "tei" / seed.name)
    drawn = _run_on_pty(["validate", "--no-cache", "tei"], project)
    assert "[validate] 6/6 100%" in drawn
    logged = subprocess.run([sys.executable, "-m", "cmctei", "validate", "--no-cache", "tei"], cwd=project,
                            capture_output=True, text=True, env=dict(os.environ, CMCTEI_HOME=str(project)))
    assert "\r" not in logged.stderr + logged.stdout and "[validate]" not in logged.stderr
    assert re.search(r"6 files, 0 errors, 0 warnings; time \d+\.\d\d s \(", logged.stdout)
    quiet = _run_on_pty(["validate", "--no-cache", "--quiet", "tei"], project)
    assert "[validate]" not in quiet
    published = _run_on_pty(["publish"], project)
    assert "[publish] 5/5 100%" in published
