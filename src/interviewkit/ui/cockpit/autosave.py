"""Autosave: every change is on disk within half a second and reaches the database soon after, without
blocking typing.

Each change goes first to the scorecard's recovery journal (:class:`~interviewkit.services.recovery.Journal`),
whose own thread fsyncs it within a quarter of a second whether or not the database answers. Changes are
also merged into one pending batch. The first change after a save starts a short timer (a throttle, not a
debounce: typing without pause still saves every ``interval_ms``); when it fires the batch is written on a
single worker thread, one short transaction per batch and one batch at a time, so that a batch that fails
goes back under what was typed since and the journal can say which changes the database holds.
``when_saved(then)`` writes what is pending now and calls ``then`` once the database holds it, without
waiting on the GUI thread (before a submit or an export); ``flush()`` writes what is pending and waits, for a
clean close.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from interviewkit.services.recovery import Journal
    from interviewkit.services.scorecards import DraftChanges

__all__ = ["Autosaver"]


class _Write:
    """The batch being written, the number of its newest change in the journal, the number of pushes it
    holds, and its future."""

    def __init__(self, batch: DraftChanges, seq: int, upto: int, future: Future[Any]) -> None:
        self.batch = batch
        self.seq = seq
        self.upto = upto
        self.future = future


class Autosaver(QObject):
    """Journals draft changes, coalesces them and writes them off the GUI thread."""

    sig_saved = Signal(float)
    """A batch is in the database; the argument is time.time() of the save."""

    sig_failed = Signal(object)
    """A batch could not be written; the argument is the exception. The batch is kept for a retry."""

    sig_waiting = Signal()
    """A write has waited longer than ``slow_ms``: the database is busy or away."""

    sig_saved_locally = Signal(int)
    """Every change up to this number is in the journal on disk (emitted from the journal's thread)."""

    _done = Signal(object)  # a finished write's future, back to the GUI thread

    def __init__(
        self,
        write: Callable[[DraftChanges], Any],
        *,
        journal: Journal | None = None,
        interval_ms: int = 400,
        slow_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._write = write
        self._journal = journal
        self._pending: DraftChanges | None = None
        self._pending_seq = 0
        self._pushed = 0  # pushes so far; the pending batch holds those up to this one
        self._saved_upto = 0  # the database holds every push up to this one
        self._waiters: list[tuple[int, Callable[[bool], None]]] = []  # when_saved: (push number, then)
        self._inflight: _Write | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._interval = interval_ms
        self._timer.timeout.connect(self._write_pending)
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(slow_ms)
        self._slow.timeout.connect(self.sig_waiting.emit)
        self._done.connect(self._settle)
        if journal is not None:
            journal.on_durable = self.sig_saved_locally.emit
        self.retry_ms = 2000
        self.last_saved: float | None = None
        self.failed = False

    @property
    def journal(self) -> Journal | None:
        return self._journal

    @property
    def dirty(self) -> bool:
        """Whether some change is not in the database yet."""
        return self._pending is not None or self._inflight is not None

    def push(self, changes: DraftChanges, *, journalled: int | None = None) -> None:
        """Queue changes: in the journal at once, in the database within ``interval_ms`` plus the write.
        ``journalled`` is the number of changes the journal already holds (a recovery)."""
        if changes.is_empty():
            return
        if journalled is not None:
            seq = journalled
        else:
            seq = self._journal.record(changes) if self._journal is not None else 0
        if self._pending is None:
            self._pending = changes
        else:
            self._pending.merge(changes)
        self._pending_seq = seq
        self._pushed += 1
        if not self._timer.isActive():
            self._timer.start(self.retry_ms if self.failed else self._interval)

    def when_saved(self, then: Callable[[bool], None]) -> None:
        """Call ``then(True)`` once the database holds every change pushed so far (at once if it does), or
        ``then(False)`` when a write of them fails (they stay queued for the retry). What is pending is
        written now rather than after the interval; nothing waits on the GUI thread."""
        if not self.dirty:
            then(self._saved_upto >= self._pushed)  # short only of what discard() dropped
            return
        self._waiters.append((self._pushed, then))
        if self._inflight is None:
            self._timer.stop()
            self._write_pending()

    def _tell_waiters(self, ok: bool) -> None:
        waiting, self._waiters = self._waiters, []
        for upto, then in waiting:
            if ok and upto > self._saved_upto:
                self._waiters.append((upto, then))  # typed since: waits for the next write
            else:
                then(ok)

    def _write_pending(self) -> None:
        """Start writing the pending batch, unless a write is in flight (its end starts the next one)."""
        if self._inflight is not None or self._pending is None:
            return
        batch, seq = self._pending, self._pending_seq
        self._pending = None
        future = self._executor.submit(self._run, batch, seq)
        self._inflight = _Write(batch, seq, self._pushed, future)
        self._slow.start()
        future.add_done_callback(self._finished)

    def _run(self, batch: DraftChanges, seq: int) -> Any:
        """On the worker thread: the write, with the journal told before and after."""
        journal = self._journal
        if journal is not None:
            journal.writing(seq)
        try:
            revision = self._write(batch)
        except BaseException as exc:
            if journal is not None:
                journal.failed(seq, exc)
            raise
        if journal is not None and isinstance(revision, int):
            journal.applied(seq, revision)
        return revision

    def _finished(self, future: Future[Any]) -> None:
        # Runs on the worker thread: the signal crosses to the GUI thread queued. After close() the
        # object may be gone; the write itself is done and journalled either way.
        with contextlib.suppress(RuntimeError):
            self._done.emit(future)

    def _settle(self, future: Future[Any]) -> None:
        """On the GUI thread, once per write: report it; put a failed batch back and retry later."""
        w = self._inflight
        if w is None or w.future is not future or not future.done():
            return
        self._inflight = None
        self._slow.stop()
        exc = future.exception()
        if exc is None:
            self.last_saved = time.time()
            self.failed = False
            self._saved_upto = max(self._saved_upto, w.upto)
            self.sig_saved.emit(self.last_saved)
            if self._pending is not None and (self._waiters or not self._timer.isActive()):
                # Typed while the write was in flight, and its timer has fired (or someone waits for it).
                self._timer.stop()
                self._write_pending()
            self._tell_waiters(True)
            return
        self.failed = True
        # The failed batch (older) goes under anything typed since (newer).
        if self._pending is not None:
            w.batch.merge(self._pending)
        else:
            self._pending_seq = w.seq
        self._pending = w.batch
        self._timer.start(self.retry_ms)
        self.sig_failed.emit(exc)
        self._tell_waiters(False)

    def discard(self) -> None:
        """Drop pending changes (the scorecard can no longer be written here)."""
        self._timer.stop()
        self._pending = None
        self._tell_waiters(False)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is pending now and wait for it; True when the database holds every change.

        The journal is fsynced first, so everything typed is on disk even when the database does not answer.
        """
        self._timer.stop()
        if self._journal is not None:
            self._journal.sync()
        deadline = time.monotonic() + timeout
        while self._inflight is not None or self._pending is not None:
            if self._inflight is None:
                self._write_pending()
            w = self._inflight
            if w is None:  # the write was over before its callback was added: that ran here and settled it
                if self.failed:
                    return False
                continue
            try:
                w.future.result(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                return False
            except Exception:  # noqa: BLE001 - the write's own failure: _settle puts the batch back and says so
                pass
            self._settle(w.future)
            if self.failed:
                return False
        return True

    def close(self) -> bool:
        """Flush and stop the worker (without waiting for a write the database still holds up)."""
        ok = self.flush()
        self._timer.stop()
        self._slow.stop()
        self._executor.shutdown(wait=ok, cancel_futures=True)
        return ok
