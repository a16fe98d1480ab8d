"""The frame every list-and-detail section shares: its heading, then the list and the detail side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

__all__ = ["list_and_detail"]


def list_and_detail(
    section: QWidget, title: str, left: QWidget, right: QWidget, *, name: str, stretch: tuple[int, int],
    sizes: tuple[int, int],
) -> QSplitter:
    """Lay ``section`` out as a heading over a horizontal splitter of ``left`` and ``right``; return the splitter.

    ``name`` is the splitter's object name (the main window remembers its sizes under it).
    """
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName(name)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setSizes(list(sizes))
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(section)
    layout.setContentsMargins(12, 10, 12, 8)
    heading = QLabel(title)
    heading.setProperty("role", "heading")
    layout.addWidget(heading)
    layout.addWidget(splitter, 1)
    return splitter
