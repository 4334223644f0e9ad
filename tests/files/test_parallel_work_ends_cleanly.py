"""The two-process pool of a big month: results in order, workers that leave when told, and
signal handling that cannot leave a run waiting forever on a worker."""

from __future__ import annotations

import multiprocessing as mp
import signal

import pytest

from pipeline.files import parallel, stopping

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


def _square(n: int) -> int:
    return n * n


def _handlers(_n: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)


def test_results_come_back_in_the_jobs_order_with_the_long_calls_timed():
    done, results = parallel.run_together(
        [(sum, ([1, 2, 3],))], _square, [(n,) for n in range(50)], lambda *_: None, parallel_from=10
    )
    assert results == [n * n for n in range(50)]
    assert done[0][0] == 6 and done[0][1] >= 0


def test_no_worker_is_left_behind_after_the_month():
    with stopping.stops_cleanly():
        parallel.map_all(_square, [(n,) for n in range(40)], lambda *_: None, parallel_from=10)
    assert mp.active_children() == []


def test_workers_die_on_sigterm_and_leave_ctrl_c_to_the_run():
    # The run's own handlers (raising `Stopped`) are not inherited: a pool's `terminate` after a
    # failure sends SIGTERM, and a worker that turned it into an exception could hang the join.
    with stopping.stops_cleanly():
        handlers = parallel.map_all(_handlers, [(n,) for n in range(20)], lambda *_: None, parallel_from=10)
    assert set(handlers) == {(signal.SIG_DFL, signal.SIG_IGN)}
    assert signal.getsignal(signal.SIGTERM) is not stopping.stop  # the parent's put back after


def test_a_failing_job_ends_the_pool_and_raises_in_the_parent():
    def boom(n: int) -> int:
        if n == 7:
            raise ValueError("job 7")
        return n

    with pytest.raises(ValueError, match="job 7"):
        parallel.map_all(boom, [(n,) for n in range(30)], lambda *_: None, parallel_from=10)
    assert mp.active_children() == []
