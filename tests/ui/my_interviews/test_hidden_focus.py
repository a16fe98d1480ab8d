"""My interviews, read while another section is shown, takes no keys (issue 16's keyboard walk: entered while it
read, the list took the focus when the read ended even after the person had gone to another section, so what
they typed next went to a hidden list). The window's rule, not My interviews' own: a section that is not shown
never takes the focus (ui/widgets/focus.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from interviewkit.services.loops import my_interviews
from interviewkit.ui.my_interviews import view as view_module
from interviewkit.ui.my_interviews.view import MyInterviewsView
from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.shell.window import MainWindow
from tests.ui.cockpit.conftest import Planned
from tests.ui.my_interviews.test_background_reads import SlowReads

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def slow(planned: Planned, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowReads]:
    reads = SlowReads(my_interviews(planned.ctx.db, planned.interviewer_id))
    monkeypatch.setattr(view_module, "my_interviews", reads)
    yield reads
    for gate in reads.gates:  # never leave a worker waiting
        gate.set()


def test_my_interviews_read_after_the_person_left_it_leaves_the_focus_where_they_are(
    qtbot: QtBot, planned: Planned, settings: QSettings, slow: SlowReads
) -> None:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    find = window.actions_by_id[ActionId.FIND]
    qtbot.waitUntil(lambda: find.shortcut().toString() == "Ctrl+F")  # the window's keys are there
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    assert window.stack.currentWidget() is mine and mine.loading  # entered while it reads
    assert slow.started.acquire(timeout=10)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2, CTRL)  # on to Loops meanwhile
    loops = window.section("loops")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is loops)
    typing = QApplication.focusWidget()
    assert isinstance(typing, QLineEdit) and loops.isAncestorOf(typing)  # Loops' search
    with qtbot.waitSignal(mine.sig_loading):
        slow.gates[0].set()  # My interviews' read ends behind Loops
    qtbot.waitUntil(lambda: mine.model.rowCount() == 1)
    assert QApplication.focusWidget() is typing
    qtbot.keyClicks(QApplication.focusWidget(), "Priya")
    assert typing.text() == "Priya"
    assert window.stack.focus_guard.refused >= 1  # My interviews asked for it, and was refused
    qtbot.keyClick(typing, Qt.Key.Key_1, CTRL)  # shown again, it takes the focus as on entry
    qtbot.waitUntil(mine.table.hasFocus)
