"""Item model for the coverage view: requirements with the number of questions that assess them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle

from interviewkit.services.bank_queries import CoverageRow
from interviewkit.services.bank_views import MIN_QUESTIONS, coverage_words, is_gap
from interviewkit.ui.widgets.table import RowTable
from interviewkit.ui.widgets.theme import state_colours

__all__ = ["MIN_QUESTIONS", "CoverageModel", "CoverageRole"]

CoverageRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def count_text(row: CoverageRow) -> str:
    """The first column: "Not covered", "1 (needs 2)", "3"; "Screen" or "1 + screen" for a requirement the
    recruiter's screen checks (it needs no question)."""
    n = row.count
    if row.screen:
        return f"{n} + screen" if n else "Screen"
    if n == 0:
        return "Not covered"
    return f"{n} (needs {MIN_QUESTIONS})" if n < MIN_QUESTIONS else f"{n}"


class CoverageModel(RowTable):
    """One row per requirement. Gaps carry an icon and words, not only a colour."""

    COLUMNS = ("Questions", "Requirement", "Section")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: CoverageRow = self.row_at(index.row())
        col = index.column()
        if role == CoverageRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return (count_text(row), row.requirement.text, row.requirement.section)[col]
        if role == Qt.ItemDataRole.EditRole and col == 0:
            return row.count
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and is_gap(row):
            critical, warning = QStyle.StandardPixmap.SP_MessageBoxCritical, QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(critical if row.count == 0 else warning)
        if role == Qt.ItemDataRole.BackgroundRole and is_gap(row):
            return QColor(state_colours()["gap_bg"])
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.requirement.text, row.requirement.id, coverage_words(row)]
            if row.questions:
                lines.append("Assessed by: " + ", ".join(row.questions))
            if row.related_questions:
                lines.append("Related, not counted: " + ", ".join(row.related_questions))
            return "\n".join(lines)
        return None

    def row_of(self, requirement_id: str) -> int:
        return next((i for i, r in enumerate(self.rows()) if r.requirement.id == requirement_id), -1)
