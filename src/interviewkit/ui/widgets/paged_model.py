"""A lazy table model: rows read a page at a time off the GUI thread, searched and sorted by the database.

How a screen uses it (the People section's candidates do)::

    class CandidatePages(PagedModel[CandidateInfo]):
        COLUMNS = ("Name", "Email", "Added")
        SORT_KEYS = ("name", "email", "added")  # the page source's sort keys; None: the column does not sort

        def text(self, rec: CandidateInfo, col: int) -> str: ...

    model = CandidatePages(fetch=self.fetch, kind="candidates")  # self: the SectionWidget
    view.setModel(model)  # no QSortFilterProxyModel: the database sorts and searches
    view.setSortingEnabled(True)
    model.track_selection(view.selectionModel())
    model.set_source(lambda q: paging.candidate_page(db, by=user, offset=q.offset, limit=q.limit,
                                                     search=q.search, sort=q.sort, descending=q.descending))
    search_box.textChanged.connect(model.set_search)  # debounced, SQL-side
    # on a change event: model.reload()            (keeps the selection by record id where it can)
    # after a write:     model.put(saved_record)   (shows it at once; reload() then puts it in its place)

The page source runs on a worker thread (through ``fetch``, the screen's :meth:`SectionWidget.fetch`: the one
work queue of every read, newest wins per kind, the screen's busy state meanwhile) and returns an object with
``rows`` (the page's frozen records, each with an ``id``), ``more`` (whether rows follow) and ``total`` (how
many match, or None when the source did not count: the model keeps the last total). Only the first page is
read on open, a search or a sort; the view asks for the next one (``canFetchMore``/``fetchMore``) when it is
scrolled to the end. A result of an older query (the search typed on since, another sort, a reload) is
dropped. ``sig_busy`` says when a first page is being read, ``sig_loaded`` when one is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from interviewkit.ui.widgets.tasks import run_in_background

__all__ = ["CountSource", "Fetch", "PageLike", "PageQuery", "PageSource", "PagedModel", "RecordRole"]

RecordRole = Qt.ItemDataRole.UserRole + 30
"""The row's record (the frozen record the page source returned)."""

_Index = QModelIndex | QPersistentModelIndex
_Display = Qt.ItemDataRole.DisplayRole


class _Record(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=_Record)


@dataclass(frozen=True)
class PageQuery:
    """What the model asks its page source for: ``limit`` rows from ``offset``, matching ``search``, in order."""

    offset: int
    limit: int
    search: str
    sort: str
    descending: bool


class PageLike(Protocol):
    """A page source's answer (``services.paging.Page`` is one)."""

    @property
    def rows(self) -> Sequence[Any]: ...

    @property
    def more(self) -> bool: ...

    @property
    def total(self) -> int | None: ...


PageSource = Callable[[PageQuery], PageLike]
CountSource = Callable[[PageQuery], tuple[int, int | None]]
"""How many records match a query, and how many there are without its search and filters (None: the same)."""


class Fetch(Protocol):
    """Runs ``work`` off the GUI thread, then ``done(result)`` on it (the signature of SectionWidget.fetch)."""

    def __call__(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        *,
        kind: str = "",
        failed: Callable[[BaseException], None] | None = None,
        quiet: bool = False,
    ) -> None: ...


def _pool_fetch(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    *,
    kind: str = "",
    failed: Callable[[BaseException], None] | None = None,
    quiet: bool = False,
) -> None:
    """Without a screen's fetch: the thread pool directly (the model drops stale results itself)."""
    run_in_background(work, done, failed or (lambda _exc: None))


class PagedModel(QAbstractTableModel, Generic[T]):
    """Rows of frozen records read page by page; subclasses say what each column shows (as RowTable's do)."""

    COLUMNS: tuple[str, ...] = ()
    TIPS: tuple[str, ...] = ()
    SORT_KEYS: tuple[str | None, ...] = ()
    """Per column, the page source's sort key (None: the column is not sortable)."""
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    PAGE_SIZE = 200
    DEBOUNCE_MS = 200

    sig_busy = Signal(bool)
    """A first page is being read (True), or the newest one is shown (False)."""
    sig_loaded = Signal()
    """A first page was shown (after open, search, sort or reload): the total and the rows are the new ones."""
    sig_failed = Signal(str)
    """A page could not be read (the message)."""
    sig_counted = Signal()
    """The count of the rows shown came in after their first page (a source with a separate count)."""

    def __init__(self, *, fetch: Fetch | None = None, kind: str = "page", parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch: Fetch = fetch or _pool_fetch
        self._kind = kind
        self._source: PageSource | None = None
        self._counter: CountSource | None = None
        self._unfiltered: int | None = None  # the counter's count without search and filters
        self._counting = False  # the counter runs for the rows shown
        self._rows: list[T] = []
        self._more = False
        self._total: int | None = None
        self._page: PageLike | None = None  # the last first page shown
        self._search = ""
        self._sort = next((k for k in self.SORT_KEYS if k is not None), "")
        self._descending = False
        self._asked = PageQuery(0, 0, "", self._sort, False)  # the query of the rows shown or asked for
        self._generation = 0  # of the query shown or asked for: an older page is dropped
        self._first_pending = False
        self._more_pending = False
        self._selection: QItemSelectionModel | None = None
        self._keep_id: int | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)

    # -- what the screen calls -------------------------------------------------------------------------

    def set_source(self, source: PageSource | None, count: CountSource | None = None) -> None:
        """Read from ``source`` from now on (None: show nothing); reads its first page. With ``count``, the
        source does not count: the first page is shown as soon as it is read, and ``count`` runs after it as
        a quiet read (``sig_counted``), so that counting a long list never delays its first rows."""
        self._source, self._counter, self._unfiltered = source, count, None
        if source is None:
            self._generation += 1
            self._set_busy(False)
            self._more_pending = self._counting = False
            self._page = None
            self._replace([], more=False, total=0)
            return
        self.reload()

    def track_selection(self, selection: QItemSelectionModel) -> None:
        """Keep the current row of ``selection`` (a view of this model) by record id across reloads."""
        self._selection = selection

    def set_search(self, text: str) -> None:
        """Search for ``text`` (the source matches it, SQL-side) once typing pauses; the newest search wins."""
        text = text.strip()
        if text == self._search:
            self._debounce.stop()
            return
        self._search = text
        self._debounce.start()

    def reload(self, *, keep_id: int | None = None) -> None:
        """Read the first page again (a change event, a new search or sort), keeping the selected record (or
        ``keep_id``) selected when it is among the rows read."""
        self._debounce.stop()
        if self._source is None:
            return
        current = keep_id if keep_id is not None else self._current_id()
        if current is not None:  # else the record a reload under way keeps, if any
            self._keep_id = current
        self._generation += 1
        # as many rows as are read now (up to five pages), so that a refresh keeps the view where it is
        limit = max(self.PAGE_SIZE, min(len(self._rows), 5 * self.PAGE_SIZE))
        self._asked = PageQuery(0, limit, self._search, self._sort, self._descending)
        generation, query = self._generation, self._asked
        self._more_pending = False
        self._set_busy(True)
        source = self._source
        self._fetch(
            lambda: source(query),
            lambda page: self._first_page(generation, page),
            kind=self._kind,
            failed=lambda exc: self._failed(generation, exc),
        )

    def put(self, record: T) -> None:
        """Show a record a write returned at once: in its row when it is loaded, else first."""
        row = self.row_of(record.id)
        if row >= 0:
            self._rows[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, record)
        self.endInsertRows()
        if self._total is not None:
            self._total += 1

    # -- what it tells ----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._first_pending

    @property
    def total(self) -> int | None:
        """How many records match the search (None: not known yet)."""
        return self._total

    @property
    def unfiltered(self) -> int | None:
        """The separate count of every record without search and filters (None: not counted, or no counter)."""
        return self._unfiltered

    @property
    def counting(self) -> bool:
        """Whether the rows shown are still being counted (a source with a separate count)."""
        return self._counting

    @property
    def more(self) -> bool:
        """Whether rows follow the ones read."""
        return self._more

    @property
    def last_page(self) -> PageLike | None:
        """The first page shown last (None: none yet), with whatever else its source tells (an unfiltered count)."""
        return self._page

    @property
    def search(self) -> str:
        return self._search

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def record(self, row: int) -> T:
        return self._rows[row]

    def rows(self) -> list[T]:
        """The rows read so far."""
        return list(self._rows)

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    # -- what subclasses fill in ------------------------------------------------------------------------

    def text(self, rec: T, col: int) -> str:
        raise NotImplementedError

    def tooltip(self, rec: T, col: int) -> str | None:
        return None

    def is_dimmed(self, rec: T) -> bool:
        return False

    # -- Qt -----------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Display) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _Display:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.TIPS):
            return self.TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if section in self.RIGHT_ALIGNED else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        rec, col = self._rows[index.row()], index.column()
        if role == _Display:
            return self.text(rec, col)
        if role == RecordRole:
            return rec
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(rec, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_dimmed(rec):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` in the database (a column without a sort key keeps the order)."""
        key = self.SORT_KEYS[column] if 0 <= column < len(self.SORT_KEYS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.reload()

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._more and not self._first_pending and not self._more_pending

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802 - Qt override
        if not self.canFetchMore(parent) or self._source is None:
            return
        self._more_pending = True
        generation, query, source = self._generation, self._query(len(self._rows), self.PAGE_SIZE), self._source
        self._fetch(
            lambda: source(query),
            lambda page: self._next_page(generation, page),
            kind=f"{self._kind}:more",
            failed=lambda exc: self._failed(generation, exc),
            quiet=True,
        )

    # -- pages coming back --------------------------------------------------------------------------------

    def _query(self, offset: int, limit: int) -> PageQuery:
        """The next rows of the query shown (a search still being typed is not asked for yet)."""
        return PageQuery(offset, limit, self._asked.search, self._asked.sort, self._asked.descending)

    def _first_page(self, generation: int, page: PageLike) -> None:
        if generation != self._generation:
            return  # an older query's page: a newer one is on its way
        keep, self._keep_id = self._keep_id, None
        self._page = page
        counting = page.total is None and self._counter is not None
        self._counting = counting
        if counting:  # the whole count when the page is the whole list, else unknown until counted
            self._total = None if page.more else len(page.rows)
        self._replace(list(page.rows), more=page.more, total=page.total)
        self._reselect(keep)
        self._set_busy(False)
        self.sig_loaded.emit()
        if counting:
            self._count(generation)

    def _count(self, generation: int) -> None:
        counter, query = self._counter, self._asked
        assert counter is not None

        def counted(found: tuple[int, int | None]) -> None:
            if generation == self._generation:
                self._total, self._unfiltered = found
                self._counting = False
                self.sig_counted.emit()

        self._fetch(
            lambda: counter(query),
            counted,
            kind=f"{self._kind}:count",
            failed=lambda exc: self._failed(generation, exc),
            quiet=True,
        )

    def _next_page(self, generation: int, page: PageLike) -> None:
        self._more_pending = False
        if generation != self._generation:
            return
        known = {r.id for r in self._rows}
        rows = [r for r in page.rows if r.id not in known]  # a row added since moves the rest by one
        if page.total is not None:
            self._total = page.total
        self._more = page.more
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._more_pending = self._counting = False
        self._set_busy(False)
        self.sig_failed.emit(str(exc))

    def _replace(self, rows: list[T], *, more: bool, total: int | None) -> None:
        self.beginResetModel()
        self._rows = rows
        self._more = more
        if total is not None:
            self._total = total
        self.endResetModel()

    def _current_id(self) -> int | None:
        if self._selection is None:
            return None
        index = self._selection.currentIndex()
        if not index.isValid() or index.model() is not self or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()].id

    def _reselect(self, record_id: int | None) -> None:
        if self._selection is None or record_id is None:
            return
        row = self.row_of(record_id)
        if row >= 0:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self._selection.setCurrentIndex(self.index(row, 0), flags)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._first_pending:
            self._first_pending = busy
            self.sig_busy.emit(busy)
