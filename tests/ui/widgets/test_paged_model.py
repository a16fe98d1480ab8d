"""The lazy table model: only the pages a view asks for are read, off the GUI thread; search and sort re-query
the source; an older query's page is dropped; the selection survives a reload."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from interviewkit.ui.shell.section import SectionWidget, StandaloneHost
from interviewkit.ui.widgets.paged_model import PagedModel, PageQuery, RecordRole


@dataclass(frozen=True)
class Rec:
    id: int
    name: str


@dataclass(frozen=True)
class Page:
    rows: tuple[Rec, ...]
    more: bool
    total: int | None


class Source:
    """A fake page source over ``n`` records: counts its calls and the rows it hands out, records the thread."""

    def __init__(self, n: int) -> None:
        self.records = [Rec(i, f"name {i:05d}") for i in range(1, n + 1)]
        self.queries: list[PageQuery] = []
        self.rows_read = 0
        self.threads: set[int] = set()
        self.gate: threading.Event | None = None  # set: the source waits for it (a slow query)

    def __call__(self, q: PageQuery) -> Page:
        self.threads.add(threading.get_ident())
        if self.gate is not None:
            self.gate.wait(5)
        self.queries.append(q)
        found = [r for r in self.records if q.search.casefold() in r.name.casefold()]
        found.sort(key=lambda r: r.name if q.sort == "name" else r.id, reverse=q.descending)
        rows = tuple(found[q.offset : q.offset + q.limit])
        self.rows_read += len(rows)
        return Page(rows, q.offset + len(rows) < len(found), len(found) if q.offset == 0 else None)


class Model(PagedModel[Rec]):
    COLUMNS = ("Id", "Name")
    SORT_KEYS = ("id", "name")
    PAGE_SIZE = 50
    DEBOUNCE_MS = 30

    def text(self, rec: Rec, col: int) -> str:
        return str(rec.id) if col == 0 else rec.name


class Screen(SectionWidget):
    """A screen whose reads run on the thread pool, as in the window."""


@pytest.fixture
def screen(qtbot: QtBot) -> Screen:
    widget = Screen()
    qtbot.addWidget(widget)
    widget.set_host(StandaloneHost(widget, reads_in_background=True))
    return widget


def _opened(qtbot: QtBot, screen: Screen, source: Source, kind: type[Model] = Model) -> tuple[Model, QTableView]:
    model = kind(fetch=screen.fetch, kind="list", parent=screen)
    view = QTableView(screen)
    view.resize(400, 300)
    view.setModel(model)
    model.track_selection(view.selectionModel())
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.set_source(source)
    return model, view


def test_opening_reads_only_the_first_page_off_the_gui_thread(qtbot: QtBot, screen: Screen) -> None:
    source = Source(1000)
    busy: list[bool] = []
    model = Model(fetch=screen.fetch, kind="list", parent=screen)
    model.sig_busy.connect(busy.append)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.set_source(source)
        reading = (model.busy, screen.loading)  # the screen shows its busy state while the page is read
    assert reading == (True, True)
    assert busy == [True, False]
    assert (model.busy, screen.loading) == (False, False)
    assert len(source.queries) == 1 and source.queries[0].offset == 0
    assert model.rowCount() == 50 and source.rows_read == 50
    assert model.total == 1000
    assert threading.get_ident() not in source.threads
    assert model.row_at(0) == Rec(1, "name 00001")
    assert model.index(3, 1).data() == "name 00004"
    assert model.index(3, 1).data(RecordRole) == Rec(4, "name 00004")


def test_the_next_page_is_read_when_the_view_asks(qtbot: QtBot, screen: Screen) -> None:
    source = Source(1000)
    model, _view = _opened(qtbot, screen, source)
    calls = len(source.queries)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # while one page is read, no second request
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=5000)
    assert [q.offset for q in source.queries[calls:]] == [50]
    assert [model.row_at(i).id for i in range(100)] == list(range(1, 101))
    assert model.total == 1000  # a later page does not count again: the total stays


def test_scrolling_to_the_end_reads_one_more_page_and_never_all(qtbot: QtBot, screen: Screen) -> None:
    source = Source(1000)
    model, view = _opened(qtbot, screen, source)
    view.show()
    qtbot.waitUntil(lambda: not model.canFetchMore(QModelIndex()) or model.rowCount() >= 50, timeout=5000)
    before = model.rowCount()
    view.scrollToBottom()
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: model.rowCount() > before, timeout=5000)
    assert source.rows_read < 1000
    assert all(q.limit <= 250 for q in source.queries)


def test_the_last_page_ends_fetching(qtbot: QtBot, screen: Screen) -> None:
    source = Source(70)
    model, _view = _opened(qtbot, screen, source)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 70, timeout=5000)
    assert not model.canFetchMore(QModelIndex())


def test_search_is_debounced_and_asks_the_source(qtbot: QtBot, screen: Screen) -> None:
    source = Source(1000)
    model, _view = _opened(qtbot, screen, source)
    calls = len(source.queries)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        for text in ("0", "00", "009"):  # typed quickly: one query for the last text
            model.set_search(text)
    assert [q.search for q in source.queries[calls:]] == ["009"]
    assert model.total == 111 and model.rowCount() == 50  # 00009, 00090-00099, 00900-00999: the first page
    assert all("009" in model.row_at(i).name for i in range(50))


def test_sort_asks_the_source_in_order(qtbot: QtBot, screen: Screen) -> None:
    source = Source(300)
    model, _view = _opened(qtbot, screen, source)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    q = source.queries[-1]
    assert (q.sort, q.descending, q.offset) == ("id", True, 0)
    assert model.row_at(0).id == 300
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.sort(1, Qt.SortOrder.AscendingOrder)
    assert source.queries[-1].sort == "name"
    assert model.row_at(0).name == "name 00001"


def test_an_older_querys_page_is_dropped(qtbot: QtBot, screen: Screen) -> None:
    source = Source(1000)
    model, _view = _opened(qtbot, screen, source)
    shown_searches: list[str] = []
    model.sig_loaded.connect(lambda: shown_searches.append(model.search))
    source.gate = threading.Event()  # the next query waits
    model.set_search("00001")
    qtbot.waitUntil(lambda: screen.loading, timeout=5000)  # the slow search is on its way
    model.set_search("0002")  # typed on: the newer search waits for the slow one, then wins
    model.reload()  # (as when the pause in typing has passed)
    source.gate.set()
    qtbot.waitUntil(lambda: len(source.queries) == 3 and not model.busy, timeout=5000)
    assert [q.search for q in source.queries[1:]] == ["00001", "0002"]  # the slow one was read, then dropped
    assert shown_searches == ["0002"]
    shown = [model.row_at(i).name for i in range(model.rowCount())]
    assert all("0002" in name for name in shown)
    assert model.total == 11 and len(shown) == 11  # 00002, 00020-00029


def test_a_page_of_a_query_replaced_meanwhile_is_dropped_without_a_screen() -> None:
    """Through any fetch (here one that runs when told): the model's own generation drops old pages."""
    source = Source(200)
    waiting: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def fetch(work: Callable[[], Any], done: Callable[[Any], None], **_kw: Any) -> None:
        waiting.append((work, done))

    model = Model(fetch=fetch)
    model.set_source(source)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert len(waiting) == 2
    newer_work, newer_done = waiting.pop()
    newer_done(newer_work())
    older_work, older_done = waiting.pop()
    older_done(older_work())  # ends last, dropped
    assert model.row_at(0).id == 200


def test_reload_keeps_the_selection_by_record(qtbot: QtBot, screen: Screen) -> None:
    source = Source(300)
    model, view = _opened(qtbot, screen, source)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(model.index(7, 0), flags)
    source.records.insert(0, Rec(0, "name 00000"))  # a record added before it
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.reload()
    assert model.row_at(0).id == 0
    current = view.selectionModel().currentIndex()
    assert current.row() == 8 and current.data(RecordRole).id == 8


def test_put_shows_a_saved_record_at_once(qtbot: QtBot, screen: Screen) -> None:
    source = Source(100)
    model, _view = _opened(qtbot, screen, source)
    model.put(Rec(3, "renamed"))
    assert model.row_at(2).name == "renamed"
    model.put(Rec(500, "new"))
    assert model.row_at(0).id == 500 and model.total == 101


def test_a_failed_read_ends_the_busy_state(qtbot: QtBot, screen: Screen) -> None:
    def broken(_q: PageQuery) -> Page:
        raise RuntimeError("database gone")

    model = Model(fetch=screen.fetch, kind="list", parent=screen)
    with qtbot.waitSignal(model.sig_failed, timeout=5000) as blocker:
        model.set_source(broken)
    assert blocker.args == ["database gone"]
    assert not model.busy and not screen.loading


def test_the_next_page_while_a_search_is_typed_continues_the_rows_shown(qtbot: QtBot, screen: Screen) -> None:
    class SlowTyping(Model):
        DEBOUNCE_MS = 1000

    source = Source(1000)
    model, _view = _opened(qtbot, screen, source, SlowTyping)
    model.set_search("0001")  # not asked for yet: the pause in typing has not passed
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=5000)
    assert (source.queries[1].offset, source.queries[1].search) == (50, "")
    qtbot.waitUntil(lambda: source.queries[-1].search == "0001" and not model.busy, timeout=5000)  # then it is
    assert source.queries[-1].offset == 0 and model.total == 11  # 00001, 00010-00019


class Uncounted(Source):
    """A page source that leaves the count to a separate, slow counter (``counter``: held by ``count_gate``)."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.count_gate = threading.Event()
        self.counted: list[PageQuery] = []

    def __call__(self, q: PageQuery) -> Page:
        page = super().__call__(q)
        return Page(page.rows, page.more, None)

    def counter(self, q: PageQuery) -> tuple[int, int | None]:
        self.count_gate.wait(5)
        self.counted.append(q)
        return sum(q.search.casefold() in r.name.casefold() for r in self.records), len(self.records)


def test_a_separate_count_comes_after_the_first_page_is_shown(qtbot: QtBot, screen: Screen) -> None:
    source = Uncounted(1000)
    model = Model(fetch=screen.fetch, kind="list", parent=screen)
    counted: list[int | None] = []
    model.sig_counted.connect(lambda: counted.append(model.total))
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.set_source(source, source.counter)
    # the rows are shown and the screen is not busy while the count is still running (held by the gate)
    assert model.rowCount() == 50 and not model.busy and not screen.loading
    assert (model.total, model.unfiltered, model.more, counted) == (None, None, True, [])
    with qtbot.waitSignal(model.sig_counted, timeout=5000):
        source.count_gate.set()
    assert (model.total, model.unfiltered, counted) == (1000, 1000, [1000])


def test_a_search_that_fits_one_page_is_counted_at_once_and_an_old_count_is_dropped(
    qtbot: QtBot, screen: Screen
) -> None:
    source = Uncounted(1000)
    model = Model(fetch=screen.fetch, kind="list", parent=screen)
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.set_source(source, source.counter)  # its count waits at the gate
    model.set_search("0001")
    with qtbot.waitSignal(model.sig_loaded, timeout=5000):
        model.reload()
    assert (model.rowCount(), model.total, model.more) == (11, 11, False)  # the page is all there is
    with qtbot.waitSignal(model.sig_counted, timeout=5000):
        source.count_gate.set()
    assert [q.search for q in source.counted] == ["", "0001"]  # the first count ran, its result was dropped
    assert (model.total, model.unfiltered) == (11, 1000)
