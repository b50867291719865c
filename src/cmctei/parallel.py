"""Work spread over processes, with a bounded number of start-ups.

Python's GIL and Saxon's per-process runtime mean threads would not use a
second core for this work; processes do. Each worker process starts once
per run, builds its state once (compiled schemas and stylesheets), then
takes documents from a queue: ``jobs`` start-ups per run, never one per
document.

Workers are started with ``spawn``, not ``fork``: the parent may already
hold a Saxon runtime (its own threads and native heap), which a forked
child must not inherit. Spawning costs about half a second per worker, so
small runs stay in one process (:func:`worth_it`).

Results come back in input order, so output never depends on scheduling.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_JOB = 8
"""Below this many documents per worker, starting workers costs more than it saves."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def worth_it(jobs: int, items: int) -> int:
    """How many workers to start for ``items`` documents (1 means: stay in this process)."""
    return max(1, min(jobs, items // MIN_ITEMS_PER_JOB))


def run(items: list[T], task: Callable[[T], R], *, jobs: int,
        setup: Callable[..., Any] | None = None, setup_args: tuple = ()) -> Iterator[R]:
    """``task(item)`` for every item, in order; in ``jobs`` worker processes when worth it.

    ``setup(*setup_args)`` runs once per process before its first task (in this
    process when the work is not spread). ``task`` and ``setup`` must be
    module-level functions (they are sent to the workers by name).
    """
    workers = worth_it(jobs, len(items))
    if workers <= 1:
        if setup is not None:
            setup(*setup_args)
        for item in items:
            yield task(item)
        return
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(items) // (workers * 16)))
    with context.Pool(workers, initializer=setup, initargs=setup_args) as pool:
        yield from pool.imap(task, items, chunksize=chunk)

