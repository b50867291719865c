"""The benchmark keeps working: `make bench` at the smallest size (not a timed test:
nothing here compares a duration with a limit; docs/performance.md has the numbers)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED

sys.path.insert(0, str(ROOT / "bench"))
import peers  # noqa: E402

STAGES = {"floor", "convert", "xsd", "schematron", "tei_all", "xmlschema", "validate", "html", "text", "cite",
          "site index", "site index and search (make)", "make", "make after 1 source changed",
          "make after 1 master edited", "make after 1 master edited (no new word)", "tei_all one-shot"}
JING_STAGES = {"jing"}
TEI_STYLESHEETS = SHARED / "peers" / "tei-stylesheets"
PEER_HTML_STAGES = {"pages", "TEI Stylesheets", "TEI Stylesheets one-shot"}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`make bench` at size 10, once for this file's tests, with the peers where they are."""
    out = tmp_path_factory.mktemp("bench")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "CMCTEI_HOME")}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "10", "--repeat", "1",
                             "--jobs", "2", "--big-mb", "0.3", "--linearity-mb", "0.1",
                             # relative, as a user types it: each stage runs in its corpus's folder
                             "--out", os.path.relpath(out, ROOT),
                             "--tei-stylesheets", str(TEI_STYLESHEETS)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out, result


def _rows(out: Path) -> list[dict]:
    with open(out / "results.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_bench_at_size_10_writes_every_stage_the_plot_and_the_targets(bench_run):
    tmp_path, result = bench_run
    rows = _rows(tmp_path)
    at_10 = {(r["stage"], r["jobs"]) for r in rows if r["size"] == "10"}
    peer_stages = (JING_STAGES if shutil.which("jing") else set()) | (
        PEER_HTML_STAGES if (TEI_STYLESHEETS / "html" / "html.xsl").is_file() else set())
    assert {stage for stage, _ in at_10} == STAGES | peer_stages
    for stage in ("convert", "validate", "html", "text", "cite", "make"):
        assert (stage, "1") in at_10 and (stage, "2") in at_10, stage
    for row in rows:
        assert float(row["seconds_median"]) > 0 and float(row["peak_rss_mb"]) > 0, row
        if row["stage"] != "floor":
            assert float(row["ratio_to_floor"]) > 0, row
    big = {r["stage"] for r in rows if r["size"] == "big"}
    assert big == {"floor", "convert", "validate", "publish", "publish, not validated before"}
    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (tmp_path / "summary.txt").read_text(encoding="utf-8")
    for target in ("pipeline: make from clean", "HTML linear", "large document", "10 docs: floor",
                   "measured parallelism for 2 processes", "load average", "available to this process"):
        assert target in summary, target
    assert not (tmp_path / "corpora").exists()  # the synthetic corpora are removed


def test_bench_compares_tei_all_with_jing_in_the_same_run(bench_run):
    if not shutil.which("jing"):
        pytest.skip("jing is not installed (Debian package jing; `make bench` installs it as root): "
                    "the bench skips the comparison")
    out, _ = bench_run
    rows = {(r["stage"], r["jobs"]): r for r in _rows(out) if r["size"] == "10"}
    assert float(rows[("jing", "1")]["seconds_median"]) > 0
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "tei_all at 10 docs, one-shot, start-up included:" in summary
    assert "x jing" in summary
    # the cores each kept busy, from the CPU time of its process tree (jing's JVM uses several)
    for key in (("jing", "1"), ("tei_all one-shot", "1"), ("tei_all one-shot", "2")):
        assert float(rows[key]["cpu_seconds_median"]) > 0, key
    assert "cores used (CPU time / wall time): cmctei 1 job " in summary and ", jing " in summary


def test_the_cpu_time_of_a_process_tree_counts_its_grandchildren(tmp_path):
    """bench/rss.py reports the CPU time of the command and of what it starts (the JVM the jing
    script starts, the workers of --jobs): a child that spins for 0.4 s of CPU is counted."""
    spin = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}], check=True)"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "rss.py"), sys.executable, "-c", parent],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    cpu = float(result.stderr.split("cmctei-bench-cpu-s ")[1].split()[0])
    assert 0.4 <= cpu < 5, result.stderr


def test_bench_compares_the_html_stage_with_tei_stylesheets_in_the_same_run(bench_run):
    if not (TEI_STYLESHEETS / "html" / "html.xsl").is_file():
        pytest.skip(f"TEI Stylesheets are not at {TEI_STYLESHEETS} (../shared/peers/ is not in a user's clone): "
                    "the bench skips the comparison")
    out, _ = bench_run
    rows = {(r["stage"], r["jobs"]): r for r in _rows(out) if r["size"] == "10"}
    for stage in PEER_HTML_STAGES:
        assert float(rows[(stage, "1")]["seconds_median"]) > 0, stage
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "HTML stage at 10 docs" in summary and "x TEI Stylesheets" in summary


def test_a_missing_peer_is_skipped_with_its_reason(tmp_path):
    """What the bench says (and puts in the summary) when a peer is absent: no run needed."""
    jing, why = peers.find_jing(str(tmp_path / "no-jing"))
    assert jing is None and "jing is not installed" in why and "skipped" in why
    stylesheets, why = peers.find_tei_stylesheets(tmp_path / "nowhere")
    assert stylesheets is None and str(tmp_path / "nowhere") in why and "skipped" in why
    (tmp_path / "ts" / "html").mkdir(parents=True)
    (tmp_path / "ts" / "common").mkdir()
    (tmp_path / "ts" / "html" / "html.xsl").write_text("<x/>", encoding="utf-8")
    assert peers.find_tei_stylesheets(tmp_path / "ts") == (tmp_path / "ts", "")


def test_a_relative_tei_stylesheets_path_names_the_same_folder_wherever_the_peer_runs(tmp_path, monkeypatch):
    """`make bench` passes the Makefile's default, ../shared/peers/tei-stylesheets, relative to the
    project; the peer then runs in each corpus's folder, where that relative path named nothing
    (Saxon: "corpora/n10/../shared/peers/tei-stylesheets/html/html.xsl (No such file)")."""
    (tmp_path / "ts" / "html").mkdir(parents=True)
    (tmp_path / "ts" / "common").mkdir()
    (tmp_path / "ts" / "html" / "html.xsl").write_text("<x/>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found, why = peers.find_tei_stylesheets(Path("ts"))
    assert why == "" and found.is_absolute() and found == (tmp_path / "ts").resolve()
