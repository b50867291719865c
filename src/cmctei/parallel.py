"""Work spread over processes, with a bounded number of start-ups.

Python's GIL and Saxon's per-process runtime mean threads would not use a
second core for this work; processes do. Each worker process starts once
per run, builds its state once (compiled schemas and stylesheets), then
takes documents from a queue: ``jobs`` start-ups per run, never one per
document.

Workers are forked when this process has one thread (on Linux: the common
case for ``convert`` and ``validate``): a forked worker starts in
milliseconds, with the modules already imported. A process with more than
one thread, such as one that holds a Saxon runtime (its own threads and
native heap), must not be forked, and then workers are started with
``spawn``, which costs a few tenths of a second per worker (imports, and
whatever ``setup`` builds). Either way small runs stay in one process
(:func:`worth_it`).

Results come back in input order, so output never depends on scheduling.
"""

from __future__ import annotations

import functools
import os
import signal
import time
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


def start_method() -> str:
    """``fork`` when this process has a single thread, else ``spawn``.

    Forking a process with other threads (a Saxon runtime's, a pool's) can leave the child
    with locks held by threads that do not exist there. Linux lists a process's threads,
    those that native code started included, in ``/proc/self/task``; where it cannot be
    read, workers are spawned.
    """
    import multiprocessing

    alone = _threads() == 1
    return "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _threads() -> int | None:
    """How many threads this process has (Linux: /proc/self/task), or None where unknown."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def worth_it(jobs: int, items: int) -> int:
    """How many workers to start for ``items`` documents (1 means: stay in this process)."""
    return max(1, min(jobs, items // MIN_ITEMS_PER_JOB))


def run(items: list[T], task: Callable[[T], R], *, jobs: int,
        setup: Callable[..., Any] | None = None, setup_args: tuple = (),
        warm: "Warm | None" = None) -> Iterator[R]:
    """``task(item)`` for every item, in order; in ``jobs`` worker processes when worth it.

    ``setup(*setup_args)`` runs once per process before its first task (in this
    process when the work is not spread). ``task`` and ``setup`` must be
    module-level functions (they are sent to the workers by name). ``warm``: a worker
    started before the items were known (:class:`Warm`, with the same ``setup``); a run too
    small to spread goes to it instead of staying here. A run that starts workers ends every
    warm worker first (those of a later stage too: ``cmctei build`` starts publishing's
    before converting).
    """
    workers = worth_it(jobs, len(items))
    if warm is not None and warm.closed:  # (ended by an earlier stage's pool: this run stays here)
        warm = None
    if warm is not None and workers <= 1 and items:
        yield from warm.run(items, task)
        return
    if workers > 1:  # a warm worker, this run's or a later stage's, is ended first: its pool's
        for live in list(_LIVE):  # threads here would have the workers below spawned, not forked
            live.close()
    elif warm is not None:
        warm.close()
    if workers <= 1:
        if setup is not None:
            setup(*setup_args)
        for item in items:
            yield task(item)
        return
    import multiprocessing  # here: a run that stays in one process does not pay for its import

    context = multiprocessing.get_context(start_method())  # (fork flushes stdout and stderr first)
    chunk = max(1, min(16, len(items) // (workers * 16)))
    pool = _quiet_pool(context, workers, setup, setup_args)
    with pool:
        yield from pool.imap(functools.partial(_task, task), items, chunksize=chunk)


class Warm:
    """One worker process, started (forked) and set up before the work is known: its
    ``setup`` (compiling stylesheets, 0.5 to 0.6 s of an edit's run at 1,000 documents) runs
    on the other core while this process finds out what changed (issue 18). Given to
    :func:`run`, which sends it a run too small to spread; :meth:`close` ends it, whatever it
    was doing (a run with nothing to do wasted only the other core's time).

    Only where this process may fork (:func:`start_method`): a spawned worker would have to
    import everything again, which is most of what it would spare.
    """

    def __init__(self, setup: Callable[..., Any], setup_args: tuple = ()) -> None:
        import multiprocessing

        self._pool = _quiet_pool(multiprocessing.get_context("fork"), 1, setup, setup_args)
        self._closed = False
        _LIVE.add(self)

    @classmethod
    def start(cls, jobs: int, setup: Callable[..., Any], setup_args: tuple = ()) -> "Warm | None":
        """A warm worker, or None where it would not pay: one job (no other core), or a
        process that must not fork."""
        return cls(setup, setup_args) if jobs > 1 and start_method() == "fork" else None

    @property
    def closed(self) -> bool:
        return self._closed

    def run(self, items: list[T], task: Callable[[T], R]) -> Iterator[R]:
        try:
            yield from self._pool.imap(functools.partial(_task, task), items, chunksize=1)
        finally:
            self.close()

    def close(self) -> None:
        """End the worker (waited for: none is left behind, nor its pool's threads here)."""
        if not self._closed:
            self._closed = True
            _LIVE.discard(self)
            # the pool's own threads here (CPython's Pool: three handlers), by their system ids
            threads = [getattr(self._pool, name, None) for name in ("_worker_handler", "_task_handler",
                                                                     "_result_handler")]
            ids = [thread.native_id for thread in threads if getattr(thread, "native_id", None)]
            self._pool.terminate()
            self._pool.join()
            # A joined thread has told Python it is done a moment before the system lets it go:
            # a pool forked meanwhile would find it in /proc/self/task and spawn (start_method).
            waited = time.monotonic() + 1.0
            while any(os.path.exists(f"/proc/self/task/{n}") for n in ids) and time.monotonic() < waited:
                time.sleep(0.001)


_LIVE: set[Warm] = set()  # warm workers not ended yet (run ends them before it forks a pool)


_SETUP_FAILED: list[BaseException] = []


def _task(task: Callable[[T], R], item: T) -> R:
    """``task(item)`` in a worker, or the exception its ``setup`` raised: a pool whose
    initializer raises would start new workers for ever; this way the error reaches the
    parent with the first result, and the run ends with its message."""
    if _SETUP_FAILED:
        raise _SETUP_FAILED[0]
    return task(item)


def _quiet_pool(context, workers: int, setup: Callable[..., Any] | None, setup_args: tuple):
    """A pool whose workers ignore Ctrl-C from their first instruction.

    They are started while this process ignores SIGINT: an ignored signal stays ignored
    across ``exec``, and Python then installs no handler of its own, so a worker still
    importing its modules cannot be interrupted into a traceback. Meanwhile the signal is
    blocked here, not lost: it is delivered to this process once its handler is back.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if _MASKS else None
    try:
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are the main thread's business
        handler = None
    try:
        return context.Pool(workers, initializer=_start_worker, initargs=(setup, setup_args))
    finally:
        if handler is not None:
            signal.signal(signal.SIGINT, handler)
        if blocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


_MASKS = hasattr(signal, "pthread_sigmask")


def _start_worker(setup: Callable[..., Any] | None, setup_args: tuple) -> None:
    """In each worker, before its ``setup``: Ctrl-C is for the parent alone.

    A terminal sends SIGINT to every process of the foreground group, workers included.
    A worker that took it would print its own traceback before the parent, which handles
    the interrupt (``cmctei: interrupted``, exit 130), ends the pool. So workers ignore it
    (from the moment they start: see :func:`_quiet_pool`), and are ended by the parent.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        try:
            setup(*setup_args)
        except Exception as exc:  # noqa: BLE001 -- given back with the first task (_task)
            _SETUP_FAILED.append(exc)


class Background:
    """``task(*args)`` in a thread of this process, started at once; :meth:`result` waits for
    it and gives its value and the seconds it took, or raises what it raised.

    Only for work that mostly waits on another process (Pagefind indexing the finished pages),
    so that this process's own work goes on meanwhile: for Python work a thread gains nothing
    (the GIL), which is why the rest of this module uses processes.
    """

    def __init__(self, task: Callable[..., R], *args: Any) -> None:
        import threading

        self._value: Any = None
        self._error: BaseException | None = None
        self._seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(task, args), name="cmctei-background")
        self._thread.start()

    def _run(self, task: Callable[..., Any], args: tuple) -> None:
        start = time.perf_counter()
        try:
            self._value = task(*args)
        except BaseException as exc:  # noqa: BLE001  (raised again in the caller's thread)
            self._error = exc
        finally:
            self._seconds = time.perf_counter() - start

    def result(self) -> tuple[Any, float]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value, self._seconds
