"""Issue 16, item 3: Enter in a loop's "Add questions" search adds the current hit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.loops.conftest import Seed
from tests.ui.loops.test_loops_view import _loop, _plan, _view


def test_enter_in_the_search_adds_the_current_hit(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    view.page.add_questions()
    picker = view.page.picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    picker.activateWindow()
    picker.search.setFocus()
    qtbot.waitUntil(picker.search.hasFocus)
    everything = picker.proxy.rowCount()
    qtbot.keyClicks(picker.search, "delayed labels")
    qtbot.waitUntil(lambda: 0 < picker.proxy.rowCount() < everything)
    first = picker.selected_ids()
    assert len(first) == 1 and picker.search.hasFocus()
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert _plan(seed, loop_id, 0)[-1] == first[0]
