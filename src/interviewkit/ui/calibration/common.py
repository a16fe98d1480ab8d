"""Small pieces the calibration section's pages share: captions, titles, read-only tables."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

__all__ = ["caption", "repolish", "section_title", "setup_table"]


def caption(text: str = "") -> QLabel:
    """A sentence under a figure: what it shows and how sure it is."""
    label = QLabel(text, wordWrap=True)
    label.setProperty("role", "subtle")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


def repolish(widget: QWidget) -> None:
    """Apply the style again after a dynamic property (``state``) changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def setup_table(table: QTableView, *, fixed: bool = True) -> None:
    """A read-only table of rows, its columns sized to their contents (``fixed``: no scroll bar of its own)."""
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    if fixed:
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
