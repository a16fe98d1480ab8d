"""The debrief's list of candidates: a search box (Ctrl+F), the candidates (or why there are none), a count."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QStackedWidget, QVBoxLayout, QWidget

from interviewkit.services.context import AppContext
from interviewkit.ui.debrief.model import CandidateFilterProxy, CandidateListModel, CandidateRow, IdRole
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.widgets.formatting import plural
from interviewkit.ui.widgets.selection import select_source_index
from interviewkit.ui.widgets.shortcuts import clear_on_escape

__all__ = ["EMPTY_TEXT", "CandidatePane"]

EMPTY_TEXT = "No scorecards submitted yet. Debriefs appear here once interviewers submit."


class CandidatePane(QWidget):
    """The candidates whose debrief can start, filtered by what is typed in the search (Esc clears it)."""

    sig_none_shown = Signal()
    """No candidate is shown (none yet, or none matches the search)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unavailable = ""  # why no candidate can be listed (no database open, nobody signed in), or ""
        self.search = QLineEdit(placeholderText="Search (Ctrl+F)")
        self.search.setToolTip("Search candidates by name, opening or decision (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search candidates")
        self.model = CandidateListModel(self)
        self.proxy = CandidateFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView()
        self.list.setObjectName("debriefCandidates")
        self.list.setAccessibleName("Candidates")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(CardDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        # A card is at least 160 px wide (CardDelegate): room for it and the scroll bar, so that the decision
        # at its right ("No hire") is never cut off behind a sideways scroll bar on a 1280-px screen.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumWidth(160 + self.list.verticalScrollBar().sizeHint().width() + 2 * self.list.frameWidth())
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, wordWrap=True)
        self.empty.setObjectName("debriefEmpty")
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.count = QLabel()
        self.count.setProperty("role", "subtle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)

        self.search.textChanged.connect(self._on_search)
        clear_on_escape(self.search, self)

    def set_context(self, ctx: AppContext | None) -> None:
        """Say why no candidate can be listed: no database open, or nobody chosen to use the app."""
        if ctx is None:
            self.unavailable = "No database open."
        elif ctx.user_id is None:
            self.unavailable = "Choose who you are first (File → Switch person): what a debrief shows depends on it."
        else:
            self.unavailable = ""

    def set_rows(self, rows: Sequence[CandidateRow], keep: int | None = None) -> None:
        """Show these candidates, ``keep`` still current if it is among them."""
        self.model.set_candidates(rows)
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select(keep)
        self.show_filtered()

    def current_id(self) -> int | None:
        index = self.list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select(self, candidate_id: int) -> bool:
        """Make this candidate current, clearing a search that hides them."""
        row = self.model.row_of(candidate_id)
        if row < 0:
            return False
        select_source_index(self.list, self.proxy, self.model.index(row), self.search)
        return True

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        self.show_filtered()

    def show_filtered(self) -> None:
        """After the rows or the search changed: the list (its first row current) or why it is empty, and
        the count."""
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.unavailable:
            self.empty.setText(self.unavailable)
        elif total == 0:
            self.empty.setText(EMPTY_TEXT)
        else:
            self.empty.setText(
                f"No candidate matches “{self.search.text().strip()}”.\nClear the search (Esc) to see them all."
            )
        self.stack.setCurrentWidget(self.list if shown else self.empty)
        if shown and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        if not total:
            self.count.setText("")
        else:
            self.count.setText(
                plural(total, "candidate") if shown == total else f"{shown} of {plural(total, 'candidate')}"
            )
        if not shown:
            self.sig_none_shown.emit()
