"""The Debriefs list a page at a time (issue 17): the first page shows without reading every candidate (nor
asking the rules candidate by candidate), the next pages come as the view asks, the search is the database's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.services import debrief, debrief_pages
from interviewkit.services.context import AppContext
from interviewkit.ui.debrief import list_reads
from interviewkit.ui.debrief.model import IdRole
from interviewkit.ui.debrief.view import DebriefView

from .conftest import Demo

PAGE = 1


def test_the_first_page_shows_without_reading_every_candidate(
    qtbot: QtBot, seeded: Demo, open_view: Callable[[AppContext], DebriefView], monkeypatch: pytest.MonkeyPatch
) -> None:
    everyone = [row[0] for row in debrief.debrief_candidates(seeded.db, seeded.lead_id)]
    assert len(everyone) > 2
    read: list[tuple[int, int]] = []
    real = debrief_pages.debrief_page

    def counting(*args: Any, **kwargs: Any) -> Any:
        read.append((kwargs.get("offset", 0), kwargs["limit"]))
        return real(*args, **kwargs)

    def every_candidate(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the screen read every candidate")

    monkeypatch.setattr(list_reads, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(list_reads, "debrief_page", counting)
    monkeypatch.setattr(debrief, "debrief_candidates", every_candidate)
    view = open_view(seeded.ctx)
    model = view.candidate_model
    shown = [model.index(r).data(IdRole) for r in range(model.rowCount())]
    assert read[0] == (0, PAGE) and all(limit == PAGE for _, limit in read)  # pages, while the view has room
    assert shown == everyone[: len(shown)] and view.current_candidate_id() == everyone[0]
    assert view.candidates.count.text() == f"{len(everyone)} candidates"
    while model.canFetchMore(model.index(-1)):
        model.fetchMore(model.index(-1))
    assert [model.index(r).data(IdRole) for r in range(model.rowCount())] == everyone

    view.search.setText("zzz")  # the database searches: nothing matches
    assert model.rowCount() == 0 and "No candidate matches" in view.candidate_empty.text()
    assert view.select_candidate(everyone[-1])  # a link: the search is cleared, read as far as the candidate
    assert view.search.text() == "" and view.current_candidate_id() == everyone[-1]
