"""People for someone who may not change it (an interviewer, a coordinator on the directory): on entry the table
has the focus, and Enter on a row says in the status bar why nothing opens and whom to ask, instead of nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import people as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.shell.section import StandaloneHost

CTRL = Qt.KeyboardModifier.ControlModifier
JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]
_DIRECTORY = "only an admin may add or change people in the directory; ask Sofia Marques."


def _viewer_view(
    qtbot: QtBot, kb: Any, ctx: AppContext, role: str, *, background: bool = False
) -> tuple[PeopleView, StandaloneHost]:
    """The People section as a newly added person of ``role``, with an admin and an opening with a candidate."""
    svc.create_person(ctx.db, name="Sofia Marques", email="sofia@example.com", access_role="admin", by=LOCAL_ADMIN)
    me = svc.create_person(ctx.db, name="Amara Okafor", email="amara@example.com", access_role=role, by=LOCAL_ADMIN)
    opening = svc.create_opening(ctx.db, title="Lisbon EM", jd_ids=JDS, by=LOCAL_ADMIN)
    svc.create_candidate(ctx.db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    ctx.user_id = me.id
    view = PeopleView()
    qtbot.addWidget(view)
    host = StandaloneHost(view, reads_in_background=background)
    view.set_host(host)
    view.resize(1100, 600)
    kb.show_active(view)
    view.set_context(ctx)
    return view, host


def test_on_entry_the_table_has_the_focus(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    view, _host = _viewer_view(qtbot, kb, ctx, "interviewer")
    view.tabs.tabBar().setFocus()  # where the window's default put it: Enter there did nothing
    view.focus_entry()
    assert kb.focus(view) is view.people_tab.table
    assert view.people_tab.current_record() is not None  # the first row, ready for Enter


def test_entered_while_reading_the_table_takes_the_focus_once_shown(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    view, _host = _viewer_view(qtbot, kb, ctx, "interviewer", background=True)  # read on the pool, as in the window
    assert view.loading
    view.focus_entry()  # the window shows the section while it reads
    assert kb.focus(view) is view.people_tab.search  # nothing to select yet
    qtbot.waitUntil(lambda: not view.loading and view.people_tab.count() == 2, timeout=10000)
    qtbot.waitUntil(view.people_tab.table.hasFocus)
    assert view.people_tab.current_record().name == "Amara Okafor"  # the first row, ready for Enter


def test_enter_on_a_row_an_interviewer_may_not_change_says_why(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    view, host = _viewer_view(qtbot, kb, ctx, "interviewer")
    view.focus_entry()
    table = view.people_tab.table
    assert kb.focus(view) is table and not view.people_tab.edit_button.isEnabled()
    kb.press(view, Qt.Key.Key_Down)
    name = view.people_tab.current_record().name
    kb.press(view, Qt.Key.Key_Return)
    assert view.dialog is None  # nothing to change here
    assert host.messages == [f"{name}: {_DIRECTORY}"]
    assert kb.focus(view) is table  # the keys stay where they were
    # The same on the other tabs, each in its own words.
    kb.press(view, Qt.Key.Key_PageDown, CTRL)
    kb.press(view, Qt.Key.Key_Return)
    assert host.messages[-1].startswith("Lisbon EM: only an admin may open or change openings; ask Sofia Marques.")
    assert view.dialog is None


def test_a_coordinator_is_told_about_the_directory_and_edits_candidates(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    view, host = _viewer_view(qtbot, kb, ctx, "coordinator")
    view.focus_entry()
    kb.press(view, Qt.Key.Key_Return)
    assert view.people_tab.current_record().name == "Amara Okafor"  # her own entry, the first row
    assert host.messages == [f"Amara Okafor: {_DIRECTORY}"]
    kb.press(view, Qt.Key.Key_PageUp, CTRL)  # back round to Candidates, which she may change
    qtbot.waitUntil(lambda: view.candidates_tab.current_record() is not None)
    kb.press(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible())
    assert len(host.messages) == 1  # allowed: the form opens, nothing to explain
