"""The list of loops, left of the Loops screen: "New loop…", a search that ignores accents, the loops as
cards, an empty state that says what to do, and how many are shown.

The loops are read a page at a time (:mod:`~interviewkit.services.loop_pages`): the screen gives the first
page (:meth:`LoopList.set_page`), the view asks for the next when it is scrolled to the end
(:attr:`LoopList.sig_fetch_more`), and the search is the database's (:attr:`LoopList.sig_search_changed`:
the screen reads the first page of what matches). The proxy only passes the rows through."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.loop_pages import Page
from interviewkit.services.loops import LoopSummary
from interviewkit.ui.loops.models import LoopFilterProxy, LoopListModel
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.widgets.formatting import plural
from interviewkit.ui.widgets.roles import IdRole
from interviewkit.ui.widgets.selection import select_source_index
from interviewkit.ui.widgets.shortcuts import bind_keys

__all__ = ["EMPTY_TEXT", "LoopList"]

EMPTY_TEXT = "No loops yet. Create one from a template: Ctrl+N"


class LoopList(QWidget):
    """Every loop the person may see, searchable; the current row is the loop the screen shows."""

    sig_nothing_shown = Signal()
    """No loop is listed now (none yet, or none matches the search)."""
    sig_search_changed = Signal(str)
    """The search typed: the screen reads the first page of the loops that match it."""
    sig_fetch_more = Signal(int)
    """The view reached the last loop read and more follow: the screen reads the page from this offset."""

    def __init__(self, new_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = QPushButton("New loop…")
        self.new_button.setToolTip(new_action.toolTip())
        self.new_button.clicked.connect(new_action.trigger)
        self.search = QLineEdit(placeholderText="Search loops (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search loops")
        self.model = LoopListModel(self)
        self.model.sig_fetch_more.connect(self.sig_fetch_more)
        self._counts: tuple[int, int] | None = None  # (matching the search, all), once counted
        self.pending: int | None = None  # a loop to select once the list without a search is read
        self.proxy = LoopFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QListView()
        self.view.setObjectName("loopList")
        self.view.setAccessibleName("Loops")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        self.count = QLabel()
        self.count.setProperty("role", "subtle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)
        # wide enough for the search's hint whole ("Search loops (Ctrl+F)") and a card beside the scroll bar
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 48
        self.setMinimumWidth(max(hint, 160 + self.view.verticalScrollBar().sizeHint().width() + 4))
        self.setTabOrder(self.new_button, self.search)
        self.setTabOrder(self.search, self.view)
        self.search.textChanged.connect(self._on_search)
        bind_keys(self.search, "to_list", self.focus_list)
        self.search.returnPressed.connect(self.focus_list)  # the registry's search_to_list

    def set_loops(self, loops: Sequence[LoopSummary], select: int | None = None) -> None:
        """Replace the loops with all there are (the current one stays current if its row is still there;
        else ``select``)."""
        self.set_page(Page(tuple(loops), 0, False, len(loops)), select)

    def set_page(self, page: Page[LoopSummary], select: int | None = None) -> None:
        """Show a first page of loops (the current one stays current if its row is still there; else
        ``select``)."""
        self.model.set_loops(page.rows, more=page.more)
        select, self.pending = (select if select is not None else self.pending), None
        if not page.more and not self.searching():
            self._counts = (len(page.rows), len(page.rows))
        if select is not None:
            self.select_loop(select)
        self.update_state()

    def add_page(self, page: Page[LoopSummary]) -> None:
        """Append the next page the view asked for."""
        self.model.add_loops(page.rows, more=page.more)
        self.update_state()

    def set_counts(self, matching: int, total: int) -> None:
        """How many loops match the search, and how many there are (counted after the first page)."""
        self._counts = (matching, total)
        self.update_state()

    def searching(self) -> bool:
        return bool(self.search.text().strip())

    def show_closed(self) -> None:
        """No database is open."""
        self.model.set_loops([])
        self._counts = None
        self.empty.setText("No database open.")
        self.stack.setCurrentWidget(self.empty)
        self.count.setText("")

    def current_loop_id(self) -> int | None:
        index = self.view.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select_loop(self, loop_id: int) -> bool:
        """Make ``loop_id`` current, clearing a search that hides it (it is then selected once the list without
        the search is read)."""
        row = self.model.row_of(loop_id)
        if row < 0 and self.searching():
            self.pending = loop_id
            self.search.clear()
            row = self.model.row_of(loop_id)  # read at once where reads are synchronous
        if row < 0:
            return False
        select_source_index(self.view, self.proxy, self.model.index(row), self.search)
        return True

    def select_row(self, row: int) -> None:
        """Make the row nearest ``row`` current (after the current loop went away)."""
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(max(0, min(row, self.proxy.rowCount() - 1)), 0))

    def focus_list(self) -> None:
        """↓ or Enter in the search: to the loops listed, on the first one if none is current."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_search(self, text: str) -> None:
        self._counts = None
        self.sig_search_changed.emit(text)

    def update_state(self) -> None:
        """The empty state or the list (with a row current), and the count."""
        shown, searching = self.model.rowCount(), self.searching()
        if shown == 0 and not searching:
            self.empty.setText(EMPTY_TEXT)
            self.stack.setCurrentWidget(self.empty)
        elif shown == 0:
            self.empty.setText(
                f"No loop matches “{self.search.text().strip()}”.\nClear the search (Esc) to see every loop."
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.view)
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.proxy.index(0, 0))
        self.count.setText(self._count_text(shown, searching))
        if shown == 0:
            self.sig_nothing_shown.emit()

    def _count_text(self, shown: int, searching: bool) -> str:
        """'12 loops', '3 of 12 loops' while searching; before the count is in, what is read ('100+ loops')."""
        if self._counts is None:
            return f"{shown}+ loops" if self.model.more else plural(shown, "loop") if shown else ""
        matching, total = self._counts
        if not total:
            return ""
        return f"{matching} of {plural(total, 'loop')}" if searching and matching != total else plural(total, "loop")
