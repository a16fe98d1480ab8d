"""One rule for the window's sections: a section that is not shown never takes the focus.

A screen reads off the GUI thread and puts the focus where the next key is expected once its read is shown
(My interviews its list, Calibration an exercise's transcript). When the person has gone to another section
meanwhile, that focus would land in a hidden widget: what they type next disappears there and the shown
screen's keys do nothing (found twice by the keyboard walk of issue 16). :class:`HiddenPagesGuard` refuses
such a move for every page of a stack at once: the focus goes back where it was (or, if that is gone, nowhere
in the hidden page), so no screen needs a check of its own.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

__all__ = ["HiddenPagesGuard"]


class HiddenPagesGuard(QObject):
    """Keeps the focus out of the pages of ``stack`` that are not its current one."""

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__(stack)
        self._stack = stack
        self.refused = 0  # how many moves were refused (for tests and for the curious)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def hidden_page_of(self, widget: QWidget) -> QWidget | None:
        """The page of the stack holding ``widget`` when it is not the page shown; else None."""
        w: QWidget | None = widget
        while w is not None:
            parent = w.parentWidget()
            if parent is self._stack:
                return None if w is self._stack.currentWidget() else w
            w = parent
        return None

    def _focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        if now is None or not shiboken6.isValid(self) or not shiboken6.isValid(self._stack):
            return
        if self.hidden_page_of(now) is None:
            return
        self.refused += 1
        if old is not None and shiboken6.isValid(old) and old.isVisible() and self.hidden_page_of(old) is None:
            old.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            now.clearFocus()
