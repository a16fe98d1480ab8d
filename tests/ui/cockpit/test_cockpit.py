"""The live cockpit driven from the keyboard: questions, notes, ratings, finish and submit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.audit import audit_trail
from interviewkit.ui.cockpit.cockpit import CockpitView
from tests.ui.cockpit.conftest import Planned

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _cockpit(qtbot: QtBot, planned: Planned) -> CockpitView:
    view = CockpitView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    state = svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, planned.ctx.instance_id)
    view.load(planned.ctx, state)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def _saved(planned: Planned) -> svc.ScorecardState:
    return svc.scorecard_state(
        planned.ctx.db,
        svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, planned.ctx.instance_id).id,
        by=LOCAL_ADMIN,
    )


def test_a_whole_interview_by_keyboard(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    who = view.header.who.text()
    assert "Priya Natarajan" in who and "Stage 1 of 1: Production ML" in who
    assert view.header.position_label.text() == "Q1 of 3"
    assert "A model that degraded in production" in view.question.prompt.toPlainText()
    assert view.question.probes.count() >= 2
    assert view.notes.hasFocus()
    qtbot.keyClicks(view.notes, "- detected via weekly report, 3 weeks late")
    qtbot.keyClick(view.notes, Qt.Key.Key_3, ALT)  # rate the focused competency (monitoring) 3
    qtbot.keyClick(view.notes, Qt.Key.Key_Right, CTRL)
    assert view.header.position_label.text() == "Q2 of 3"
    assert view.notes.toPlainText() == ""
    qtbot.keyClicks(view.notes, "- built a Cloud Build pipeline with an evaluation gate")
    qtbot.keyClick(view.notes, Qt.Key.Key_Down, ALT)  # next competency: CI/CD
    qtbot.keyClick(view.notes, Qt.Key.Key_4, ALT)
    qtbot.keyClick(view.notes, Qt.Key.Key_Left, CTRL)
    assert view.notes.toPlainText() == "- detected via weekly report, 3 weeks late"
    qtbot.keyClick(view.notes, Qt.Key.Key_F10)
    assert view.pages.currentWidget() is view.finish_page
    qtbot.keyClick(view.summary, Qt.Key.Key_Return, CTRL)  # submit too early: told what is missing
    problems = view.finish_page.problems
    qtbot.waitUntil(lambda: "Choose an overall recommendation" in problems.text())
    assert "Write a summary" in problems.text()
    assert not view.summary.isReadOnly() and not view.submitting  # refused: editing goes on
    qtbot.keyClick(view.summary, Qt.Key.Key_3, CTRL)  # Ctrl+3 recommends "Yes"
    view.summary.setFocus()
    qtbot.keyClicks(view.summary, "Clear ownership of monitoring; strong CI/CD. Hire.")
    qtbot.keyClick(view.summary, Qt.Key.Key_Tab)  # Tab leaves the summary (no tab character typed), Shift+Tab back
    assert not view.summary.hasFocus()
    view.summary.setFocus()
    with qtbot.waitSignal(view.sig_submitted, timeout=5000):
        qtbot.keyClick(view.summary, Qt.Key.Key_Return, CTRL)
    state = svc.scorecard_state(planned.ctx.db, view.state.id, by=LOCAL_ADMIN)  # type: ignore[union-attr]
    assert state.status == "submitted"
    assert state.recommendation == "Yes"
    assert state.summary == "Clear ownership of monitoring; strong CI/CD. Hire."
    assert state.ratings["monitoring-drift"].score == 3
    assert state.ratings["mlops-cicd"].score == 4
    assert state.questions[0].notes == "- detected via weekly report, 3 weeks late"
    assert state.questions[1].notes == "- built a Cloud Build pipeline with an evaluation gate"
    assert state.questions[0].seconds_spent > 0
    assert [e.action for e in audit_trail(planned.ctx.db, "scorecard", state.id, by=LOCAL_ADMIN)] == [
        "started",
        "submitted",
    ]
    assert view.notes.isReadOnly()


def test_not_assessed_needs_a_reason(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    qtbot.keyClick(view.notes, Qt.Key.Key_0, ALT)  # monitoring: not assessed
    row = view.ratings.rows[0]
    qtbot.waitUntil(row.reason.isVisible)
    qtbot.waitUntil(row.reason.hasFocus)
    qtbot.keyClick(view.notes, Qt.Key.Key_F10)
    view.recommend(3)  # recommendation Yes
    view.summary.setPlainText("ok")
    view.submit()
    qtbot.waitUntil(
        lambda: "Monitoring, drift and retraining: say why it was not assessed" in view.finish_page.problems.text()
    )
    view.back_to_questions()
    qtbot.keyClicks(row.reason, "ran out of time")
    qtbot.keyClick(view.notes, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(view.notes, Qt.Key.Key_2, ALT)
    view.finish()
    with qtbot.waitSignal(view.sig_submitted, timeout=5000):
        view.submit()
    state = svc.scorecard_state(planned.ctx.db, view.state.id, by=LOCAL_ADMIN)  # type: ignore[union-attr]
    assert state.ratings["monitoring-drift"].not_assessed
    assert state.ratings["monitoring-drift"].reason == "ran out of time"


def test_every_change_is_saved_within_a_second(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    qtbot.keyClicks(view.notes, "PSI alerts on the top 20 features")
    card = view.state.id  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: (
            svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).questions[0].notes
            == "PSI alerts on the top 20 features"
        ),
        timeout=1000,
    )
    qtbot.keyClick(view.notes, Qt.Key.Key_Right, CTRL)
    qtbot.waitUntil(
        lambda: svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).current_position == 1, timeout=1000
    )
    qtbot.waitUntil(lambda: view.saved_label.text() == "Saved", timeout=2000)


def test_adding_an_unplanned_question_by_search(qtbot: QtBot, planned: Planned) -> None:
    from interviewkit.ui.cockpit.picker import QuestionPicker

    view = _cockpit(qtbot, planned)
    qtbot.keyClick(view.notes, Qt.Key.Key_K, CTRL)
    picker = view.findChild(QuestionPicker)
    assert picker is not None
    qtbot.keyClicks(picker.search, "stopped listening alerts")
    qtbot.waitUntil(lambda: picker.results.count() >= 1)
    with qtbot.waitSignal(picker.sig_chosen):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.header.position_label.text() == "Q2 of 4")
    state = svc.scorecard_state(planned.ctx.db, view.state.id, by=LOCAL_ADMIN)  # type: ignore[union-attr]
    added = state.questions[1]
    assert not added.planned and added.question_id == "drift-alert-fatigue"


def test_resume_exactly_where_it_was(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    qtbot.keyClick(view.notes, Qt.Key.Key_Right, CTRL)
    qtbot.keyClicks(view.notes, "second question notes")
    view.close_scorecard(release=False)  # as if the app had died: the lock stays
    again = CockpitView()
    qtbot.addWidget(again)
    state = svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, planned.ctx.instance_id)
    again.load(planned.ctx, state)
    assert again.header.position_label.text() == "Q2 of 3"
    assert again.notes.toPlainText() == "second question notes"
    assert again.times.elapsed() > 0


def test_pacing_words_and_question_budget_colours(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    header = view.header
    assert header.pacing_label.text().startswith("2 questions left, 45 minutes")
    asked = view.current().asked_id  # type: ignore[union-attr]
    view.times.base_elapsed = 30 * 60
    view.times.seconds[asked] = 13 * 60  # budget 12 min: amber
    view._update_clock()
    assert header.question_clock.property("pace") == "amber" and "over time" in header.question_clock.text()
    view.times.seconds[asked] = 16 * 60  # past 125 %: red
    view._update_clock()
    assert header.question_clock.property("pace") == "red"
    assert "2 questions left, 15 minutes" in header.pacing_label.text()
    assert "short" in header.pacing_label.text()


def test_a_submitted_scorecard_is_amended_with_a_reason_shown_in_the_audit_trail(
    qtbot: QtBot, planned: Planned
) -> None:
    from interviewkit.ui.cockpit.amend import AmendDialog

    db, settings = planned.ctx.db, planned.ctx.settings
    card = svc.open_scorecard(db, planned.stage_id, planned.interviewer_id, planned.ctx.instance_id)
    svc.save_draft(
        db,
        card.id,
        planned.ctx.instance_id,
        svc.DraftChanges(
            ratings={"monitoring-drift": svc.RatingState(2), "mlops-cicd": svc.RatingState(3)},
            recommendation="No",
            summary="Thin on monitoring.",
        ),
        by=planned.interviewer_id,
    )
    state = svc.submit(db, card.id, planned.interviewer_id, settings)
    view = CockpitView()
    qtbot.addWidget(view)
    view.load(planned.ctx, state)
    assert view.pages.currentWidget() is view.finish_page
    assert view.finish_page.amend_button.isVisibleTo(view) and not view.finish_page.submit_button.isVisibleTo(view)
    assert view.notes.isReadOnly() and view.summary.isReadOnly()
    view.amend()
    dialog = view.findChild(AmendDialog)
    assert dialog is not None
    combo, _ = dialog.ratings["monitoring-drift"]
    combo.setCurrentIndex(combo.findData(3))
    dialog.apply()  # no reason yet: refused, nothing lost
    qtbot.waitUntil(lambda: "Reason" in dialog.problems.text())
    assert dialog.isVisible() and combo.currentData() == 3 and dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "Mixed up the two candidates' notes")
    with qtbot.waitSignal(view.sig_amended):
        dialog.apply()
    assert not dialog.isVisible()
    after = svc.scorecard_state(db, card.id, by=LOCAL_ADMIN)
    assert after.ratings["monitoring-drift"].score == 3 and after.status == "submitted"
    trail = view.finish_page.audit_view.toPlainText()
    assert "amended — “Mixed up the two candidates' notes”" in trail
    assert "Rating of Monitoring, drift and retraining: 2 → 3" in trail
    assert "Ana Ortiz submitted" in trail


def test_amendments_are_append_only_in_the_database(planned: Planned) -> None:
    import sqlite3

    import pytest

    db = planned.ctx.db
    card = svc.open_scorecard(db, planned.stage_id, planned.interviewer_id, planned.ctx.instance_id)
    path = db.path
    assert path is not None
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_event")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_event SET action = 'nothing happened'")
    con.close()
    assert [e.action for e in audit_trail(db, "scorecard", card.id, by=LOCAL_ADMIN)] == ["started"]


def test_ctrl_p_saves_the_notes_then_asks_for_the_scorecard_pdf(qtbot: QtBot, planned: Planned) -> None:
    view = _cockpit(qtbot, planned)
    qtbot.keyClicks(view.notes, "- owned the on-call rota")
    with qtbot.waitSignal(view.sig_export_requested) as asked:
        qtbot.keyClick(view.notes, Qt.Key.Key_P, CTRL)
    assert asked.args == [view.state.id]  # type: ignore[union-attr]
    assert _saved(planned).questions[0].notes == "- owned the on-call rota"  # written before the PDF is made


def test_the_rubric_pane_shows_the_evidence_checklist_its_anchors_count(qtbot: QtBot, planned: Planned) -> None:
    """A second-edition rubric names evidence items by number ("items 1-2 and one of 3-5"): the interviewer
    sees those items beside it, numbered, in the list to tick, and what each level needs under the anchors,
    with the level being rated still marked."""
    view = _cockpit(qtbot, planned)
    evidence = view.question.evidence
    assert evidence.isVisibleTo(view)
    assert evidence.item(0).text().startswith("1. Names the signal and metric that caught the degradation")
    shown = view.question.rubric.toPlainText()
    assert "Items each level needs: 2: any 1 · 3: 1-3 · 4: 1-3 and any 2 of 4-6" in shown
    assert "what each level needs" in view.question.rubric_title.text()
    qtbot.keyClick(view.notes, Qt.Key.Key_3, ALT)
    assert (
        "▶ 3" in view.question.rubric.toPlainText() and "Items each level needs" in view.question.rubric.toPlainText()
    )
