"""A loop's keys work "on a loop shown in Loops" wherever the focus is, the list of loops too, and a stage added
with Ctrl+Shift+N has its name selected to type over once the loop is read again (the keyboard walk of issue 16
at 1280x800: Ctrl+Shift+N in the list did nothing and the letters jumped the list; from the loop, the typed name
was appended to "Stage 5" because the loop's read after the write put the text back unselected)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import create_loop, loop_detail
from interviewkit.ui.loops.view import LoopsView
from interviewkit.ui.shell.section import StandaloneHost

from .conftest import TEMPLATE_ID, Seed

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_n_from_the_list_adds_a_stage_whose_name_is_ready_to_type(qtbot: QtBot, seed: Seed) -> None:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = LoopsView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))  # the loop is read on the pool, as in the window
    view.resize(1200, 760)
    view.set_context(seed.ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    qtbot.waitUntil(lambda: view.page.detail is not None and view.page.detail.id == loop_id, timeout=10000)
    view.list_pane.view.setFocus()
    qtbot.waitUntil(view.list_pane.view.hasFocus)
    qtbot.keyClick(view.list_pane.view, Qt.Key.Key_N, CTRL_SHIFT)
    name = view.page.stage_editor.name
    qtbot.waitUntil(lambda: len(view.page.detail.stages) == 7 and name.hasFocus(), timeout=10000)  # type: ignore[union-attr]
    assert name.text() == "Stage 7" and name.selectedText() == "Stage 7"
    qtbot.keyClicks(QApplication.focusWidget(), "Team lunch")
    assert name.text() == "Team lunch"
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[-1].name == "Team lunch")
    assert view.current_loop_id() == loop_id  # the letters went to the name, not to the list's search
