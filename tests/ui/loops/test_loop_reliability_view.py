"""The Loops screen's reliability lines (issue 18, point 2) follow the loop as it is built: a stage that rates
a competency adds an interviewer to its line, removing the stage takes it away."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import create_loop, loop_detail
from tests.ui.loops.conftest import TEMPLATE_ID, Seed
from tests.ui.loops.conftest import open_loops_view as _view

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_adding_a_stage_that_rates_a_competency_changes_its_reliability_line(qtbot: QtBot, seed: Seed) -> None:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = _view(qtbot, seed)
    panel = view.page.reliability_panel
    view.page.bottom_tabs.setCurrentWidget(panel)
    before = panel.line_of("hiring-team-building")
    assert before == (  # a coordinator, who sees no one's ratings: the published figure, said as such
        "Hiring and team building: 1 interviewer. No ratings you may see yet: with a typical interviewer "
        "agreement of 0.44, reliability 0.44; a second interviewer would raise it to 0.61."
    )
    row = next(i for i, n in enumerate(panel.model.notes()) if n.key == "hiring-team-building")
    tip = panel.model.index(row).data(Qt.ItemDataRole.ToolTipRole)
    assert "Rated in 5. People and hiring" in tip and "Huffcutt, Culbertson & Weyhrauch (2013)" in tip

    view.page.stage_list.setFocus()
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(view.page.stage_list, Qt.Key.Key_N, CTRL_SHIFT)  # Add stage
    editor = view.page.stage_editor
    editor.focus_view.setFocus()
    editor.focus_view.setCurrentIndex(editor.focus_model.index(editor.focus_model.row_of("hiring-team-building")))
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(editor.focus_view, Qt.Key.Key_Space)
    assert "hiring-team-building" in loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[-1].focus
    assert panel.line_of("hiring-team-building") == (
        "Hiring and team building: 2 interviewers. No ratings you may see yet: with a typical interviewer "
        "agreement of 0.44, reliability 0.61; a third interviewer would raise it to 0.70."
    )

    with qtbot.waitSignal(view.sig_loops_changed):
        view.page.act_remove_stage.trigger()  # the new stage has no plan: removed without asking
    assert panel.line_of("hiring-team-building") == before


def test_a_line_shows_the_first_stage_that_rates_it(qtbot: QtBot, seed: Seed) -> None:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = _view(qtbot, seed)
    panel = view.page.reliability_panel
    view.page.bottom_tabs.setCurrentWidget(panel)
    people_stage = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[4]
    row = next(i for i, n in enumerate(panel.model.notes()) if n.key == "hiring-team-building")
    rect = panel.view.visualRect(panel.model.index(row))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_stage_id() == people_stage.id
