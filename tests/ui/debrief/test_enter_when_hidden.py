"""Enter on a candidate whose scorecards are all hidden from the lead puts the focus on Override… (the next step
the banner names), not on an empty grid; with scorecards to read, Enter still goes to the grid (keyboard walk of
issue 16: Tomasz Nowak, Rita's own scorecard a draft; the focus stayed in the list)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import demo
from interviewkit.services.context import AppContext
from interviewkit.ui.debrief.view import DebriefView
from tests.ui.debrief.conftest import Demo


def test_enter_goes_to_override_when_every_scorecard_is_hidden_and_to_the_grid_otherwise(
    qtbot: QtBot, seeded: Demo, open_view: Callable[[AppContext], DebriefView]
) -> None:
    view = open_view(seeded.ctx)
    assert view.select_candidate(seeded.candidates[demo.MID_LOOP])
    assert view.banner.isVisible() and view.grid_model.card_count() == 0
    view.candidate_list.setFocus()
    qtbot.waitUntil(view.candidate_list.hasFocus)
    qtbot.keyClick(view.candidate_list, Qt.Key.Key_Return)
    assert view.override_button.hasFocus()
    qtbot.keyClick(view.override_button, Qt.Key.Key_Space)  # the next key does what the banner says
    qtbot.waitUntil(lambda: view.override_dialog is not None and view.override_dialog.isVisible())
    assert view.override_dialog is not None
    view.override_dialog.reject()
    shown = next(c for s, c in seeded.candidates.items() if s != demo.MID_LOOP)
    assert view.select_candidate(shown)
    qtbot.waitUntil(lambda: view.grid_model.card_count() > 0)
    view.candidate_list.setFocus()
    qtbot.waitUntil(view.candidate_list.hasFocus)
    qtbot.keyClick(view.candidate_list, Qt.Key.Key_Return)
    assert view.grid.hasFocus()
