"""'Who is using InterviewKit?': find yourself by typing and Enter, or add yourself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services import people as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.ui.people.who import WhoIsUsingDialog, ask_who


def _dialog(qtbot: QtBot, kb: Any, ctx: AppContext) -> WhoIsUsingDialog:
    dialog = WhoIsUsingDialog(ctx)
    qtbot.addWidget(dialog)
    kb.show_active(dialog)
    return dialog


def _directory(ctx: AppContext) -> dict[str, int]:
    people = [
        ("Ana Ortiz", "ana@example.com", "Head of Data Science"),
        ("Bo Chen", "bo@example.com", "Staff ML Engineer"),
        ("Bea Costa", "bea@example.com", "Recruiter"),
    ]
    return {
        name: svc.create_person(ctx.db, name=name, email=email, title=title, by=LOCAL_ADMIN).id
        for name, email, title in people
    }


def test_typing_and_enter_choose_an_existing_person(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    ids = _directory(ctx)
    dialog = _dialog(qtbot, kb, ctx)
    assert kb.focus(dialog) is dialog.search
    assert dialog.proxy.rowCount() == 3
    kb.type(dialog, "b")
    qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 2)  # Bo Chen, Bea Costa (and Ana's email has no b)
    kb.type(dialog, "o c")
    qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 1)
    assert dialog.choose_button.text() == "Continue as Bo Chen"
    with qtbot.waitSignal(dialog.accepted):
        kb.press(dialog, Qt.Key.Key_Return)
    assert dialog.chosen_person_id() == ids["Bo Chen"]


def test_arrow_keys_then_enter_in_the_list(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    ids = _directory(ctx)
    dialog = _dialog(qtbot, kb, ctx)
    kb.press(dialog, Qt.Key.Key_Down)  # from the search into the list, on the first person
    assert kb.focus(dialog) is dialog.people_list
    assert dialog.current_person().name == "Ana Ortiz"
    kb.press(dialog, Qt.Key.Key_Down)
    assert dialog.current_person().name == "Bea Costa"
    with qtbot.waitSignal(dialog.accepted):
        kb.press(dialog, Qt.Key.Key_Return)
    assert dialog.chosen_person_id() == ids["Bea Costa"]


def test_a_newcomer_adds_themselves(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    _directory(ctx)
    dialog = _dialog(qtbot, kb, ctx)
    kb.type(dialog, "Zoe Park")
    qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 0)
    assert "Nobody matches “Zoe Park”" in dialog.no_match.text()
    assert not dialog.choose_button.isEnabled()
    kb.press(dialog, Qt.Key.Key_Return)  # nobody by that name: start an entry with it
    assert dialog.name.text() == "Zoe Park"
    assert kb.focus(dialog) is dialog.email
    kb.type(dialog, "zoe@example")
    with qtbot.assertNotEmitted(dialog.accepted):
        kb.press(dialog, Qt.Key.Key_Return)  # the directory is asked off the GUI thread; the dialog waits
        assert not dialog.add_button.isEnabled() and dialog.add_button.text() == "Adding you…"
        qtbot.waitUntil(lambda: dialog.add_form.problem_for("Email") != "")
    assert dialog.isVisible() and dialog.add_button.isEnabled()
    assert dialog.add_form.problem_for("Email") == "Enter an address such as name@example.com"
    assert dialog.email.text() == "zoe@example"
    kb.type(dialog, ".com")
    kb.tab(dialog)
    kb.type(dialog, "ML Engineer")
    with qtbot.waitSignal(dialog.sig_person_created) as created:
        kb.press(dialog, Qt.Key.Key_Return)
    zoe = created.args[0]
    assert dialog.result() == WhoIsUsingDialog.DialogCode.Accepted
    assert dialog.chosen_person_id() == zoe.id
    assert (zoe.name, zoe.email, zoe.title) == ("Zoe Park", "zoe@example.com", "ML Engineer")
    assert zoe.access_role == "interviewer"  # a newcomer; an admin can change it


def test_the_first_person_in_an_empty_directory_becomes_admin(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    dialog = _dialog(qtbot, kb, ctx)
    assert not dialog.choose_panel.isVisible() and not dialog.choose_button.isVisible()
    assert kb.focus(dialog) is dialog.name
    kb.type(dialog, "Ana Ortiz")
    kb.tab(dialog)
    kb.type(dialog, "ana@example.com")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_person_id() is not None
    assert svc.person(ctx.db, dialog.chosen_person_id()).access_role == "admin"


def test_esc_clears_the_search_then_closes_without_a_choice(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    _directory(ctx)
    dialog = _dialog(qtbot, kb, ctx)
    kb.type(dialog, "bo")
    kb.press(dialog, Qt.Key.Key_Escape)
    assert dialog.search.text() == "" and dialog.isVisible()
    with qtbot.waitSignal(dialog.rejected):
        kb.press(dialog, Qt.Key.Key_Escape)
    assert dialog.chosen_person_id() is None


def test_the_remembered_person_is_offered_first(qtbot: QtBot, kb: Any, ctx: AppContext) -> None:
    ids = _directory(ctx)
    ctx.user_id = ids["Bo Chen"]
    dialog = _dialog(qtbot, kb, ctx)
    assert dialog.choose_button.text() == "Continue as Bo Chen"


def test_ask_who_runs_the_dialog_and_returns_the_choice(qtbot: QtBot, ctx: AppContext) -> None:
    ids = _directory(ctx)
    seen: list[str] = []

    def answer() -> None:  # runs inside the modal dialog's own event loop
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WhoIsUsingDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.windowTitle())
        qtbot.keyClicks(dialog.search, "ana")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    assert ask_who(None, ctx) == ids["Ana Ortiz"]
    assert seen == ["Who is using InterviewKit?"]


def test_identify_user_asks_once_per_database_and_remembers(qtbot: QtBot, ctx: AppContext, settings: Any) -> None:
    from interviewkit.ui.people.who import identify_user, remembered_user

    ids = _directory(ctx)
    asked: list[int] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WhoIsUsingDialog):
            QTimer.singleShot(20, answer)
            return
        asked.append(1)
        qtbot.keyClicks(dialog.search, "bo")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    assert identify_user(None, ctx, settings) == ids["Bo Chen"] == ctx.user_id
    assert asked == [1]
    ctx.user_id = None
    assert identify_user(None, ctx, settings) == ids["Bo Chen"]  # remembered: not asked again
    assert asked == [1] and ctx.user_id == ids["Bo Chen"]
    # someone who left the directory is not kept
    bo = svc.person(ctx.db, ids["Bo Chen"])
    svc.update_person(ctx.db, bo.id, name=bo.name, email=bo.email, active=False, by=LOCAL_ADMIN)
    assert remembered_user(settings, ctx) is None
