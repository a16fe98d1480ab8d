"""An exercise read while Calibration is not shown takes no keys: the keyboard walk of issue 16 switched person
while an interview was open; the exercises, read again for the new person, put the focus in their hidden page and
the notes typed next went there (and Ctrl+→ did nothing)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QPlainTextEdit, QStackedWidget
from pytestqt.qtbot import QtBot

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.exercises import create_exercise
from interviewkit.ui.calibration.view import CalibrationView
from tests.ui.calibration.test_calibration_view import rated_ctx  # noqa: F401 - the fixture


def test_an_exercise_to_score_read_while_hidden_leaves_the_focus_where_it_is(
    qtbot: QtBot,
    rated_ctx: AppContext,  # noqa: F811
) -> None:
    lead = rated_ctx.user_id
    assert isinstance(lead, int)
    made = create_exercise(
        rated_ctx.db,
        question_id="latency-regression",
        transcript="p99 went from 80 to 140 ms.",
        agreed_score=3,
        rationale="Numbers, no process change.",
        created_by=lead,
        settings=rated_ctx.settings,
    )
    rated_ctx.user_id = people.create_person(rated_ctx.db, name="Ann Other", email="ann@example.com", by=LOCAL_ADMIN).id
    stack = QStackedWidget()  # the window's sections: the notes shown, Calibration behind
    qtbot.addWidget(stack)
    notes = QPlainTextEdit()
    view = CalibrationView()
    stack.addWidget(notes)
    stack.addWidget(view)
    stack.resize(1200, 800)
    with qtbot.waitActive(stack):
        stack.show()
        stack.activateWindow()
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_context(rated_ctx)
    view.tabs.setCurrentWidget(view.exercises)
    panel = view.exercises
    panel.refresh()
    panel.select(made.id)
    assert panel.pages.currentWidget() is panel.score_page  # read and ready for when it is shown
    assert QApplication.focusWidget() is notes
    qtbot.keyClicks(QApplication.focusWidget(), "still typing")
    assert notes.toPlainText() == "still typing"
