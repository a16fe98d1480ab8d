"""The Loops list a page at a time (issue 17): the first page shows without reading every loop, the next page
comes when the list is scrolled to its end, the search is the database's, and a refresh keeps what is shown."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.services import loop_pages, loops
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import create_loop
from interviewkit.ui.loops import reading as loops_reading
from interviewkit.ui.loops import view as loops_view

from .conftest import Seed, open_loops_view

PAGE = 4


@pytest.fixture
def many(seed: Seed, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forty loops, more than the list has room for (the newest first is the list's order); pages of four; the
    full list may not be read."""
    ids = [
        create_loop(seed.ctx.db, cid, name=f"Loop {i}", by=LOCAL_ADMIN).id
        for i, cid in enumerate([seed.candidate_id] * 20 + [seed.other_candidate_id] * 20)
    ]
    monkeypatch.setattr(loops_view, "PAGE_SIZE", PAGE)

    def every_loop(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the screen read every loop")

    monkeypatch.setattr(loops, "loops", every_loop)
    return ids[::-1]


def shown(view: Any) -> list[int]:
    model = view.list_pane.model
    return [model.value(row).id for row in range(model.rowCount())]


def test_the_first_page_shows_without_reading_every_loop(
    qtbot: QtBot, seed: Seed, many: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[tuple[int, int]] = []
    real = loop_pages.loop_page

    def counting(*args: Any, **kwargs: Any) -> Any:
        read.append((kwargs.get("offset", 0), kwargs["limit"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(loops_view, "loop_page", counting)
    monkeypatch.setattr(loops_reading, "loop_page", counting)
    view = open_loops_view(qtbot, seed)
    model = view.list_pane.model
    # the first page, then pages of four while the view has room for rows (Qt asks): never all forty
    assert read[0] == (0, PAGE) and all(limit == PAGE for _, limit in read)
    assert [offset for offset, _ in read] == list(range(0, PAGE * len(read), PAGE))
    assert shown(view) == many[: PAGE * len(read)] and len(shown(view)) < len(many)
    assert model.canFetchMore(model.index(-1))
    assert view.list_pane.count.text() == "40 loops"  # counted after the first page
    assert view.current_loop_id() == many[0] and view.page.detail is not None
    before = len(shown(view))
    view.list_pane.view.scrollToBottom()  # the view asks for the next page at its end
    qtbot.waitUntil(lambda: len(shown(view)) > before)
    assert shown(view) == many[: len(shown(view))]
    while model.canFetchMore(model.index(-1)):
        model.fetchMore(model.index(-1))
    assert shown(view) == many and len(read) == len(many) // PAGE


def test_the_search_asks_the_database_and_a_refresh_keeps_the_loop(qtbot: QtBot, seed: Seed, many: list[int]) -> None:
    view = open_loops_view(qtbot, seed)
    view.list_pane.select_loop(many[len(shown(view)) - 1])  # the last read (the view then reads on)
    current, loaded = view.current_loop_id(), len(shown(view))
    view.refresh()  # as many loops as were read, the current one still current
    assert shown(view) == many[:loaded] and view.current_loop_id() == current
    qtbot.keyClicks(view.list_pane.search, "tomas loop 3")  # accents ignored, every word anywhere
    names = [view.list_pane.model.value(r).name for r in range(view.list_pane.model.rowCount())]
    assert names == [*(f"Loop {i}" for i in range(39, 29, -1)), "Loop 23"]
    assert view.list_pane.count.text() == "11 of 40 loops"
    assert view.list_pane.select_loop(many[-1])  # hidden by the search: cleared, then read
    assert view.list_pane.search.text() == "" and view.current_loop_id() == many[-1]
