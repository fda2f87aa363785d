"""Long work off the GUI thread: ``run_in_background(work, on_done, on_error)``.

``work`` runs on a thread of Qt's pool and must not touch a widget; ``on_done`` (with its
value) or ``on_error`` (with its exception) then runs in the GUI thread, where widgets
may be touched. Anki's ``QueryOp`` is the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

_RUNNING: set[BackgroundJob] = set()   # a job lives until its callback has run


class BackgroundJob(QObject):
    """One piece of work; ``finished`` is emitted in the GUI thread once its callback ran."""

    finished = Signal()
    _succeeded = Signal(object)
    _failed = Signal(object)

    def __init__(self, work: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None]):
        super().__init__()   # no parent: made in the GUI thread, so its slots run there
        self._work = work
        self._on_done = on_done
        self._on_error = on_error
        # Emitted from the worker thread, received here in the GUI thread (a queued connection).
        self._succeeded.connect(self._done)
        self._failed.connect(self._error)

    def _run(self) -> None:   # on the worker thread
        try:
            value = self._work()
        except BaseException as exc:
            self._failed.emit(exc)
        else:
            self._succeeded.emit(value)

    @Slot(object)
    def _done(self, value: Any) -> None:
        try:
            self._on_done(value)
        finally:
            self._end()

    @Slot(object)
    def _error(self, exc: BaseException) -> None:
        try:
            self._on_error(exc)
        finally:
            self._end()

    def _end(self) -> None:
        _RUNNING.discard(self)
        self.finished.emit()


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> BackgroundJob:
    job = BackgroundJob(work, on_done, on_error)
    _RUNNING.add(job)
    QThreadPool.globalInstance().start(job._run)
    return job
