"""Autosave: every change reaches the database within a second, without blocking typing.

Changes are merged into one pending batch. The first change after a save starts a short timer (a
throttle, not a debounce: typing without pause still saves every ``interval_ms``); when it fires the
batch is written on a single worker thread, in order, one short transaction per batch. ``flush()``
writes what is pending and waits, for a clean close.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from interviewkit.services.scorecards import DraftChanges

__all__ = ["Autosaver"]


class Autosaver(QObject):
    """Coalesces draft changes and writes them off the GUI thread."""

    sig_saved = Signal(float)
    """A batch is durable; the argument is time.time() of the save."""

    sig_failed = Signal(object)
    """A batch could not be written; the argument is the exception. The batch is kept for a retry."""

    _requeue = Signal(object)  # a failed batch, back to the GUI thread

    def __init__(self, write: Callable[[DraftChanges], Any], *, interval_ms: int = 400, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write = write
        self._pending: DraftChanges | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._futures: list[Future[Any]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._interval = interval_ms
        self._timer.timeout.connect(self._write_pending)
        self._requeue.connect(self._put_back)
        self.retry_ms = 2000
        self.last_saved: float | None = None
        self.failed = False

    @property
    def dirty(self) -> bool:
        return self._pending is not None or any(not f.done() for f in self._futures)

    def push(self, changes: DraftChanges) -> None:
        """Queue changes; they are written within ``interval_ms`` plus the write itself."""
        if changes.is_empty():
            return
        if self._pending is None:
            self._pending = changes
        else:
            self._pending.merge(changes)
        if not self._timer.isActive():
            self._timer.start(self.retry_ms if self.failed else self._interval)

    def _write_pending(self) -> None:
        batch, self._pending = self._pending, None
        if batch is None:
            return
        future = self._executor.submit(self._write, batch)
        self._futures = [f for f in self._futures if not f.done()] + [future]
        future.add_done_callback(lambda f, b=batch: self._finished(f, b))

    def _finished(self, future: Future[Any], batch: DraftChanges) -> None:
        # Runs on the worker thread: signals cross to the GUI thread queued.
        exc = future.exception()
        if exc is None:
            self.last_saved = time.time()
            self.failed = False
            self.sig_saved.emit(self.last_saved)
        else:
            self.failed = True
            self._requeue.emit(batch)
            self.sig_failed.emit(exc)

    def _put_back(self, batch: DraftChanges) -> None:
        """Keep a failed batch (older) under anything typed since (newer), and retry later."""
        if self._pending is not None:
            batch.merge(self._pending)
        self._pending = batch
        if not self._timer.isActive():
            self._timer.start(self.retry_ms)

    def discard(self) -> None:
        """Drop pending changes (the scorecard can no longer be written here)."""
        self._timer.stop()
        self._pending = None

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is pending now and wait for every write; True when all succeeded."""
        self._timer.stop()
        self._write_pending()
        ok = True
        for f in list(self._futures):
            try:
                f.result(timeout=timeout)
            except Exception:
                ok = False
        self._futures = [f for f in self._futures if not f.done()]
        return ok

    def close(self) -> bool:
        """Flush and stop the worker."""
        ok = self.flush()
        self._executor.shutdown(wait=True)
        return ok
