"""The candidates are read a page at a time, off the GUI thread: the section shows its first page without
reading every candidate, the next page when the table is scrolled, and searches and sorts in the database."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import paging
from interviewkit.services import people as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.people.models import CandidatePages
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.shell.section import StandaloneHost

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]


class Spy:
    """Counts the pages asked for and the candidate rows handed out."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.rows = 0


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    seen = Spy()
    real = paging.candidate_page

    def counted(*args: Any, **kw: Any) -> paging.Page[svc.CandidateInfo]:
        page = real(*args, **kw)
        seen.calls.append(kw)
        seen.rows += len(page.rows)
        return page

    def whole_list(*_args: Any, **_kw: Any) -> list[svc.CandidateInfo]:
        raise AssertionError("the People section read every candidate")

    monkeypatch.setattr(paging, "candidate_page", counted)
    monkeypatch.setattr(svc, "candidates", whole_list)
    monkeypatch.setattr(CandidatePages, "PAGE_SIZE", 5)
    monkeypatch.setattr(CandidatePages, "DEBOUNCE_MS", 10)
    return seen


@pytest.fixture
def paged(qtbot: QtBot, ctx: AppContext, spy: Spy) -> PeopleView:
    """The section as the window has it (reads on the thread pool) over 23 candidates of two openings."""
    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]
    lisbon = svc.create_opening(ctx.db, title="Lisbon EM", jd_ids=JDS, by=LOCAL_ADMIN)
    remote = svc.create_opening(ctx.db, title="Remote EM", jd_ids=JDS, by=LOCAL_ADMIN)
    for n in range(23):
        opening = remote if n % 4 == 0 else lisbon
        svc.create_candidate(ctx.db, name=f"Candidate {n:02d}", opening_id=opening.id, by=LOCAL_ADMIN)
    view = PeopleView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))
    view.resize(1100, 300)
    view.tabs.setCurrentWidget(view.candidates_tab)
    view.show()
    view.set_context(ctx)
    qtbot.waitUntil(lambda: not view.loading and view.candidate_model.total is not None, timeout=10000)
    assert view.tabs.tabText(2) == "Candidates (23)"  # whichever read ends last
    return view


def _names(view: PeopleView) -> list[str]:
    model = view.candidate_model
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_the_first_page_shows_without_reading_every_candidate(qtbot: QtBot, paged: PeopleView, spy: Spy) -> None:
    assert paged.candidate_model.rowCount() < 23
    assert spy.rows < 23 and spy.calls and all(c["limit"] <= 10 for c in spy.calls)
    assert _names(paged)[0] == "Candidate 22"  # newest first
    assert paged.candidates_tab.current_record() is not None  # a row is selected
    assert paged.candidates_tab.count_label.text() == "23 candidates"
    assert paged.tabs.tabText(2) == "Candidates (23)"


def test_the_first_page_shows_before_the_candidates_are_counted(
    qtbot: QtBot, paged: PeopleView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting a person's thousands of candidates takes a while: the rows do not wait for it."""
    gate = threading.Event()
    real = paging.candidate_count

    def slow_count(*args: Any, **kw: Any) -> tuple[int, int]:
        gate.wait(10)
        return real(*args, **kw)

    monkeypatch.setattr(paging, "candidate_count", slow_count)
    tab = paged.candidates_tab
    with qtbot.waitSignal(paged.candidate_model.sig_loaded, timeout=10000):
        paged.refresh()
    qtbot.waitUntil(lambda: not paged.loading, timeout=10000)  # the directory too: first content, still counting
    assert _names(paged)[0] == "Candidate 22" and paged.candidate_model.counting
    assert tab.count_label.text() == f"{paged.candidate_model.rowCount()}+ candidates · counting…"
    with qtbot.waitSignal(paged.candidate_model.sig_counted, timeout=10000):
        gate.set()
    assert tab.count_label.text() == "23 candidates" and paged.tabs.tabText(2) == "Candidates (23)"


def test_the_next_page_is_read_as_the_table_scrolls(qtbot: QtBot, paged: PeopleView, spy: Spy) -> None:
    model, before = paged.candidate_model, paged.candidate_model.rowCount()
    table = paged.candidates_tab.table
    table.scrollToBottom()
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: model.rowCount() > before, timeout=10000)
    assert spy.calls[-1]["offset"] == before


def test_search_and_opening_filter_ask_the_database(qtbot: QtBot, paged: PeopleView, spy: Spy) -> None:
    tab = paged.candidates_tab
    tab.search.setFocus()
    qtbot.keyClicks(tab.search, "date 2")  # every word, anywhere: 02, 12, 20, 21, 22
    expected = ["Candidate 22", "Candidate 21", "Candidate 20", "Candidate 12", "Candidate 02"]
    qtbot.waitUntil(lambda: _names(paged) == expected, timeout=10000)
    assert spy.calls[-1]["search"] == "date 2"
    qtbot.waitUntil(lambda: tab.count_label.text() == "5 of 23 candidates", timeout=10000)
    remote = paged.opening_filter.findText("Remote EM")
    paged.opening_filter.setCurrentIndex(remote)
    qtbot.waitUntil(lambda: _names(paged) == ["Candidate 20", "Candidate 12"], timeout=10000)
    # the rows first, then their count (a quiet read after them): never a total that is not yet known
    assert tab.count_label.text() in ("2 candidates · counting…", "2 of 23 candidates")
    qtbot.waitUntil(lambda: tab.count_label.text() == "2 of 23 candidates", timeout=10000)
    tab.search.clear()
    qtbot.waitUntil(lambda: paged.candidate_model.total == 6 and not paged.loading, timeout=10000)
    assert all(c.opening_title == "Remote EM" for c in paged.candidate_model.rows())


def test_a_header_click_sorts_in_the_database(qtbot: QtBot, paged: PeopleView, spy: Spy) -> None:
    with qtbot.waitSignal(paged.candidate_model.sig_loaded, timeout=10000):
        paged.candidates_tab.table.sortByColumn(CandidatePages.NAME, Qt.SortOrder.AscendingOrder)
    assert (spy.calls[-1]["sort"], spy.calls[-1]["descending"]) == ("name", False)
    names = _names(paged)  # as many rows as were read before (a page, or two if the table asked for more)
    assert names == [f"Candidate {n:02d}" for n in range(len(names))] and len(names) in (5, 10)
    assert paged.candidate_model.canFetchMore(QModelIndex()) or paged.candidate_model.rowCount() == 23


def test_a_change_elsewhere_reads_again_keeping_the_selection(qtbot: QtBot, paged: PeopleView, ctx: AppContext) -> None:
    from interviewkit.services.changes import Changes

    tab = paged.candidates_tab
    assert tab.select_record(paged.candidate_model.row_at(2).id)
    kept = tab.current_record().id
    opening = paged.opening_filter.itemData(1)
    added = svc.create_candidate(ctx.db, name="Newest", opening_id=opening, by=LOCAL_ADMIN)
    paged.apply_changes(Changes.of(candidates=[added.id]))
    qtbot.waitUntil(lambda: _names(paged)[:1] == ["Newest"] and not paged.loading, timeout=10000)
    assert tab.current_record().id == kept


def test_a_saved_record_the_search_hides_is_revealed(qtbot: QtBot, paged: PeopleView, ctx: AppContext) -> None:
    tab = paged.candidates_tab
    tab.search.setText("date 2")
    qtbot.waitUntil(lambda: paged.candidate_model.total == 5 and not paged.loading, timeout=10000)
    zed = svc.create_candidate(ctx.db, name="Zed", opening_id=paged.opening_filter.itemData(1), by=LOCAL_ADMIN)
    paged.refresh()  # as after a write: read again, then show the record saved
    tab.select_record(zed.id)
    qtbot.waitUntil(lambda: tab.search.text() == "" and not paged.loading, timeout=10000)
    qtbot.waitUntil(lambda: tab.current_record() is not None and tab.current_record().id == zed.id, timeout=10000)
    qtbot.waitUntil(lambda: paged.candidate_model.total == 24, timeout=10000)  # counted after the rows
