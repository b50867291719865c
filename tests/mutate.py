"""`make mutate`: deliberate bugs, each applied to a scratch copy of the project, and the
tests that should notice them run against it (docs/testing.md).

The bugs are data (tests/mutations.toml): a file, an exact snippet of it, its replacement
and the tests to run. For each one this script

1. copies the project (the files git knows, committed or not, and new files not ignored)
   into a scratch folder, once per worker;
2. replaces the snippet (it must occur exactly once: a snippet no longer found is reported
   "stale", never passed; one found twice is "ambiguous");
3. runs the listed tests there with the project's own Python, the scratch copy first on
   the import path (``PYTHONPATH``), so ``cmctei``, ``xslt/`` and ``schemas/`` are the copy's;
4. puts the file back.

An edit is *killed* when the tests fail (pytest exit 1), *survived* when they pass. First
of all the listed tests are run once on the unchanged copy: a test that already fails would
"kill" every edit and prove nothing, so the run stops there. The report lists every edit;
the exit status is 0 only when every edit was killed.

    python tests/mutate.py [--jobs N] [--only ID[,ID…]] [--list]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "tests" / "mutations.toml"
TIMEOUT = 900  # seconds per edit


@dataclass
class Mutation:
    id: str
    file: str
    original: str
    replacement: str
    tests: list[str]
    why: str
    area: str


@dataclass
class Result:
    mutation: Mutation
    status: str  # killed | SURVIVED | stale | ambiguous | error
    seconds: float
    detail: str = ""


def load(path: Path = LIST) -> list[Mutation]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for item in data["mutation"]:
        missing = {"id", "file", "original", "replacement", "tests", "why", "area"} - item.keys()
        if missing:
            raise SystemExit(f"{path}: mutation {item.get('id', '?')} lacks {', '.join(sorted(missing))}")
        found.append(Mutation(**{key: item[key] for key in Mutation.__dataclass_fields__}))
    ids = [m.id for m in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"{path}: ids used twice: {', '.join(duplicates)}")
    return found


def project_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and (ROOT / name).is_file()]


def scratch_copy(folder: Path) -> Path:
    copy = folder / "project"
    for name in project_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    # the npm packages `make setup-node` installed (citeproc-js, axe-core: ignored by git) are
    # linked, not copied, so that the tests that use them run on the copy too
    for modules in sorted(ROOT.glob("tests/*/node_modules")):
        link = copy / modules.relative_to(ROOT)
        if modules.is_dir() and link.parent.is_dir() and not link.exists():
            link.symlink_to(modules, target_is_directory=True)
    return copy


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_tests(copy: Path, tests: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CMCTEI_HOME", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(copy / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([python(), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                           *tests], cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def last_line(out: str) -> str:
    lines = [line for line in out.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def apply(copy: Path, mutation: Mutation) -> Result:
    started = time.monotonic()
    target = copy / mutation.file
    if not target.is_file():
        return Result(mutation, "stale", 0.0, f"{mutation.file} no longer exists")
    original = target.read_text(encoding="utf-8")
    count = original.count(mutation.original)
    if count == 0:
        return Result(mutation, "stale", 0.0, "the original snippet is no longer in the file: update the list")
    if count > 1:
        return Result(mutation, "ambiguous", 0.0, f"the original snippet occurs {count} times: make it unique")
    target.write_text(original.replace(mutation.original, mutation.replacement), encoding="utf-8")
    try:
        result = run_tests(copy, mutation.tests)
    except subprocess.TimeoutExpired:
        return Result(mutation, "killed", time.monotonic() - started, f"the tests ran over {TIMEOUT} s")
    finally:
        target.write_text(original, encoding="utf-8")
    seconds = time.monotonic() - started
    if result.returncode == 1:
        failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
        return Result(mutation, "killed", seconds, failed[0] if failed else last_line(result.stdout))
    if result.returncode == 0:
        return Result(mutation, "SURVIVED", seconds, last_line(result.stdout))
    return Result(mutation, "error", seconds, f"pytest exit {result.returncode}: "
                  f"{last_line(result.stdout + result.stderr)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "1")),
                        help="edits tried at once, each in its own scratch copy (default 1)")
    parser.add_argument("--only", default="", help="comma-separated ids of the edits to try")
    parser.add_argument("--list", action="store_true", help="list the edits and exit")
    args = parser.parse_args(argv)
    mutations = load()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m.id for m in mutations}
        if unknown:
            print(f"mutate: no such edit: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        mutations = [m for m in mutations if m.id in wanted]
    if args.list:
        for m in mutations:
            print(f"{m.id:38} {m.area:11} {m.file}: {m.why}")
        return 0
    jobs = max(1, min(args.jobs, len(mutations)))
    with tempfile.TemporaryDirectory(prefix="cmctei-mutate-") as tmp:
        copies = [scratch_copy(Path(tmp) / f"w{i}") for i in range(jobs)]
        tests = sorted({t for m in mutations for t in m.tests})
        started = time.monotonic()
        baseline = run_tests(copies[0], tests)
        if baseline.returncode != 0:
            print(baseline.stdout[-4000:] + baseline.stderr[-2000:])
            print(f"mutate: the listed tests do not pass on the unchanged project "
                  f"({last_line(baseline.stdout)}); fix that first")
            return 2
        print(f"mutate: baseline: {last_line(baseline.stdout)} ({time.monotonic() - started:.0f} s); "
              f"trying {len(mutations)} edits with {jobs} worker(s)", flush=True)
        results: list[Result] = []

        def worker(index: int) -> list[Result]:
            done = []
            for mutation in mutations[index::jobs]:
                result = apply(copies[index], mutation)
                print(f"  {result.status:9} {result.mutation.id} ({result.seconds:.0f} s)", flush=True)
                done.append(result)
            return done

        with ThreadPoolExecutor(jobs) as pool:
            for done in pool.map(worker, range(jobs)):
                results.extend(done)
    order = {m.id: i for i, m in enumerate(mutations)}
    results.sort(key=lambda r: order[r.mutation.id])
    report = format_report(results, time.monotonic() - started)
    out = ROOT / "build" / "mutate"
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.txt").write_text(report, encoding="utf-8")
    print(report, end="")
    return 0 if all(r.status == "killed" for r in results) else 1


def format_report(results: list[Result], seconds: float) -> str:
    lines = ["", "id | area | file | status | seconds | what the tests said", "--- | --- | --- | --- | --- | ---"]
    for r in results:
        lines.append(f"{r.mutation.id} | {r.mutation.area} | {r.mutation.file} | {r.status} | {r.seconds:.0f} | "
                     f"{r.detail[:160]}")
    not_killed = [r for r in results if r.status != "killed"]
    lines.append("")
    for r in not_killed:
        lines.append(f"NOT KILLED: {r.mutation.id} ({r.status}): {r.mutation.why} [{r.mutation.file}] {r.detail}")
    killed = len(results) - len(not_killed)
    lines.append(f"mutate: {killed} of {len(results)} edits killed, {len(not_killed)} not "
                 f"({', '.join(sorted({r.status for r in not_killed})) or 'none'}); {seconds:.0f} s")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
