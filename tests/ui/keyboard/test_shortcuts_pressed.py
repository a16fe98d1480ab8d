"""Every key the README documents (the registry, KEYMAP) pressed on the real window in the place it names,
with its effect checked; no key has two meanings at once in any state of the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services import demo, loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.exercises import exercises as exercise_list
from interviewkit.ui.bank.browser import BankBrowser
from interviewkit.ui.cockpit import cockpit as cockpit_module
from interviewkit.ui.cockpit.amend import AmendDialog
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.cockpit.picker import QuestionPicker
from interviewkit.ui.cockpit.variant_picker import VariantPicker
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.jd_import.model import COL_TEXT
from interviewkit.ui.people.dialogs import OpeningDialog, PersonDialog
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.shell.registry import SECTIONS
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets import pdf_preview
from interviewkit.ui.widgets.pdf_preview import PdfOptions, PdfPreviewDialog
from interviewkit.ui.widgets.shortcuts import KEYMAP
from tests.ui.calibration.test_calibration_view import _view as calibration_view
from tests.ui.calibration.test_calibration_view import rated_ctx  # noqa: F401 - the fixture
from tests.ui.cockpit.conftest import Planned
from tests.ui.conftest import show_main_window
from tests.ui.debrief.conftest import Demo, open_view, seeded  # noqa: F401 - the fixtures
from tests.ui.jd_import.test_import_dialog import AD as JD_AD
from tests.ui.jd_import.test_import_dialog import _open as open_jd_import
from tests.ui.jd_import.test_import_dialog import admin_ctx  # noqa: F401 - the fixture
from tests.ui.keyboard.pressing import NAVIGATION, PRESSED, no_ambiguity, open_screen_stage, press, reactivate
from tests.ui.keyboard.test_status_after_submit import open_interview
from tests.ui.loops.conftest import TEMPLATE_ID, Seed, loop_bank_template, loop_db, open_loops_view, seed  # noqa: F401


@pytest.fixture
def window(qtbot: QtBot, planned: Planned, settings: QSettings) -> Iterator[MainWindow]:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.set_context(planned.ctx)
    show_main_window(qtbot, w)
    yield w


def test_the_sections_find_and_export_keys(qtbot: QtBot, window: MainWindow, qtlog: Any) -> None:
    mine = window.section("my_interviews")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is mine)
    for i, section in enumerate(SECTIONS):
        press(qtbot, f"Ctrl+{i + 1}", "sections")
        qtbot.waitUntil(lambda s=section: window.stack.currentWidget() is window.section(s.key))
        focus = QApplication.focusWidget()
        assert focus is not None and window.stack.currentWidget().isAncestorOf(focus), section.title  # not the list
        no_ambiguity(window)
    press(qtbot, "Ctrl+4", "sections")
    bank = window.section("bank")
    assert isinstance(bank, BankBrowser)
    bank.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bank.table)
    press(qtbot, "Ctrl+F", "find")
    assert window.stack.currentWidget() is bank and QApplication.focusWidget() is bank.search
    press(qtbot, "Ctrl+1", "sections")
    press(qtbot, "Ctrl+P", "export_pdf")
    assert window.statusBar().currentMessage().startswith("Nothing to export here")
    assert window.actions_by_id[ActionId.EXPORT_PDF].shortcut().toString() == "Ctrl+P"  # shown in File
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_window_s_own_commands(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtlog: Any
) -> None:
    called: list[str] = []
    monkeypatch.setattr(window.session, "choose_database", lambda: called.append("open"))
    monkeypatch.setattr(window, "identify", lambda ask_again=False: called.append(f"who:{ask_again}"))
    monkeypatch.setattr(window, "run", lambda work, done=None, *, busy, **_: called.append(busy))
    window.actions_by_id[ActionId.SYNC_BANK].setEnabled(True)  # as for an admin
    window.section("my_interviews").focus_entry()
    press(qtbot, "Ctrl+O", "open_database")
    press(qtbot, "Ctrl+Shift+U", "switch_user")
    press(qtbot, "F5", "sync_bank")
    assert called == ["open", "who:True", "Syncing the question bank"]
    press(qtbot, "Ctrl+Q", "quit")
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_interview_keys(
    qtbot: QtBot, planned: Planned, settings: QSettings, monkeypatch: pytest.MonkeyPatch, qtlog: Any
) -> None:
    window, cockpit = open_interview(qtbot, planned, settings)
    assert cockpit.notes.hasFocus()
    no_ambiguity(window)
    press(qtbot, "Ctrl+Right", "next_question")
    assert cockpit.header.position_label.text() == "Q2 of 3"
    press(qtbot, "Ctrl+Left", "previous_question")
    assert cockpit.header.position_label.text() == "Q1 of 3"
    press(qtbot, "Ctrl+E", "evidence")
    assert cockpit.question.evidence.hasFocus()
    press(qtbot, "Ctrl+J", "notes")
    assert cockpit.notes.hasFocus()
    first = cockpit.ratings.focused()
    assert first is not None
    for level in range(1, 5):
        press(qtbot, f"Alt+{level}", "rate")
        assert first.state().score == level
    press(qtbot, "Alt+Down", "next_competency")
    assert cockpit.ratings.focused() is not first
    press(qtbot, "Alt+Up", "previous_competency")
    assert cockpit.ratings.focused() is first
    press(qtbot, "Alt+0", "not_assessed")
    assert first.state().not_assessed
    press(qtbot, "Alt+3", "rate")
    cockpit.notes.setFocus()
    press(qtbot, "Ctrl+K", "add_question")
    picker = cockpit.findChild(QuestionPicker)
    qtbot.waitUntil(lambda: picker is not None and picker.isVisible())
    picker.reject()  # type: ignore[union-attr]
    reactivate(qtbot, window)
    cockpit.notes.setFocus()
    qtbot.waitUntil(cockpit.notes.hasFocus)
    cockpit.next_question()  # a question without notes yet
    press(qtbot, "Ctrl+Shift+V", "swap_variant")
    variants = cockpit.findChild(VariantPicker)
    assert (variants is not None and variants.isVisible()) or "variant" in cockpit.header.notice.text()
    if variants is not None:
        variants.reject()
    reactivate(qtbot, window)
    cockpit.notes.setFocus()
    qtbot.waitUntil(cockpit.notes.hasFocus)
    printed: list[str] = []
    monkeypatch.setattr(cockpit_module, "preview_and_save", lambda *a, **k: printed.append(a[1]) or _Dialog())
    with qtbot.waitSignal(cockpit.sig_export_requested, timeout=5000):
        press(qtbot, "Ctrl+P", "export_scorecard")
    assert printed and printed[0].startswith("Scorecard · Priya Natarajan")
    reactivate(qtbot, window)
    cockpit.notes.setFocus()
    qtbot.waitUntil(cockpit.notes.hasFocus)
    press(qtbot, "Ctrl+2", "sections")  # Ctrl+digits switch sections from the interview too
    assert window.stack.currentWidget() is window.section("loops")
    window.navigation.setCurrentItem(window.interview.item)
    cockpit.notes.setFocus()
    press(qtbot, "Ctrl+W", "leave")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.section("my_interviews") and cockpit.state is None)
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


class _Dialog:
    """What preview_and_save returns, for a test that does not print."""

    class _Signal:
        def connect(self, _slot: object) -> None:
            pass

    sig_saved = _Signal()


def test_the_finish_page_keys(qtbot: QtBot, planned: Planned, settings: QSettings, qtlog: Any) -> None:
    window, cockpit = open_interview(qtbot, planned, settings)
    qtbot.keyClicks(cockpit.notes, "- detected drift from a business report")
    for _ in cockpit.ratings.rows:
        cockpit.rate(3)
        cockpit.move_focus_row(1)
    press(qtbot, "F10", "finish")
    assert cockpit.pages.currentWidget() is cockpit.finish_page
    no_ambiguity(window)
    for n in range(4, 0, -1):
        press(qtbot, f"Ctrl+{n}", "recommend")
        assert cockpit.finish_page.rec_group.checkedId() == n
        assert window.stack.currentWidget() is cockpit  # not a section
    press(qtbot, "Ctrl+5", "sections")  # the keys past the recommendations still switch sections
    assert window.stack.currentWidget() is window.section("coverage")
    window.navigation.setCurrentItem(window.interview.item)
    cockpit.summary.setFocus()
    qtbot.waitUntil(cockpit.summary.hasFocus)
    press(qtbot, "Escape", "back")
    assert cockpit.pages.currentWidget() is cockpit.interview_page and cockpit.notes.hasFocus()
    press(qtbot, "F10", "finish")
    cockpit.summary.setFocus()
    qtbot.keyClicks(cockpit.summary, "Solid on monitoring.")
    with qtbot.waitSignal(cockpit.sig_submitted, timeout=10000):
        press(qtbot, "Ctrl+Return", "submit")
    assert cockpit.state is not None and cockpit.state.locked
    cockpit.finish_page.setFocus()
    no_ambiguity(window)
    press(qtbot, "Ctrl+Shift+A", "amend")
    qtbot.waitUntil(lambda: any(d.isVisible() for d in cockpit.findChildren(AmendDialog)))
    for dialog in cockpit.findChildren(AmendDialog):
        dialog.reject()
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_screen_stage_keys(qtbot: QtBot, planned: Planned, settings: QSettings, qtlog: Any) -> None:
    window, cockpit = open_screen_stage(
        qtbot,
        planned,
        settings,
        [
            "ml-eng-manager-profile.technical-expertise.01",
            "ml-eng-manager-profile.engineering-leadership.01",
            "ml-eng-manager-profile.typical-background.01",
        ],
    )
    page = cockpit.screen_page
    qtbot.waitUntil(lambda: len(page.rows) == 3 and page.rows[0].hasFocus())
    no_ambiguity(window)
    row = page.rows[0]
    for key, answer in (("1", "yes"), ("2", "no"), ("3", "unclear"), ("N", "no"), ("U", "unclear"), ("Y", "yes")):
        press(qtbot, key, "screen_answer")
        assert row.answer == answer
    row.note.setFocus()
    qtbot.waitUntil(row.note.hasFocus)
    for key, answer in (("Alt+2", "no"), ("Alt+3", "unclear"), ("Alt+1", "yes")):
        press(qtbot, key, "screen_answer_note")
        assert row.answer == answer
    for other in page.rows[1:]:
        other.choose("yes")
    row.setFocus()
    press(qtbot, "Ctrl+Return", "screen_finish")
    qtbot.waitUntil(lambda: page.checklist is not None and page.checklist.finished, timeout=5000)
    reactivate(qtbot, window)
    page.rows[1].setFocus()
    qtbot.waitUntil(page.rows[1].hasFocus)
    no_ambiguity(window)
    press(qtbot, "Ctrl+Shift+A", "screen_amend")  # a finished screen: amend an answer, with a reason
    qtbot.waitUntil(lambda: page._amending is not None and page._amending.isVisible(), timeout=5000)
    assert page._amending is not None and page._amending.item.currentData() == page.rows[1].requirement_id
    page._amending.reject()
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_scan_finds_a_key_with_two_meanings(qtbot: QtBot, planned: Planned, settings: QSettings) -> None:
    window, cockpit = open_interview(qtbot, planned, settings)
    extra = QAction("Another Ctrl+J", cockpit)
    extra.setShortcut(QKeySequence("Ctrl+J"))  # the cockpit's "jump to the notes" already
    extra.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    cockpit.addAction(extra)
    with pytest.raises(AssertionError, match="Ctrl\\+J"):
        no_ambiguity(window)


def test_the_section_keys_my_interviews(qtbot: QtBot, window: MainWindow, planned: Planned, qtlog: Any) -> None:
    """Enter on My interviews' list opens the selected interview (the registry's key, not Qt's item view)."""
    mine = window.section("my_interviews")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is mine and mine.model.rowCount() > 0)
    mine.table.setFocus()
    qtbot.waitUntil(mine.table.hasFocus)
    if not mine.table.currentIndex().isValid():
        mine.table.setCurrentIndex(mine.model.index(0, 0))
    press(qtbot, "Return", "open_interview")
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and cockpit.state is not None)
    assert cockpit.state is not None and cockpit.state.stage_id == planned.stage_id
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_section_keys_add_questions(qtbot: QtBot, seed: Seed) -> None:  # noqa: F811
    """Enter in a loop's Add questions search adds the current hit."""
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = loops.create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = open_loops_view(qtbot, seed)
    view.page.add_questions()
    picker = view.page.picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    picker.activateWindow()
    picker.search.setFocus()
    qtbot.waitUntil(picker.search.hasFocus)
    everything = picker.proxy.rowCount()
    qtbot.keyClicks(picker.search, "delayed labels")
    qtbot.waitUntil(lambda: 0 < picker.proxy.rowCount() < everything)
    first = picker.selected_ids()
    assert len(first) == 1
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Return", "add_hit")
    plan = loops.loop_detail(seed.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].questions
    assert plan[-1].question_id == first[0]


def test_the_section_keys_exercises(qtbot: QtBot, rated_ctx: AppContext) -> None:  # noqa: F811
    """Ctrl+N in Calibration's Exercises writes a new exercise, as soon as the tab is shown."""
    view = calibration_view(qtbot, rated_ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.tabs.tabBar().setFocus()
    view.tabs.setCurrentWidget(view.exercises)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.exercises.list)
    press(qtbot, "Ctrl+N", "new_exercise")
    assert view.exercises.pages.currentWidget() is view.exercises.create_page


def test_the_section_keys_debrief_decision(
    qtbot: QtBot,
    seeded: Demo,  # noqa: F811
    open_view: Callable[[AppContext], DebriefView],  # noqa: F811
) -> None:
    """Ctrl+Enter on a debrief's Decision tab records the decision the lead chose, as the Record button does."""
    view = open_view(seeded.ctx)
    assert view.select_candidate(seeded.candidates[demo.SPLIT])
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    qtbot.mouseClick(panel.outcome_buttons["hold"], Qt.MouseButton.LeftButton)
    panel.rationale.setFocus()
    qtbot.waitUntil(panel.rationale.hasFocus)
    qtbot.keyClicks(panel.rationale, "Two more references first.")
    with qtbot.waitSignal(view.sig_decision_recorded) as blocker:
        press(qtbot, "Ctrl+Return", "record_decision")
    candidate_id, info = blocker.args
    assert candidate_id == seeded.candidates[demo.SPLIT] and info.outcome == "hold"
    assert not panel.form_page.isVisible() and panel.reopen_button.isVisible()


def test_the_section_keys_people(qtbot: QtBot, ctx: AppContext) -> None:
    """Ctrl+N in People opens the form of a new record of the tab shown."""
    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]  # full rights: any record may be added
    view = PeopleView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.set_context(ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.people_tab.search.setFocus()
    qtbot.waitUntil(view.people_tab.search.hasFocus)
    press(qtbot, "Ctrl+N", "new_record")
    qtbot.waitUntil(lambda: isinstance(view.dialog, PersonDialog) and view.dialog.isVisible())
    assert view.dialog is not None
    view.dialog.reject()
    reactivate(qtbot, view)
    view.tabs.setCurrentWidget(view.openings_tab)
    view.openings_tab.search.setFocus()
    qtbot.waitUntil(view.openings_tab.search.hasFocus)
    press(qtbot, "Ctrl+N", "new_record")
    qtbot.waitUntil(lambda: isinstance(view.dialog, OpeningDialog) and view.dialog.isVisible())


def _plan(data: Seed, loop_id: int) -> list[str]:
    return [q.question_id for q in loops.loop_detail(data.ctx.db, loop_id, by=LOCAL_ADMIN).stages[0].questions]


def _stages(data: Seed, loop_id: int) -> list[int]:
    return [st.id for st in loops.loop_detail(data.ctx.db, loop_id, by=LOCAL_ADMIN).stages]


def test_the_section_keys_loops(qtbot: QtBot, seed: Seed) -> None:  # noqa: F811
    """Loops' keys: Ctrl+N in the list, Ctrl+Shift+N / Ctrl+arrows / Ctrl+K on a loop, Alt+arrows and Delete
    on a stage's plan; each write is checked in the database."""
    start = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
    loop_id = loops.create_loop(seed.ctx.db, seed.candidate_id, template_id=TEMPLATE_ID, start=start, by=LOCAL_ADMIN).id
    view = open_loops_view(qtbot, seed)
    view.list_pane.search.setFocus()
    qtbot.waitUntil(view.list_pane.search.hasFocus)
    press(qtbot, "Ctrl+N", "new_loop")
    qtbot.waitUntil(lambda: view.new_loop_dialog is not None and view.new_loop_dialog.isVisible())
    view.new_loop_dialog.reject()
    reactivate(qtbot, view)

    stages = _stages(seed, loop_id)
    view.page.stage_list.setFocus()
    qtbot.waitUntil(view.page.stage_list.hasFocus)
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Ctrl+Down", "stage_later")
    assert _stages(seed, loop_id)[:2] == [stages[1], stages[0]]
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Ctrl+Up", "stage_earlier")
    assert _stages(seed, loop_id) == stages
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Ctrl+Shift+N", "add_stage")
    assert len(_stages(seed, loop_id)) == len(stages) + 1
    qtbot.waitUntil(view.page.stage_editor.name.hasFocus)

    view.page.stage_list.setCurrentIndex(view.page.stage_model.index(0))
    editor = view.page.stage_editor
    before = _plan(seed, loop_id)
    editor.plan_view.setFocus()
    editor.plan_view.setCurrentIndex(editor.plan_model.index(0))
    qtbot.waitUntil(editor.plan_view.hasFocus)
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Alt+Down", "question_later")
    assert _plan(seed, loop_id) == [before[1], before[0], *before[2:]]
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Alt+Up", "question_earlier")
    assert _plan(seed, loop_id) == before
    with qtbot.waitSignal(view.sig_loops_changed):
        press(qtbot, "Del", "remove_question")
    assert _plan(seed, loop_id) == before[1:]
    press(qtbot, "Ctrl+K", "plan_add_question")
    qtbot.waitUntil(lambda: view.page.picker is not None and view.page.picker.isVisible())
    view.page.picker.reject()


def test_the_section_keys_pdf_preview(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ctrl+S in a PDF preview saves the previewed PDF where the person chooses."""

    def build(path: Path, _options: PdfOptions) -> None:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        with path.open("wb") as out:
            writer.write(out)

    dialog = PdfPreviewDialog("Kit", build)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.save_button.isEnabled(), timeout=20000)
    target = tmp_path / "kit.pdf"
    monkeypatch.setattr(pdf_preview, "get_save_file_name", lambda *_a: (str(target), ""))
    dialog.save_button.setFocus()
    qtbot.waitUntil(dialog.save_button.hasFocus)
    with qtbot.waitSignal(dialog.sig_saved) as saved:
        press(qtbot, "Ctrl+S", "save_pdf")
    assert saved.args == [str(target)] and len(PdfReader(str(target)).pages) == 1


def test_the_section_keys_clear_search(qtbot: QtBot, window: MainWindow, qtlog: Any) -> None:
    """Esc in a section's search box clears it (the bank's, the loops', the debriefs'); with the search empty,
    the key is free again."""
    for key, search_of in (
        ("bank", lambda s: s.search),
        ("loops", lambda s: s.list_pane.search),
        ("debriefs", lambda s: s.search),
    ):
        window.navigate(key)
        section = window.section(key)
        qtbot.waitUntil(lambda s=section: window.stack.currentWidget() is s)
        search = search_of(section)
        search.setFocus()
        qtbot.waitUntil(search.hasFocus)
        qtbot.keyClicks(search, "zzz")
        no_ambiguity(window)
        press(qtbot, "Escape", "clear_search")
        assert search.text() == "" and search.hasFocus(), key
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_the_section_keys_exercise_pages(qtbot: QtBot, rated_ctx: AppContext) -> None:  # noqa: F811
    """Writing an exercise: Alt+1..4 choose the agreed rating, Ctrl+Enter creates it; scoring one (another
    interviewer): 1..4 choose the score, Ctrl+Enter submits it and the results show."""
    view = calibration_view(qtbot, rated_ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.tabs.setCurrentWidget(view.exercises)
    panel = view.exercises
    panel.new_exercise()
    panel.choose_question("latency-regression")
    create = panel.create_page
    create.transcript_edit.setFocus()
    qtbot.waitUntil(create.transcript_edit.hasFocus)
    qtbot.keyClicks(create.transcript_edit, "We saw p99 go from 80 ms to 140 ms; we bisected the release.")
    for level in (1, 4, 3):
        press(qtbot, f"Alt+{level}", "agreed_rating")
        assert create.agreed_picker.value() == level
    create.rationale_edit.setFocus()
    qtbot.keyClicks(create.rationale_edit, "Numbers and cause, but no change to the process.")
    with qtbot.waitSignal(panel.sig_created):
        press(qtbot, "Ctrl+Return", "create_exercise")
    assert "Agreed rating: 3" in panel.results_page.agreed_label.text()

    rated_ctx.user_id = people.create_person(rated_ctx.db, name="Ann Archer", email="ann@x.example", by=LOCAL_ADMIN).id
    panel.refresh()
    [summary] = exercise_list(rated_ctx.db, rated_ctx.user_id)
    panel.select(summary.id)
    score = panel.score_page
    assert panel.pages.currentWidget() is score
    score.transcript_view.setFocus()
    qtbot.waitUntil(score.transcript_view.hasFocus)
    for level in (4, 1, 2):
        press(qtbot, str(level), "exercise_score")
        assert score.picker.value() == level
    with qtbot.waitSignal(panel.sig_scored):
        press(qtbot, "Ctrl+Return", "submit_exercise_score")
    assert "1 point below the agreed rating" in panel.results_page.my_result.text()


def test_the_section_keys_jd_review(qtbot: QtBot, admin_ctx: AppContext) -> None:  # noqa: F811
    """Delete in an imported job description's requirements leaves the selected ones out."""
    _command, dialog, _host = open_jd_import(qtbot, admin_ctx)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    QGuiApplication.clipboard().setText(JD_AD)
    dialog.paste_clipboard()
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    before = [dialog.model.index(r, COL_TEXT).data() for r in range(dialog.model.rowCount())]
    assert len(before) == 5
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    dialog.select_rows([3])
    press(qtbot, "Del", "remove_requirement")
    assert [dialog.model.index(r, COL_TEXT).data() for r in range(dialog.model.rowCount())] == before[:3] + before[4:]


def test_every_documented_key_is_pressed() -> None:
    """Runs last in this file: each entry of the registry was pressed by one of the tests above (the
    navigation keys by test_navigation_keys.py)."""
    if len(PRESSED - NAVIGATION) < 3:
        pytest.skip("run with the tests above")
    assert {e.name for e in KEYMAP} - NAVIGATION == PRESSED - NAVIGATION
