"""My interviews: the interviewer's stages, kept current by the changes made elsewhere; Enter opens one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from interviewkit.services import loops
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes
from interviewkit.ui.my_interviews.view import MyInterviewsView, StageRole
from tests.ui.cockpit.conftest import Planned


def _view(qtbot: QtBot, planned: Planned) -> MyInterviewsView:
    view = MyInterviewsView()
    qtbot.addWidget(view)
    view.set_context(planned.ctx)
    return view


def test_a_stage_planned_elsewhere_appears_through_a_change_event(qtbot: QtBot, planned: Planned) -> None:
    view = _view(qtbot, planned)
    assert view.model.rowCount() == 1
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    stage = loops.add_stage(
        planned.ctx.db,
        planned.loop_id,
        name="System design",
        minutes=60,
        focus=["mlops-cicd"],
        interviewer_id=planned.interviewer_id,
        scheduled_at=tomorrow,
        by=LOCAL_ADMIN,
    ).id
    assert view.model.rowCount() == 1  # nothing re-read by hand
    view.apply_changes(Changes.of(loops=[planned.loop_id]))  # what the window hands every screen
    assert view.model.rowCount() == 2
    assert view.table.currentIndex().data(StageRole).stage_id == planned.stage_id  # the selection stays
    view.table.selectRow(view.model.row_of_stage(stage))
    view.apply_changes(Changes.of(scorecards=[1]))
    assert view.table.currentIndex().data(StageRole).stage_id == stage
    assert "Tomorrow" in view.model.index(view.model.row_of_stage(stage), 0).data()


def test_enter_opens_the_stage_in_the_cockpit(qtbot: QtBot, planned: Planned) -> None:
    view = _view(qtbot, planned)
    asked: list[tuple[str, object]] = []
    view.host.navigate = lambda key, target=None: asked.append((key, target))  # type: ignore[method-assign]
    view.show()
    view.table.setFocus()
    with qtbot.waitSignal(view.sig_open_requested):
        view.table.activated.emit(view.table.currentIndex())
    assert asked == [("cockpit", planned.stage_id)]


def test_later_puts_the_offer_off_until_another_interview_needs_resuming(qtbot: QtBot, planned: Planned) -> None:
    crashed = replace(planned.ctx, instance_id="vm-that-crashed:999999:dead")
    card = svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, crashed.instance_id)
    with planned.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))
    view = _view(qtbot, planned)
    assert view.resume_bar.isVisibleTo(view)
    view.dismiss_button.click()
    assert not view.resume_bar.isVisibleTo(view)
    view.apply_changes(Changes.of(scorecards=[card.id]))  # a refresh does not bring it back
    assert not view.resume_bar.isVisibleTo(view)


def test_a_submission_in_the_cockpit_reaches_my_interviews_in_the_window(
    qtbot: QtBot, planned: Planned, settings: QSettings
) -> None:
    from interviewkit.ui.cockpit.cockpit import CockpitView
    from interviewkit.ui.shell.window import MainWindow
    from tests.ui.conftest import show_main_window

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    show_main_window(qtbot, window)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    qtbot.waitUntil(lambda: mine.model.index(0, 4).data() == "Not started")  # read off the GUI thread
    window.open_stage(planned.stage_id)  # as Enter on the row does, through the window
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    qtbot.keyClicks(cockpit.notes, "- detected drift from a business report")
    for _ in cockpit.ratings.rows:
        cockpit.rate(3)
        cockpit.move_focus_row(1)
    cockpit.finish()
    cockpit.recommend(3)
    cockpit.summary.setPlainText("Solid.")
    with qtbot.waitSignal(cockpit.sig_submitted, timeout=10000):
        cockpit.submit()
    qtbot.waitUntil(lambda: mine.model.index(0, 4).data() == "Submitted")  # told, not refreshed by hand
    window.leave_interview()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is mine)
