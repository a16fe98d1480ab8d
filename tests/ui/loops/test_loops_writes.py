"""Loops' writes run off the GUI thread (the screen shows the write is under way, then what is stored), and
what others change reaches the screen as a change event."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes
from interviewkit.services.loops import create_loop, loop_detail, loops
from interviewkit.ui.loops.view import LoopsView
from tests.ui.loops.conftest import TEMPLATE_ID, DeferredHost, Seed, open_loops_view


def _view(qtbot: QtBot, seed: Seed, host: DeferredHost | None = None) -> LoopsView:
    view: LoopsView = open_loops_view(qtbot, seed, host)
    return view


def _loop(seed: Seed) -> int:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    return create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id


def test_a_stage_edit_is_saved_in_the_background_then_shown_as_stored(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    host = DeferredHost(LoopsView())
    view = _view(qtbot, seed, host)
    editor = view.page.stage_editor
    editor.minutes.setFocus()
    editor.minutes.selectAll()
    qtbot.keyClicks(editor.minutes, "30")
    qtbot.keyClick(editor.minutes, Qt.Key.Key_Return)
    assert host.busy == ["Saving the stage"]  # the window shows it, with a busy cursor
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].minutes == 45  # not yet written
    assert editor.minutes.value() == 30  # what was typed stays while it is saved
    with qtbot.waitSignal(view.sig_loops_changed):
        host.finish_all()
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].minutes == 30
    assert editor.planned.text() == "Planned 36 of 30 minutes: 6 minutes over"
    assert view.page.stage_model.index(0).data(Qt.ItemDataRole.ToolTipRole).count("6 minutes over") == 1


def test_the_new_loop_dialog_waits_for_the_loop_then_closes(qtbot: QtBot, seed: Seed) -> None:
    host = DeferredHost(LoopsView())
    view = _view(qtbot, seed, host)
    view.new_loop()
    dialog = view.new_loop_dialog
    assert dialog is not None
    dialog.select_candidate(seed.other_candidate_id)
    dialog.select_template(TEMPLATE_ID)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert host.busy == ["Creating the loop"]
    assert not dialog.create_button.isEnabled() and dialog.create_button.text() == "Creating…"
    dialog.reject()  # Esc while the loop is being created: the dialog waits for the answer
    assert dialog.isVisible() and loops(seed.ctx.db, by=LOCAL_ADMIN) == []
    with qtbot.waitSignal(view.sig_loops_changed) as created:
        host.finish_all()
    qtbot.waitUntil(lambda: view.new_loop_dialog is None)
    assert view.current_loop_id() == created.args[0]
    assert view.page.header.text().startswith("Tomás Reyes")


def test_a_refusal_in_the_background_keeps_the_input_and_says_why(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    host = DeferredHost(LoopsView())
    view = _view(qtbot, seed, host)
    editor = view.page.stage_editor
    editor.name.setFocus()
    editor.name.selectAll()
    qtbot.keyClick(editor.name, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert host.busy == ["Saving the stage"] and not editor.problems.isVisible()
    host.finish_all()
    assert editor.problems.isVisible() and "Stage name: required" in editor.problems.text()
    assert editor.name.text() == ""
    assert loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].name == "Hiring manager screen"


def test_people_and_candidates_changed_elsewhere_reach_the_loops(qtbot: QtBot, seed: Seed) -> None:
    loop_id = _loop(seed)
    view = _view(qtbot, seed)
    combo = view.page.stage_editor.interviewer
    dana = people.create_person(seed.ctx.db, name="Dana Kim", email="dana@example.com", by=LOCAL_ADMIN)
    assert combo.findData(dana.id) < 0
    view.apply_changes(Changes.of(people=[dana.id]))  # added in People
    assert combo.findData(dana.id) >= 0
    assert view.current_loop_id() == loop_id and view.current_stage_id() is not None  # kept

    priya = people.candidate(seed.ctx.db, seed.candidate_id, by=LOCAL_ADMIN)
    people.update_candidate(
        seed.ctx.db, priya.id, name="Priya N. Natarajan", opening_id=priya.opening_id, by=LOCAL_ADMIN
    )
    view.apply_changes(Changes.of(decisions=[priya.id]))  # not something the loops show
    assert view.page.header.text().startswith("Priya Natarajan ·")
    view.apply_changes(Changes.of(candidates=[priya.id]))
    assert view.page.header.text().startswith("Priya N. Natarajan ·")
    assert view.list_pane.view.currentIndex().data() == "Priya N. Natarajan"

    other = create_loop(seed.ctx.db, seed.other_candidate_id, template_id=TEMPLATE_ID, by=LOCAL_ADMIN).id
    view.apply_changes(Changes.of(loops=[other]))  # planned by someone else
    assert view.list_pane.model.row_of(other) >= 0 and view.current_loop_id() == loop_id
