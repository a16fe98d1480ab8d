"""The question picker of a stage's plan: search the bank as you type, filter by competency and kind, see
the time left in the stage, and choose questions to add at the end of its plan.

A search lists its hits as the bank browser does: best match first (the order of the ``search`` given, the
bank's ranked search), with the matched words in bold; without a search, by title."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.bank_queries import search_highlight
from interviewkit.ui.widgets.highlight import MatchesDelegate
from interviewkit.ui.widgets.question_model import (
    KIND_LABELS,
    QuestionFilterProxy,
    QuestionTableModel,
    SummaryRole,
    show_in_search_order,
)
from interviewkit.ui.widgets.roles import state_icon
from interviewkit.ui.widgets.shortcuts import bind_keys, clear_on_escape

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import QuestionSummary

__all__ = ["QuestionPickerDialog"]

_Index = QModelIndex | QPersistentModelIndex


class _PickerProxy(QuestionFilterProxy):
    """The bank browser's filter, without the stage's own questions; questions planned elsewhere are marked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.exclude: set[str] = set()
        self.elsewhere: dict[str, list[str]] = {}

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        q = self.sourceModel().data(self.sourceModel().index(source_row, 0, source_parent), SummaryRole)
        return q is not None and q.id not in self.exclude and super().filterAcceptsRow(source_row, source_parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        marked = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole)
        if index.isValid() and index.column() == 0 and role in marked:
            q = super().data(index, SummaryRole)
            stages = self.elsewhere.get(q.id) if q is not None else None
            if stages:
                if role == Qt.ItemDataRole.DecorationRole:
                    return state_icon("warning")
                if role == Qt.ItemDataRole.DisplayRole:
                    return f"{q.title} (already in {', '.join(stages)})"
                return f"{q.title}\nAlready planned in: {', '.join(stages)}"
        return super().data(index, role)


class QuestionPickerDialog(QDialog):
    """Search the bank as you type, filter by competency and kind, and add questions to a stage's plan."""

    def __init__(
        self,
        questions: Sequence[QuestionSummary],
        competency_names: Mapping[str, str],
        search: Callable[[str], list[str]],
        *,
        stage_name: str,
        free_minutes: int,
        planned_here: Sequence[str] = (),
        planned_elsewhere: Mapping[str, list[str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search  # ids of the hits, best match first
        self._questions, self._names = list(questions), dict(competency_names)
        self._ranked = False  # the model's rows are in a search's order
        self._free = free_minutes
        self.setWindowTitle(f"Add questions to {stage_name}")
        self.setObjectName("questionPicker")
        self.resize(860, 560)
        self._build_filters(competency_names)
        self._build_table(questions, competency_names, planned_here, planned_elsewhere or {})
        self._build_footer()
        self._lay_out()
        self._connect()
        self._after_filter()
        self.search.setFocus()

    def _build_filters(self, competency_names: Mapping[str, str]) -> None:
        self.search = QLineEdit(placeholderText="Search questions: title, prompt, rubric, competency")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search questions")
        self.competency = QComboBox()
        self.competency.setAccessibleName("Filter by competency")
        self.competency.addItem("All competencies", "")
        for cid, name in competency_names.items():
            self.competency.addItem(name, cid)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Filter by kind")
        self.kind.addItem("All kinds", "")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)

    def _build_table(
        self,
        questions: Sequence[QuestionSummary],
        competency_names: Mapping[str, str],
        planned_here: Sequence[str],
        planned_elsewhere: Mapping[str, list[str]],
    ) -> None:
        self.model = QuestionTableModel(self)
        self.model.set_questions(questions, dict(competency_names))
        self.proxy = _PickerProxy(self)
        self.proxy.exclude = set(planned_here)
        self.proxy.elsewhere = dict(planned_elsewhere)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("pickerTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 200), (2, 100), (3, 44), (4, 44)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnHidden(5, True)
        self.matches = MatchesDelegate(self)
        self.table.setItemDelegateForColumn(0, self.matches)

    def _build_footer(self) -> None:
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtle")
        self.budget = QLabel()
        self.budget.setAccessibleName("Time left in this stage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.add_button = self.buttons.addButton("Add to plan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)  # Enter adds
        self.add_button.setDefault(True)
        self.add_button.setToolTip("Add the selected questions at the end of the plan (Enter)")

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.competency, 1)
        filters.addWidget(self.kind)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.budget)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.search.textChanged.connect(self._on_search)
        self.competency.currentIndexChanged.connect(self._on_filters)
        self.kind.currentIndexChanged.connect(self._on_filters)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.table.selectionModel().selectionChanged.connect(self._update_labels)
        bind_keys(self.search, "to_list", self._focus_table)
        clear_on_escape(self.search, self)
        bind_keys(self.search, "add_hit", self._enter_in_search)

    def selected_ids(self) -> list[str]:
        """The chosen questions, in the order they are listed."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(SummaryRole).id for r in rows]

    def select_question(self, question_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(SummaryRole).id == question_id:
                self.table.selectRow(r)
                return True
        return False

    def _on_search(self, text: str) -> None:
        """The hits best match first (the model takes their order and the table is left unsorted, as in the
        bank browser; a click on a header still sorts), the best one selected; by title once cleared."""
        searched = bool(text.strip())
        self.matches.set_pattern(search_highlight(text) if searched else "")
        self._ranked = show_in_search_order(
            self.table, self.proxy, self.model, self._questions, self._names,
            self._search(text) if searched else None, was_ranked=self._ranked,
        )  # fmt: skip
        if searched:
            self.table.clearSelection()  # the best match is the one Enter adds
        self._after_filter()

    def _on_filters(self) -> None:
        self.proxy.set_filters(competency=self.competency.currentData() or "", kind=self.kind.currentData() or "")
        self._after_filter()

    def _after_filter(self) -> None:
        if not self.table.selectionModel().selectedRows() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_labels()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_labels(self, *args: Any) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount() - len(self.proxy.exclude)
        self.count_label.setText(
            f"{shown} of {total} questions" if shown else "No question matches: clear the search or the filters"
        )
        chosen = sum(
            self.proxy.index(i.row(), 0).data(SummaryRole).minutes for i in self.table.selectionModel().selectedRows()
        )
        left = self._free - chosen
        if left < 0:
            self.budget.setText(f"⚠ The selection takes {chosen} min: {-left} min more than this stage has left")
            self.budget.setProperty("state", "warning")
        else:
            self.budget.setText(f"{self._free} min left in this stage" + (f", {left} after these" if chosen else ""))
            self.budget.setProperty("state", "")
        self.budget.style().unpolish(self.budget)
        self.budget.style().polish(self.budget)
        self.add_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _enter_in_search(self) -> None:
        """Enter in the search box (the registry's add_hit) adds the current hit; with no hit, to the results."""
        if self.table.selectionModel().selectedRows():
            self.accept()
        else:
            self._focus_table()
