"""Ticking the evidence checklist in the cockpit (issue 14): by keyboard and mouse, kept with the draft like the
notes, back after a resume and after a crash, and the rating the ticks suggest beside the rating control,
never given for the interviewer."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.cockpit.amend import AmendDialog
from interviewkit.ui.cockpit.cockpit import CockpitView
from tests.ui.cockpit.conftest import Planned

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _cockpit(qtbot: QtBot, ctx: AppContext, stage_id: int) -> CockpitView:
    view = CockpitView()
    qtbot.addWidget(view)
    view.resize(1300, 860)
    assert ctx.user_id is not None
    view.load(ctx, svc.open_scorecard(ctx.db, stage_id, ctx.user_id, ctx.instance_id, take_over=True))
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def _ticks_saved(planned: Planned, card: int) -> list[tuple[int, ...]]:
    return [q.evidence_ticks for q in svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).questions]


def _locked() -> OperationalError:
    return OperationalError("UPDATE asked_question SET ...", {}, sqlite3.OperationalError("database is locked"))


def test_ticking_by_keyboard_is_saved_and_suggests_a_rating_it_never_gives(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    evidence = view.question.evidence
    assert evidence.count() == 6 and evidence.item(0).text().startswith("1. Names the signal and metric")
    assert view.notes.hasFocus()
    qtbot.keyClick(view.notes, Qt.Key.Key_E, CTRL)  # the documented shortcut puts the cursor in the list
    assert evidence.hasFocus()
    qtbot.keyClick(evidence, Qt.Key.Key_Space)  # item 1
    qtbot.keyClick(evidence, Qt.Key.Key_Down)
    qtbot.keyClick(evidence, Qt.Key.Key_Space)  # item 2
    qtbot.keyClick(evidence, Qt.Key.Key_4)  # a digit ticks that item
    assert evidence.ticked() == (1, 2, 4)
    suggestion = view.ratings.suggestion
    assert suggestion.isVisibleTo(view)
    assert suggestion.text() == (
        "☑ Ticks suggest 2 · Some evidence, gaps: items 1, 2 and 4 heard; 3 needs item 3. You rate."
    )
    row = view.ratings.focused()
    assert row is not None and row.state().score is None  # nothing rated for the interviewer
    qtbot.keyClick(evidence, Qt.Key.Key_4, ALT)  # they rate 4 all the same: their rating, no nagging
    assert row.state().score == 4 and "Ticks suggest 2" in suggestion.text()
    qtbot.keyClick(evidence, Qt.Key.Key_3)
    assert "Ticks suggest 3 · Clear evidence: items 1, 2, 3 and 4 heard; 4 needs 1 more of 5 and 6" in suggestion.text()
    assert row.state().score == 4
    qtbot.keyClick(evidence, Qt.Key.Key_J, CTRL)
    assert view.notes.hasFocus()
    # The finish page rates the whole interview: one question's suggestion is not shown there.
    qtbot.keyClick(view.notes, Qt.Key.Key_F10)
    assert view.pages.currentWidget() is view.finish_page and not suggestion.isVisibleTo(view)
    qtbot.keyClick(view.summary, Qt.Key.Key_Escape)
    assert view.pages.currentWidget() is view.interview_page and suggestion.isVisibleTo(view)
    qtbot.waitUntil(lambda: view.header.saved_label.text() == "Saved", timeout=5000)
    card = view.state.id  # type: ignore[union-attr]
    view.close_scorecard()
    assert _ticks_saved(planned, card)[0] == (1, 2, 3, 4)


def test_ticking_with_the_mouse_and_each_question_keeps_its_own(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    evidence = view.question.evidence
    # the check box of item 2, where the style draws it
    option = QStyleOptionViewItem()
    option.rect = evidence.visualItemRect(evidence.item(1))
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = evidence.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, evidence)
    where = box.center() if box.isValid() else option.rect.topLeft() + QPoint(10, option.rect.height() // 2)
    qtbot.mouseClick(evidence.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: evidence.ticked() == (2,))
    view.next_question()
    assert view.question.evidence.ticked() == ()
    view.focus_checklist()
    qtbot.keyClick(evidence, Qt.Key.Key_1)
    view.previous_question()
    assert evidence.ticked() == (2,)
    card = view.state.id  # type: ignore[union-attr]
    view.close_scorecard()
    ticks = _ticks_saved(planned, card)
    assert ticks[0] == (2,) and ticks[1] == (1,)


def test_ticks_come_back_on_resume(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    view.focus_checklist()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(view.question.evidence, key)
    view.close_scorecard()
    again = _cockpit(qtbot, planned.ctx, planned.stage_id)
    assert again.question.evidence.ticked() == (1, 2, 3)
    assert "Ticks suggest 3" in again.ratings.suggestion.text()


def test_ticks_kept_on_this_computer_come_back_and_reach_the_database(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch, _journal_dir: Path
) -> None:
    """The database did not answer while the interviewer ticked, and the window went: the journal held the
    ticks; the next opening shows them at once and saves them."""
    real = svc.save_draft
    monkeypatch.setattr(svc, "save_draft", lambda *a, **k: (_ for _ in ()).throw(_locked()))
    first = _cockpit(qtbot, planned.ctx, planned.stage_id)
    card = first.state.id  # type: ignore[union-attr]
    first.focus_checklist()
    qtbot.keyClick(first.question.evidence, Qt.Key.Key_1)
    qtbot.keyClick(first.question.evidence, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: first.saved_label.text() == "Saved locally, will sync", timeout=5000)
    first.close_scorecard()
    assert _ticks_saved(planned, card)[0] == ()
    monkeypatch.setattr(svc, "save_draft", real)
    with planned.ctx.db.engine.begin() as conn:  # the window's heartbeat has gone stale, as after a crash
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))
    later = replace(planned.ctx, instance_id="after-restart:1:abc")
    view = _cockpit(qtbot, later, planned.stage_id)
    assert view.question.evidence.ticked() == (1, 3)  # shown at once, from the journal
    assert "evidence ticked for 1 question" in view.saved_label.text()
    qtbot.waitUntil(lambda: _ticks_saved(planned, card)[0] == (1, 3), timeout=5000)


def test_a_submitted_scorecards_ticks_are_read_only_and_change_by_an_amendment(qtbot: QtBot, planned: Planned) -> None:
    ctx = planned.ctx
    state = svc.open_scorecard(ctx.db, planned.stage_id, planned.interviewer_id, ctx.instance_id)
    first = state.questions[0].asked_id
    ratings = {c.id: svc.RatingState(3) for c in state.focus}
    changes = svc.DraftChanges(ticks={first: (1, 2)}, ratings=ratings, recommendation="Yes", summary="Solid.")
    svc.save_draft(ctx.db, state.id, ctx.instance_id, changes, by=planned.interviewer_id)
    svc.submit(ctx.db, state.id, planned.interviewer_id, ctx.settings)
    view = CockpitView()
    qtbot.addWidget(view)
    view.load(ctx, svc.scorecard_state(ctx.db, state.id, by=planned.interviewer_id))
    view.back_to_questions()
    evidence = view.question.evidence
    assert evidence.ticked() == (1, 2)
    assert "submitted: change it by an amendment" in view.question.evidence_title.text()
    evidence.setFocus()
    qtbot.keyClick(evidence, Qt.Key.Key_3)
    qtbot.keyClick(evidence, Qt.Key.Key_Space)
    assert evidence.ticked() == (1, 2)
    assert not evidence.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable

    view.amend()  # the same audited amendment as the ratings
    dialog = view.findChild(AmendDialog)
    assert dialog is not None and set(dialog.ticks) == {q.asked_id for q in state.questions}
    in_dialog = dialog.ticks[first]
    assert in_dialog.ticked() == (1, 2)
    in_dialog.toggle(3)
    qtbot.keyClicks(dialog.reason, "Missed that they compared the models")
    with qtbot.waitSignal(view.sig_amended):
        dialog.apply()
    assert _ticks_saved(planned, state.id)[0] == (1, 2, 3)
    assert view.question.evidence.ticked() == (1, 2, 3)
    trail = view.finish_page.audit_view.toPlainText()
    assert "Evidence ticked for “A model that degraded in production”: items 1 and 2 → items 1, 2 and 3" in trail
