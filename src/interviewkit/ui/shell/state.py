"""What the window remembers between runs: its geometry, the screen shown, every splitter's sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

if TYPE_CHECKING:
    from interviewkit.ui.shell.window import MainWindow

__all__ = ["restore_splitters", "restore_window", "save_window"]


def restore_window(window: MainWindow, sections: int) -> None:
    geometry = window.settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(1280, 800)
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
