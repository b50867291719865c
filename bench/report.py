"""The summary of a benchmark run (build/bench/summary.txt): each stage as a multiple of the
floor and of its peer, the machine's parallelism and load as measured in the same run, and
each target of docs/performance.md with where it stands."""

from __future__ import annotations

import os
import platform
import statistics

from peers import PEER_OF, available_cores


def lines_for(bench, linearity) -> list[str]:
    jobs = bench.args.jobs
    value, floor = bench.value, bench.floor
    lines = [f"cmctei benchmark: {platform.machine()}, {os.cpu_count()} cores ({available_cores()} available to "
             f"this process), Python {platform.python_version()}, repeat {bench.args.repeat} (medians, rounds "
             f"interleaved); jobs = {jobs}", ""]
    for note in bench.notes:
        lines.append(f"note: {note}")
    sizes = sorted({k[0] for k in bench.rows if k[0] > 0})
    for size in sizes:
        base = floor(size)
        if base is None:
            continue
        parts = []
        for (s, stage, j) in sorted(bench.rows):
            if s != size or stage == "floor" or stage in PEER_OF.values():
                continue
            seconds = bench.rows[(s, stage, j)].seconds
            text = f"{stage}{'' if j == 1 else f' (j{j})'} {seconds / base:.0f}x"
            peer = value(size, PEER_OF.get(stage, ""), 1)
            if peer:
                text += f" [{seconds / peer:.2f}x {PEER_OF[stage]}]"
            parts.append(text)
        for peer in sorted(set(PEER_OF.values())):
            if value(size, peer, 1):
                parts.append(f"{peer} {value(size, peer, 1) / base:.0f}x")
        lines.append(f"{size:>6} docs: floor {base:.3f} s; as multiples of the floor [and of the peer]: "
                     + ", ".join(parts))
        said = []
        if size in bench.parallelism:
            said.append(f"measured parallelism for {jobs} processes {bench.parallelism[size]:.2f}x (of {jobs}x)")
        if bench.load.get(size):
            said.append("1-minute load average " + ", ".join(f"{x:.1f}" for x in bench.load[size])
                        + " (start, then after each round)")
        if said:
            lines.append(f"{'':>6}       the machine in this run: " + "; ".join(said))
    lines += ["", "Targets:"]
    for size in (10, 1000):
        ours, jing = value(size, "tei_all one-shot", 1), value(size, "jing", 1)
        if ours and jing:
            extra = ""
            if value(size, "tei_all one-shot", jobs) and jobs > 1:
                extra = f"; with {jobs} jobs {value(size, 'tei_all one-shot', jobs) / jing:.2f}x"
            lines.append(f"- tei_all at {size:,} docs, one-shot, start-up included: {ours:.2f} s = {ours / jing:.2f}x "
                         f"jing ({jing:.2f} s){extra} (target <= 0.5x)")
            cores = _cores_used(bench, size, jobs)
            if cores:
                lines.append(f"  cores used (CPU time / wall time): {cores} (jing is one process, but its JVM "
                             f"compiles and collects garbage on other threads)")
    made = [s for s in sizes if value(s, "make", 1) and floor(s)]
    if made:  # the target is at 1,000 documents; a shorter run says where it stands at its largest
        s = 1000 if 1000 in made else made[-1]
        lines.append(f"- pipeline: make from clean at {s:,} docs, 1 job: {value(s, 'make', 1) / floor(s):.0f}x "
                     f"the floor (target <= 80x at 1,000 docs)")
    pages = [(s, value(s, "pages", 1), value(s, "TEI Stylesheets", 1)) for s in sizes]
    pages = [(s, ours, peer) for s, ours, peer in pages if ours and peer]
    for s, ours, peer in pages:
        one_shot = value(s, "TEI Stylesheets one-shot", 1)
        lines.append(f"- HTML stage at {s:,} docs (each document's page, citation and record, as publish makes "
                     f"them): {ours:.2f} s = {ours / peer:.2f}x TEI Stylesheets ({peer:.2f} s) (target <= 0.2x); "
                     f"one-shot (start-up, compile, the site's own pages): "
                     + (f"{value(s, 'html', 1) / one_shot:.2f}x" if one_shot and value(s, "html", 1) else "n/a"))
    if linearity:
        lines.append(f"- HTML linear: a {linearity[0]:.2f}x larger document took {linearity[1]:.2f}x the time "
                     f"(target <= 4.5x for 4x)")
    for what in ("source changed", "master edited", "master edited (no new word)"):
        seconds = value(1000, f"make after 1 {what}", jobs)
        if seconds:
            lines.append(f"- incremental make, 1,000 docs, 1 {what}: {seconds:.2f} s (target <= 2 s)")
    a, b = value(1000, "make", jobs), value(10000, "make", jobs)
    if a and b:
        lines.append(f"- linear scaling: 10,000 docs took {b / a:.2f}x the time of 1,000 (make, {jobs} jobs; "
                     f"target <= 11x)")
    if jobs > 1:
        for stage in ("convert", "validate", "html", "text", "cite", "make", "tei_all one-shot"):
            for size in sizes:
                one, many = value(size, stage, 1), value(size, stage, jobs)
                if one and many and size == max(s for s in sizes if value(s, stage, jobs)):
                    available = bench.parallelism.get(size)
                    said = f" (the machine gave {jobs} processes {available:.2f}x in this run)" if available else ""
                    lines.append(f"- {jobs} jobs at {size:,} docs, {stage}: {one / many:.2f}x speed-up{said}")
    big = bench.rows.get((-1, "validate", 1))
    if big:
        for stage in ("validate", "publish", "publish, not validated before", "convert"):
            row = bench.rows[(-1, stage, 1)]
            lines.append(f"- large document ({row.megabytes:.0f} MB of TEI), {stage}: peak RSS {row.rss_mb:.0f} MB = "
                         f"{row.rss_mb / row.megabytes:.1f}x its size, {row.seconds:.1f} s"
                         + (" (target <= 10x)" if stage != "convert" else ""))
    x, s = value(1000, "xmlschema", 1), value(1000, "xsd", 1)
    if x and s:
        lines.append(f"- XSD at 1,000 docs: xmlschema {x:.2f} s, libxml2 {s:.2f} s ({x / s:.0f}x)")
    loads = [x for size in sizes for x in bench.load.get(size, [])]
    if loads:
        lines.append(f"- the machine's 1-minute load average during the run: median {statistics.median(loads):.1f}, "
                     f"{min(loads):.1f} to {max(loads):.1f} ({available_cores()} cores)")
    return lines


def _cores_used(bench, size: int, jobs: int) -> str:
    """How many cores cmctei's tei_all check (1 and ``jobs`` jobs) and jing kept busy, on
    average: their CPU time over their wall time, from the same rounds ("" if not measured)."""
    runs = [("cmctei 1 job", "tei_all one-shot", 1)]
    if jobs > 1:
        runs.append((f"cmctei {jobs} jobs", "tei_all one-shot", jobs))
    runs.append(("jing", "jing", 1))
    said = []
    for name, stage, stage_jobs in runs:
        cpu, wall = bench.cpu(size, stage, stage_jobs), bench.value(size, stage, stage_jobs)
        if cpu is not None and wall:
            said.append(f"{name} {cpu / wall:.2f} ({cpu:.2f} CPU-s)")
    return ", ".join(said) if len(said) == len(runs) else ""
