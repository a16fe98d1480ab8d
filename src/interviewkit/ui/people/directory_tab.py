"""One tab of the People screen: a search box, New… and Edit…, a sortable table of records, and an empty state
that says what to do. Enter (or a double-click) on a row asks to edit it, Ctrl+N (while the tab is shown)
asks for a new record; the screen opens the dialogs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.people.models import RecordFilterProxy, RecordRole, RecordTableModel
from interviewkit.ui.widgets.shortcuts import bind_keys, clear_on_escape, key_entry, key_of

__all__ = ["DirectoryTab"]


class DirectoryTab(QWidget):
    """One tab: a search box, New… and Edit…, a sortable table, and an empty state that says what to do."""

    sig_new_requested = Signal()
    """The user asked for a new record (the New… button or Ctrl+N)."""

    sig_edit_requested = Signal(object)
    """The user asked to edit this record (Edit…, Enter or a double-click)."""

    sig_edit_refused = Signal(object)
    """The user asked to edit this record (Enter or a double-click) but may not: the screen says why."""

    def __init__(
        self,
        model: QAbstractItemModel,
        *,
        nouns: tuple[str, str],
        search_hint: str,
        new_tip: str,
        widths: dict[int, int],
        stretch: int,
        sort: tuple[int, Qt.SortOrder],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.nouns = nouns
        self.empty_text = ""
        self.no_match_text = "No {noun} matches “{text}”.\nClear the search (Esc) to see them all."
        self.can_edit: Callable[[Any], bool] = lambda _rec: True
        self.shown = self._attach(model)
        self._build_bar(search_hint, new_tip)
        self._build_table(widths, stretch, sort)
        self._lay_out()
        self._connect()

    def _attach(self, model: QAbstractItemModel) -> QAbstractItemModel:
        """The model the table shows: here the records through a sorting, filtering proxy."""
        assert isinstance(model, RecordTableModel)
        self.model: RecordTableModel[Any] = model
        model.setParent(self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(model)
        return self.proxy

    def _build_bar(self, search_hint: str, new_tip: str) -> None:
        singular, plural = self.nouns
        self.search = QLineEdit(placeholderText=f"{search_hint} (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {plural}")
        self.filters = QHBoxLayout()  # extra filters a tab may add (the candidates' opening)
        self.filters.setContentsMargins(0, 0, 0, 0)
        self.new_action = QAction("&New…", self)
        self.new_action.setShortcut(QKeySequence(key_of("new_record")))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # only while this tab is shown
        shortcut = self.new_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.new_action.setToolTip(f"{new_tip} ({shortcut})")
        self.addAction(self.new_action)
        self.new_button = QPushButton("New…")
        self.new_button.setToolTip(self.new_action.toolTip())
        self.new_button.setAccessibleName(new_tip)
        self.edit_button = QPushButton("Edit…")
        enter = key_entry("edit_record").label
        self.edit_button.setToolTip(f"Edit the selected {singular} ({enter} or double-click)")
        self.edit_button.setEnabled(False)

    def _build_table(self, widths: dict[int, int], stretch: int, sort: tuple[int, Qt.SortOrder]) -> None:
        self.table = QTableView()
        self.table.setObjectName(f"{self.nouns[1]}Table")
        self.table.setAccessibleName(self.nouns[1].capitalize())
        self.table.setModel(self.shown)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(*sort)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(50)
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtle")

    def _lay_out(self) -> None:
        bar = self.bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.search, 1)
        bar.addLayout(self.filters)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search)
        bind_keys(self.search, "to_list", self.focus_table)
        # Enter: the registry's search_to_list, as the line edit's signal: a shortcut would also take Enter from
        # a dialog opened over the tab before the dialog has the focus
        self.search.returnPressed.connect(self.focus_table)
        clear_on_escape(self.search, self)
        bind_keys(self.table, "edit_record", self.request_edit)
        self.table.doubleClicked.connect(lambda _index: self.request_edit())
        self.new_action.triggered.connect(self.sig_new_requested)
        self.new_action.changed.connect(lambda: self.new_button.setEnabled(self.new_action.isEnabled()))
        self.new_button.clicked.connect(self.new_action.trigger)
        self.edit_button.clicked.connect(self.request_edit)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        for sig in (self.shown.modelReset, self.shown.rowsInserted, self.shown.rowsRemoved, self.shown.layoutChanged):
            sig.connect(self.update_state)

    def add_filter(self, widget: QWidget) -> None:
        """A filter next to the search box, in reading order."""
        self.filters.addWidget(widget)
        self.setTabOrder(self.search, widget)
        self.setTabOrder(widget, self.new_button)

    # -- records ----------------------------------------------------------------------------------------

    def set_records(self, rows: Sequence[Any]) -> None:
        """Replace the rows, keeping the selected record."""
        keep = self.current_record()
        self.model.set_rows(rows)
        if keep is None or not self.select_record(keep.id, reveal=False):
            self.select_first()
        self.update_state()

    def count(self) -> int | None:
        """How many records the tab holds (None: not read yet)."""
        return self.model.rowCount()

    def current_record(self) -> Any:
        index = self.table.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def select_first(self) -> None:
        if self.shown.rowCount():
            self._select(self.shown.index(0, 0))

    def select_record(self, record_id: int, *, reveal: bool = True) -> bool:
        """Select the record; with ``reveal``, clear a search that hides it."""
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid() and reveal and self.search.text():
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self._select(index)
        self.table.scrollTo(index)
        return True

    def _select(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    # -- behaviour --------------------------------------------------------------------------------------

    def request_edit(self) -> None:
        record = self.current_record()
        if record is None:
            return
        if self.can_edit(record):
            self.sig_edit_requested.emit(record)
        else:
            self.sig_edit_refused.emit(record)  # never silent: a viewer's Enter says why nothing opens

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_table(self) -> None:
        """Put the focus on the table (on the search box while the empty state is shown)."""
        if self.stack.currentWidget() is not self.table:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid():
            self.select_first()

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        self.refilter_done()

    def refilter_done(self) -> None:
        """After the filter changed: keep a row selected and say what is shown."""
        if not self.table.currentIndex().isValid():
            self.select_first()
        self.update_state()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RecordRole) if current.isValid() else None
        self.edit_button.setEnabled(record is not None and self.can_edit(record))

    def counts(self) -> tuple[int, int, bool]:
        """How many records there are, how many are shown, and whether a search or filter may hide some."""
        return self.model.rowCount(), self.proxy.rowCount(), self.proxy.is_filtering()

    def update_state(self, *_args: Any) -> None:
        total, shown, filtering = self.counts()
        singular, plural = self.nouns
        if total == 0 or shown == 0:
            text = (
                self.empty_text
                if total == 0 and not filtering
                else self.no_match_text.format(noun=singular, nouns=plural, text=self.search.text().strip())
            )
            self.empty.setText(text)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        noun = singular if total == 1 else plural
        if total == 0:
            self.count_label.setText("")  # the empty state says it all
        else:
            self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {plural}")
        self._on_current(self.table.currentIndex(), QModelIndex())
