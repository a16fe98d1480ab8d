"""Keys typed while an interview opens (the scorecard is read on a worker thread, seconds on a busy machine):
they go into the first question's notes once the page shows, not into My interviews meanwhile; a submitted
scorecard drops them; shortcuts are never held."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services import scorecards
from interviewkit.ui.cockpit import cockpit as cockpit_module
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.my_interviews.view import MyInterviewsView
from interviewkit.ui.shell.window import MainWindow
from tests.ui.conftest import show_main_window

from .conftest import Planned


class HeldOpen:
    """``open_scorecard`` made to wait for the test on its worker thread."""

    def __init__(self, real: Any) -> None:
        self.gate = threading.Event()
        self.threads: list[threading.Thread] = []
        self.real = real  # the service itself, for the tests' own setup


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldOpen]:
    real = scorecards.open_scorecard
    record = HeldOpen(real)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        record.threads.append(threading.current_thread())
        assert record.gate.wait(20), "the test never let the scorecard open"
        return real(*args, **kwargs)

    monkeypatch.setattr(cockpit_module.svc, "open_scorecard", wrapped)
    yield record
    record.gate.set()  # never leave a pool thread waiting


def _enter_on_my_interviews(qtbot: QtBot, planned: Planned, settings: QSettings, held: HeldOpen) -> MainWindow:
    """A window on My interviews; Enter pressed on the interview, whose opening waits on its worker."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    show_main_window(qtbot, window)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    qtbot.waitUntil(lambda: mine.table.hasFocus() and mine.table.currentIndex().isValid())
    qtbot.keyClick(mine.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(held.threads), timeout=10000)
    assert held.threads[0] is not threading.main_thread()
    assert window.stack.currentWidget() is mine  # still opening: the list is shown
    return window


def _type(qtbot: QtBot, text: str) -> None:
    """Type where the focus is, as a person does."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClicks(target, char)


def test_what_is_typed_while_the_interview_opens_lands_in_its_notes(
    qtbot: QtBot, planned: Planned, settings: QSettings, held: HeldOpen
) -> None:
    window = _enter_on_my_interviews(qtbot, planned, settings, held)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    row = mine.table.currentIndex().row()
    _type(qtbot, "joined 5 min lattt")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    _type(qtbot, "e")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # a second Enter opens nothing else
    _type(qtbot, "- calm")
    assert mine.table.currentIndex().row() == row  # the letters did not search the list meanwhile
    held.gate.set()
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    assert cockpit.notes.toPlainText() == "joined 5 min late\n- calm"
    assert cockpit.notes.hasFocus() and not cockpit.early_keys.holding
    assert len(held.threads) == 1  # one interview opened
    _type(qtbot, "!")  # and typing goes on where it went
    assert cockpit.notes.toPlainText() == "joined 5 min late\n- calm!"
    cockpit.flush()
    state = scorecards.scorecard_state(planned.ctx.db, cockpit.state.id, by=planned.interviewer_id)
    assert state.questions[0].notes == "joined 5 min late\n- calm!"  # kept like any note


def test_a_submitted_scorecard_drops_what_was_typed_while_it_opened(
    qtbot: QtBot, planned: Planned, settings: QSettings, held: HeldOpen
) -> None:
    db, me = planned.ctx.db, planned.interviewer_id
    card = held.real(db, planned.stage_id, me, planned.ctx.instance_id)
    ratings = {"monitoring-drift": scorecards.RatingState(2), "mlops-cicd": scorecards.RatingState(3)}
    changes = scorecards.DraftChanges(ratings=ratings, recommendation="No", summary="Thin on monitoring.")
    scorecards.save_draft(db, card.id, planned.ctx.instance_id, changes, by=me)
    scorecards.submit(db, card.id, me, planned.ctx.settings)
    window = _enter_on_my_interviews(qtbot, planned, settings, held)
    _type(qtbot, "typed blind")
    held.gate.set()
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    assert cockpit.state.locked and not cockpit.early_keys.holding
    assert "typed blind" not in cockpit.notes.toPlainText() and "typed blind" not in cockpit.summary.toPlainText()
