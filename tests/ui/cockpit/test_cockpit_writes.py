"""The cockpit's writes (submit, amend, add a question, open) run off the GUI thread with a busy state; a
refused write leaves the cockpit as it was, says why, and loses nothing typed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes, changes_of
from interviewkit.services.errors import PermissionDenied, ValidationFailed
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.shell.section import StandaloneHost
from interviewkit.ui.widgets.tasks import run_in_background
from tests.ui.cockpit.conftest import Planned

CTRL = Qt.KeyboardModifier.ControlModifier


class ThreadedHost(StandaloneHost):
    """Runs writes on the thread pool and hands back their results, as the window does; remembers the busy
    labels it was given."""

    def __init__(self, section: CockpitView) -> None:
        super().__init__(section)
        self.busy: list[str] = []

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        self.busy.append(busy)

        def finished(result: Any) -> None:
            if done is not None:
                done(result)
            found = changes_of(result) or changes
            if found:
                self._section.apply_changes(found)

        def refused(exc: BaseException) -> None:
            assert failed is not None, f"{busy}: {exc}"
            failed(exc)

        run_in_background(work, finished, refused)


def _cockpit(qtbot: QtBot, planned: Planned) -> tuple[CockpitView, ThreadedHost]:
    view = CockpitView()
    host = ThreadedHost(view)
    view.set_host(host)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.set_context(planned.ctx)
    view.open_stage(planned.stage_id)
    qtbot.waitUntil(lambda: view.state is not None)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view, host


def _held(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, list[threading.Thread]]:
    """Make the service ``name`` wait for the returned event, and note the thread it ran on."""
    real, release, threads = getattr(svc, name), threading.Event(), []

    def held(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(svc, name, held)
    return release, threads


def _ready_to_submit(qtbot: QtBot, view: CockpitView) -> None:
    qtbot.keyClicks(view.notes, "- detected drift from a business report")
    view.rate(3)
    view.move_focus_row(1)
    view.rate(2)
    qtbot.keyClick(view.notes, Qt.Key.Key_F10)
    view.recommend(3)
    view.summary.setFocus()
    qtbot.keyClicks(view.summary, "Solid on monitoring.")


def test_opening_runs_off_the_gui_thread(qtbot: QtBot, planned: Planned) -> None:
    view, host = _cockpit(qtbot, planned)
    assert host.busy == ["Opening the interview"]
    assert view.header.position_label.text() == "Q1 of 3" and view.notes.hasFocus()


def test_submit_shows_a_busy_state_then_the_submitted_scorecard(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, host = _cockpit(qtbot, planned)
    _ready_to_submit(qtbot, view)
    release, threads = _held(monkeypatch, "submit")
    qtbot.keyClick(view.summary, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(threads))  # the submission runs, on a worker thread
    assert threads[0] is not threading.main_thread()
    assert "Submitting the scorecard" in host.busy
    assert view.submitting and view.finish_page.submit_button.text() == "Submitting…"
    assert view.summary.isReadOnly() and view.notes.isReadOnly()  # nothing typed now could be lost
    qtbot.keyClick(view.summary, Qt.Key.Key_Return, CTRL)  # a second Ctrl+Enter does nothing
    with qtbot.waitSignal(view.sig_submitted, timeout=10000):
        release.set()
    assert len(threads) == 1
    assert view.state is not None and view.state.locked and not view.submitting
    assert view.finish_page.amend_button.isVisibleTo(view) and view.saved_label.text() == "Submitted: read-only"
    stored = svc.scorecard_state(planned.ctx.db, view.state.id, by=LOCAL_ADMIN)
    assert stored.status == "submitted" and stored.questions[0].notes == "- detected drift from a business report"
    assert view.journal is None


def test_a_refused_submission_says_why_and_keeps_everything(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, _ = _cockpit(qtbot, planned)
    _ready_to_submit(qtbot, view)

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise PermissionDenied("Only the interviewer who wrote a scorecard can submit it")

    monkeypatch.setattr(svc, "submit", refuse)
    view.submit()
    problems = view.finish_page.problems
    qtbot.waitUntil(lambda: "Only the interviewer who wrote a scorecard can submit it" in problems.text())
    assert not view.submitting and not view.summary.isReadOnly() and view.finish_page.submit_button.isEnabled()
    qtbot.keyClicks(view.summary, " Hire.")  # typing goes on and is saved
    card = view.state.id  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).summary == "Solid on monitoring. Hire."
    )
    stored = svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN)
    assert stored.status == "draft" and stored.recommendation == "Yes"
    assert stored.questions[0].notes == "- detected drift from a business report"


def test_a_question_is_added_while_the_interviewer_keeps_typing(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, host = _cockpit(qtbot, planned)
    release, threads = _held(monkeypatch, "add_question")
    view._insert_question("drift-alert-fatigue")  # what Enter in the Ctrl+K picker does
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread() and host.busy[-1] == "Adding the question"
    qtbot.keyClicks(view.notes, "- typed while the question was being added")  # the cockpit never blocks
    qtbot.keyClick(view.notes, Qt.Key.Key_F10)
    view.submit()  # not while the scorecard is changing shape: said, not ignored
    assert "being added" in view.finish_page.problems.text() and not view.submitting
    view.back_to_questions()
    release.set()
    qtbot.waitUntil(lambda: view.header.position_label.text() == "Q2 of 4")
    added = view.current()
    assert added is not None and added.question_id == "drift-alert-fatigue" and not added.planned
    assert "Added during the interview" in view.question.prompt.toPlainText()
    assert view.notes.hasFocus() and view.notes.toPlainText() == ""
    card = view.state.id  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: (
            svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).questions[0].notes
            == "- typed while the question was being added"
        )
    )
    qtbot.waitUntil(lambda: svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).current_position == 1)


def test_a_refused_question_is_said_under_the_header_and_nothing_moves(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, _ = _cockpit(qtbot, planned)
    qtbot.keyClicks(view.notes, "- PSI alerts")

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise ValidationFailed(["'Alert fatigue' is already in this interview"])

    monkeypatch.setattr(svc, "add_question", refuse)
    view._insert_question("drift-alert-fatigue")
    qtbot.waitUntil(lambda: view.header.notice.isVisibleTo(view))
    assert "Not added" in view.header.notice.text() and "already in this interview" in view.header.notice.text()
    assert view.header.position_label.text() == "Q1 of 3" and view.notes.toPlainText() == "- PSI alerts"
    view.next_question()  # the notice is about the past: it goes with the next step
    assert not view.header.notice.isVisibleTo(view)


def test_an_amendment_refused_by_the_database_keeps_the_dialog_and_what_was_typed(
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
    svc.submit(db, card.id, planned.interviewer_id, settings)
    view, host = _cockpit(qtbot, planned)
    view.amend()
    dialog = view.findChild(AmendDialog)
    assert dialog is not None
    dialog.summary.setPlainText("")  # a submitted scorecard keeps a summary: the service refuses
    qtbot.keyClicks(dialog.reason, "Typo")
    dialog.apply()
    assert not dialog.ok_button.isEnabled()  # waiting for the write
    qtbot.waitUntil(lambda: "keeps a summary" in dialog.problems.text())
    assert host.busy[-1] == "Recording the amendment"
    assert dialog.isVisible() and dialog.reason.text() == "Typo" and dialog.ok_button.isEnabled()
    dialog.summary.setPlainText("Thin on monitoring; strong CI/CD.")
    with qtbot.waitSignal(view.sig_amended, timeout=10000):
        dialog.apply()
    assert "Summary: Thin on monitoring. → Thin on monitoring; strong CI/CD." in (
        view.finish_page.audit_view.toPlainText()
    )


def test_an_amendment_elsewhere_refreshes_the_submitted_scorecard_shown(qtbot: QtBot, planned: Planned) -> None:
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
    svc.submit(db, card.id, planned.interviewer_id, settings)
    view, _ = _cockpit(qtbot, planned)
    svc.amend(db, card.id, planned.interviewer_id, reason="Second thoughts", recommendation="Yes", settings=settings)
    assert "Second thoughts" not in view.finish_page.audit_view.toPlainText()
    view.apply_changes(Changes.of(scorecards=[card.id]))  # what the window hands every screen
    assert "Second thoughts" in view.finish_page.audit_view.toPlainText()
    assert view.state is not None and view.state.recommendation == "Yes"
