"""The loops planner follows the signed-in person's rights: interviewers read, planners plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.loops import create_loop, loops
from interviewkit.ui.loops.view import LoopsView
from tests.ui.loops.conftest import TEMPLATE_ID, Seed


def _view(qtbot: QtBot, seed: Seed, user: int | None) -> LoopsView:
    view = LoopsView()
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.set_context(replace(seed.ctx, user_id=user))
    view.show()
    return view


@pytest.mark.parametrize(
    ("who", "plans", "sees"),
    [("Chidi Diallo", True, 1), ("Ana Ortiz", False, 1), ("Ben Chen", False, 0), (None, False, 0)],
)
def test_planning_actions_follow_the_role(qtbot: QtBot, seed: Seed, who: str | None, plans: bool, sees: int) -> None:
    create_loop(
        seed.ctx.db,
        seed.candidate_id,
        template_id=TEMPLATE_ID,
        start=datetime(2030, 3, 4, 8, tzinfo=UTC),
        by=LOCAL_ADMIN,
    )
    view = _view(qtbot, seed, seed.people[who] if who else None)  # Chidi coordinates; Ana and Ben interview
    # Planners see every loop; others only the loops of candidates whose panel they are on (nobody is yet)
    # or whose debrief they lead (Ana is the opening's hiring manager).
    assert view.list_pane.view.model().rowCount() == sees
    for action in (view.act_new_loop, view.page.act_delete_loop, view.page.act_add_stage):
        assert action.isEnabled() == plans, action.text()
    assert view.list_pane.new_button.isEnabled() == plans


def test_a_refused_change_says_why(qtbot: QtBot, seed: Seed) -> None:
    from interviewkit.services.loops import add_stage

    loop_id = create_loop(seed.ctx.db, seed.candidate_id, name="Onsite", by=LOCAL_ADMIN).id
    add_stage(
        seed.ctx.db, loop_id, name="Production ML", minutes=45, interviewer_id=seed.people["Ana Ortiz"], by=LOCAL_ADMIN
    )
    view = _view(qtbot, seed, seed.people["Ana Ortiz"])  # on the panel: she sees the loop, read only
    assert view.list_pane.view.model().rowCount() == 1
    view.page.act_add_stage.setEnabled(True)  # as if it had been left enabled: the service still refuses
    view.page.add_stage()
    assert "Ana Ortiz (Interviewer) may not plan interview loops" in view.page.loop_problems.text()
    assert [s.stages for s in loops(seed.ctx.db, by=LOCAL_ADMIN) if s.id == loop_id] == [1]
