"""Writes off the GUI thread, with a busy state, and the changes they made handed to every screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from interviewkit.services.changes import Changes, changes_of
from interviewkit.services.errors import ServiceError
from interviewkit.ui.widgets.tasks import run_in_background

__all__ = ["Operations"]

T = TypeVar("T")


class Operations(QObject):
    """Runs work on the thread pool; shows what is running in ``label`` and a busy cursor meanwhile. A
    failure without a handler of its own is shown in a box over ``window``: the service's refusal, which
    names what is wrong."""

    def __init__(self, label: QLabel, broadcast: Callable[[Changes], None], window: QWidget) -> None:
        super().__init__(window)
        self._label = label
        self._broadcast = broadcast
        self._window = window
        self._running: list[str] = []

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        self._start(busy)

        def finished(result: T) -> None:
            self._stop(busy)
            if done is not None:
                done(result)
            found = changes_of(result) or changes
            if found:
                self._broadcast(found)

        def refused(exc: BaseException) -> None:
            self._stop(busy)
            if failed is None:
                self._refused(busy, exc)
            else:
                failed(exc)

        run_in_background(work, finished, refused)

    def _start(self, what: str) -> None:
        if not self._running:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._running.append(what)
        self._label.setText(f"{what}…")

    def _stop(self, what: str) -> None:
        if what in self._running:
            self._running.remove(what)
        if not self._running:
            QApplication.restoreOverrideCursor()
        self._label.setText(f"{self._running[-1]}…" if self._running else "")

    def _refused(self, what: str, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"
        QMessageBox.warning(self._window, f"{what}: not done", text)
