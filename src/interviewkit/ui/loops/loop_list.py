"""The list of loops, left of the Loops screen: "New loop…", a search that ignores accents, the loops as
cards, an empty state that says what to do, and how many are shown."""

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
        self.setTabOrder(self.new_button, self.search)
        self.setTabOrder(self.search, self.view)
        self.search.textChanged.connect(self._on_search)
        bind_keys(self.search, "to_list", self.focus_list)
        self.search.returnPressed.connect(self.focus_list)  # the registry's search_to_list

    def set_loops(self, loops: Sequence[LoopSummary], select: int | None = None) -> None:
        """Replace the loops (the current one stays current if its row is still there; else ``select``)."""
        self.model.set_loops(loops)
        if select is not None:
            self.select_loop(select)
        self.update_state()

    def show_closed(self) -> None:
        """No database is open."""
        self.model.set_loops([])
        self.empty.setText("No database open.")
        self.stack.setCurrentWidget(self.empty)
        self.count.setText("")

    def current_loop_id(self) -> int | None:
        index = self.view.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select_loop(self, loop_id: int) -> bool:
        """Make ``loop_id`` current, clearing a search that hides it."""
        row = self.model.row_of(loop_id)
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
        self.proxy.set_text(text)
        self.update_state()

    def update_state(self) -> None:
        """The empty state or the list (with a row current), and the count."""
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
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
        self.count.setText(
            f"{shown} of {plural(total, 'loop')}"
            if total and shown != total
            else plural(total, "loop")
            if total
            else ""
        )
        if shown == 0:
            self.sig_nothing_shown.emit()
