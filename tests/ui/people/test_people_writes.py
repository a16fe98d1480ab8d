"""People's writes run off the GUI thread: the dialog waits (its button says so, Esc waits too), then the
screen shows what was stored, or the dialog shows why not. What others change reaches the screen as a change
event: People → Candidates shows a loop planned in Loops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes
from interviewkit.services.context import AppContext
from interviewkit.services.privacy import retention_days
from interviewkit.ui.people.dialogs import PersonDialog
from interviewkit.ui.people.erase import EraseCandidateDialog
from interviewkit.ui.people.retention import RetentionDialog
from interviewkit.ui.people.view import PeopleView
from tests.ui.loops.conftest import DeferredHost

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def host(view: PeopleView) -> DeferredHost:
    deferred = DeferredHost(view)
    view.set_host(deferred)
    return deferred


def _loops_column(view: PeopleView, candidate_id: int) -> str:
    row = view.candidate_model.row_of(candidate_id)
    return str(view.candidate_model.index(row, 5).data())


def test_a_new_person_is_saved_in_the_background(
    qtbot: QtBot, kb: Any, view: PeopleView, host: DeferredHost, ctx: AppContext
) -> None:
    kb.press(view, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.dialog, PersonDialog) and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, PersonDialog)
    kb.type(dialog, "Ana Ortiz")
    kb.tab(dialog)
    kb.type(dialog, "ana@example.com")
    kb.press(dialog, Qt.Key.Key_Return)
    assert host.busy == ["Saving the person"]
    assert not dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Saving…"
    kb.press(dialog, Qt.Key.Key_Escape)  # Esc while it is saved: the dialog waits for the answer
    assert dialog.isVisible() and people.people(ctx.db) == []
    with qtbot.waitSignal(view.sig_people_changed) as saved:
        host.finish_all()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [p.name for p in people.people(ctx.db)] == ["Ana Ortiz"]
    assert view.people_tab.current_record().id == saved.args[0].id


def test_a_refusal_in_the_background_keeps_the_dialog_open(
    qtbot: QtBot, kb: Any, view: PeopleView, host: DeferredHost, ctx: AppContext
) -> None:
    people.create_person(ctx.db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    view.refresh()
    dialog = view.new_person()
    assert isinstance(dialog, PersonDialog)
    qtbot.keyClicks(dialog.name, "Ana O.")
    qtbot.keyClicks(dialog.email, "ANA@example.com")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    host.finish_all()
    assert dialog.isVisible() and dialog.ok_button.isEnabled() and dialog.ok_button.text() == "&Add"
    assert dialog.form.problem_for("Email") == "ANA@example.com is already in the directory"
    assert dialog.email.text() == "ANA@example.com"


def test_the_erasure_runs_in_the_background(
    qtbot: QtBot, view: PeopleView, host: DeferredHost, ctx: AppContext
) -> None:
    opening = people.create_opening(ctx.db, title="ML EM", jd_ids=JDS, by=LOCAL_ADMIN)
    priya = people.create_candidate(ctx.db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    view.refresh()
    view.show_candidates_of(None)
    assert view.candidates_tab.select_record(priya.id)
    dialog = view.erase_current_candidate()
    assert isinstance(dialog, EraseCandidateDialog)
    qtbot.keyClicks(dialog.reason, "Requested by the candidate")
    dialog.erase_button.click()
    assert host.busy == ["Erasing personal data"]
    assert dialog.erase_button.text() == "Erasing…" and not dialog.erase_button.isEnabled()
    dialog.reject()  # Esc waits for the erasure
    assert dialog.isVisible() and people.candidate(ctx.db, priya.id, by=LOCAL_ADMIN).name == "Priya Natarajan"
    with qtbot.waitSignal(view.sig_people_changed) as erased:
        host.finish_all()
    assert erased.args[0].erased and view.candidates_tab.shown.index(0, 0).data() == "Erased candidate"


def test_the_retention_period_is_saved_by_the_screen(
    qtbot: QtBot, view: PeopleView, host: DeferredHost, ctx: AppContext
) -> None:
    dialog = view.open_retention()
    assert isinstance(dialog, RetentionDialog)
    dialog.days.setValue(400)
    assert dialog.save_days.isEnabled()
    dialog.save_days.click()
    assert host.busy == ["Saving the retention period"] and not dialog.save_days.isEnabled()
    assert retention_days(ctx.db) == 365
    host.finish_all()
    assert retention_days(ctx.db) == 400 and not dialog.save_days.isEnabled()
    dialog.close()


def test_a_loop_planned_elsewhere_shows_in_the_candidates_loops(view: PeopleView, ctx: AppContext) -> None:
    opening = people.create_opening(ctx.db, title="ML EM", jd_ids=JDS, by=LOCAL_ADMIN)
    priya = people.create_candidate(ctx.db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    loops.create_loop(ctx.db, priya.id, name="Onsite", by=LOCAL_ADMIN)
    view.refresh()
    view.show_candidates_of(None)
    assert view.candidates_tab.select_record(priya.id)
    assert _loops_column(view, priya.id) == "1"
    second = loops.create_loop(ctx.db, priya.id, name="Second onsite", by=LOCAL_ADMIN).id  # planned in Loops
    view.apply_changes(Changes.of(scorecards=[1]))  # not something People shows
    assert _loops_column(view, priya.id) == "1"
    view.apply_changes(Changes.of(loops=[second]))
    assert _loops_column(view, priya.id) == "2"
    assert view.candidates_tab.current_record().id == priya.id  # the selection is kept


def test_the_window_tells_people_what_changed_elsewhere(qtbot: QtBot, ctx: AppContext, tmp_path: Any) -> None:
    from interviewkit.ui.shell.window import MainWindow

    ctx.user_id = people.create_person(
        ctx.db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.set_context(ctx)
    view = window.section("people")
    assert isinstance(view, PeopleView)
    opening = people.create_opening(ctx.db, title="ML EM", jd_ids=JDS, by=LOCAL_ADMIN)
    view.apply_changes(Changes.of(openings=[opening.id]))
    priya = people.create_candidate(ctx.db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    window.broadcast(Changes.of(candidates=[priya.id]))  # added by another screen
    qtbot.waitUntil(lambda: view.candidate_model.row_of(priya.id) >= 0)  # read off the GUI thread
    start = datetime.now(UTC) + timedelta(days=3)
    loop = loops.create_loop(ctx.db, priya.id, name="Onsite", start=start, by=LOCAL_ADMIN).id
    window.broadcast(Changes.of(loops=[loop]))
    qtbot.waitUntil(lambda: _loops_column(view, priya.id) == "1")
