"""What the window remembers between runs: its geometry, the screen shown, every splitter's sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

if TYPE_CHECKING:
    from interviewkit.ui.shell.window import MainWindow

__all__ = ["first_geometry", "restore_splitters", "restore_window", "save_window"]

# Room for a window manager's title bar and borders, which are not known before the window is first shown.
_FRAME_SIDES, _FRAME_TOP, _FRAME_BOTTOM = 8, 32, 8


def first_geometry(available: QRect) -> QRect:
    """Where the window opens the first time: 1280x800, or less where the screen's free part (``available``:
    without panels and docks) is smaller, leaving room for the frame; centred in that part."""
    width = min(1280, available.width() - 2 * _FRAME_SIDES)
    height = min(800, available.height() - _FRAME_TOP - _FRAME_BOTTOM)
    left = available.left() + (available.width() - width) // 2
    top = available.top() + _FRAME_TOP + (available.height() - _FRAME_TOP - _FRAME_BOTTOM - height) // 2
    return QRect(left, top, width, height)


def restore_window(window: MainWindow, sections: int) -> None:
    geometry = window.settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:  # on a 1280x800 screen a 1280x800 window put its status bar below the screen's edge
        window.setGeometry(first_geometry(window.screen().availableGeometry()))
    saved = window.settings.value("window/section", 0)
    row = int(saved) if isinstance(saved, int | str) and str(saved).isdigit() else 0  # a hand-edited file too
    window.navigation.setCurrentRow(row if 0 <= row < sections else 0)


def restore_splitters(settings: QSettings, widget: QWidget) -> None:
    """Give each named splitter of ``widget`` the sizes it had (splitters are saved by object name)."""
    for splitter in widget.findChildren(QSplitter):
        state = settings.value(f"splitters/{splitter.objectName()}") if splitter.objectName() else None
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def save_window(window: MainWindow) -> None:
    window.settings.setValue("window/geometry", window.saveGeometry())
    window.settings.setValue("window/section", window.navigation.currentRow())
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            window.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    window.settings.sync()
