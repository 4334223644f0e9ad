"""A stop asked from outside (Ctrl-C, a closed terminal, a shutdown's SIGTERM) ends a run like a
clean stop: SIGTERM and SIGHUP raise `Stopped` where the run is, as Ctrl-C raises
`KeyboardInterrupt`, so the same cleanup runs (fresh folders removed, LibreOffice and the forms'
process ended, the ledger's transaction rolled back). Left to their default, they end the
process on the spot, leaving its children and their temporary folders behind.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

# What each signal is called in the message, and the exit code (128 + the signal, as shells say).
SIGNALS = {
    signal.SIGINT: "按了 Ctrl-C",
    signal.SIGTERM: "收到终止信号（关机、注销或被其他程序结束）",
    **({signal.SIGHUP: "终端窗口被关闭"} if hasattr(signal, "SIGHUP") else {}),
}


class Stopped(KeyboardInterrupt):
    """A stop asked by a signal; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop(signum: int, _frame: object) -> None:
    """The handler: raises `Stopped` where the process is."""
    # Once stopping, a second signal must not cut the cleanup short.
    for caught in SIGNALS:
        signal.signal(caught, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stops_cleanly() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise `Stopped`; the handlers before are put back after."""
    before = {signum: signal.signal(signum, stop) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def exit_code(stop: KeyboardInterrupt) -> int:
    """128 + the signal (130 for Ctrl-C, 143 for SIGTERM, 129 for a closed terminal)."""
    return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)


def reason(stop: KeyboardInterrupt) -> str:
    return SIGNALS.get(stop.signum if isinstance(stop, Stopped) else signal.SIGINT, "收到终止信号")
