"""Run slow work (opening a database, syncing a bank) off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["BackgroundTask", "run_in_background"]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class BackgroundTask(QRunnable):
    """A function run on the thread pool; its result or exception comes back as a signal."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which shows it
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[BackgroundTask] = set()


def run_in_background(
    fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]
) -> BackgroundTask:
    """Run ``fn`` on the global thread pool; call back on the GUI thread."""
    task = BackgroundTask(fn)
    _running.add(task)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(task)
        callback(value)

    task.signals.done.connect(lambda r: finish(on_done, r))
    task.signals.failed.connect(lambda e: finish(on_failed, e))
    QThreadPool.globalInstance().start(task)
    return task
