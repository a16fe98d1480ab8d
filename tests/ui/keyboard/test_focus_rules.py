"""Issue 16, item 3: where the focus lands, so that the keys the README names work without a click first."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.debrief import decisions
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.my_interviews.view import MyInterviewsView
from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.ui.cockpit.conftest import Planned
from tests.ui.conftest import settle, show_main_window
from tests.ui.debrief.conftest import Demo, seeded  # noqa: F401 - the fixture

CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot: QtBot, settings: QSettings, ctx: object) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)  # type: ignore[arg-type]
    show_main_window(qtbot, window)
    return window


def test_my_interviews_takes_the_focus_and_enter_opens_the_interview(
    qtbot: QtBot, planned: Planned, settings: QSettings
) -> None:
    window = _window(qtbot, settings, planned.ctx)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is mine and mine.table.hasFocus())  # not the navigation
    qtbot.keyClick(mine.table, Qt.Key.Key_Return)
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    assert cockpit.state is not None and cockpit.state.stage_id == planned.stage_id
    qtbot.keyClick(cockpit.notes, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is mine and mine.table.hasFocus())  # back on the list


def test_enter_on_the_resume_banner_resumes(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    crashed = "vm-that-crashed:999999:dead"
    svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, crashed)
    with planned.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))
    window = _window(qtbot, settings, planned.ctx)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    qtbot.waitUntil(lambda: mine.resume_bar.isVisible() and mine.table.hasFocus())
    assert "Enter" in mine.resume_button.toolTip()
    mine.resume_button.setFocus()
    qtbot.waitUntil(mine.resume_button.hasFocus)
    qtbot.keyClick(mine.resume_button, Qt.Key.Key_Return)
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)


def test_ctrl_p_in_debriefs_works_right_after_recording_a_decision(
    qtbot: QtBot,
    settings: QSettings,
    seeded: Demo,  # noqa: F811
) -> None:
    window = _window(qtbot, settings, seeded.ctx)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_3, CTRL)
    view = window.section("debriefs")
    assert isinstance(view, DebriefView)
    settle(qtbot, window)  # the list is read off the GUI thread
    assert view.select_candidate(next(iter(seeded.candidates.values())))
    settle(qtbot, window)  # the candidate's debrief is read off the GUI thread too
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    if not panel.form_page.isVisible():  # decided already in the demo: a reopening, with its reason
        panel.reopen_button.click()
        panel.reopen_reason.setText("The references came back.")
    qtbot.mouseClick(panel.outcome_buttons["hold"], Qt.MouseButton.LeftButton)
    panel.rationale.setFocus()
    qtbot.keyClicks(panel.rationale, "Hold until the second opening is confirmed.")
    candidate = view.current_candidate_id()
    assert candidate is not None
    before = len(decisions(seeded.db, candidate, by=LOCAL_ADMIN))
    with qtbot.waitSignal(view.sig_decision_recorded, timeout=10000):
        qtbot.keyClick(panel.rationale, Qt.Key.Key_Return, CTRL)
    assert len(decisions(seeded.db, candidate, by=LOCAL_ADMIN)) == before + 1
    focus = QApplication.focusWidget()
    assert focus is view.grid
    qtbot.keyClick(focus, Qt.Key.Key_P, CTRL)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    assert "Debrief packet" in dialog.windowTitle()
    dialog.reject()


def test_file_export_pdf_shows_its_shortcut(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    window = _window(qtbot, settings, planned.ctx)
    export = window.actions_by_id[ActionId.EXPORT_PDF]
    assert export in window.file_menu.actions()
    assert export.shortcut().toString() == "Ctrl+P" or export.text().endswith("\tCtrl+P")
