"""The registry's navigation keys (KEYMAP entries in tests/ui/keyboard/pressing.py's NAVIGATION) pressed on
the real widgets in the place each names, with the effect checked: where the focus goes, the tab or page
shown, the dialog opened, the preview's build stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from interviewkit.services import demo, loops, people
from interviewkit.services import scorecards as scorecard_service
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.debrief_grid import MEAN
from interviewkit.ui.bank.browser import BankBrowser
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.cockpit.picker import QuestionPicker
from interviewkit.ui.coverage.model import CoverageRole
from interviewkit.ui.coverage.view import CoverageView
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.my_interviews.view import MyInterviewsView
from interviewkit.ui.people.dialogs import PersonDialog
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.people.who import WhoIsUsingDialog
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets import pdf_preview
from interviewkit.ui.widgets.pdf_preview import PdfOptions, PdfPreviewDialog
from interviewkit.ui.widgets.shortcuts import KEYMAP
from tests.ui.cockpit.conftest import Planned
from tests.ui.conftest import settle, show_main_window
from tests.ui.debrief.conftest import Demo, open_view, seeded  # noqa: F401 - the fixtures
from tests.ui.keyboard.pressing import NAVIGATION, PRESSED, no_ambiguity, open_screen_stage, press, reactivate
from tests.ui.keyboard.test_status_after_submit import open_interview
from tests.ui.loops.conftest import TEMPLATE_ID, Seed, loop_bank_template, loop_db, open_loops_view, seed  # noqa: F401


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _focused(widget: QWidget) -> bool:
    return QApplication.focusWidget() is widget


def _show_active(qtbot: QtBot, widget: QWidget) -> None:
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


@pytest.fixture
def window(qtbot: QtBot, planned: Planned, settings: QSettings) -> Iterator[MainWindow]:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.set_context(planned.ctx)
    show_main_window(qtbot, w)
    yield w


def test_resume_banner_enter(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    """Tab from My interviews' list reaches the Resume banner's button, where Enter resumes the interrupted
    interview in the cockpit."""
    crashed = "vm-that-crashed:999999:dead"
    scorecard_service.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, crashed)
    with planned.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    show_main_window(qtbot, window)
    mine = window.section("my_interviews")
    assert isinstance(mine, MyInterviewsView)
    qtbot.waitUntil(lambda: mine.resume_bar.isVisible() and mine.table.hasFocus())
    qtbot.keyClick(mine.table, Qt.Key.Key_Tab)  # from the list, Tab reaches Resume (not the next cell)
    assert _focused(mine.resume_button)
    no_ambiguity(window)
    press(qtbot, "Return", "resume_interview")
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    assert cockpit.state is not None and cockpit.state.stage_id == planned.stage_id
    assert not mine.resume_bar.isVisible()


def test_search_box_keys_in_the_sections(qtbot: QtBot, window: MainWindow) -> None:
    """↓ and Enter in the bank's, the loops' and People's search box move to the list of hits, on a hit."""
    for key, search_of, list_of in (
        ("bank", lambda s: s.search, lambda s: s.table),
        ("loops", lambda s: s.list_pane.search, lambda s: s.list_pane.view),
        ("people", lambda s: s.people_tab.search, lambda s: s.people_tab.table),
    ):
        window.navigate(key)
        section = window.section(key)
        qtbot.waitUntil(lambda s=section: window.stack.currentWidget() is s and not s.loading)
        search, hits = search_of(section), list_of(section)
        qtbot.waitUntil(lambda h=hits: h.model().rowCount() > 0)
        for name, pressed in (("to_list", "Down"), ("search_to_list", "Return"), ("search_to_list", "Enter")):
            _focus(qtbot, search)
            no_ambiguity(window)
            press(qtbot, pressed, name)
            assert _focused(hits), (key, pressed)
            assert hits.currentIndex().isValid(), (key, pressed)


def test_add_questions_down(qtbot: QtBot, seed: Seed) -> None:  # noqa: F811
    """↓ in a loop's Add questions search moves to the results, on the current hit."""
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loops.create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN)
    view = open_loops_view(qtbot, seed)
    view.page.add_questions()
    picker = view.page.picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    picker.activateWindow()
    _focus(qtbot, picker.search)
    press(qtbot, "Down", "to_list")
    assert _focused(picker.table) and picker.table.currentIndex().isValid()
    picker.reject()


def test_debrief_list_and_grid_keys(
    qtbot: QtBot,
    seeded: Demo,  # noqa: F811
    open_view: Callable[[AppContext], DebriefView],  # noqa: F811
) -> None:
    """Debriefs: ↓/Enter from the search to the candidates, Enter on a candidate to the grid, Enter on a cell
    to the evidence behind it (the Overall row: the summaries)."""
    view = open_view(seeded.ctx)
    qtbot.waitUntil(lambda: view.candidate_proxy.rowCount() > 0 and not view.loading, timeout=10000)
    assert view.select_candidate(seeded.candidates[demo.SPLIT])
    for pressed, name in (("Down", "to_list"), ("Return", "search_to_list")):
        _focus(qtbot, view.search)
        press(qtbot, pressed, name)
        assert _focused(view.candidate_list), pressed
    press(qtbot, "Return", "open_debrief")
    assert _focused(view.grid)
    qtbot.waitUntil(lambda: view.grid_model.rowCount() > 1 and view.grid_model.columnCount() > 0)
    view.tabs.setCurrentWidget(view.coverage)
    view.grid.setCurrentIndex(view.grid_model.index(0, 0))  # a competency's rating
    press(qtbot, "Return", "open_cell")
    assert view.tabs.currentWidget() is view.evidence and _focused(view.grid)
    mean = view.grid_model.column_of_extra(MEAN)
    view.grid.setCurrentIndex(view.grid_model.index(view.grid_model.overall_row(), mean))  # the Overall mean
    press(qtbot, "Enter", "open_cell")
    assert view.tabs.currentWidget() is view.summaries


def test_ctrl_p_on_entering_debriefs_once_the_packet_can_be_exported(
    qtbot: QtBot,
    settings: QSettings,
    seeded: Demo,  # noqa: F811
    qtlog: Any,
) -> None:
    """Ctrl+3 then Ctrl+P: the debrief's Export PDF is enabled only once the debrief shown has been read, after
    the focus landed in the search; the window's File → Export PDF gives way then too (no 'Ambiguous shortcut',
    the preview opens)."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(seeded.ctx)
    show_main_window(qtbot, window)
    press(qtbot, "Ctrl+3", "sections")
    view = window.section("debriefs")
    assert isinstance(view, DebriefView)
    qtbot.waitUntil(lambda: view.act_export.isEnabled() and view.search.hasFocus(), timeout=10000)
    press(qtbot, "Ctrl+P", "export_pdf")
    qtbot.waitUntil(
        lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    )
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, PdfPreviewDialog):
            dialog.reject()


def test_people_tab_keys_and_enter(qtbot: QtBot, ctx: AppContext) -> None:
    """People: Ctrl+PgDown / Ctrl+PgUp step through the tabs (round), the focus on the tab's table; Enter on a
    table edits the selected record."""
    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]  # full rights: any record may be edited
    people.create_person(ctx.db, name="Ann Archer", email="ann@x.example", by=LOCAL_ADMIN)
    view = PeopleView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.set_context(ctx)
    _show_active(qtbot, view)
    qtbot.waitUntil(lambda: not view.loading and view.person_model.rowCount() > 0)
    _focus(qtbot, view.people_tab.table)
    tabs = view.tabs_list()
    for step, expected in ((1, 1), (1, 2), (1, 0), (-1, 2), (-1, 1)):
        press(qtbot, "Ctrl+PgDown" if step > 0 else "Ctrl+PgUp", "next_tab" if step > 0 else "previous_tab")
        assert view.tabs.currentIndex() == expected
        assert _focused(tabs[expected].table) or _focused(tabs[expected].search)
    press(qtbot, "Ctrl+PgUp", "previous_tab")
    assert view.tabs.currentWidget() is view.people_tab
    _focus(qtbot, view.people_tab.table)
    view.people_tab.select_first()
    press(qtbot, "Return", "edit_record")
    qtbot.waitUntil(lambda: isinstance(view.dialog, PersonDialog) and view.dialog.isVisible())
    assert isinstance(view.dialog, PersonDialog)
    person = view.dialog.person
    assert person is not None and person.name == "Ann Archer"  # the selected record, not a new one
    view.dialog.reject()
    reactivate(qtbot, view)


def _directory(ctx: AppContext) -> dict[str, int]:
    return {
        name: people.create_person(ctx.db, name=name, email=email, by=LOCAL_ADMIN).id
        for name, email in (("Ana Ortiz", "ana@x.example"), ("Bo Chen", "bo@x.example"), ("Bea Costa", "bea@x.example"))
    }


def test_who_is_using_keys(qtbot: QtBot, ctx: AppContext) -> None:
    """Who is using: ↓ to the list and Enter there continues as the selected person; Enter in the search as
    the first match."""
    ids = _directory(ctx)
    dialog = WhoIsUsingDialog(ctx)
    qtbot.addWidget(dialog)
    _show_active(qtbot, dialog)
    qtbot.waitUntil(dialog.search.hasFocus)
    press(qtbot, "Down", "to_list")
    assert _focused(dialog.people_list) and dialog.current_person().name == "Ana Ortiz"
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, "Return", "choose_person")
    assert dialog.chosen_person_id() == ids["Ana Ortiz"]

    again = WhoIsUsingDialog(ctx)
    qtbot.addWidget(again)
    _show_active(qtbot, again)
    qtbot.waitUntil(again.search.hasFocus)
    qtbot.keyClicks(again.search, "bo c")
    qtbot.waitUntil(lambda: again.proxy.rowCount() == 1)
    with qtbot.waitSignal(again.accepted):
        press(qtbot, "Enter", "choose_person")
    assert again.chosen_person_id() == ids["Bo Chen"]


def test_pdf_preview_esc_while_building(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Esc while the preview is being prepared stops it (nothing is built, the dialog stays); once it is not
    busy, Esc closes the dialog as in any other."""
    monkeypatch.setattr(pdf_preview, "BUILD_DELAY_MS", 60_000)  # the build waits: the test presses before it
    built: list[PdfOptions] = []

    def build(_path: Path, options: PdfOptions) -> None:
        built.append(options)

    dialog = PdfPreviewDialog("Kit", build)
    qtbot.addWidget(dialog)
    _show_active(qtbot, dialog)
    assert dialog.busy and dialog.cancel_button.isVisible()
    _focus(qtbot, dialog.page_size)
    press(qtbot, "Escape", "cancel_pdf")
    assert not dialog.busy and dialog.status.text().startswith("Cancelled")
    assert dialog.isVisible() and not dialog.cancel_button.isVisible() and built == []
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.page_size, Qt.Key.Key_Escape)  # not busy: Esc is the dialog's own (Close)
    assert not dialog.isVisible()


def test_pdf_preview_esc_during_the_build(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build holds the GUI thread: Esc pressed while it runs (a key waiting when it ends) drops its result and
    leaves the dialog open, saying so, instead of closing it."""
    monkeypatch.setattr(pdf_preview, "BUILD_DELAY_MS", 60_000)  # the first build waits until the dialog is shown

    def build(path: Path, _options: PdfOptions) -> None:
        path.write_bytes(b"%PDF-1.4\n")  # never shown: the key below comes first
        QTimer.singleShot(0, lambda: press(qtbot, "Escape", "cancel_pdf"))  # pressed now, handled after the build

    dialog = PdfPreviewDialog("Kit", build)
    qtbot.addWidget(dialog)
    _show_active(qtbot, dialog)
    _focus(qtbot, dialog.page_size)
    monkeypatch.setattr(pdf_preview, "BUILD_DELAY_MS", 0)
    dialog.rebuild()  # as when an option changes: this build runs, with the focus in the dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.status.text().startswith("Cancelled") and dialog.isVisible()
    assert dialog.page_count == 0 and not dialog.save_button.isEnabled()


def test_evidence_checklist_and_add_question_keys(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    """In the interview: a digit ticks that evidence item and Space the current one; in Add a question, ↑/↓
    move through the hits while the cursor stays in the search."""
    _window, cockpit = open_interview(qtbot, planned, settings)
    press(qtbot, "Ctrl+E", "evidence")
    evidence = cockpit.question.evidence
    assert _focused(evidence) and evidence.count() >= 2
    press(qtbot, "2", "tick_evidence")
    assert evidence.ticked() == (2,)
    qtbot.keyClick(evidence, Qt.Key.Key_Up)  # the list's own arrow: the first item is current
    press(qtbot, "Space", "tick_evidence")
    assert evidence.ticked() == (1, 2)
    press(qtbot, "2", "tick_evidence")
    assert evidence.ticked() == (1,)
    cockpit.notes.setFocus()
    qtbot.waitUntil(cockpit.notes.hasFocus)
    press(qtbot, "Ctrl+K", "add_question")
    picker = cockpit.findChild(QuestionPicker)
    assert picker is not None
    qtbot.waitUntil(lambda: picker.isVisible() and picker.results.count() > 2)
    reactivate(qtbot, picker)
    _focus(qtbot, picker.search)
    first = picker.results.currentRow()
    press(qtbot, "Down", "picker_move")
    assert picker.results.currentRow() == first + 1 and _focused(picker.search)
    press(qtbot, "Up", "picker_move")
    assert picker.results.currentRow() == first and _focused(picker.search)
    picker.reject()


def test_screen_stage_item_keys(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    """A screen stage: ↑/↓ go from item to item (from an item's note too), Enter goes into the item's note."""
    _window, cockpit = open_screen_stage(
        qtbot,
        planned,
        settings,
        ["ml-eng-manager-profile.technical-expertise.01", "ml-eng-manager-profile.typical-background.01"],
    )
    page = cockpit.screen_page
    qtbot.waitUntil(page.rows[0].hasFocus)
    press(qtbot, "Down", "screen_move")
    assert _focused(page.rows[1])
    press(qtbot, "Up", "screen_move")
    assert _focused(page.rows[0])
    press(qtbot, "Return", "screen_note")
    assert _focused(page.rows[0].note)
    press(qtbot, "Down", "screen_move")
    assert _focused(page.rows[1])


def test_coverage_enter_opens_the_question(qtbot: QtBot, ctx: AppContext) -> None:
    """Tab from Coverage's requirements reaches their questions, where Enter opens the selected one in the
    Question bank."""
    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(ctx)
    _show_active(qtbot, view)
    view.document.setCurrentIndex(view.document.findData("ml-lead-lisbon-ad"))
    view.table.selectRow(
        next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data(CoverageRole).count)
    )
    assert view.questions.count() > 1
    _focus(qtbot, view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)  # from the requirements, Tab reaches their questions
    assert _focused(view.questions)
    view.questions.setCurrentRow(1)
    wanted = view.questions.item(1).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(view.sig_question_requested) as opened:
        press(qtbot, "Return", "open_in_bank")
    assert opened.args == [wanted]


def test_coverage_enter_shows_the_question_in_the_bank_read_first(qtbot: QtBot, window: MainWindow) -> None:
    """In the window, the Question bank not yet shown: Enter on a Coverage question shows that question once
    the bank has been read (it was dropped while the bank was reading, the first row shown instead)."""
    window.navigate("coverage")
    coverage = window.section("coverage")
    assert isinstance(coverage, CoverageView)
    settle(qtbot, window)
    assert _focused(coverage.table)  # on entry: the requirements (↓ on the job description switched it)
    coverage.table.selectRow(
        next(r for r in range(coverage.proxy.rowCount()) if coverage.proxy.index(r, 0).data(CoverageRole).count)
    )
    _focus(qtbot, coverage.questions)
    coverage.questions.setCurrentRow(coverage.questions.count() - 1)
    wanted = coverage.questions.currentItem().data(Qt.ItemDataRole.UserRole)
    assert not any(isinstance(w, BankBrowser) for w in window.built_sections())  # it reads on the way
    press(qtbot, "Return", "open_in_bank")
    bank = window.section("bank")
    assert isinstance(bank, BankBrowser)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is bank and not bank.loading, timeout=10000)
    assert bank.current_question_id() == wanted


def test_every_navigation_key_is_pressed() -> None:
    """Runs last in this file: each navigation entry of the registry was pressed by a test above."""
    if len(PRESSED & NAVIGATION) < 3:
        pytest.skip("run with the tests above")
    assert {e.name for e in KEYMAP} >= NAVIGATION
    assert NAVIGATION <= PRESSED
