"""Work of a big month in two processes when there is much of it and the system can fork.

Forked children inherit what the jobs refer to (the month's tables, a form template) instead of
receiving it pickled; the parent collects the results in the jobs' order and reports progress.
Two kinds of work share one pool: a few long calls (a month's big workbooks), started first, and
many short jobs of one kind (a file per unit).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable
from typing import Any

from pipeline.files import stopping

# Jobs (files read, receipts or forms written) from which a month's work shares two processes;
# below this a second process costs more than it saves.
PARALLEL_FROM = 200

# The calls of a running pool, for the forked children to find by index.
_pending: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []

Call = tuple[Callable[..., Any], tuple[Any, ...]]


def map_all(
    function: Callable[..., Any], jobs: list[tuple[Any, ...]], tick: Callable[[int, int], None], *, parallel_from: int
) -> list[Any]:
    """`function(*job)` of every job, in order; in two processes from `parallel_from` jobs on
    where the system can fork and has two cores. `tick(done, total)` follows each job."""
    return run_together([], function, jobs, tick, parallel_from=parallel_from)[1]


def run_together(
    long: list[Call],
    function: Callable[..., Any],
    jobs: list[tuple[Any, ...]],
    tick: Callable[[int, int], None],
    *,
    parallel_from: int,
) -> tuple[list[tuple[Any, float]], list[Any]]:
    """The long calls and `function(*job)` of every job, sharing two processes from `parallel_from`
    jobs on (where the system can fork and has two cores): each long call starts first, in a
    process of its own, the jobs fill whatever process is free. `tick(done, total)` follows
    each job.

    Returns:
        Each long call's result and its seconds, in order; the jobs' results, in order.
    """
    if len(jobs) < parallel_from or not can_fork():
        done = [_timed(call, args) for call, args in long]
        results = []
        for job in jobs:
            results.append(function(*job))
            tick(len(results), len(jobs))
        return done, results
    _pending[:] = [*long, *((function, job) for job in jobs)]
    try:
        with mp.get_context("fork").Pool(2, initializer=_worker_signals) as pool:
            started = [pool.apply_async(_run_timed, (n,)) for n in range(len(long))]
            results = []
            for result in pool.imap(_run, range(len(long), len(_pending)), chunksize=8):
                results.append(result)
                tick(len(results), len(jobs))
            done = [call.get() for call in started]
            # Workers told to leave, and waited for: `terminate` (the `with`'s exit) is kept for a
            # failure, as a SIGTERM to a worker waiting on the pool's queue lock could hang the join.
            pool.close()
            pool.join()
    finally:
        _pending.clear()
    return done, results


def can_fork() -> bool:
    """Whether a second process helps: two cores or more, and the system can fork."""
    return (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


class Background:
    """`function(*args, **kwargs)` in a forked child process while the parent goes on: for work
    that needs only what exists when it starts (the next month's forms once the ledger holds the
    month), so that it fills the second core while the parent works alone (scoring).

    `result()` waits and returns the call's result, or raises the exception it raised;
    `abandon()` ends the child when the parent fails first. Its exceptions must pickle (OSError
    and the like): work that can raise the pipeline's own errors is done before starting it.
    """

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any] | None = None):
        context = mp.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_background, args=(send, function, args, kwargs or {}))
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            succeeded, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise ChildProcessError(f"后台进程意外退出（退出码 {self._process.exitcode}）") from None
        finally:
            self._receive.close()
        self._process.join()
        if not succeeded:
            raise value
        return value

    def abandon(self) -> None:
        """Asks the child to stop (it removes what it was writing), then ends it if it does not."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(ABANDON_WAIT)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


ABANDON_WAIT = 10.0  # seconds a child gets to clean up after SIGTERM


def _background(send: Any, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    # SIGTERM (from `abandon`, or a shutdown) unwinds the call, so its fresh folder is removed.
    signal.signal(signal.SIGTERM, stopping.stop)
    try:
        outcome = (True, function(*args, **kwargs))
    except BaseException as exc:  # sent to the parent, which raises it
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # an exception that does not pickle: its text instead
        send.send((False, ChildProcessError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})")))
    send.close()


def _worker_signals() -> None:
    """A pool worker leaves on SIGTERM at once (the parent's `terminate` after a failure; what it
    was writing is in the parent's fresh folder, removed by the parent) and ignores Ctrl-C, which
    the terminal sends the whole group: the parent stops the run and ends the pool. Inherited, the
    parent's handlers would raise `Stopped` in the worker and print its traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _timed(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _run_timed(index: int) -> tuple[Any, float]:
    return _timed(*_pending[index])


def _run(index: int) -> Any:
    function, args = _pending[index]
    return function(*args)
