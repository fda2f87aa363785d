"""SIGTERM and SIGHUP as a clean interruption of a command that must finish or undo.

Python ends a process on SIGTERM and SIGHUP without running ``finally`` blocks or
``except`` clauses: a referral stopped that way (a logout, a service stop, `kill`) left a
logged consultation whose sheet was never written. Inside :func:`signals_as_exceptions`
those signals raise :class:`Interrupted` instead, like Ctrl-C raises KeyboardInterrupt, so
the command undoes what it began; inside :func:`deferred` (a step that must not be cut in
two: the rename that delivers a sheet, the removal of a record) the signal waits for the
step to end. A second signal during the undoing is ignored: the undoing finishes.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Interrupted(BaseException):
    """A SIGTERM or SIGHUP arrived (a BaseException: no ``except Exception`` swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _State:
    received: int | None = None   # the first signal
    raised = False                # Interrupted raised for it (once)
    deferring = 0                 # depth of deferred() blocks


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _State.received is not None:
        return                     # already interrupted: let the undoing finish
    _State.received = signum
    if not _State.deferring:
        _State.raised = True
        raise Interrupted(signum)


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Interrupted in the block (main thread only; elsewhere a no-op)."""
    import threading

    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    _State.received, _State.raised, _State.deferring = None, False, 0
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """A step a signal must not cut: a signal arriving in it is raised when it ends."""
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
    if not _State.deferring and _State.received is not None and not _State.raised:
        _State.raised = True
        raise Interrupted(_State.received)
