"""The Loops screen's coverage panel counts the second edition's way (issue 14): requirements assessed by
planned questions (primary links), those the recruiter's screen checks apart, and the rest with what only
touches them and whether they are must-haves."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loop_plan import coverage_figures
from interviewkit.services.loops import create_loop, loop_coverage, loop_detail, set_stage_plan
from interviewkit.ui.loops.view import LoopsView
from tests.ui.loops.conftest import Seed


def _view(qtbot: QtBot, seed: Seed) -> LoopsView:
    view = LoopsView()
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.set_context(seed.ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


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
    assert panel.summary.text() == figures.sentence()
    assert f" · {figures.screened} checked by the screen" in panel.summary.text()
    shown = [n.key for n in panel.unassessed_model.notes()]
    assert shown == coverage.unassessed and not set(shown) & set(coverage.screened)
    assert panel.unassessed_label.text() == f"Not assessed ({len(coverage.unassessed)})"
    for note in panel.unassessed_model.notes():  # a must-have left out is marked, and the words say so
        must = note.key in coverage.must_haves_unassessed
        assert (note.state == "warning") == must and ("(a must-have)" in note.tooltip) == must
    assert any(n.state == "warning" for n in panel.unassessed_model.notes()) == bool(figures.must_haves_unassessed)
