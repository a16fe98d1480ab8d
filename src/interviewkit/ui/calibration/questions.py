"""The Questions tab: question analytics (times asked, over-exposure, mean, spread, relation to the decision),
sortable by any column."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QStackedWidget, QTableView, QVBoxLayout, QWidget

from interviewkit.services.calibration_report import QuestionRow
from interviewkit.ui.calibration.common import caption, setup_table
from interviewkit.ui.calibration.models import QuestionModel, SortRole

__all__ = ["NO_QUESTIONS", "QuestionsPage"]

NO_QUESTIONS = "No questions were recorded as asked in these scorecards (imported ratings carry no questions)."
NOTE = (
    "Over-exposed: asked in more than half of the loops, so later candidates may have heard of it. A low SD means "
    "interviewers score everyone alike on it; r with decision is the correlation of its ratings with hire (1) / "
    "no hire (0), among decided candidates."
)


class QuestionsPage(QWidget):
    """The questions asked in the report's scorecards, or (``empty``) why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QuestionModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setObjectName("questionAnalytics")
        self.table.setAccessibleName("Question analytics")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        setup_table(self.table, fixed=False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(caption(NOTE))

    def show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def show_questions(self, rows: Sequence[QuestionRow]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.show_empty(NO_QUESTIONS)
