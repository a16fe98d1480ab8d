"""The Loops screen and the second edition's screens (issue 14): the coverage panel counts requirements
assessed by planned questions (primary links), those the recruiter's screen checks apart, and the rest with
what only touches them and whether they are must-haves; a screen stage is shown as a checklist, not as an
interview without questions or focus."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loop_plan import coverage_figures
from interviewkit.services.loops import create_loop, loop_coverage, loop_detail, set_stage_plan
from tests.ui.loops.conftest import Seed
from tests.ui.loops.conftest import open_loops_view as _view


def test_the_coverage_counts_what_the_screen_checks_apart(qtbot: QtBot, seed: Seed) -> None:  # issue 14
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id="ml-em-standard", start=start, by=LOCAL_ADMIN).id
    for stage in loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[1:3]:  # leave must-haves out
        set_stage_plan(seed.ctx.db, stage.id, [], by=LOCAL_ADMIN)
    coverage = loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN)
    figures = coverage_figures(coverage)
    assert figures.screened > 0 and figures.must_haves_unassessed > 0  # the screen checks CV facts
    view = _view(qtbot, seed)
    panel = view.page.coverage_panel
    assert panel.summary.text() == "⚠ " + figures.sentence().removeprefix("⚠ ").removeprefix("· ")
    assert f" · {figures.screened} checked by the screen" in panel.summary.text()
    shown = [n.key for n in panel.unassessed_model.notes()]
    assert shown == coverage.unassessed and not set(shown) & set(coverage.screened)
    assert panel.unassessed_label.text() == f"Not assessed ({len(coverage.unassessed)})"
    for note in panel.unassessed_model.notes():  # a must-have left out is marked, and the words say so
        must = note.key in coverage.must_haves_unassessed
        assert (note.state == "warning") == must and ("(a must-have)" in note.tooltip) == must
    assert any(n.state == "warning" for n in panel.unassessed_model.notes()) == bool(figures.must_haves_unassessed)


def test_a_screen_stage_is_a_checklist_not_an_empty_interview(qtbot: QtBot, seed: Seed) -> None:
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = create_loop(seed.ctx.db, seed.candidate_id, template_id="ml-em-standard", start=start, by=LOCAL_ADMIN).id
    screen = loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0]
    assert screen.is_screen and screen.checklist
    view = _view(qtbot, seed)
    assert view.current_stage_id() == screen.id
    editor = view.page.stage_editor
    n = len(screen.checklist)
    assert editor.planned.text() == f"A recruiter's screen: {n} checklist items, 0 answered; no questions to plan"
    assert editor.focus_summary.text() == "A screen rates no competency"  # not "⚠ No focus"
    assert not editor.act_add_question.isEnabled() and not editor.focus_view.isEnabled()
    panel = view.page.coverage_panel
    checked = [r for r, ids in loop_coverage(seed.ctx.db, loop_id, by=LOCAL_ADMIN).screened.items() if screen.id in ids]
    assert panel.stage_label.text() == f"Checked by 1. {screen.name} ({len(checked)})" and len(checked) == n
    assert [note.key for note in panel.stage_model.notes()] == checked
    view.page.select_stage(loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[1].id)
    assert editor.act_add_question.isEnabled() and editor.focus_view.isEnabled()  # an interview again
