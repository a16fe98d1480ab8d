"""Work that waits until a window has been painted once.

After ``show()`` the window system takes a moment to expose the window; zero-delay timers queued before
that run first, so the window would appear only once they are done. Work given to :class:`AfterFirstPaint`
runs right after the watched widget's first paint instead, in the order given: the window appears at once
and fills in a moment later. A window that is never painted (minimised, or on a screenless platform) gets
the work after ``fallback_ms``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["AfterFirstPaint"]


class AfterFirstPaint(QObject):
    """Runs callbacks once ``widget`` has been painted for the first time (or after ``fallback_ms``)."""

    def __init__(self, widget: QWidget, fallback_ms: int = 150) -> None:
        super().__init__(widget)
        self._pending: list[Callable[[], None]] = []
        self._done = False
        self._fallback_ms = fallback_ms
        self._timer_started = False
        widget.installEventFilter(self)
        self._widget = widget

    def call(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after the first paint (at once, on the next turn of the loop, if it happened)."""
        if self._done:
            QTimer.singleShot(0, self, callback)
            return
        self._pending.append(callback)
        if not self._timer_started:
            self._timer_started = True
            QTimer.singleShot(self._fallback_ms, self, self._run)  # not after the widget is gone

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._done:
            # Run on the next turn of the loop: the paint in progress finishes and reaches the screen first.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._widget.removeEventFilter(self)
        pending, self._pending = self._pending, []
        for callback in pending:
            callback()
