"""Swap for a variant… (Ctrl+Shift+V) in the cockpit (issue 14): the question shown is replaced by a sibling of
its variant group not in the loop, before anything is written about it; otherwise the interviewer is told why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import loops
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.cockpit.variant_picker import VariantPicker
from tests.ui.cockpit.conftest import Planned

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
HEAD = "ml-system-testing-strategy"  # a group of three in the shipped bank


@pytest.fixture
def testing_stage(planned: Planned) -> int:
    stage = loops.add_stage(
        planned.ctx.db,
        planned.loop_id,
        name="Quality",
        minutes=45,
        focus=["mlops-cicd"],
        interviewer_id=planned.interviewer_id,
        scheduled_at=datetime.now(UTC),
        by=LOCAL_ADMIN,
    ).id
    loops.set_stage_plan(planned.ctx.db, stage, [HEAD], by=LOCAL_ADMIN)
    return stage


def _cockpit(qtbot: QtBot, planned: Planned, stage: int) -> CockpitView:
    view = CockpitView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    ctx = planned.ctx
    view.load(ctx, svc.open_scorecard(ctx.db, stage, planned.interviewer_id, ctx.instance_id))
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def test_swapping_the_question_shown_for_a_variant(qtbot: QtBot, planned: Planned, testing_stage: int) -> None:
    view = _cockpit(qtbot, planned, testing_stage)
    assert any(a.text() == "S&wap for a variant…" for a in view.menu_actions())  # in the Interview menu
    before = view.current()
    assert before is not None and before.question_id == HEAD
    qtbot.keyClick(view.notes, Qt.Key.Key_V, CTRL_SHIFT)
    picker = view.findChild(VariantPicker)
    assert picker is not None and picker.isVisible()
    assert picker.options.count() == 2  # the group's other two questions
    chosen = str(picker.options.item(1).data(Qt.ItemDataRole.UserRole))
    picker.options.setCurrentRow(1)
    qtbot.keyClick(picker.options, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current() is not None and view.current().question_id == chosen)  # type: ignore[union-attr]
    now = view.current()
    assert now is not None and now.asked_id == before.asked_id and not now.planned
    assert (
        now.title in view.question.prompt.toPlainText()
        and "Added during the interview" in view.question.prompt.toPlainText()
    )
    saved = svc.scorecard_state(planned.ctx.db, view.state.id, by=LOCAL_ADMIN)  # type: ignore[union-attr]
    assert [q.question_id for q in saved.questions] == [chosen]


def test_a_question_with_notes_is_not_swapped_and_one_without_variants_says_so(
    qtbot: QtBot, planned: Planned, testing_stage: int
) -> None:
    view = _cockpit(qtbot, planned, testing_stage)
    qtbot.keyClicks(view.notes, "- unit tests on features")
    qtbot.keyClick(view.notes, Qt.Key.Key_V, CTRL_SHIFT)
    assert view.findChild(VariantPicker) is None
    assert "already has notes or ticked evidence" in view.header.notice.text()
    other = _cockpit(qtbot, planned, planned.stage_id)  # drift-incident-retraining: its variant is in the loop
    qtbot.keyClick(other.notes, Qt.Key.Key_V, CTRL_SHIFT)
    assert other.findChild(VariantPicker) is None
    assert "its variants are already in this loop" in other.header.notice.text()
