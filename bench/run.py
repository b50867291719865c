"""The cmctei benchmark (`make bench`): every stage, timed on synthetic corpora.

    python bench/run.py [--sizes 10,100,1000,10000] [--repeat 3] [--jobs 2]
                        [--big-mb 50] [--out build/bench] [--full-up-to 1000]
                        [--tei-stylesheets ../shared/peers/tei-stylesheets] [--jing jing]

For each corpus size (bench/corpus.py) and each repeat, in fresh processes:

* ``floor``: lxml parse + serialize of the corpus's TEI (bench/stage.py): the
  physical floor every other stage is divided by;
* ``convert``, ``validate`` (the CLI, all layers, no cache), ``html``,
  ``text``, ``cite`` (``cmctei publish --only …``), with 1 job and with
  ``--jobs``; ``site index`` as the publish run reports it;
* the validation layers alone, in one process: ``xsd`` (libxml2),
  ``xmlschema``, ``schematron``, ``tei_all``;
* ``make`` from clean (empty tei/, no build/) with 1 job and ``--jobs``;
* incremental ``make`` after changing one source, after editing one
  master by hand (both bring words new to the collection), and after an
  edit in words the collection has;
* the peers (bench/peers.py), in the same rounds: ``jing`` against
  ``cmctei validate --tei-all-only`` (``tei_all one-shot``, start-up
  included), TEI Stylesheets' HTML against cmctei's ``pages`` (the citation
  and the page of each document, compile excluded) and against
  ``cmctei publish --only html`` (one-shot); a peer that is missing is
  skipped, saying so;
* the machine's measured parallelism for ``--jobs`` processes, at each size
  (bench/peers.py ``spin_parallelism``), next to the speed-ups.

Sizes above ``--full-up-to`` run only the floor and ``make`` from clean
(with ``--jobs``), which is what the scaling target compares. Then one
large document (``--big-mb`` of TEI) is converted, validated and
published, with its peak RSS; and the HTML transform is timed on a
document and on one four times larger.

Each figure is the median over the repeats. Written: ``results.csv`` (one
row per size, stage and jobs), ``results.png`` (time against corpus size,
per stage), ``summary.txt`` (the targets of docs/performance.md and where
each stands). Peak RSS is that of the largest process of the stage's
process tree (``wait4``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402


@dataclass
class Run:
    seconds: float
    rss_mb: float
    output: str = ""
    cpu: float | None = None  # CPU seconds of the process tree (user + system), where measured


@dataclass
class Row:
    size: int
    stage: str
    jobs: int
    runs: list[Run] = field(default_factory=list)
    docs: int = 0
    megabytes: float = 0.0

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_mb for r in self.runs)

    @property
    def cpu(self) -> float | None:
        """Median CPU seconds, or None where not measured (a stage timed inside its process)."""
        found = [r.cpu for r in self.runs if r.cpu is not None]
        return statistics.median(found) if found else None


def timed(command: list[str], *, cwd: Path, env: dict[str, str], check: bool = True) -> Run:
    """Wall time and peak RSS (largest process of the tree) of one command."""
    start = time.perf_counter()
    # through bench/rss.py: a child of this (large) process would inherit its peak RSS
    result = subprocess.run([sys.executable, str(HERE / "rss.py"), *command], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    output = result.stdout.decode("utf-8", "replace")
    found = re.findall(r"cmctei-bench-rss-kib (\d+)", output)
    cpu = re.findall(r"cmctei-bench-cpu-s ([0-9.]+)", output)
    output = re.sub(r"cmctei-bench-(?:rss-kib|cpu-s) [0-9.]+\n?", "", output)
    if check and result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({result.returncode}):\n{output[-3000:]}")
    # KiB to MB of 10^6 bytes: the unit the document sizes are in, so that ratios are right
    return Run(seconds, int(found[-1]) * 1024 / 1e6 if found else 0.0, output, float(cpu[-1]) if cpu else None)


LINEARITY_ROUNDS = 7  # the HTML linearity check's fewest rounds (html_linearity)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out.resolve()  # each stage runs in its corpus folder: a relative --out would name nothing there
        self.work = self.out / "corpora"
        self.rows: dict[tuple[int, str, int], Row] = {}
        self.python = sys.executable
        self.pool = corpus.variants()
        self.notes: list[str] = []
        self.parallelism: dict[int, float] = {}
        self.load: dict[int, list[float]] = {}  # the 1-minute load average, at the start and after each round
        self.jing, why = peers.find_jing(args.jing)
        if why:
            self.notes.append(why)
        self.tei_stylesheets, why = peers.find_tei_stylesheets(args.tei_stylesheets)
        if why:
            self.notes.append(why)
        for note in self.notes:
            print(f"bench: {note}", file=sys.stderr)

    # ------------------------------------------------------------ helpers

    def env(self, project: Path) -> dict[str, str]:
        env = dict(os.environ, CMCTEI_HOME=str(project), PYTHONHASHSEED="0")
        for variable in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
            env.pop(variable, None)
        return env

    def cmctei(self, project: Path, *args: str, check: bool = True) -> Run:
        return timed([self.python, "-m", "cmctei", *args], cwd=project, env=self.env(project), check=check)

    def make(self, project: Path, jobs: int) -> Run:
        venv = Path(self.python).parent.parent
        return timed(["make", "-s", "--no-print-directory", "-C", str(project), "-f", str(ROOT / "Makefile"),
                      f"VENV={venv}", f"JOBS={jobs}", "all"], cwd=project, env=self.env(project))

    def stage(self, project: Path, name: str, target: Path | None = None) -> Run:
        run = timed([self.python, str(HERE / "stage.py"), name, str(target or project / "tei")],
                    cwd=project, env=self.env(project))
        result = json.loads(run.output.strip().splitlines()[-1])
        return Run(result["seconds"], run.rss_mb, run.output)

    def record(self, size: int, stage: str, jobs: int, run: Run, docs: int, megabytes: float) -> None:
        row = self.rows.setdefault((size, stage, jobs), Row(size, stage, jobs))
        row.runs.append(run)
        row.docs, row.megabytes = docs, megabytes

    @staticmethod
    def reset(project: Path, keep_tei: bool = False) -> None:
        shutil.rmtree(project / "build", ignore_errors=True)
        if not keep_tei:
            for master in (project / "tei").glob("*"):
                if master.name != "persons.xml":
                    master.unlink()
            shutil.copy2(ROOT / "tei" / "persons.xml", project / "tei" / "persons.xml")

    @staticmethod
    def tei_megabytes(project: Path) -> float:
        return sum(p.stat().st_size for p in (project / "tei").glob("*.xml") if p.name != "persons.xml") / 1e6

    # ------------------------------------------------------------ one corpus

    def corpus_size(self, size: int, repeat: int) -> None:
        project = corpus.write_corpus(self.work / f"n{size}", size, self.pool)
        jobs_list = sorted({1, self.args.jobs})
        full = size <= self.args.full_up_to
        self.parallelism[size] = peers.spin_parallelism(self.python, self.args.jobs)
        self.load[size] = [os.getloadavg()[0]]
        for _ in range(repeat):
            if full:
                for jobs in jobs_list:
                    self.reset(project)
                    run = self.cmctei(project, "convert", "--quiet", "--jobs", str(jobs))
                    self.record(size, "convert", jobs, run, size, self.tei_megabytes(project))
            else:
                self.reset(project)
                self.cmctei(project, "convert", "--quiet", "--jobs", str(self.args.jobs))
            mb = self.tei_megabytes(project)
            self.record(size, "floor", 1, self.stage(project, "floor"), size, mb)
            if full:
                for layer in ("xsd", "schematron", "tei_all") + (("xmlschema",) if size <= 1000 else ()):
                    self.record(size, layer, 1, self.stage(project, layer), size, mb)
                for jobs in jobs_list:
                    run = self.cmctei(project, "validate", "--tei-all", "--no-cache", "--quiet", "--jobs", str(jobs))
                    self.record(size, "validate", jobs, run, size, mb)
                self.peer_rounds(project, size, mb, jobs_list)
                self.cmctei(project, "validate", "--quiet")  # the cache publish trusts, as in `make`
                for jobs in jobs_list:
                    for output in ("html", "text", "cite"):
                        # without the search index (Pagefind, its own process: timed within `make`
                        # below), so that the HTML stage is what TEI Stylesheets is compared with
                        run = self.cmctei(project, "publish", "--only", output, "--all", "--quiet", "--no-search",
                                          "--jobs", str(jobs))
                        self.record(size, output, jobs, run, size, mb)
                        if output == "html":
                            found = re.search(r"site index (\d+\.\d+) s", run.output)
                            if found:
                                self.record(size, "site index", jobs, Run(float(found.group(1)), run.rss_mb),
                                            size, mb)
            for jobs in jobs_list if full else [self.args.jobs]:
                self.reset(project)
                run = self.make(project, jobs)
                self.record(size, "make", jobs, run, size, self.tei_megabytes(project))
                found = re.search(r"site index (\d+\.\d+) s", run.output)
                searched = re.search(r"search (\d+\.\d+) s", run.output)
                if found and jobs == 1:  # the site's pages and the search index, as `make` makes them:
                    # both started once the document pages are made, one beside the other
                    seconds = max(float(found.group(1)), float(searched.group(1)) if searched else 0.0)
                    self.record(size, "site index and search (make)", 1, Run(seconds, run.rss_mb), size, mb)
            if full:
                self.incremental(project, size, mb)
            self.load[size].append(os.getloadavg()[0])

    def peer_rounds(self, project: Path, size: int, mb: float, jobs_list: list[int]) -> None:
        """One round of each comparison with a peer, cmctei and the peer one after the other."""
        tei = project / "tei"
        for jobs in jobs_list:
            run = self.cmctei(project, "validate", "--tei-all-only", "--quiet", "--jobs", str(jobs), check=False)
            self.check_verdict(run, "cmctei validate --tei-all-only")
            self.record(size, "tei_all one-shot", jobs, run, size, mb)
        if self.jing:
            rng = self.tei_all_rng()
            run = timed([self.jing, str(rng), *peers.jing_files(tei)], cwd=project, env=self.env(project), check=False)
            if re.search(r":\d+:\d+: error:", run.output):
                raise SystemExit(f"bench: jing found problems in the corpus (they would not be comparable):\n"
                                 f"{run.output[-2000:]}")
            self.record(size, "jing", 1, run, size, mb)
        if self.tei_stylesheets:
            out = self.out / "peer-pages"
            shutil.rmtree(out, ignore_errors=True)
            run = self.stage_args(project, ["pages", str(out / "cmctei"), str(tei)])
            self.record(size, "pages", 1, run, size, mb)
            run = timed([self.python, str(HERE / "peer_html.py"), str(self.tei_stylesheets), str(out / "tei-stylesheets"),
                         str(tei)], cwd=project, env=self.env(project))
            result = json.loads(run.output.strip().splitlines()[-1])
            self.record(size, "TEI Stylesheets one-shot", 1, run, size, mb)
            self.record(size, "TEI Stylesheets", 1, Run(result["seconds"], run.rss_mb), size, mb)
            shutil.rmtree(out, ignore_errors=True)

    @staticmethod
    def check_verdict(run: Run, what: str) -> None:
        if "0 errors" not in run.output:
            raise SystemExit(f"bench: {what} found problems in the corpus:\n{run.output[-2000:]}")

    @staticmethod
    def tei_all_rng() -> Path:
        from cmctei.validate.teiall import tei_all_path

        return tei_all_path()

    def stage_args(self, project: Path, arguments: list[str]) -> Run:
        run = timed([self.python, str(HERE / "stage.py"), *arguments], cwd=project, env=self.env(project))
        result = json.loads(run.output.strip().splitlines()[-1])
        return Run(result["seconds"], run.rss_mb, run.output)

    def incremental(self, project: Path, size: int, mb: float) -> None:
        """After `make` from clean: change one source, then edit one master by hand."""
        jobs = self.args.jobs
        source = sorted((project / "sources").glob("*.txt"))[size // 2]
        text = source.read_text(encoding="utf-8")
        source.write_text(text.rstrip("\n") + f"\n\nThe benchmark changed this source at run {time.time_ns()}.\n",
                          encoding="utf-8")
        run = self.make(project, jobs)
        self.check_incremental(run, "source")
        self.record(size, "make after 1 source changed", jobs, run, 1, mb)
        master = project / "tei" / f"{source.stem}.xml"
        xml = master.read_text(encoding="utf-8")
        edited = re.sub(r"(<body>.*?<p[^>]*>)", r"\1Edited by hand. ", xml, count=1, flags=re.S)
        assert edited != xml, "no <p> to edit"
        master.write_text(edited, encoding="utf-8")
        run = self.make(project, jobs)
        self.check_incremental(run, "master")
        self.record(size, "make after 1 master edited", jobs, run, 1, mb)
        # Each edit above brought words the collection lacked ("benchmark", a number, "edited"),
        # which re-indexes the words' index of the search as well as the page's shard
        # (search_vocabulary.py). A correction in words the collection has re-indexes the
        # shard alone: timed apart.
        known = edited.replace("Edited by hand. ", "Edited by hand, by hand. ", 1)
        assert known != edited
        master.write_text(known, encoding="utf-8")
        run = self.make(project, jobs)
        self.check_incremental(run, "master")
        self.record(size, "make after 1 master edited (no new word)", jobs, run, 1, mb)

    def check_incremental(self, run: Run, what: str) -> None:
        """Only the changed document is redone (a failure here is a defect of cmctei)."""
        out = run.output
        published = re.search(r"(\d+) unchanged since the last run", out)
        total = re.search(r"(\d+) of (\d+) documents? published", out)
        if not (published and total and int(total.group(2)) - int(published.group(1)) == 1):
            raise SystemExit(f"bench: after one {what} changed, publish did not redo exactly one document:\n{out}")

    # ------------------------------------------------------------ one big document, linearity

    def big_document(self) -> None:
        project = corpus.write_big(self.work / "big", self.args.big_mb, self.pool)
        run = self.cmctei(project, "convert", "--quiet")
        mb = self.tei_megabytes(project)
        self.record(-1, "convert", 1, run, 1, mb)
        self.record(-1, "floor", 1, self.stage(project, "floor"), 1, mb)
        self.record(-1, "validate", 1, self.cmctei(project, "validate", "--tei-all", "--no-cache", "--quiet"), 1, mb)
        self.cmctei(project, "validate", "--quiet")  # the record publish trusts, as in `make`
        self.record(-1, "publish", 1, self.cmctei(project, "publish", "--all", "--quiet"), 1, mb)
        shutil.rmtree(project / "build" / ".cache", ignore_errors=True)  # no record: publish validates
        self.record(-1, "publish, not validated before", 1, self.cmctei(project, "publish", "--all", "--quiet"), 1, mb)

    def html_linearity(self) -> tuple[float, float, float]:
        """(size ratio, time ratio) of the HTML transform on a document and one 4x larger."""
        base = self.args.linearity_mb
        projects = []
        for mb in (base, 4 * base):
            project = corpus.write_big(self.work / f"linear-{mb:g}", mb, self.pool)
            self.cmctei(project, "convert", "--quiet")
            projects.append(project)
        # interleaved, as the peers are: what slows one round slows both documents in it, so the
        # ratio is taken round by round and the median of the rounds' ratios given. At least
        # LINEARITY_ROUNDS rounds: on the idle machine one round's ratio ranged from 3.4 to 5.0
        # (2026-12-06), and three rounds gave 3.87 in one run and 4.68 in the next
        runs: list[list[float]] = [[], []]
        for _ in range(max(self.args.repeat, LINEARITY_ROUNDS)):
            for i, project in enumerate(projects):
                runs[i].append(self.stage(project, "html").seconds)
        small_mb, large_mb = (self.tei_megabytes(p) for p in projects)
        ratios = [large / small for small, large in zip(*runs)]
        return large_mb / small_mb, statistics.median(ratios), statistics.median(runs[1])

    # ------------------------------------------------------------ report

    def floor(self, size: int) -> float | None:
        row = self.rows.get((size, "floor", 1))
        return row.seconds if row else None

    def write(self, linearity: tuple[float, float, float] | None, final: bool = True) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        with open(self.out / "results.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["size", "stage", "jobs", "runs", "seconds_median", "docs_per_s", "mb_per_s",
                             "peak_rss_mb", "ratio_to_floor", "cpu_seconds_median"])
            for (size, stage, jobs), row in sorted(self.rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
                floor = self.floor(size)
                seconds = row.seconds
                writer.writerow([size if size > 0 else "big", stage, jobs, len(row.runs), f"{seconds:.4f}",
                                 f"{row.docs / seconds:.1f}" if seconds else "", f"{row.megabytes / seconds:.2f}"
                                 if seconds else "", f"{row.rss_mb:.0f}",
                                 f"{seconds / floor:.1f}" if floor else "",
                                 f"{row.cpu:.3f}" if row.cpu is not None else ""])
        lines = self.targets(linearity)
        (self.out / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if final:
            print("\n".join(lines))
        self.plot()

    def value(self, size: int, stage: str, jobs: int) -> float | None:
        row = self.rows.get((size, stage, jobs))
        return row.seconds if row else None

    def cpu(self, size: int, stage: str, jobs: int) -> float | None:
        row = self.rows.get((size, stage, jobs))
        return row.cpu if row else None

    def targets(self, linearity: tuple[float, float, float] | None) -> list[str]:
        return report.lines_for(self, linearity)

    def plot(self) -> None:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("bench: matplotlib is not installed: no results.png", file=sys.stderr)
            return
        figure, axis = plt.subplots(figsize=(9, 6))
        stages = sorted({(k[1], k[2]) for k in self.rows if k[0] > 0 and not k[1].startswith("make after")})
        names = sorted({stage for stage, _ in stages})
        palette = plt.get_cmap("tab20")  # one colour per stage (the default cycle repeats after 10)
        for stage, jobs in stages:
            points = sorted((k[0], r.seconds) for k, r in self.rows.items() if k[1] == stage and k[2] == jobs and k[0] > 0)
            if len(points) < 2:
                continue
            axis.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                      color=palette(names.index(stage) % 20),
                      linestyle="-" if jobs == 1 else "--", label=f"{stage} ({jobs} job{'s' if jobs > 1 else ''})")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("documents in the corpus")
        axis.set_ylabel("seconds (median)")
        axis.set_title("cmctei: time per stage against corpus size")
        axis.grid(True, which="both", alpha=0.3)
        if axis.get_legend_handles_labels()[0]:  # (one corpus size alone gives no lines)
            axis.legend(fontsize=7, ncol=2)
        figure.tight_layout()
        # no timestamp in the file: the same numbers give the same picture
        figure.savefig(self.out / "results.png", dpi=100, metadata={"Software": None})
        plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--big-mb", type=float, default=50.0, help="TEI size of the large document (0: skip it)")
    parser.add_argument("--full-up-to", type=int, default=1000,
                        help="larger corpora run only the floor and make from clean")
    parser.add_argument("--no-linearity", action="store_true", help="skip the HTML linearity measurement")
    parser.add_argument("--linearity-mb", type=float, default=2.0,
                        help="HTML linearity: TEI size of the smaller document (the other is 4x)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--tei-stylesheets", type=Path, default=ROOT.parent / "shared" / "peers" / "tei-stylesheets",
                        help="a copy of TEI Stylesheets (html/html.xsl …) to compare the HTML stage with")
    parser.add_argument("--jing", default="jing", help="the jing command to compare tei_all with")
    args = parser.parse_args(argv)
    # the corpora's `make` uses this checkout's .venv: bring it up to date first
    subprocess.run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "setup"], check=True,
                   env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")})
    bench = Bench(args)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    linearity = None
    # the full-pipeline sizes first, then the large document and the linearity check, then the
    # largest corpora (the longest part); results are written after each step, so a long run
    # stopped half-way still leaves what it measured
    for size in [s for s in sizes if s <= args.full_up_to]:
        started = time.perf_counter()
        bench.corpus_size(size, args.repeat)
        print(f"bench: {size} documents done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        bench.write(linearity, final=False)
    if args.big_mb > 0:
        bench.big_document()
    if not args.no_linearity:
        linearity = bench.html_linearity()
    bench.write(linearity, final=False)
    for size in [s for s in sizes if s > args.full_up_to]:
        started = time.perf_counter()
        # only `make` from clean at these sizes: the 1,000-document one, the scaling ratio's
        # denominator and under a minute, as often as the full sizes (one sample of it gave
        # 11.62x and another 8.39x, 2026-12-06); larger corpora once (7 minutes at 10,000)
        bench.corpus_size(size, args.repeat if size <= 1000 else 1)
        print(f"bench: {size} documents done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    bench.write(linearity)
    shutil.rmtree(bench.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
