"""Item models for the People section: people, openings and candidates as table rows, and a text filter.

Each model is a thin adapter (on :class:`~interviewkit.ui.widgets.table.RowTable`, the one table model) over a
list of the frozen records the services return; the view never fills a table by hand. Labels that belong to
the services (role names, job-description titles) are handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from PySide6.QtCore import (
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from interviewkit.ui.widgets.paged_model import PagedModel
from interviewkit.ui.widgets.paged_model import RecordRole as PagedRecordRole
from interviewkit.ui.widgets.table import RowTable

if TYPE_CHECKING:
    from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo

__all__ = [
    "CandidateColumns",
    "CandidatePages",
    "CandidateTableModel",
    "OpeningTableModel",
    "PersonTableModel",
    "RecordFilterProxy",
    "RecordRole",
    "RecordTableModel",
    "SearchTextRole",
    "format_date",
]

RecordRole = PagedRecordRole
"""The row's record (PersonInfo, OpeningInfo or CandidateInfo), as the paged models give theirs."""
SearchTextRole = Qt.ItemDataRole.UserRole + 11
"""Every visible text of the row, lower-cased, for the search box."""

_Index = QModelIndex | QPersistentModelIndex
_Display = Qt.ItemDataRole.DisplayRole
_Edit = Qt.ItemDataRole.EditRole


class _Record(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=_Record)


def _local(value: datetime) -> datetime:
    """A stored time (UTC; SQLite may hand it back without its zone) in the user's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone()


def format_date(value: datetime) -> str:
    """A stored UTC time as the user's local date, in their locale ("14 Mar 2026")."""
    local = _local(value)
    return QLocale().toString(QDate(local.year, local.month, local.day), "d MMM yyyy")


class RecordTableModel(RowTable, Generic[T]):
    """Rows of frozen records with an ``id`` (the one table model's rows); subclasses say what each column shows
    and sorts by."""

    RIGHT_ALIGNED: frozenset[int] = frozenset()
    _order: tuple[int, Qt.SortOrder] | None = None  # the column and order the rows are kept in

    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace the rows, in the order asked for (:meth:`sort`); the same rows again (a refresh that found
        nothing new) leave the model and its views as they are (400 people re-sorted and re-laid out took ~90
        ms of the GUI thread at load 13)."""
        ordered = self._in_order(rows)
        if ordered == self._rows:
            return
        super().set_rows(ordered)

    def _in_order(self, rows: Sequence[T]) -> list[T]:
        if self._order is None:
            return list(rows)
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=lambda r: self.sort_key(r, column), reverse=descending)  # stable, as Qt's sort

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows sorted by ``column``'s sort key: computed once a row in Python, where a sorting proxy
        asks for two keys a comparison through data() (400 people: ~150 ms of the GUI thread at load 12)."""
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        records = [self._rows[i.row()] for i in before]
        self._rows = self._in_order(self._rows)
        where = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(before, [self.index(where[id(r)], i.column()) for r, i in zip(records, before)])
        self.layoutChanged.emit()

    def record(self, row: int) -> T:
        return cast("T", self.row_at(row))

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Display) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            # headings sit over their values: numbers on the right, text on the left
            side = Qt.AlignmentFlag.AlignRight if section in self.RIGHT_ALIGNED else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    # what subclasses fill in
    def text(self, rec: T, col: int) -> str:
        raise NotImplementedError

    def sort_key(self, rec: T, col: int) -> Any:
        return self.text(rec, col).casefold()

    def tooltip(self, rec: T, col: int) -> str | None:
        return None

    def is_dimmed(self, rec: T) -> bool:
        """Rows for things no longer in use (an inactive person, a closed opening) are drawn subdued."""
        return False

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid():
            return None
        rec = self._rows[index.row()]
        col = index.column()
        if role == _Display:
            return self.text(rec, col)
        if role == _Edit:
            return self.sort_key(rec, col)
        if role == RecordRole:
            return rec
        if role == SearchTextRole:
            return " ".join(self.text(rec, c) for c in range(len(self.COLUMNS))).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(rec, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_dimmed(rec):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None


class PersonTableModel(RecordTableModel["PersonInfo"]):
    """The directory: name, email, title, role and whether the person is still active."""

    COLUMNS = ("Name", "Email", "Title", "Role", "Active")
    NAME, EMAIL, TITLE, ROLE, ACTIVE = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._role_labels: dict[str, str] = {}

    def set_role_labels(self, role_labels: Mapping[str, str]) -> None:
        """How access roles read ("hiring_manager" -> "Hiring manager"); set before the rows."""
        self._role_labels = dict(role_labels)

    def text(self, rec: PersonInfo, col: int) -> str:
        if col == self.NAME:
            return rec.name
        if col == self.EMAIL:
            return rec.email
        if col == self.TITLE:
            return rec.title
        if col == self.ROLE:
            return self._role_labels.get(rec.access_role, rec.access_role)
        return "Yes" if rec.active else "No (inactive)"

    def sort_key(self, rec: PersonInfo, col: int) -> Any:
        if col == self.ACTIVE:
            return int(rec.active)
        return super().sort_key(rec, col)

    def tooltip(self, rec: PersonInfo, col: int) -> str | None:
        if col == self.ACTIVE and not rec.active:
            return "Inactive: kept for past interviews, not offered for new ones"
        return self.text(rec, col) or None

    def is_dimmed(self, rec: PersonInfo) -> bool:
        return not rec.active


class OpeningTableModel(RecordTableModel["OpeningInfo"]):
    """Openings: title, hiring manager, job descriptions (by title), status and number of candidates."""

    COLUMNS = ("Title", "Hiring manager", "Job descriptions", "Status", "Candidates")
    RIGHT_ALIGNED = frozenset({4})
    TITLE, MANAGER, JDS, STATUS, CANDIDATES = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._jd_titles: dict[str, str] = {}

    def set_jd_titles(self, jd_titles: Mapping[str, str]) -> None:
        """Job-description titles by id, shown instead of the ids; set before the rows."""
        self._jd_titles = dict(jd_titles)

    def text(self, rec: OpeningInfo, col: int) -> str:
        if col == self.TITLE:
            return rec.title
        if col == self.MANAGER:
            return rec.hiring_manager or "—"
        if col == self.JDS:
            titles = "; ".join(self._jd_titles.get(j, j) for j in rec.jd_ids)
            # titles are long: lead with how many, so the number survives when the column elides them
            return f"{len(rec.jd_ids)} · {titles}" if len(rec.jd_ids) > 1 else titles
        if col == self.STATUS:
            return rec.status.capitalize()
        return str(rec.candidate_count)

    def sort_key(self, rec: OpeningInfo, col: int) -> Any:
        if col == self.CANDIDATES:
            return rec.candidate_count
        if col == self.MANAGER:
            return rec.hiring_manager.casefold()
        return super().sort_key(rec, col)

    def tooltip(self, rec: OpeningInfo, col: int) -> str | None:
        if col == self.JDS:
            return "\n".join(f"{self._jd_titles.get(j, j)} ({j})" for j in rec.jd_ids) or None
        if col == self.MANAGER and not rec.hiring_manager:
            return "No hiring manager chosen yet"
        return self.text(rec, col) or None

    def is_dimmed(self, rec: OpeningInfo) -> bool:
        return rec.status != "open"


class CandidateColumns:
    """What the candidates' columns show, in the full list's model and in the paged one alike."""

    COLUMNS: tuple[str, ...] = ("Name", "Email", "Phone", "Opening", "Added", "Loops")
    RIGHT_ALIGNED: frozenset[int] = frozenset({5})
    NAME, EMAIL, PHONE, OPENING, ADDED, LOOPS = range(6)

    def text(self, rec: CandidateInfo, col: int) -> str:
        if col == self.NAME:
            return "Erased candidate" if rec.erased else rec.name
        if col == self.EMAIL:
            return rec.email
        if col == self.PHONE:
            return rec.phone
        if col == self.OPENING:
            return rec.opening_title
        if col == self.ADDED:
            return format_date(rec.created_at)
        return str(rec.loop_count)

    def tooltip(self, rec: CandidateInfo, col: int) -> str | None:
        if rec.erased and col == self.NAME:
            return "Personal details erased; the ratings stay for calibration"
        if col == self.ADDED:
            return _local(rec.created_at).strftime("%Y-%m-%d %H:%M")
        return self.text(rec, col) or None

    def is_dimmed(self, rec: CandidateInfo) -> bool:
        return rec.erased


class CandidateTableModel(CandidateColumns, RecordTableModel["CandidateInfo"]):
    """Candidates: name, contact, opening, when they were added and how many interview loops they have."""

    def sort_key(self, rec: CandidateInfo, col: int) -> Any:
        if col == self.ADDED:
            return _local(rec.created_at).timestamp()
        if col == self.LOOPS:
            return rec.loop_count
        return super().sort_key(rec, col)


class CandidatePages(CandidateColumns, PagedModel["CandidateInfo"]):
    """The candidates a page at a time (60,000 on a large database), searched and sorted by the database
    (:func:`~interviewkit.services.paging.candidate_page`'s sort keys)."""

    SORT_KEYS: tuple[str | None, ...] = ("name", "email", "phone", "opening", "added", "loops")


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's sort key and keeps rows whose text holds every word typed.

    An optional predicate on the record narrows further (the candidates' opening filter).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._accept: Callable[[Any], bool] | None = None
        self.setSortRole(_Edit)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A record model sorts itself (once a row, in Python); the proxy then keeps its order."""
        source = self.sourceModel()
        if isinstance(source, RecordTableModel):
            source.sort(column, order)
            return
        super().sort(column, order)

    @property
    def text(self) -> str:
        return " ".join(self._words)

    def is_filtering(self) -> bool:
        """Whether the search or the record filter may be hiding rows."""
        return bool(self._words) or self._accept is not None

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_record_filter(self, accept: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._accept is not None and not self._accept(index.data(RecordRole)):
            return False
        if not self._words:
            return True
        haystack = str(index.data(SearchTextRole) or "")
        return all(w in haystack for w in self._words)
