"""The question bank browser: search as you type, filters, a table and the selected question in full."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services import bank_queries as bq
from interviewkit.services.bank_views import KIND_LABELS
from interviewkit.services.context import AppContext
from interviewkit.ui.bank.detail import QuestionDetailView
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.highlight import MatchesDelegate
from interviewkit.ui.widgets.layout import list_and_detail
from interviewkit.ui.widgets.question_model import (
    QuestionFilterProxy,
    QuestionTableModel,
    SummaryRole,
    show_in_search_order,
)
from interviewkit.ui.widgets.shortcuts import bind_keys, clear_on_escape

__all__ = ["BankBrowser"]

#: Column widths of the table (the title stretches; the id is hidden until asked for in the header's menu).
WIDTHS = {1: 180, 2: 100, 3: 44, 4: 44, 5: 170}
ID_COLUMN = 5


def _combo(name: str) -> QComboBox:
    """A filter 12 characters wide whatever its items (long titles pushed the list's right edge out of
    sight at 1280x800); the list shows them whole, the tooltip the one chosen."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.currentTextChanged.connect(combo.setToolTip)
    return combo


class BankBrowser(SectionWidget):
    """Browse and search the question bank."""

    title = "Question bank"
    watches = frozenset({"bank"})

    sig_question_selected = Signal(str)
    """The question id now shown in the detail pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self._questions: list[bq.QuestionSummary] = []  # by id, as the service lists them
        self._names: dict[str, str] = {}  # competency id -> name
        self._ranked = False  # the model's rows are in a search's order
        self._target: str | None = None  # a question asked for while the bank was being read: shown once read
        self.setObjectName("bankBrowser")
        self.search = QLineEdit(placeholderText="Search questions: title, prompt, rubric, competency (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search questions")
        self.competency = _combo("Filter by competency")
        self.kind = _combo("Filter by kind")
        self.document = _combo("Filter by job description")
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtle")
        self.model = QuestionTableModel(self)
        self.proxy = QuestionFilterProxy(self)
        self.matches = MatchesDelegate(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        self.detail = QuestionDetailView()
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.splitter = list_and_detail(
            self, self.title, self._build_list(), self.detail, name="bankSplitter", stretch=(3, 2), sizes=(760, 480)
        )
        for first, second in (
            (self.search, self.competency),
            (self.competency, self.kind),
            (self.kind, self.document),
            (self.document, self.table),
            (self.table, self.detail),
        ):
            self.setTabOrder(first, second)
        self._connect()
        self._show_empty("Loading the question bank…")

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("questionTable")
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.setShowGrid(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for column, width in WIDTHS.items():
            table.setColumnWidth(column, width)
        table.setColumnHidden(ID_COLUMN, True)  # shown on demand from the header's menu
        table.setItemDelegateForColumn(0, self.matches)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        return table

    def _build_list(self) -> QWidget:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.competency, 1)
        filters.addWidget(self.kind)
        filters.addWidget(self.document, 1)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.list_stack, 1)
        layout.addWidget(self.count_label)
        return left

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search)
        bind_keys(self.search, "to_list", self._focus_table)
        self.search.returnPressed.connect(self._focus_table)  # the registry's search_to_list
        clear_on_escape(self.search, self)
        for combo in (self.competency, self.kind, self.document):
            combo.currentIndexChanged.connect(self._on_filters)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in range(1, self.model.columnCount()):
            name = self.model.headerData(col, Qt.Orientation.Horizontal)
            act = menu.addAction(str(name))
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        """Reload everything from the database (off the GUI thread), keeping the selection and filters."""
        if self._ctx is None:
            return
        db = self._ctx.db
        self.fetch(lambda: (bq.competencies(db), bq.question_summaries(db), bq.job_descriptions(db)), self._show)

    def _show(
        self, read: tuple[list[bq.CompetencyInfo], list[bq.QuestionSummary], list[bq.JobDescriptionInfo]]
    ) -> None:
        if self._ctx is None:
            return
        comps, questions, documents = read
        current = self.current_question_id()
        self._questions, self._names = questions, {c.id: c.name for c in comps}
        self._ranked = False
        self.model.set_questions(self._questions, self._names)
        self.detail.set_scale_labels(dict(self._ctx.scale_labels))
        self._fill_combo(self.competency, "All competencies", [(c.id, c.name) for c in comps])
        self._fill_combo(self.kind, "All kinds", list(KIND_LABELS.items()))
        self._fill_combo(self.document, "All job descriptions", [(d.id, d.title) for d in documents])
        self._on_search(self.search.text())
        if current:
            self.select_question(current)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_count()
        target, self._target = self._target, None
        if target is not None:
            self.show_target(target)

    def _fill_combo(self, combo: QComboBox, all_label: str, items: list[tuple[str, str]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, "")
        for key, label in items:
            combo.addItem(label, key)
        idx = combo.findData(keep) if keep else 0
        combo.setCurrentIndex(max(idx, 0))
        combo.blockSignals(False)

    # -- behaviour --------------------------------------------------------------------------------------

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the search box with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def show_target(self, target: object) -> None:
        """A link to a question (from Coverage): show it, and put the cursor on it (once read, the first time)."""
        if not isinstance(target, str):
            return
        if self.select_question(target):
            self.table.setFocus()
        elif self.loading:
            self._target = target

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _on_search(self, text: str) -> None:
        """Only the questions matching ``text``, best match first and shown, with the matched words in
        bold in the list and the detail.

        The model's rows take the search's order and the table is left unsorted meanwhile (the proxy then
        keeps that order; sorting 10,000 rows through a Python comparison took a second a keystroke);
        a click on a column's header still sorts by it. Without a search the rows sort by title again.
        """
        if self._ctx is None:
            return
        current = self.current_question_id()
        searched = bool(text.strip())
        pattern = bq.search_highlight(text) if searched else ""
        ranked = bq.search_question_ids(self._ctx.db, text, ranked=True) if searched else None
        self._ranked = show_in_search_order(
            self.table, self.proxy, self.model, self._questions, self._names, ranked, was_ranked=self._ranked
        )
        self.matches.set_pattern(pattern)
        self.detail.set_highlight(pattern)
        if pattern and self.proxy.rowCount():
            self.table.selectRow(0)  # the best match, in the detail pane
        elif not pattern and current:
            self.select_question(current)  # the one looked at last stays current once the search is cleared
        self._after_filter()

    def _on_filters(self) -> None:
        self.proxy.set_filters(
            competency=self.competency.currentData() or "",
            kind=self.kind.currentData() or "",
            document=self.document.currentData() or "",
        )
        self._after_filter()

    def _after_filter(self) -> None:
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_count()

    def _update_count(self, *args: Any) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            if self._ctx is not None:
                self._show_empty("The question bank is empty.\nLoad the bank's files with File → Sync bank (F5).")
            self.count_label.setText("")
            return
        if shown == 0:
            self._show_empty("No question matches.\nClear the search (Esc) or the filters to see the whole bank.")
            self.detail.show_message("No question selected.")
        else:
            self.list_stack.setCurrentWidget(self.table)
        self.count_label.setText(f"{shown} of {total} questions")

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.list_stack.setCurrentWidget(self.empty)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._ctx is None or not current.isValid():
            return
        summary = current.data(SummaryRole)
        self.detail.show_question(bq.question_detail(self._ctx.db, summary.id))
        self.sig_question_selected.emit(summary.id)

    def current_question_id(self) -> str | None:
        idx = self.table.currentIndex()
        return idx.data(SummaryRole).id if idx.isValid() else None

    def select_question(self, question_id: str) -> bool:
        """Show ``question_id``, clearing filters that would hide it."""
        row = self.model.row_of(question_id)
        if row < 0:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():
            self.search.clear()
            for combo in (self.competency, self.kind, self.document):
                combo.setCurrentIndex(0)
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            proxy_index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(proxy_index)
        return True
