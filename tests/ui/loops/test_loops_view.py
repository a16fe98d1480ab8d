"""The Loops section, driven like a coordinator: create a loop, edit stages and plans, read the coverage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import BREAK_MINUTES, create_loop, loop_coverage, loop_detail, loops
from interviewkit.ui.loops.view import EMPTY_TEXT, LoopsView
from interviewkit.ui.widgets.formatting import to_qdatetime
from interviewkit.ui.widgets.roles import StateRole, SubtitleRole
from tests.ui.loops.conftest import TEMPLATE_ID, Seed
from tests.ui.loops.conftest import open_loops_view as _view

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _loop(seed: Seed, **kwargs) -> int:  # type: ignore[no-untyped-def]
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop = create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN, **kwargs)
    return loop.id


def _plan(seed: Seed, loop_id: int, stage: int) -> list[str]:
    return [q.question_id for q in loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[stage].questions]


def _click_row(qtbot: QtBot, view, row: int) -> None:  # type: ignore[no-untyped-def]
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_empty_state_says_what_to_do(qtbot: QtBot, seed: Seed) -> None:
    view = _view(qtbot, seed)
    assert view.list_pane.stack.currentWidget() is view.list_pane.empty
    assert view.list_pane.empty.text() == EMPTY_TEXT == "No loops yet. Create one from a template: Ctrl+N"
    assert view.right_stack.currentWidget() is view.placeholder_page
    assert "A loop is the set of interviews planned for one candidate" in view.placeholder.text()
    assert "Ctrl+N" in view.list_pane.new_button.toolTip()


def test_create_a_loop_from_a_template_through_the_dialog(qtbot: QtBot, seed: Seed) -> None:
    view = _view(qtbot, seed)
    qtbot.keyClick(view.list_pane.search, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: view.new_loop_dialog is not None and view.new_loop_dialog.isVisible())
    dialog = view.new_loop_dialog
    assert dialog is not None
    dialog.candidate.setCurrentIndex(dialog.candidate.findData(seed.candidate_id))
    dialog.template.setCurrentIndex(dialog.template.findData(TEMPLATE_ID))
    assert len(dialog.interviewer_combos) == 6
    start_local = datetime(2030, 3, 4, 9, 30).astimezone()  # what the coordinator sees and types
    dialog.start.setDateTime(to_qdatetime(start_local))
    combos = dialog.interviewer_combos
    combos[0].setCurrentIndex(combos[0].findData(seed.people["Ana Ortiz"]))
    combos[1].setCurrentIndex(combos[1].findData(seed.people["Ben Chen"]))
    assert (
        "1. Hiring manager screen"
        in dialog.interviewer_form.itemAt(0, dialog.interviewer_form.ItemRole.LabelRole).widget().text()
    )

    with qtbot.waitSignal(view.sig_loops_changed) as blocker:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    loop_id = blocker.args[0]
    detail = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    assert (detail.candidate, detail.template_id) == ("Priya Natarajan", TEMPLATE_ID)
    assert [st.name for st in detail.stages][:2] == ["Hiring manager screen", "ML system design"]
    assert [st.interviewer_id for st in detail.stages[:3]] == [seed.people["Ana Ortiz"], seed.people["Ben Chen"], None]
    start_utc = start_local.astimezone(UTC)
    assert detail.stages[0].scheduled_at == start_utc
    assert detail.stages[1].scheduled_at == start_utc + timedelta(minutes=45 + BREAK_MINUTES)

    qtbot.waitUntil(lambda: view.new_loop_dialog is None)
    assert view.current_loop_id() == loop_id
    assert view.page.header.text() == "Priya Natarajan · ML Engineering Manager"
    assert view.page.stage_model.rowCount() == 6 and view.page.stage_editor.heading.text() == "Stage 1 of 6"
    assert "0 of 6 submitted" in view.list_pane.view.currentIndex().data(SubtitleRole)
    assert view.list_pane.count.text() == "1 loop"


def test_the_new_loop_dialog_keeps_its_input_on_a_problem(qtbot: QtBot, seed: Seed) -> None:
    view = _view(qtbot, seed)
    view.new_loop()
    dialog = view.new_loop_dialog
    assert dialog is not None
    dialog.candidate.setEditText("Nobody at all")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problems.isVisible()
    assert "Candidate: choose one from the list" in dialog.problems.text()
    assert dialog.candidate.currentText() == "Nobody at all"
    assert loops(seed.ctx.db, by=LOCAL_ADMIN) == []
    dialog.reject()


def test_an_empty_loop_from_the_dialog(qtbot: QtBot, seed: Seed) -> None:
    view = _view(qtbot, seed)
    view.new_loop()
    dialog = view.new_loop_dialog
    assert dialog is not None
    dialog.candidate.setCurrentIndex(dialog.candidate.findData(seed.other_candidate_id))
    dialog.template.setCurrentIndex(dialog.template.findData(""))
    assert not dialog.interviewers_box.isVisibleTo(dialog) and not dialog.start.isEnabled()
    qtbot.keyClicks(dialog.name, "Referral loop")
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert [(s.candidate, s.name, s.stages) for s in loops(seed.ctx.db, by=LOCAL_ADMIN)] == [
        ("Tomás Reyes", "Referral loop", 0)
    ]
    assert (
        "no stages yet" in view.page.stage_editor.empty.text().lower()
        and "Ctrl+Shift+N" in view.page.stage_editor.empty.text()
    )


def test_the_coverage_panel_matches_loop_coverage(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    coverage = loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    result = coverage.result
    assert result.total == 112 and 0 < result.assessed < 112  # the test template leaves gaps on purpose
    panel = view.page.coverage_panel
    assert f"{result.assessed} of {result.total} requirements assessed" in panel.summary.text()
    assert panel.summary.text().startswith("⚠") and panel.summary.property("state") == "warning"
    assert panel.unassessed_label.text() == f"Not assessed ({len(result.unassessed)})"
    assert panel.unassessed_model.texts() == [coverage.requirement_text[r] for r in result.unassessed]
    assert panel.problems_model.notes()[0].state == "ok"  # the template's plan fits and has no repeats

    detail = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    _click_row(qtbot, view.page.stage_list, 1)
    assert view.current_stage_id() == detail.stages[1].id
    assert panel.stage_model.texts() == [coverage.requirement_text[r] for r in result.by_stage[detail.stages[1].id]]
    assert panel.stage_label.text().startswith(
        f"Assessed in 2. ML system design ({len(result.by_stage[detail.stages[1].id])}"
    )


def test_reorder_the_plan_with_alt_down_and_by_dragging(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    before = _plan(seed, loop_id, 0)
    view = _view(qtbot, seed)
    editor = view.page.stage_editor
    plan = editor.plan_view
    plan.setFocus()
    plan.setCurrentIndex(editor.plan_model.index(0))
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(plan, Qt.Key.Key_Down, ALT)
    assert _plan(seed, loop_id, 0) == [before[1], before[0], before[2]]
    assert editor.current_question_id() == before[0]  # the moved question stays selected
    assert editor.plan_model.index(1).data().startswith("2. ")

    # drag the last question above the first one: enter, move over the top of row 0, drop
    model = editor.plan_model
    data = model.mimeData([model.index(2)])
    top = plan.visualRect(model.index(0))
    pos = QPointF(top.center().x(), top.top() + 3)
    rest = (Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)

    def event(cls, point: QPointF):  # type: ignore[no-untyped-def]
        # Qt 6.11 takes QPoint for drag enter/move and QPointF for drop; 6.12 takes QPointF for all.
        try:
            return cls(point, *rest)
        except TypeError:
            return cls(point.toPoint(), *rest)

    enter, move = event(QDragEnterEvent, pos), event(QDragMoveEvent, pos)
    QApplication.sendEvent(plan.viewport(), enter)
    QApplication.sendEvent(plan.viewport(), move)
    assert enter.isAccepted() and move.isAccepted()
    with qtbot.waitSignal(view.sig_loops_changed):
        QApplication.sendEvent(plan.viewport(), event(QDropEvent, pos))
    assert _plan(seed, loop_id, 0) == [before[2], before[1], before[0]]
    assert model.question_ids() == [before[2], before[1], before[0]]


def test_delete_removes_the_selected_question(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    before = _plan(seed, loop_id, 0)
    view = _view(qtbot, seed)
    plan = view.page.stage_editor.plan_view
    plan.setFocus()
    plan.setCurrentIndex(view.page.stage_editor.plan_model.index(1))
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(plan, Qt.Key.Key_Delete)
    assert _plan(seed, loop_id, 0) == [before[0], before[2]]
    assert view.page.stage_editor.current_question_id() == before[2]  # the next one is ready for another Delete


def test_add_a_question_with_the_picker(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    view.page.stage_editor.plan_view.setFocus()
    qtbot.keyClick(view.page.stage_editor.plan_view, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: view.page.picker is not None and view.page.picker.isVisible())
    picker = view.page.picker
    assert picker is not None
    everything = picker.proxy.rowCount()
    qtbot.keyClicks(picker.search, "delayed labels")
    qtbot.waitUntil(lambda: 0 < picker.proxy.rowCount() < everything)
    assert picker.select_question("retraining-with-delayed-labels")
    # 36 of the stage's 45 minutes are planned; this question takes 15
    assert picker.budget.text() == "⚠ The selection takes 15 min: 6 min more than this stage has left"
    picker.table.setFocus()
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert _plan(seed, loop_id, 0)[-1] == "retraining-with-delayed-labels"
    assert view.page.stage_editor.current_question_id() == "retraining-with-delayed-labels"
    assert view.page.stage_editor.planned.text() == "Planned 51 of 45 minutes: 6 minutes over"
    assert loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN).result.overrun == {
        loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].id: 51
    }


def test_the_picker_leaves_out_the_stage_s_own_questions(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    own = set(_plan(seed, loop_id, 0))
    view = _view(qtbot, seed)
    view.page.add_questions()
    picker = view.page.picker
    assert picker is not None
    shown = {picker.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id for r in range(picker.proxy.rowCount())}
    assert shown and not shown & own
    picker.reject()


def test_a_stage_whose_plan_overruns_shows_the_warning(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    stage = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[1]  # ML system design, 60 minutes
    planned, short = stage.planned_minutes, stage.planned_minutes - 7  # read from the bank's minutes
    assert stage.minutes == 60 and 7 < planned < 60
    view = _view(qtbot, seed)
    _click_row(qtbot, view.page.stage_list, 1)
    editor = view.page.stage_editor
    assert editor.planned.text() == f"Planned {planned} of 60 minutes, {60 - planned} free"
    assert not editor.planned_icon.isVisibleTo(view)
    editor.minutes.setFocus()
    editor.minutes.selectAll()
    qtbot.keyClicks(editor.minutes, str(short))
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(editor.minutes, Qt.Key.Key_Return)
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[1].minutes == short
    assert loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN).result.overrun == {stage.id: planned}

    assert editor.planned.text() == f"Planned {planned} of {short} minutes: 7 minutes over"  # words, not colour
    assert editor.planned.property("state") == "warning" and editor.planned_icon.isVisibleTo(view)
    row = view.page.stage_model.index(1)
    assert row.data(StateRole) == "warning" and row.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "7 minutes over" in row.data(Qt.ItemDataRole.ToolTipRole)
    warnings = [n for n in view.page.coverage_panel.problems_model.notes() if n.state == "warning"]
    assert [n.text for n in warnings] == [
        f"Stage 2. ML system design does not fit: planned {planned} of {short} minutes, 7 minutes over"
    ]
    assert view.page.coverage_panel.problems_model.index(0).data(Qt.ItemDataRole.DecorationRole) is not None


def test_a_question_planned_in_two_stages_is_reported(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    detail = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    view = _view(qtbot, seed)
    _click_row(qtbot, view.page.stage_list, 3)  # Data and platforms
    view.page.add_questions()
    picker = view.page.picker
    assert picker is not None
    qtbot.keyClicks(picker.search, "drift incident")
    qtbot.waitUntil(lambda: picker.select_question("drift-incident-retraining"))
    index = picker.table.currentIndex().siblingAtColumn(0)
    assert "Already planned in: 3. Production ML and MLOps" in index.data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)

    result = loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN).result
    assert result.repeated == {"drift-incident-retraining": [detail.stages[2].id, detail.stages[3].id]}
    notes = view.page.coverage_panel.problems_model.notes()
    assert [n.state for n in notes] == ["warning", "warning"]
    assert notes[0].text.startswith("Stage 4. Data and platforms does not fit")  # 36 + 12 minutes of 45
    assert notes[1].text == (
        "“A model that degraded in production” is planned twice: in 3. Production ML and MLOps and "
        "4. Data and platforms"
    )
    # activating the warning shows the first stage that plans the question
    _click_row(qtbot, view.page.coverage_panel.problems_view, 1)
    assert view.current_stage_id() == detail.stages[2].id


def test_stage_fields_save_at_once_and_problems_keep_the_input(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    editor = view.page.stage_editor
    editor.name.setFocus()
    editor.name.selectAll()
    qtbot.keyClick(editor.name, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert editor.problems.isVisible() and "Stage name: required" in editor.problems.text()
    assert editor.name.text() == ""
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].name == "Hiring manager screen"

    qtbot.keyClicks(editor.name, "Hiring manager conversation")
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert not editor.problems.isVisible()
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].name == "Hiring manager conversation"
    assert view.page.stage_model.index(0).data() == "1. Hiring manager conversation"

    with qtbot.waitSignal(view.sig_loops_changed):
        editor.interviewer.setCurrentIndex(editor.interviewer.findData(seed.people["Chidi Diallo"]))
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].interviewer_id == seed.people["Chidi Diallo"]
    assert view.page.stage_model.index(0).data(SubtitleRole).startswith("Chidi Diallo · ")

    local = datetime(2030, 5, 6, 14, 30).astimezone()
    with qtbot.waitSignal(view.sig_loops_changed):
        editor.when.setDateTime(QDateTime(to_qdatetime(local)))
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].scheduled_at == local.astimezone(UTC)
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.mouseClick(editor.scheduled, Qt.MouseButton.LeftButton)
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].scheduled_at is None

    focus_row = editor.focus_model.row_of("hiring-team-building")
    editor.focus_view.setFocus()
    editor.focus_view.setCurrentIndex(editor.focus_model.index(focus_row))
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(editor.focus_view, Qt.Key.Key_Space)
    assert set(loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].focus) == {
        "people-leadership",
        "technical-strategy",
        "hiring-team-building",
    }


def test_stages_move_with_ctrl_arrows_are_added_and_removed(
    qtbot: QtBot, seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_id = _loop(seed)
    first = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0]
    view = _view(qtbot, seed)
    view.page.stage_list.setFocus()
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(view.page.stage_list, Qt.Key.Key_Down, CTRL)
    stages = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages
    assert [st.id for st in stages][1] == first.id and view.current_stage_id() == first.id
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(view.page.stage_list, Qt.Key.Key_Up, CTRL)
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].id == first.id

    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(view.page.stage_list, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    stages = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages
    added = stages[-1]
    assert (len(stages), added.name, added.minutes) == (7, "Stage 7", 45)
    assert added.scheduled_at == stages[5].scheduled_at + timedelta(minutes=stages[5].minutes + BREAK_MINUTES)  # type: ignore[operator]
    assert view.current_stage_id() == added.id and view.page.stage_editor.name.hasFocus()
    qtbot.keyClicks(view.page.stage_editor.name, "Culture and values")
    with qtbot.waitSignal(view.sig_loops_changed):
        qtbot.keyClick(view.page.stage_editor.name, Qt.Key.Key_Return)
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[-1].name == "Culture and values"

    with qtbot.waitSignal(view.sig_loops_changed):
        view.page.act_remove_stage.trigger()  # no plan yet: no question asked
    assert len(loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages) == 6
    assert view.current_stage_id() == loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[-1].id

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    view.page.act_remove_stage.trigger()  # this one has a plan: the coordinator is asked first
    assert asked and "plan of 3 questions" in asked[0]
    assert len(loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages) == 6


def test_search_filters_the_loops(qtbot: QtBot, seed: Seed) -> None:
    _loop(seed)
    create_loop(seed.ctx.db, seed.other_candidate_id, template_id=TEMPLATE_ID, by=LOCAL_ADMIN)
    view = _view(qtbot, seed)
    assert view.list_pane.proxy.rowCount() == 2
    view.focus_search()
    qtbot.keyClicks(view.list_pane.search, "tomas")  # accents are ignored
    qtbot.waitUntil(lambda: view.list_pane.proxy.rowCount() == 1)
    assert view.page.header.text().startswith("Tomás Reyes")
    assert view.list_pane.count.text() == "1 of 2 loops"
    qtbot.keyClicks(view.list_pane.search, " nobody")
    qtbot.waitUntil(lambda: view.list_pane.proxy.rowCount() == 0)
    assert (
        view.list_pane.stack.currentWidget() is view.list_pane.empty
        and "No loop matches" in view.list_pane.empty.text()
    )
    qtbot.keyClick(view.list_pane.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.list_pane.proxy.rowCount() == 2)


def test_delete_a_loop(qtbot: QtBot, seed: Seed, monkeypatch: pytest.MonkeyPatch) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.sig_loops_changed) as blocker:
        view.page.act_delete_loop.trigger()
    assert blocker.args == [loop_id]
    assert loops(seed.ctx.db, by=LOCAL_ADMIN) == []
    assert view.list_pane.empty.text() == EMPTY_TEXT and view.right_stack.currentWidget() is view.placeholder_page


def test_ctrl_p_asks_for_the_selected_stages_interview_kit(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    detail = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    _click_row(qtbot, view.page.stage_list, 1)
    assert view.page.act_export_kit.isEnabled()
    with qtbot.waitSignal(view.sig_kit_export_requested) as asked:
        qtbot.keyClick(view.page.stage_list, Qt.Key.Key_P, CTRL)
    assert asked.args == [detail.stages[1].id]


def test_an_interviewer_sees_the_loop_read_only(qtbot: QtBot, seed: Seed) -> None:
    from dataclasses import replace

    loop_id = _loop(seed, interviewers=[seed.people["Ben Chen"]])
    ben = replace(seed.ctx, user_id=seed.people["Ben Chen"])  # an interviewer on the panel: may not plan loops
    view = LoopsView()
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.set_context(ben)
    view.show()
    assert view.select_loop(loop_id)
    editor = view.page.stage_editor
    assert not editor.editable and "read-only" in editor.heading.text()
    assert editor.name.isReadOnly() and not editor.focus_view.isEnabled()
    assert not editor.act_add_question.isEnabled() and not editor.act_remove_question.isEnabled()
    assert not view.page.act_add_stage.isEnabled() and not view.act_new_loop.isEnabled()
    assert view.page.act_export_kit.isEnabled()  # reading and printing the kit stay open to everyone
    before = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].name
    editor.name.setFocus()
    qtbot.keyClicks(editor.name, "X")
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].name == before
    view.set_context(seed.ctx)  # the coordinator
    assert editor.editable and not editor.name.isReadOnly() and editor.act_add_question.isEnabled()
