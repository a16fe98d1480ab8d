"""The debrief's list of candidates: a search box (Ctrl+F), the candidates (or why there are none), a count.

The candidates are read a page at a time (:mod:`~interviewkit.services.debrief_pages`): the screen gives the
first page (:meth:`CandidatePane.set_page`), the view asks for the next when scrolled to the end
(:attr:`CandidatePane.sig_fetch_more`), and the search is the database's (:attr:`CandidatePane.sig_search_changed`:
the screen reads the first page of what matches). The proxy only passes the rows through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QStackedWidget, QVBoxLayout, QWidget

from interviewkit.services.context import AppContext
from interviewkit.ui.debrief.model import CandidateFilterProxy, CandidateListModel, CandidateRow, IdRole
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.widgets.formatting import plural
from interviewkit.ui.widgets.selection import select_source_index
from interviewkit.ui.widgets.shortcuts import clear_on_escape

__all__ = ["EMPTY_TEXT", "CandidatePages", "CandidatePane"]

EMPTY_TEXT = "No scorecards submitted yet. Debriefs appear here once interviewers submit."


class CandidatePages(CandidateListModel):
    """The candidates read so far, a page at a time: at the last row, :attr:`sig_fetch_more` asks the screen
    for the page from that offset, which :meth:`add_candidates` appends."""

    sig_fetch_more = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.more = False  # candidates follow the rows read so far
        self._asked = False
        self.generation = 0  # of the first page shown: a next page read for an older one is not added

    def set_page(self, rows: Sequence[CandidateRow], *, more: bool) -> None:
        self.more, self._asked = more, False
        self.generation += 1
        self.set_candidates(rows)

    def add_candidates(self, rows: Sequence[CandidateRow], *, more: bool) -> None:
        """Append the next page (a candidate already listed, moved by one since, is not listed twice)."""
        new = [r for r in rows if self.row_of(r.id) < 0]
        self.more, self._asked = more, False
        if new:
            self.beginInsertRows(QModelIndex(), self.rowCount(), self.rowCount() + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self.more and not self._asked

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 - Qt override
        if self.canFetchMore(parent):
            self._asked = True
            self.sig_fetch_more.emit(self.rowCount())


class CandidatePane(QWidget):
    """The candidates whose debrief can start, filtered by what is typed in the search (Esc clears it)."""

    sig_none_shown = Signal()
    """No candidate is shown (none yet, or none matches the search)."""
    sig_search_changed = Signal(str)
    """The search typed: the screen reads the first page of the candidates that match it."""
    sig_fetch_more = Signal(int)
    """The view reached the last candidate read and more follow: the screen reads the page from this offset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unavailable = ""  # why no candidate can be listed (no database open, nobody signed in), or ""
        self.search = QLineEdit(placeholderText="Search (Ctrl+F)")
        self.search.setToolTip("Search candidates by name, opening or decision (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search candidates")
        self.model = CandidatePages(self)
        self.model.sig_fetch_more.connect(self.sig_fetch_more)
        self.counts: tuple[int, int] | None = None  # (matching the search, all), once counted
        self.pending: int | None = None  # a candidate to select once the list without a search is read
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

    def set_rows(self, rows: Sequence[CandidateRow], keep: int | None = None, *, more: bool = False) -> None:
        """Show these candidates (a first page: ``more``, rows follow), ``keep`` still current if it is among
        them."""
        self.model.set_page(rows, more=more)
        if not more and not self.searching():
            self.counts = (len(rows), len(rows))
        keep, self.pending = (self.pending if self.pending is not None else keep), None
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select(keep)
        self.show_filtered()

    def add_rows(self, rows: Sequence[CandidateRow], *, more: bool) -> None:
        """Append the next page the view asked for."""
        self.model.add_candidates(rows, more=more)
        self.show_filtered()

    def set_counts(self, matching: int, total: int) -> None:
        """How many candidates match the search, and how many are listed without it."""
        self.counts = (matching, total)
        self.show_filtered()

    def searching(self) -> bool:
        return bool(self.search.text().strip())

    def current_id(self) -> int | None:
        index = self.list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select(self, candidate_id: int) -> bool:
        """Make this candidate current, clearing a search that hides them (selected once the list without the
        search is read)."""
        row = self.model.row_of(candidate_id)
        if row < 0 and self.searching():
            self.pending = candidate_id
            self.search.clear()
            row = self.model.row_of(candidate_id)  # read at once where reads are synchronous
        if row < 0:
            return False
        select_source_index(self.list, self.proxy, self.model.index(row), self.search)
        return True

    def _on_search(self, text: str) -> None:
        self.counts = None
        self.sig_search_changed.emit(text)

    def show_filtered(self) -> None:
        """After the rows or the search changed: the list (its first row current) or why it is empty, and
        the count."""
        shown = self.model.rowCount()
        if self.unavailable:
            self.empty.setText(self.unavailable)
        elif not self.searching():
            self.empty.setText(EMPTY_TEXT)
        else:
            self.empty.setText(
                f"No candidate matches “{self.search.text().strip()}”.\nClear the search (Esc) to see them all."
            )
        self.stack.setCurrentWidget(self.list if shown else self.empty)
        if shown and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self.count.setText(self._count_text(shown))
        if not shown:
            self.sig_none_shown.emit()

    def _count_text(self, shown: int) -> str:
        """'12 candidates', '3 of 12 candidates' while searching; before the count is in, what is read."""
        if self.counts is None:
            return f"{shown}+ candidates" if self.model.more else plural(shown, "candidate") if shown else ""
        matching, total = self.counts
        if not total:
            return ""
        if self.searching() and matching != total:
            return f"{matching} of {plural(total, 'candidate')}"
        return plural(total, "candidate")
