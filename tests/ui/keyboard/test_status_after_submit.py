"""Issue 16, item 2: no false "Not saved" after a successful submit, and a screen's status messages do not
outlive the interview or the person."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.scorecards import DraftChanges
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.shell.window import MainWindow
from tests.ui.cockpit.conftest import Planned
from tests.ui.conftest import show_main_window

CTRL = Qt.KeyboardModifier.ControlModifier


def open_interview(qtbot: QtBot, planned: Planned, settings: QSettings) -> tuple[MainWindow, CockpitView]:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    show_main_window(qtbot, window)
    window.open_stage(planned.stage_id)
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    return window, cockpit


def ready_to_submit(qtbot: QtBot, cockpit: CockpitView) -> None:
    qtbot.keyClicks(cockpit.notes, "- detected drift from a business report")
    for _ in cockpit.ratings.rows:
        cockpit.rate(3)
        cockpit.move_focus_row(1)
    qtbot.keyClick(cockpit.notes, Qt.Key.Key_F10)
    qtbot.keyClick(cockpit.summary, Qt.Key.Key_3, CTRL)
    cockpit.summary.setFocus()
    qtbot.keyClicks(cockpit.summary, "Solid on monitoring.")


def test_a_late_autosave_after_submit_is_no_false_alarm(
    qtbot: QtBot, planned: Planned, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cockpit = open_interview(qtbot, planned, settings)
    ready_to_submit(qtbot, cockpit)
    real, release, started = svc.submit, threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:  # the database has it; the window hears of it a little later
        result = real(*args, **kwargs)
        started.set()
        assert release.wait(10)
        return result

    monkeypatch.setattr(svc, "submit", held)
    said: list[str] = []
    cockpit.sig_save_status.connect(said.append)
    qtbot.keyClick(cockpit.summary, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(started.is_set)
    saving = cockpit._saving
    assert saving is not None
    saving.push(DraftChanges(elapsed_seconds=99.0))  # a clock tick that arrives while the submission runs
    qtbot.wait(600)  # past the autosave's interval: a batch queued then would be written now, and refused
    with qtbot.waitSignal(cockpit.sig_submitted, timeout=10000):
        release.set()
    assert not [text for text in said if "Not saved" in text]
    assert "Not saved" not in window.save_label.text()
    assert "Not saved" not in window.statusBar().currentMessage()
    assert "Submitted" in window.statusBar().currentMessage() or window.save_label.text() == ""
    assert cockpit.header.recovery_label.isHidden()
    assert cockpit.state is not None
    stored = svc.scorecard_state(planned.ctx.db, cockpit.state.id, by=LOCAL_ADMIN)
    assert stored.status == "submitted" and stored.summary == "Solid on monitoring."


def test_the_save_state_goes_with_the_interview_and_the_person(
    qtbot: QtBot, planned: Planned, settings: QSettings
) -> None:
    window, cockpit = open_interview(qtbot, planned, settings)
    qtbot.keyClicks(cockpit.notes, "- a note")
    qtbot.waitUntil(lambda: window.save_label.text() == "Saved")
    qtbot.keyClick(cockpit.notes, Qt.Key.Key_W, CTRL)  # leave the interview
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.section("my_interviews"))
    assert window.save_label.text() == ""
    window.save_label.setText("Not saved: something a screen said")
    window.notify("Something a screen said")
    window.session.sig_person_changed.emit()  # as switching person does, once the person is chosen
    assert window.save_label.text() == "" and window.statusBar().currentMessage() == ""
