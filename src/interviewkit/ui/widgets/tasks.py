"""Run slow work (opening a database, syncing a bank, building a PDF) off the GUI thread.

Results come back through one long-lived dispatcher object, connected once, rather than a signals object
and lambda connections per task. That is not only tidier: when PySide frees a lambda connected to a
Python-derived QObject, it disconnects it, and Qt then asks the sender's Python class for a
``disconnectNotify`` override while holding the sender's signal-slot mutex, which needs the GIL. A
worker that holds the GIL while Qt takes a signal-slot mutex (QTextDocument does, laying out a PDF)
could wait on the same mutex (Qt shares a pool of them between objects): a deadlock, seen in the PDF
preview's tests. With no per-task connections, nothing is ever disconnected.

Two lanes (issue 17): what a person waits for (a screen's first content, a write) runs on Qt's global pool;
statistics nobody waits for (a ``QUIET`` task: a loop's reliability, a debrief's adjusted means, seconds to
minutes of work over every rating) run on a pool of their own with one thread. Such a task then never holds
a thread that a screen's first page waits for, and two of them never run at once beside the GUI thread
(Python threads share one interpreter lock: each one running slows the GUI thread down).
"""

from __future__ import annotations

import contextlib
import itertools
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

__all__ = ["QUIET", "BackgroundTask", "pools", "run_in_background"]

QUIET = "quiet"


class _Dispatcher(QObject):
    """Lives in the GUI thread; workers emit here, the queued slot calls the task's callback there."""

    finished = Signal(int, bool, object)  # task id, succeeded, result or exception


_callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
_ids = itertools.count(1)
_dispatcher: _Dispatcher | None = None


def _deliver(task_id: int, ok: bool, value: Any) -> None:
    task = _running.pop(task_id, None)
    if task is not None:  # the pool thread may still be returning from run(): keep the runnable a while
        _finished.append(task)
    callbacks = _callbacks.pop(task_id, None)
    if callbacks is not None:
        (callbacks[0] if ok else callbacks[1])(value)


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher  # noqa: PLW0603 - one per application, made on first use
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
        app = QCoreApplication.instance()
        if app is not None:
            _dispatcher.moveToThread(app.thread())
        _dispatcher.finished.connect(_deliver)
    return _dispatcher


class BackgroundTask(QRunnable):
    """A function run on the thread pool; its result or exception goes back to the GUI thread."""

    def __init__(self, task_id: int, fn: Callable[[], Any], dispatcher: _Dispatcher) -> None:
        super().__init__()
        self.task_id = task_id
        self.fn: Callable[[], Any] | None = fn
        self._dispatcher = dispatcher
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            assert self.fn is not None  # run once, by the pool
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which shows it
            self._hand_back(False, exc)
        else:
            self._hand_back(True, result)
        finally:
            self.fn = None  # let what the work held go with the worker

    def _hand_back(self, ok: bool, value: Any) -> None:
        # The application quit while this ran: its dispatcher is gone and nobody waits for the result.
        with contextlib.suppress(RuntimeError):
            self._dispatcher.finished.emit(self.task_id, ok, value)


_running: dict[int, BackgroundTask] = {}
_finished: deque[BackgroundTask] = deque(maxlen=64)
_quiet_pool: QThreadPool | None = None


def _pool(lane: str) -> QThreadPool:
    global _quiet_pool  # noqa: PLW0603 - one per process, made on first use
    if lane != QUIET:
        return QThreadPool.globalInstance()
    if _quiet_pool is None:
        _quiet_pool = QThreadPool()
        _quiet_pool.setObjectName("quietReads")
        _quiet_pool.setMaxThreadCount(1)
    return _quiet_pool


def pools() -> list[QThreadPool]:
    """Every pool tasks run on (to wait for them all, say)."""
    return [QThreadPool.globalInstance(), *([_quiet_pool] if _quiet_pool is not None else [])]


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    *,
    lane: str = "",
) -> BackgroundTask:
    """Run ``fn`` off the GUI thread, on the global pool (or on the quiet lane's: ``lane=QUIET``); call
    ``on_done(result)`` or ``on_failed(exc)`` on the GUI thread."""
    task_id = next(_ids)
    _callbacks[task_id] = (on_done, on_failed)
    task = BackgroundTask(task_id, fn, _the_dispatcher())
    _running[task_id] = task
    _pool(lane).start(task)
    return task
