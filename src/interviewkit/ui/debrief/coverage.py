"""The debrief's Coverage tab: which requirements of the role the loop assessed, by whom, with what rating."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.debrief import Debrief
from interviewkit.services.debrief_grid import coverage_summary
from interviewkit.ui.debrief.grid_pane import repolish
from interviewkit.ui.debrief.model import CoverageFilterProxy, CoverageTableModel

__all__ = ["CoveragePane"]


class CoveragePane(QWidget):
    """A line that sums up the coverage, the requirements (or only those nobody assessed) and who did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("coverageSummary")
        self.only_unassessed = QCheckBox("Only requirements not assessed")
        self.model = CoverageTableModel(self)
        self.proxy = CoverageFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("debriefCoverage")
        self.table.setAccessibleName("Requirements and who assessed them")
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_unassessed)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.only_unassessed.toggled.connect(self._on_only_unassessed)
        header.sectionResized.connect(self._resize_rows)

    def show_coverage(self, d: Debrief) -> int:
        """Show a debrief's coverage; returns how many requirements nobody assessed."""
        self.model.set_entries(d.coverage)
        summary = coverage_summary(d)
        self.summary.setText(summary.text)
        self.summary.setProperty("state", summary.state)
        repolish(self.summary)
        self.table.resizeRowsToContents()
        return summary.missing

    def _on_only_unassessed(self, on: bool) -> None:
        self.proxy.set_only_unassessed(on)
        self.table.resizeRowsToContents()

    def _resize_rows(self, *_args: object) -> None:
        self.table.resizeRowsToContents()
