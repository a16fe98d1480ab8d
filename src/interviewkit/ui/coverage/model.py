"""Item model for the coverage view: requirements with the number of questions that assess them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle

from interviewkit.ui.widgets.theme import state_colours

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import CoverageRow

__all__ = ["CoverageModel", "CoverageRole", "MIN_QUESTIONS"]

CoverageRole = Qt.ItemDataRole.UserRole + 2
MIN_QUESTIONS = 2
_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Questions", "Requirement", "Section")


class CoverageModel(QAbstractTableModel):
    """One row per requirement. Gaps carry an icon and words, not only a colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CoverageRow] = []

    def set_rows(self, rows: Sequence[CoverageRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        n = row.count
        if role == CoverageRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                if n == 0:
                    return "Not covered"
                return f"{n}" if n >= MIN_QUESTIONS else f"{n} (needs {MIN_QUESTIONS})"
            return (None, row.requirement.text, row.requirement.section)[col]
        if role == Qt.ItemDataRole.EditRole and col == 0:
            return n
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            style = QApplication.style()
            if n == 0:
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            if n < MIN_QUESTIONS:
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and n < MIN_QUESTIONS:
            return QColor(state_colours()["gap_bg"])
        if role == Qt.ItemDataRole.ToolTipRole:
            who = (
                "No question in the bank assesses this requirement."
                if n == 0
                else "Assessed by: " + ", ".join(row.questions)
            )
            return f"{row.requirement.text}\n{row.requirement.id}\n{who}"
        return None
