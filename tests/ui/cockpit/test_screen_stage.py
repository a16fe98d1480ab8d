"""A recruiter's screen stage in the cockpit (issue 14): no question list, no crash, but its checklist, each
item answered Yes / No / Unclear by keyboard or mouse with a note, saved as it goes, then finished."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import loops, people, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.services.context import AppContext
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.widgets.shortcuts import key_of
from tests.ui.cockpit.conftest import Planned

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
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
    assert page.hint.isVisibleTo(view)
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
    assert not page.hint.isVisibleTo(view)  # "1 or Y yes ... Ctrl+Enter finish" no longer applies
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


def _finish_by_service(planned: Planned, stage: int) -> None:
    me = planned.interviewer_id
    for rid, answer in zip(CHECKLIST, ("yes", "unclear", "yes"), strict=True):
        screening.record_screen_answer(planned.ctx.db, stage, rid, answer, f"{answer} on the call", by=me)
    screening.finish_screen(planned.ctx.db, stage, by=me)


def test_a_finished_screen_says_who_finished_it_and_is_amended_by_keyboard_with_a_reason(
    qtbot: QtBot, planned: Planned, screen_stage: int
) -> None:
    _finish_by_service(planned, screen_stage)
    view = _cockpit(qtbot, planned.ctx, screen_stage)
    page = view.screen_page
    assert page.finished_label.text().startswith("✓ Finished by Ana Ortiz on ")
    assert " at " in page.finished_label.text() and "amendment with a reason" in page.finished_label.text()
    assert page.amend_button.isVisibleTo(view) and not page.finish_button.isVisibleTo(view)
    assert page.amend_button.text() == f"Amend an answer… ({key_of('screen_amend')})"
    page.rows[1].setFocus()  # the keyboard on the second item: the dialog opens on it
    qtbot.keyClick(page.rows[1], Qt.Key.Key_A, CTRL | SHIFT)
    qtbot.waitUntil(lambda: page._amending is not None and page._amending.isVisible(), timeout=5000)
    dialog = page._amending
    assert dialog is not None and dialog.item.currentData() == CHECKLIST[1]
    assert (dialog.answer.currentData(), dialog.note.text()) == ("unclear", "unclear on the call")
    assert dialog.focusWidget() is dialog.answer  # the keyboard starts on the new answer
    dialog.answer.setCurrentIndex(dialog.answer.findData("no"))
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # no reason yet: refused, the dialog stays with what was typed
    qtbot.waitUntil(lambda: "Reason: say why" in dialog.problems.text(), timeout=5000)
    assert dialog.isVisible() and dialog.answer.currentData() == "no"
    dialog.reason.setFocus()
    qtbot.keyClicks(dialog.reason, "Checked the team size with the reference")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page._amending is None and page.saved_label.text() == "Amendment recorded", timeout=5000)
    assert _answers(planned, screen_stage)[1] == ("no", "unclear on the call")
    assert page.rows[1].answer == "no"
    (entry,) = [e for e in audit_trail(planned.ctx.db, "stage", screen_stage, by=LOCAL_ADMIN) if e.action == "amended"]
    assert entry.reason == "Checked the team size with the reference" and entry.actor == "Ana Ortiz"


def test_a_panel_member_sees_that_the_screen_was_finished_not_its_answers(
    qtbot: QtBot, planned: Planned, screen_stage: int
) -> None:
    _finish_by_service(planned, screen_stage)
    ben = people.create_person(planned.ctx.db, name="Ben Okoro", email="ben@example.com", by=LOCAL_ADMIN).id
    st = loops.loop_detail(planned.ctx.db, planned.loop_id, by=LOCAL_ADMIN).stages[0]
    loops.update_stage(planned.ctx.db, planned.stage_id, name=st.name, minutes=st.minutes, focus=list(st.focus),
                       interviewer_id=ben, scheduled_at=st.scheduled_at, by=LOCAL_ADMIN)
    view = _cockpit(qtbot, replace(planned.ctx, user_id=ben), screen_stage)
    page = view.screen_page
    text = page.finished_label.text()
    assert text.startswith("✓ Finished by Ana Ortiz on ") and "once your own scorecard" in text
    assert [r.answer for r in page.rows] == [None, None, None]
    assert all(r.note.text() == "" for r in page.rows)
    assert not page.amend_button.isVisibleTo(view)
    page.amend()  # the key does nothing for someone who may not amend
    assert page._amending is None
