"""The benchmark keeps working: `make bench` at the smallest size (not a timed test:
nothing here compares a duration with a limit; docs/performance.md has the numbers)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

from conftest import ROOT

STAGES = {"floor", "convert", "xsd", "schematron", "tei_all", "xmlschema", "validate", "html", "text", "cite",
          "site index", "make", "make after 1 source changed", "make after 1 master edited"}


def test_bench_at_size_10_writes_every_stage_the_plot_and_the_targets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "CMCTEI_HOME")}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "10", "--repeat", "1",
                             "--jobs", "2", "--big-mb", "0.3", "--linearity-mb", "0.1", "--out", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(tmp_path / "results.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    at_10 = {(r["stage"], r["jobs"]) for r in rows if r["size"] == "10"}
    assert {stage for stage, _ in at_10} == STAGES
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
    for target in ("pipeline per document", "HTML linear", "large document", "10 docs: floor"):
        assert target in summary, target
    assert not (tmp_path / "corpora").exists()  # the synthetic corpora are removed
