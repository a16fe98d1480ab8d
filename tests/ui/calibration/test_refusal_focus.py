"""After a refused new exercise the focus goes to the field the refusal names, where the next keystroke fixes it
(keyboard walk of issue 16: 'Rationale: say why…' showed under the form while the cursor stayed in the
transcript; Shift+Tab was needed)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services.context import AppContext
from tests.ui.calibration.test_calibration_view import _view, rated_ctx  # noqa: F401 - the fixture

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def test_a_refused_exercise_puts_the_cursor_in_the_field_named(
    qtbot: QtBot,
    rated_ctx: AppContext,  # noqa: F811
) -> None:
    view = _view(qtbot, rated_ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.tabs.setCurrentWidget(view.exercises)
    panel, page = view.exercises, view.exercises.create_page
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_N, CTRL)
    panel.choose_question("latency-regression")
    qtbot.waitUntil(lambda: all(b.isVisible() for b in page.agreed_picker.buttons.values()))  # its levels shown
    page.transcript_edit.setFocus()
    qtbot.keyClicks(page.transcript_edit, "p99 went from 80 to 140 ms.")
    qtbot.keyClick(page.transcript_edit, Qt.Key.Key_Return, CTRL)  # no rating yet: refused in the form
    assert page.problems.text().startswith("⚠ Agreed rating")
    assert page.agreed_picker.isAncestorOf(panel.focusWidget())
    qtbot.keyClick(panel.focusWidget(), Qt.Key.Key_3, ALT)
    page.transcript_edit.setFocus()
    qtbot.keyClick(page.transcript_edit, Qt.Key.Key_Return, CTRL)  # no rationale: the service refuses
    qtbot.waitUntil(lambda: page.problems.text().startswith("⚠ Rationale"))
    assert page.rationale_edit.hasFocus()
    qtbot.keyClicks(page.rationale_edit, "Numbers, no process change.")  # typed where it was asked for
    with qtbot.waitSignal(panel.sig_created):
        qtbot.keyClick(page.rationale_edit, Qt.Key.Key_Return, CTRL)
