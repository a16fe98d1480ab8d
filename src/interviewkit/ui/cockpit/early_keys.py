"""What is typed while an interview opens, kept for its notes.

Opening an interview reads the scorecard off the GUI thread (a second or more on a busy machine). The
interviewer who pressed Enter is often already writing ("joined 5 min late"); until the cockpit shows, those
keys would reach the screen still shown (My interviews: a letter jumps the selection, a second Enter opens
another interview) and be lost for the notes. :class:`EarlyKeys` holds the typing keys meant for the window
while the interview opens (letters, digits, punctuation, Space, Enter, Backspace; never a shortcut with Ctrl,
Alt or Meta, never a key for a dialog) and hands them to the notes of the question shown once the page is
there, in the order typed. A submitted scorecard or a recruiter's screen drops them: there they would change
nothing, or answer the checklist blind.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["EarlyKeys"]

_EDITING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace})
_HELD = frozenset({QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress, QEvent.Type.KeyRelease})
_TYPING_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def is_typing(event: QKeyEvent) -> bool:
    """A key that writes text (or Enter, Backspace), with no modifier that makes it a shortcut."""
    if event.modifiers() & ~_TYPING_MODIFIERS:
        return False
    text = event.text()
    return Qt.Key(event.key()) in _EDITING_KEYS or (bool(text) and text.isprintable())


class EarlyKeys(QObject):
    """Holds the typing keys for one window from :meth:`start` to :meth:`stop`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window: QWidget | None = None
        self._keys: list[QKeyEvent] = []

    @property
    def holding(self) -> bool:
        return self._window is not None

    def start(self, window: QWidget) -> None:
        """Hold the typing keys meant for ``window`` from now on (those held already stay held)."""
        app = QApplication.instance()
        if self._window is not window:
            self.stop()
            if app is not None:
                app.installEventFilter(self)
        self._window = window

    def stop(self) -> list[QKeyEvent]:
        """Stop holding; the key presses held, in the order typed."""
        app = QApplication.instance()
        if self._window is not None and app is not None:
            app.removeEventFilter(self)
        self._window = None
        keys, self._keys = self._keys, []
        return keys

    def deliver(self, to: QWidget) -> int:
        """Stop holding and type what was held into ``to``; how many keys were typed."""
        keys = self.stop()
        for key in keys:
            QApplication.sendEvent(to, key)
        return len(keys)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in _HELD or self._window is None:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False  # a dialog's keys (Open elsewhere?) are its own
        assert isinstance(event, QKeyEvent)
        if not is_typing(event):
            return False  # shortcuts (Ctrl+Q, Ctrl+1..7) and moving keys work as ever
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # asked before a shortcut fires: the key is text now (My interviews' Enter opens nothing)
        elif kind == QEvent.Type.KeyPress:
            self._keys.append(
                QKeyEvent(kind, event.key(), event.modifiers(), event.text(), event.isAutoRepeat(), event.count())
            )
        return True
