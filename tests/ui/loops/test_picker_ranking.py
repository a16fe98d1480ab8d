"""Loops' "Add questions" picker (Ctrl+K on a loop) answers a search as the bank does (issue 16: "the same ranking
in Ctrl+K"; UX.md: lists that answer a search are ordered best match first, with the matched words highlighted).
The keyboard walk found its hits in alphabetical order and nothing marked."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import search_question_ids
from interviewkit.services.loops import create_loop, loop_detail
from interviewkit.ui.widgets.question_model import SummaryRole
from tests.ui.loops.conftest import TEMPLATE_ID, Seed
from tests.ui.loops.conftest import open_loops_view as _view

CTRL = Qt.KeyboardModifier.ControlModifier
BEST = "Improving how the team uses a model registry"  # alphabetically 'A launch date against…' came first


def test_the_picker_lists_the_best_match_first_marks_the_words_and_enter_adds_it(qtbot: QtBot, seed: Seed) -> None:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = _view(qtbot, seed)
    view.page.stage_editor.plan_view.setFocus()
    qtbot.keyClick(view.page.stage_editor.plan_view, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: view.page.picker is not None and view.page.picker.isVisible())
    picker = view.page.picker
    assert picker is not None
    qtbot.keyClicks(picker.search, "registry")
    shown = [picker.proxy.index(r, 0).data(SummaryRole).id for r in range(picker.proxy.rowCount())]
    assert shown == search_question_ids(seed.ctx.db, "registry", ranked=True)  # the bank's order, all of it
    first = picker.proxy.index(0, 0)
    assert first.data() == BEST
    assert picker.selected_ids() == [shown[0]]  # the best match is the one Enter adds
    assert picker.matches.marked(first) == "Improving how the team uses a model <b>registry</b>"
    rect = picker.table.visualRect(first)
    marked = picker.table.viewport().grab(rect).toImage()
    picker.matches.set_pattern("")
    plain = picker.table.viewport().grab(rect).toImage()
    assert marked != plain  # the bold word is painted
    picker.search.clear()  # by title again, nothing marked
    titles = [picker.proxy.index(r, 0).data() for r in range(picker.proxy.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    assert picker.matches.marked(picker.proxy.index(0, 0)) is None
    qtbot.keyClicks(picker.search, "registry")
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    plan = [q.question_id for q in loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].questions]
    assert plan[-1] == shown[0]
