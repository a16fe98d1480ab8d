"""A recruiter's screen stage in the cockpit (issue 14): no question list, no crash, but its checklist, each
item answered Yes / No / Unclear by keyboard or mouse with a note, saved as it goes, then finished."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import loops, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.cockpit.cockpit import CockpitView
from tests.ui.cockpit.conftest import Planned

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
CHECKLIST = [
    "ml-eng-manager-profile.technical-expertise.01",
    "ml-eng-manager-profile.engineering-leadership.01",
    "ml-eng-manager-profile.typical-background.01",
]


@pytest.fixture
def screen_stage(planned: Planned) -> int:
    return loops.add_stage(
        planned.ctx.db,
        planned.loop_id,
        name="Recruiter screen",
        minutes=30,
        kind="screen",
        checklist=CHECKLIST,
        interviewer_id=planned.interviewer_id,
        scheduled_at=datetime.now(UTC),
        by=LOCAL_ADMIN,
    ).id


def _cockpit(qtbot: QtBot, ctx: AppContext, stage_id: int) -> CockpitView:
    view = CockpitView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.set_context(ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.show_target(stage_id)
    return view


def _answers(planned: Planned, stage: int) -> list[tuple[str | None, str]]:
    return [(i.answer, i.note) for i in screening.screen_checklist(planned.ctx.db, stage, by=LOCAL_ADMIN).items]


def test_a_screen_stage_opens_its_checklist_answered_by_keyboard_and_saved(
    qtbot: QtBot, planned: Planned, screen_stage: int
) -> None:
    view = _cockpit(qtbot, planned.ctx, screen_stage)
    page = view.screen_page
    assert view.pages.currentWidget() is page and not view.header.isVisibleTo(view)
    assert view.state is None  # no scorecard, no question list
    assert page.heading.text() == "Recruiter screen · Priya Natarajan"
    assert len(page.rows) == 3
    first = page.rows[0]
    assert first.title.text().startswith("▸ 1. ") and first.ask.text().startswith(
        "Ask: Eight or more years"
    )  # marked: the keyboard is on it
    assert first.hasFocus() and page.progress.text() == "0 of 3 answered"
    qtbot.keyClick(first, Qt.Key.Key_Y)
    qtbot.keyClick(first, Qt.Key.Key_Return)  # to the note
    assert first.note.hasFocus()
    qtbot.keyClicks(first.note, "9 years, confirmed")
    qtbot.keyClick(first.note, Qt.Key.Key_Down)  # the next item
    second = page.rows[1]
    assert second.hasFocus()
    assert second.title.text().startswith("▸ 2. ") and first.title.text().startswith("1. ")
    qtbot.keyClick(second, Qt.Key.Key_3)  # unclear
    qtbot.keyClick(second, Qt.Key.Key_Tab)
    qtbot.keyClicks(second.note, "team of 4")
    qtbot.keyClick(second.note, Qt.Key.Key_N, ALT)  # answered from the note: no
    assert second.answer == "no" and second.note.text() == "team of 4"
    assert page.progress.text() == "2 of 3 answered"
    qtbot.waitUntil(lambda: page.saved_label.text() == "Saved", timeout=5000)
    assert _answers(planned, screen_stage) == [("yes", "9 years, confirmed"), ("no", "team of 4"), (None, "")]


def test_finishing_says_what_is_missing_then_makes_the_answers_the_record(
    qtbot: QtBot, planned: Planned, screen_stage: int
) -> None:
    view = _cockpit(qtbot, planned.ctx, screen_stage)
    page = view.screen_page
    page.rows[0].buttons["yes"].click()  # the mouse works too
    qtbot.keyClick(page.rows[0], Qt.Key.Key_Return, CTRL)  # finish too early
    qtbot.waitUntil(lambda: "Before finishing" in page.problems.text(), timeout=5000)
    assert "No answer yet" in page.problems.text() and page.finish_button.isEnabled()
    page.rows[1].setFocus()
    qtbot.keyClick(page.rows[1], Qt.Key.Key_2)
    page.rows[2].setFocus()
    qtbot.keyClick(page.rows[2], Qt.Key.Key_1)
    qtbot.keyClick(page.rows[2], Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.checklist is not None and page.checklist.finished, timeout=5000)
    assert page.finished_label.text().startswith("✓ Finished by Ana Ortiz on")
    assert not page.finish_button.isVisibleTo(view)
    qtbot.keyClick(page.rows[0], Qt.Key.Key_N)  # read-only now
    assert page.rows[0].answer == "yes"
    assert _answers(planned, screen_stage) == [("yes", ""), ("no", ""), ("yes", "")]


def test_a_note_typed_is_saved_when_the_screen_is_left(qtbot: QtBot, planned: Planned, screen_stage: int) -> None:
    view = _cockpit(qtbot, planned.ctx, screen_stage)
    row = view.screen_page.rows[0]
    qtbot.keyClick(row, Qt.Key.Key_1)
    row.note.setFocus()
    qtbot.keyClicks(row.note, "left at once")
    view.close_scorecard()  # before the half-second pause: written on the way out
    assert view.screen_page.checklist is None and view.header.isVisibleTo(view)
    assert _answers(planned, screen_stage)[0] == ("yes", "left at once")


def test_from_a_screen_to_an_interview_and_back(qtbot: QtBot, planned: Planned, screen_stage: int) -> None:
    view = _cockpit(qtbot, planned.ctx, screen_stage)
    view.show_target(planned.stage_id)
    qtbot.waitUntil(lambda: view.state is not None)
    assert view.pages.currentWidget() is view.interview_page and view.header.isVisibleTo(view)
    assert view.screen_page.checklist is None
    view.show_target(screen_stage)
    qtbot.waitUntil(lambda: view.screen_page.checklist is not None)
    assert view.state is None and view.pages.currentWidget() is view.screen_page
