"""Several jobs give the same bytes as one, with a bounded number of process start-ups.

The corpora are the benchmark's (bench/corpus.py: seed variants with distinct
docids), large enough that the work is really spread over workers
(cmctei.parallel.MIN_ITEMS_PER_JOB)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

from cmctei import parallel  # noqa: E402

SIZE = 24


@pytest.fixture(scope="module")
def pool():
    return corpus.variants()


def cmctei(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CMCTEI_HOME=str(project))
    return subprocess.run([sys.executable, "-m", "cmctei", *map(str, args)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def with_new_speaker(project: Path, docids: list[str]) -> None:
    """Give two documents the same speaker the register does not know (phase 2 of a run)."""
    for docid in docids:
        source = project / "sources" / f"{docid}.txt"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.rstrip("\n") + "\n\nAdmiral Quorndon: We should look at the reports again.\n",
                          encoding="utf-8")


def test_two_jobs_convert_validate_and_publish_the_same_bytes_as_one(tmp_path, pool):
    results = {}
    for jobs in (1, 2):
        project = corpus.write_corpus(tmp_path / f"j{jobs}", SIZE, pool)
        transcripts = sorted(p.stem for p in (project / "sources").glob("oval-office*.txt"))
        with_new_speaker(project, transcripts[:2])
        converted = cmctei(project, "convert", "--jobs", jobs)
        assert converted.returncode == 0, converted.stderr
        assert "added 1 person(s) for unknown speakers" in converted.stderr
        validated = cmctei(project, "validate", "--tei-all", "--no-cache", "--jobs", jobs)
        assert validated.returncode == 0, validated.stdout
        published = cmctei(project, "publish", "--jobs", jobs)
        assert published.returncode == 0, published.stderr
        results[jobs] = (tree_bytes(project / "tei"), tree_bytes(project / "build" / "html"),
                         tree_bytes(project / "build" / "text"), tree_bytes(project / "build" / "cite"))
    for one, two in zip(results[1], results[2]):
        assert one.keys() == two.keys()
        assert [k for k in one if one[k] != two[k]] == []
    masters, html, _, _ = results[1]
    assert len(masters) == SIZE + 1  # and the register
    assert masters["persons.xml"].count(b"Quorndon") >= 1
    assert len([k for k in html if k.endswith(".html") and "/" not in k]) >= SIZE


def test_validation_reports_are_the_same_in_order_with_two_jobs(tmp_path, pool):
    project = corpus.write_corpus(tmp_path / "p", SIZE, pool)
    assert cmctei(project, "convert", "--quiet").returncode == 0
    masters = sorted(p for p in (project / "tei").glob("*.xml") if p.name != "persons.xml")
    for broken in masters[3], masters[17]:
        broken.write_text(broken.read_text(encoding="utf-8").replace('reason="', 'reason="x-', 1), encoding="utf-8")
    one = cmctei(project, "validate", "--no-cache", "--jobs", "1", "tei")
    two = cmctei(project, "validate", "--no-cache", "--jobs", "2", "tei")
    assert one.returncode == two.returncode == 1
    strip = lambda out: [line for line in out.splitlines() if "; time " not in line]  # noqa: E731
    assert strip(one.stdout) == strip(two.stdout)
    assert len([line for line in strip(one.stdout) if ": error: " in line]) >= 2


_SETUPS = []


def _setup(tag: str) -> None:
    _SETUPS.append(tag)


def _whoami(item: int) -> tuple[int, int, int]:
    time.sleep(0.01)  # (instant tasks could all be taken by the first worker up)
    return item, os.getpid(), len(_SETUPS)


def test_workers_start_once_per_run_not_once_per_document():
    results = list(parallel.run(list(range(200)), _whoami, jobs=2, setup=_setup, setup_args=("x",)))
    assert [r[0] for r in results] == list(range(200))  # input order
    pids = {r[1] for r in results}
    assert len(pids) == 2 and os.getpid() not in pids
    assert {r[2] for r in results} == {1}  # each worker ran its setup exactly once


def test_small_runs_stay_in_this_process():
    results = list(parallel.run(list(range(5)), _whoami, jobs=2, setup=_setup, setup_args=("y",)))
    assert {r[1] for r in results} == {os.getpid()}
    assert parallel.worth_it(2, 5) == 1 and parallel.worth_it(2, 1000) == 2 and parallel.worth_it(1, 1000) == 1


def test_jobs_zero_means_one_per_core_and_bad_values_are_refused(tmp_path):
    project = corpus.make_project(tmp_path / "p")
    bad = cmctei(project, "validate", "--jobs", "two")
    assert bad.returncode == 2 and "not a number" in bad.stderr and "Traceback" not in bad.stderr
    assert cmctei(project, "validate", "--jobs", "-1").returncode == 2
    shutil.copy2(ROOT / "tei" / "rfk-memo-to-rusk.xml", project / "tei")
    assert cmctei(project, "validate", "--jobs", "0", "tei").returncode == 0


def test_workers_are_forked_from_a_process_of_one_thread_and_spawned_from_one_with_saxon(tmp_path):
    """A forked worker starts without importing anything again; a process that holds a Saxon
    runtime (its own threads) spawns them instead. Either way each task runs once, in a
    worker, and what this process had printed but not yet flushed is printed once, not again
    by a forked worker (stdout is a pipe here, so it is buffered)."""
    script = tmp_path / "run.py"
    script.write_text(
        "import os, sys, time\n"
        "from cmctei import parallel\n"
        "def pid(item):\n"
        "    os.write(1, f'task {item}\\n'.encode())  # (one write: the workers' lines do not mix)\n"
        "    time.sleep(0.01)  # (instant tasks could all be taken by the first worker up)\n"
        "    return os.getpid()\n"
        "if __name__ == '__main__':\n"
        "    if sys.argv[1] == 'saxon':\n"
        "        from cmctei import saxon\n"
        "        saxon.processor()\n"
        "    print('before the pool', parallel.start_method())\n"
        "    pids = set(parallel.run(list(range(40)), pid, jobs=2))\n"
        "    print('workers', len(pids), os.getpid() in pids)\n", encoding="utf-8")
    for mode, method in (("plain", "fork"), ("saxon", "spawn")):
        run = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, timeout=300,
                             cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert [line for line in lines if line.startswith("before")] == [f"before the pool {method}"], lines
        assert sorted(line for line in lines if line.startswith("task")) == sorted(f"task {i}" for i in range(40))
        assert lines[-1] == "workers 2 False"


def test_a_publishing_run_starts_saxon_only_when_it_uses_it_so_its_workers_can_be_forked(tmp_path):
    """Setting up a publishing run (and its validator) starts no Saxon runtime: until the run
    transforms something itself, its workers are forked, not spawned."""
    script = ("from pathlib import Path\n"
              "from cmctei import parallel\n"
              "from cmctei.publish import Publisher\n"
              f"publisher = Publisher(Path({str(tmp_path / 'out')!r}), tei_all=True)\n"
              "print(parallel.start_method())\n"
              "publisher.proc.make_string_value('x')\n"
              "print(parallel.start_method())\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env=dict(os.environ, CMCTEI_HOME=str(ROOT)))
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["fork", "spawn"]


def test_a_warm_worker_is_set_up_before_the_work_is_known_and_takes_a_small_run(tmp_path):
    """A warm worker (parallel.Warm) runs its setup at once, in its own process, while this one
    goes on; a run too small to spread is sent to it, not done here; it is ended with the run,
    and with it its pool's threads, so the next pool is forked again. A run large enough to
    spread ends every warm worker first, one of a later stage too, and forks its own. Where
    there is one job, or this process must not fork, there is none."""
    said = script_output(tmp_path, "warm.py",
        "import os, sys, time\n"
        "from cmctei import parallel\n"
        f"MARK = {str(tmp_path / 'set-up')!r}\n"
        "def setup(word):  # (written whole, then renamed: the file is never seen empty)\n"
        "    open(MARK + '.tmp', 'w').write(f'{os.getpid()} {word}')\n"
        "    os.replace(MARK + '.tmp', MARK)\n"
        "FORKED = False  # True in this process, and in a worker forked from it (not in a spawned one)\n"
        "def pid(item):\n"
        "    time.sleep(0.01)\n"
        "    return os.getpid(), FORKED\n"
        "if __name__ == '__main__':\n"
        "    FORKED = True\n"
        "    assert parallel.Warm.start(1, setup, ('one job',)) is None\n"
        "    warm = parallel.Warm.start(2, setup, ('early',))\n"
        "    for _ in range(600):  # set up before any item is known\n"
        "        if os.path.exists(MARK): break\n"
        "        time.sleep(0.05)\n"
        "    worker, said = open(MARK).read().split()\n"
        "    pids = set(parallel.run([1, 2, 3], pid, jobs=2, setup=setup, setup_args=('late',), warm=warm))\n"
        "    print('small', pids == {(int(worker), True)}, said, open(MARK).read().split()[1])\n"
        "    print('after', parallel.start_method(), len(parallel._LIVE))\n"
        "    other = parallel.Warm.start(2, setup, ('other',))\n"
        "    pids = set(parallel.run(list(range(40)), pid, jobs=2))\n"
        "    print('large', len(pids), os.getpid() in {p for p, _ in pids}, {f for _, f in pids}, len(parallel._LIVE))\n"
        "    pids = set(parallel.run([1, 2], pid, jobs=2, setup=setup, setup_args=('here',), warm=other))\n"
        "    print('after it was ended', pids == {(os.getpid(), True)}, open(MARK).read().split()[1])\n"
        "    import threading  # (a thread started after the worker, as the early search's: not waited for)\n"
        "    while parallel.start_method() != 'fork':  # (the pool above gone from the system's list)\n"
        "        time.sleep(0.01)\n"
        "    warm, stop = parallel.Warm.start(2, setup, ('threads',)), threading.Event()\n"
        "    threading.Thread(target=stop.wait, daemon=True).start()\n"
        "    started = time.monotonic()\n"
        "    warm.close()\n"
        "    print('ended beside another thread', time.monotonic() - started < 0.5)\n"
        "    stop.set()\n"
        "    from cmctei import saxon\n"
        "    saxon.processor()\n"
        "    print('saxon', parallel.Warm.start(2, setup, ('never',)))\n")
    assert said.splitlines() == [
        "small True early early",  # in the warm worker, its own setup, not a second one
        "after fork 0",
        "large 2 False {True} 0",  # two workers, forked: the other warm worker was ended first
        "after it was ended True here",  # a small run given the ended worker: done here, set up here
        "ended beside another thread True",
        "saxon None",
    ]


def test_a_warm_worker_that_fails_to_set_up_fails_the_run_with_its_error(tmp_path):
    """What the setup raised reaches this process with the first result (as for any worker):
    the run ends with that error, not with a worker started again and again."""
    said = script_output(tmp_path, "fails.py",
        "from cmctei import parallel\n"
        "def setup():\n"
        "    raise ValueError('the stylesheet does not compile')\n"
        "def task(item):\n"
        "    return item\n"
        "if __name__ == '__main__':\n"
        "    warm = parallel.Warm.start(2, setup)\n"
        "    try:\n"
        "        list(parallel.run([1], task, jobs=2, warm=warm))\n"
        "    except ValueError as exc:\n"
        "        print('raised', exc, len(parallel._LIVE))\n")
    assert said.strip() == "raised the stylesheet does not compile 0"


def script_output(folder: Path, name: str, text: str) -> str:
    """What a Python script (``text``, written to ``folder/name``) prints; it must succeed.
    A script of its own: a pytest process has threads, so it would never fork a warm worker."""
    script = folder / name
    script.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=folder)
    assert run.returncode == 0, run.stderr
    return run.stdout
