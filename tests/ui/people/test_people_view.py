"""The People section driven like a user: Ctrl+N, typing, Tab, Enter; problems keep the dialog open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from interviewkit.services import people as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.people.dialogs import CandidateDialog, OpeningDialog, PersonDialog
from interviewkit.ui.people.view import PeopleView

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]
CTRL = Qt.KeyboardModifier.ControlModifier


def _new_dialog(qtbot: QtBot, kb: Any, view: PeopleView) -> Any:
    """Ctrl+N on the tab shown; wait for the dialog it opens."""
    kb.press(view, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible())
    return view.dialog


def _rows(tab: Any, col: int = 0) -> list[str]:
    return [tab.shown.index(r, col).data() for r in range(tab.shown.rowCount())]


def test_empty_tabs_say_what_to_do(view: PeopleView) -> None:
    assert view.people_tab.stack.currentWidget() is view.people_tab.empty
    assert view.people_tab.empty.text() == "No interviewers yet.\nAdd the people who interview: Ctrl+N"
    assert "Ctrl+N" in view.openings_tab.empty.text()
    assert "create one in the Openings tab first" in view.candidates_tab.empty.text()
    assert not view.candidates_tab.new_button.isEnabled()  # no opening to apply to yet
    assert "Ctrl+N" in view.people_tab.new_button.toolTip()


def test_creating_a_person_with_the_keyboard(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    dialog = _new_dialog(qtbot, kb, view)
    assert isinstance(dialog, PersonDialog)
    assert kb.focus(dialog) is dialog.name  # the first field, then Tab in reading order
    kb.type(dialog, "Ana Ortiz")
    assert kb.tab(dialog) is dialog.email
    kb.type(dialog, "Ana.Ortiz@Example.com")
    assert kb.tab(dialog) is dialog.title_edit
    kb.type(dialog, "Head of Data Science")
    assert kb.tab(dialog) is dialog.role
    kb.press(dialog, Qt.Key.Key_Down)  # Interviewer -> Coordinator
    with qtbot.waitSignal(view.sig_people_changed) as changed:
        kb.press(dialog, Qt.Key.Key_Return)  # Enter is OK
    person = changed.args[0]
    assert (person.name, person.email, person.title, person.access_role) == (
        "Ana Ortiz",
        "ana.ortiz@example.com",
        "Head of Data Science",
        "coordinator",
    )
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [p.id for p in svc.people(ctx.db)] == [person.id]
    tab = view.people_tab
    assert tab.stack.currentWidget() is tab.table
    assert _rows(tab) == ["Ana Ortiz"]
    assert tab.shown.index(0, 3).data() == "Coordinator"
    assert tab.current_record().id == person.id  # the new row is selected
    assert view.tabs.tabText(0) == "Interviewers (1)"


def test_a_duplicate_email_shows_the_problem_and_keeps_what_was_typed(
    qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext
) -> None:
    svc.create_person(ctx.db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    view.refresh()
    dialog = _new_dialog(qtbot, kb, view)
    kb.type(dialog, "Ana O.")
    kb.tab(dialog)
    kb.type(dialog, "ANA@example.com")
    kb.tab(dialog)
    kb.type(dialog, "Staff ML Engineer")
    with qtbot.assertNotEmitted(view.sig_people_changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.form.problem_for("Email") == "ANA@example.com is already in the directory"
    assert dialog.form.problems_shown() == ["Email: ANA@example.com is already in the directory"]
    assert dialog.email.property("invalid") is True
    assert kb.focus(dialog) is dialog.email  # the field to fix has the focus
    assert (dialog.name.text(), dialog.email.text(), dialog.title_edit.text()) == (
        "Ana O.",
        "ANA@example.com",
        "Staff ML Engineer",
    )
    assert len(svc.people(ctx.db)) == 1
    # fixing it clears the problem as soon as the field changes, and OK then saves
    dialog.email.selectAll()
    kb.type(dialog, "ana.o@example.com")
    assert dialog.form.problem_for("Email") == ""
    with qtbot.waitSignal(view.sig_people_changed):
        kb.press(dialog, Qt.Key.Key_Return)
    assert _rows(view.people_tab) == ["Ana O.", "Ana Ortiz"]


def test_esc_cancels_and_saves_nothing(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    dialog = _new_dialog(qtbot, kb, view)
    kb.type(dialog, "Nobody")
    with qtbot.assertNotEmitted(view.sig_people_changed):
        kb.press(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible())
    assert svc.people(ctx.db) == []


def test_creating_an_opening_with_two_job_descriptions(
    qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext
) -> None:
    manager = svc.create_person(
        ctx.db, name="Ana Ortiz", email="ana@example.com", access_role="hiring_manager", by=LOCAL_ADMIN
    )
    svc.create_person(ctx.db, name="Bo Chen", email="bo@example.com", by=LOCAL_ADMIN)
    view.refresh()
    view.tabs.setCurrentWidget(view.openings_tab)
    view.openings_tab.table.setFocus()
    dialog = _new_dialog(qtbot, kb, view)
    assert isinstance(dialog, OpeningDialog)
    # hiring managers come first and every person's role is named
    labels = [dialog.manager.itemText(i) for i in range(dialog.manager.count()) if dialog.manager.itemData(i)]
    assert labels == ["Ana Ortiz  (Hiring manager)", "Bo Chen  (Interviewer)"]
    kb.type(dialog, "ML Engineering Manager, Lisbon")
    assert kb.tab(dialog) is dialog.manager
    dialog.manager.setCurrentIndex(dialog.manager.findData(manager.id))
    assert kb.tab(dialog) is dialog.jds
    kb.press(dialog, Qt.Key.Key_Space)  # tick the first
    kb.press(dialog, Qt.Key.Key_Down)
    kb.press(dialog, Qt.Key.Key_Space)  # and the second
    assert sorted(dialog.checked_jd_ids()) == JDS
    with qtbot.waitSignal(view.sig_people_changed) as changed:
        kb.press(dialog, Qt.Key.Key_Return)
    opening = changed.args[0]
    assert opening.title == "ML Engineering Manager, Lisbon"
    assert sorted(opening.jd_ids) == JDS and opening.hiring_manager_id == manager.id
    tab = view.openings_tab
    assert _rows(tab) == ["ML Engineering Manager, Lisbon"]
    assert tab.shown.index(0, 1).data() == "Ana Ortiz"
    assert tab.shown.index(0, 2).data().startswith("2 · ")
    assert view.candidates_tab.new_button.isEnabled()  # candidates can now be added


def test_an_opening_needs_a_job_description(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    view.tabs.setCurrentWidget(view.openings_tab)
    dialog = _new_dialog(qtbot, kb, view)
    kb.type(dialog, "Data Lead")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.form.problem_for("Job descriptions").startswith("Choose at least one")
    assert dialog.title_edit.text() == "Data Lead"
    assert svc.openings(ctx.db) == []


def test_creating_a_candidate_for_an_opening(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    lisbon = svc.create_opening(ctx.db, title="ML Engineering Manager, Lisbon", jd_ids=JDS, by=LOCAL_ADMIN)
    svc.create_opening(ctx.db, title="Data Lead", jd_ids=JDS[:1], by=LOCAL_ADMIN)
    view.refresh()
    view.tabs.setCurrentWidget(view.candidates_tab)
    view.opening_filter.setCurrentIndex(view.opening_filter.findData(lisbon.id))
    view.candidates_tab.search.setFocus()
    assert "No candidates for ML Engineering Manager, Lisbon yet" in view.candidates_tab.empty.text()
    dialog = _new_dialog(qtbot, kb, view)
    assert isinstance(dialog, CandidateDialog)
    assert dialog.opening.currentData() == lisbon.id  # the opening being looked at
    kb.type(dialog, "Priya Natarajan")
    kb.tab(dialog)
    kb.type(dialog, "priya@example.org")
    kb.tab(dialog)
    kb.type(dialog, "+351 912 345 678")
    with qtbot.waitSignal(view.sig_people_changed) as changed:
        kb.press(dialog, Qt.Key.Key_Return)
    candidate = changed.args[0]
    assert (candidate.name, candidate.opening_id, candidate.phone) == ("Priya Natarajan", lisbon.id, "+351 912 345 678")
    tab = view.candidates_tab
    assert _rows(tab) == ["Priya Natarajan"]
    assert tab.shown.index(0, 3).data() == "ML Engineering Manager, Lisbon"
    assert tab.shown.index(0, 5).data() == "0"
    counts = {
        view.openings_tab.shown.index(r, 0).data(): view.openings_tab.shown.index(r, 4).data()
        for r in range(view.openings_tab.shown.rowCount())
    }
    assert counts == {"ML Engineering Manager, Lisbon": "1", "Data Lead": "0"}


def test_searching_and_filtering(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    for name, email, title in [
        ("Ana Ortiz", "ana@example.com", "Head of Data Science"),
        ("Bo Chen", "bo@example.com", "Staff ML Engineer"),
        ("Chidi Diallo", "chidi@example.com", "Senior MLOps Engineer"),
    ]:
        svc.create_person(ctx.db, name=name, email=email, title=title, by=LOCAL_ADMIN)
    lisbon = svc.create_opening(ctx.db, title="Lisbon EM", jd_ids=JDS, by=LOCAL_ADMIN)
    remote = svc.create_opening(ctx.db, title="Remote EM", jd_ids=JDS, by=LOCAL_ADMIN)
    svc.create_candidate(ctx.db, name="Priya N.", opening_id=lisbon.id, by=LOCAL_ADMIN)
    svc.create_candidate(ctx.db, name="Grace O.", opening_id=remote.id, by=LOCAL_ADMIN)
    view.refresh()

    people = view.people_tab
    view.focus_search()  # Ctrl+F in the main window lands here
    assert kb.focus(view) is people.search
    kb.type(view, "ml engineer")  # every word must match, in any column
    qtbot.waitUntil(lambda: _rows(people) == ["Bo Chen", "Chidi Diallo"])
    assert people.count_label.text() == "2 of 3 people"
    kb.type(view, " senior")
    qtbot.waitUntil(lambda: _rows(people) == ["Chidi Diallo"])
    kb.type(view, " nobody")
    qtbot.waitUntil(lambda: people.stack.currentWidget() is people.empty)
    assert "matches “ml engineer senior nobody”" in people.empty.text()
    kb.press(view, Qt.Key.Key_Escape)  # clears the search
    qtbot.waitUntil(lambda: len(_rows(people)) == 3)
    assert people.search.text() == ""

    view.tabs.setCurrentWidget(view.candidates_tab)
    candidates = view.candidates_tab
    view.focus_search()
    assert kb.focus(view) is candidates.search  # Ctrl+F follows the tab shown
    assert sorted(_rows(candidates)) == ["Grace O.", "Priya N."]
    view.opening_filter.setCurrentIndex(view.opening_filter.findData(remote.id))
    assert _rows(candidates) == ["Grace O."]
    assert candidates.count_label.text() == "1 of 2 candidates"
    view.show_candidates_of(None)
    assert len(_rows(candidates)) == 2

    # sorting: a click on a header sorts by that column
    view.tabs.setCurrentWidget(people)
    people.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _rows(people) == ["Chidi Diallo", "Bo Chen", "Ana Ortiz"]


def test_enter_edits_the_selected_row(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    bo = svc.create_person(ctx.db, name="Bo Chen", email="bo@example.com", title="ML Engineer", by=LOCAL_ADMIN)
    view.refresh()
    tab = view.people_tab
    tab.focus_table()
    assert tab.current_record().id == bo.id
    kb.press(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, PersonDialog) and dialog.windowTitle() == "Edit person"
    assert (dialog.name.text(), dialog.email.text()) == ("Bo Chen", "bo@example.com")
    dialog.title_edit.setFocus()
    dialog.title_edit.selectAll()
    kb.type(dialog, "Staff ML Engineer")
    dialog.active.setChecked(False)
    with qtbot.waitSignal(view.sig_people_changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert svc.person(ctx.db, bo.id).title == "Staff ML Engineer"
    assert tab.shown.index(0, 4).data() == "No (inactive)"  # still listed, marked in words


def test_double_click_opens_the_opening(qtbot: QtBot, view: PeopleView, ctx: AppContext) -> None:
    svc.create_opening(ctx.db, title="Lisbon EM", jd_ids=JDS, by=LOCAL_ADMIN)
    view.refresh()
    view.tabs.setCurrentWidget(view.openings_tab)
    table = view.openings_tab.table
    rect = table.visualRect(view.openings_tab.shown.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click's first press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible())
    dialog = view.dialog
    assert isinstance(dialog, OpeningDialog)
    assert sorted(dialog.checked_jd_ids()) == JDS and dialog.status.currentData() == "open"


def test_ctrl_n_belongs_to_the_tab_shown(qtbot: QtBot, kb: Any, view: PeopleView) -> None:
    view.tabs.setCurrentWidget(view.openings_tab)
    dialog = _new_dialog(qtbot, kb, view)
    assert isinstance(dialog, OpeningDialog)
    assert isinstance(kb.focus(dialog), QLineEdit)


def test_enter_in_the_search_box_goes_to_the_table_without_editing(
    qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext
) -> None:
    svc.create_person(ctx.db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    svc.create_person(ctx.db, name="Bo Chen", email="bo@example.com", by=LOCAL_ADMIN)
    view.refresh()
    tab = view.people_tab
    view.focus_search()
    kb.type(view, "bo")
    kb.press(view, Qt.Key.Key_Return)
    assert kb.focus(view) is tab.table
    assert view.dialog is None  # Enter edits only from the table itself
    assert tab.current_record().name == "Bo Chen"
    view.focus_search()
    kb.press(view, Qt.Key.Key_Down)
    assert kb.focus(view) is tab.table


def test_ctrl_page_keys_switch_tabs_from_the_table(qtbot: QtBot, kb: Any, view: PeopleView, ctx: AppContext) -> None:
    svc.create_person(ctx.db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    view.refresh()
    view.people_tab.focus_table()
    kb.press(view, Qt.Key.Key_PageDown, CTRL)
    assert view.tabs.currentWidget() is view.openings_tab
    kb.press(view, Qt.Key.Key_PageUp, CTRL)
    kb.press(view, Qt.Key.Key_PageUp, CTRL)
    assert view.tabs.currentWidget() is view.candidates_tab
