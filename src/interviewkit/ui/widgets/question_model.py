"""Item models for the bank browser: a table of question summaries and a filter over it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

if TYPE_CHECKING:
    from interviewkit.services.bank_queries import QuestionSummary

__all__ = ["COLUMNS", "QuestionFilterProxy", "QuestionTableModel", "SummaryRole", "show_in_search_order"]

SummaryRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Title", "Competencies", "Kind", "Min", "Reqs", "ID")
KIND_LABELS = {
    "behavioural": "Behavioural",
    "technical": "Technical",
    "system-design": "System design",
    "situational": "Situational",
    "work-sample": "Work sample",
}


class QuestionTableModel(QAbstractTableModel):
    """Question summaries as rows; competency ids are shown by name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[QuestionSummary] = []
        self._competency_names: dict[str, str] = {}

    def set_questions(self, rows: Sequence[QuestionSummary], competency_names: dict[str, str]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._competency_names = dict(competency_names)
        self.endResetModel()

    def summary(self, row: int) -> QuestionSummary:
        return self._rows[row]

    def row_of(self, question_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == question_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return {3: "Minutes the question takes", 4: "Requirements it gives evidence for"}.get(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        q = self._rows[index.row()]
        col = index.column()
        if role == SummaryRole:
            return q
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return q.title
            if col == 1:
                return ", ".join(self._competency_names.get(c, c) for c in q.competencies)
            if col == 2:
                return KIND_LABELS.get(q.kind, q.kind)
            if col == 3:
                return q.minutes if role == Qt.ItemDataRole.EditRole else str(q.minutes)
            if col == 4:
                return len(q.requirements) if role == Qt.ItemDataRole.EditRole else str(len(q.requirements))
            if col == 5:
                return q.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 4:
                return "\n".join(q.requirements) or "No requirement"
            if col in (0, 1, 5):
                return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class QuestionFilterProxy(QSortFilterProxyModel):
    """Filters questions by full-text hits, competency, kind and job description."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: set[str] | None = None
        self._version_ids: set[int] | None = None
        self._rank: dict[str, int] = {}
        self._competency = ""
        self._kind = ""
        self._document = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search_hits(self, ranked_ids: Sequence[str] | None) -> None:
        """Only these questions (None: no text search); their order is the search ranking."""
        self.beginFilterChange()
        self._version_ids = None
        self._ids = None if ranked_ids is None else set(ranked_ids)
        self._rank = {} if ranked_ids is None else {q: i for i, q in enumerate(ranked_ids)}
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search_versions(self, version_ids: set[int] | None) -> None:
        """Only the questions whose current version is in ``version_ids`` (None: no text search)."""
        self.beginFilterChange()
        self._ids = None
        self._rank = {}
        self._version_ids = version_ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filters(self, *, competency: str = "", kind: str = "", document: str = "") -> None:
        self.beginFilterChange()
        self._competency, self._kind, self._document = competency, kind, document
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def search_rank(self, question_id: str) -> int | None:
        return self._rank.get(question_id)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        q = model.data(model.index(source_row, 0, source_parent), SummaryRole)
        if q is None:
            return False
        if self._ids is not None and q.id not in self._ids:
            return False
        if self._version_ids is not None and q.version_id not in self._version_ids:
            return False
        if self._competency and self._competency not in q.competencies:
            return False
        if self._kind and q.kind != self._kind:
            return False
        return not (self._document and self._document not in q.documents)


def show_in_search_order(
    table: QTableView,
    proxy: QuestionFilterProxy,
    model: QuestionTableModel,
    questions: Sequence[QuestionSummary],
    names: dict[str, str],
    ranked: Sequence[str] | None,
    *,
    was_ranked: bool,
) -> bool:
    """The rows best match first for a search's ``ranked`` ids (the model takes their order and the table is
    left unsorted; a click on a header still sorts), or back by title once the search is cleared (``None``).
    Returns whether the model's rows are now in a search's order (the bank browser and the Loops picker)."""
    if ranked is None:
        proxy.set_search_hits(None)
        if was_ranked:
            model.set_questions(questions, names)
            table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        return False
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    proxy.sort(-1)  # first: a sorted proxy would sort the new rows again
    proxy.set_search_hits(ranked)
    rank = {qid: i for i, qid in enumerate(ranked)}
    model.set_questions(sorted(questions, key=lambda q: rank.get(q.id, len(rank))), names)
    return True
