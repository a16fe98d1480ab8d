"""The Debriefs section, driven as a debrief lead and as interviewers would: read, override, decide, reopen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from interviewkit.services import audit, demo, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.debrief import DecisionInfo, debrief, decisions
from interviewkit.services.debrief_grid import ADJUSTED as EXTRA_ADJUSTED
from interviewkit.services.debrief_grid import SPREAD as EXTRA_SPREAD
from interviewkit.services.debrief_grid import short_name
from interviewkit.storage.db import Database
from interviewkit.ui.debrief.decision import LEAD_ONLY
from interviewkit.ui.debrief.model import TrailingRole
from interviewkit.ui.debrief.view import EMPTY_TEXT, DebriefView
from tests.ui.debrief.conftest import Demo

OpenView = Callable[[AppContext], DebriefView]
LEFT = Qt.MouseButton.LeftButton


def click_cell(qtbot: QtBot, view: DebriefView, row: int, col: int) -> None:
    index = view.grid_model.index(row, col)
    view.grid.scrollTo(index)
    qtbot.mouseClick(view.grid.viewport(), LEFT, pos=view.grid.visualRect(index).center())


def click_section(qtbot: QtBot, header: QHeaderView, section: int) -> None:
    horizontal = header.orientation() == Qt.Orientation.Horizontal
    start = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    pos = QPoint(start, header.height() // 2) if horizontal else QPoint(header.width() // 2, start)
    qtbot.mouseClick(header.viewport(), LEFT, pos=pos)


def show(view: DebriefView, seeded: Demo, scenario: str) -> None:
    assert view.select_candidate(seeded.candidates[scenario])


# --- the list ----------------------------------------------------------------------------------------


def test_the_empty_state_says_when_debriefs_appear(qtbot: QtBot, shipped_db: Database, open_view: OpenView) -> None:
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir

    ana = people.create_person(shipped_db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    view = open_view(AppContext(shipped_db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=ana.id))
    assert view.candidate_stack.currentWidget() is view.candidate_empty
    assert view.candidate_empty.text() == EMPTY_TEXT
    assert EMPTY_TEXT == "No scorecards submitted yet. Debriefs appear here once interviewers submit."
    assert view.right_stack.currentWidget() is view.placeholder


def test_the_list_shows_candidates_with_submitted_scorecards_and_ctrl_f_searches(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    names = [view.candidate_proxy.index(r, 0).data() for r in range(view.candidate_proxy.rowCount())]
    assert sorted(names) == sorted(c.name for c in demo.CANDIDATES if c.scenario != demo.NEXT_WEEK)
    mid = view.candidate_model.index(view.candidate_model.row_of(seeded.candidates[demo.MID_LOOP]))
    assert "2 of 6 submitted" in mid.data(Qt.ItemDataRole.UserRole + 20)  # six interviews (a screen has no scorecard)
    view.focus_search()  # what the window's Edit → Find (Ctrl+F) calls
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "aisha")
    assert view.candidate_proxy.rowCount() == 1
    assert view.current_candidate_id() == seeded.candidates[demo.SPLIT]
    assert view.header.text().startswith("Aisha Rahman · ML Engineering Manager (Lisbon) · 6 of 6 scorecards submitted")
    qtbot.keyClicks(view.search, "zzz")
    assert view.candidate_stack.currentWidget() is view.candidate_empty
    assert "No candidate matches" in view.candidate_empty.text()
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.candidate_proxy.rowCount() == 4


# --- the grid ----------------------------------------------------------------------------------------


def test_the_lead_sees_every_scorecard_in_the_grid(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.STRONG)
    d = debrief(seeded.db, seeded.candidates[demo.STRONG], seeded.lead_id, seeded.ctx.settings)
    model = view.grid_model
    assert view.grid_stack.currentWidget() is view.grid and view.banner.isHidden()
    assert model.card_count() == len(d.columns) == 6
    assert model.rowCount() == len(d.competencies) + 1
    assert model.columnCount() == len(d.columns) + 2  # Spread and Mean
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.card_count())]
    first = d.columns[0]  # the demo's first interview stage comes after its screen
    assert headers[0].split("\n") == [short_name(first.interviewer), f"Stage {first.stage_position}"]
    assert "you lead this debrief" in view.subheader.text()
    assert view.flags.text().startswith("✓ No disagreement")


def test_the_split_panel_shows_the_disagreement_and_the_split(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    d = view.shown
    assert d is not None and d.disagreements and d.split_recommendation
    model = view.grid_model
    col = model.column_of_extra(EXTRA_SPREAD)
    cid, spread = next(iter(d.disagreements.items()))
    assert spread >= 2
    marker = model.index(model.row_of(cid), col)
    assert marker.data() == f"spread {spread}" and marker.data(Qt.ItemDataRole.DecorationRole) is not None
    split = model.index(model.overall_row(), col)
    assert split.data() == "split" and split.data(Qt.ItemDataRole.DecorationRole) is not None
    assert f"(spread {spread})" in view.flags.text() and "⚠ Split panel:" in view.flags.text()
    assert view.flags.property("state") == "warning"


def test_clicking_a_cell_shows_that_interviewers_notes_for_that_competency(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    d = view.shown
    assert d is not None
    col, card = next((i, c) for i, c in enumerate(d.columns) if any(c.evidence_for(cid) for cid in c.ratings))
    cid = next(cid for cid in card.ratings if card.evidence_for(cid) and card.ratings[cid] is not None)
    view.tabs.setCurrentIndex(1)
    click_cell(qtbot, view, view.grid_model.row_of(cid), col)
    assert view.tabs.currentWidget() is view.evidence
    text = view.evidence.toPlainText()
    assert card.interviewer in text and dict(d.competencies)[cid] in text
    assert f"Rating: {card.ratings[cid]}" in text
    assert card.rating_evidence[cid] in text
    for q in card.evidence_for(cid):
        assert q.title in text
        first_note = q.notes.splitlines()[0].lstrip("- ").strip()
        assert first_note[:25] in text  # the Markdown list item, rendered
    others = [q for q in card.questions if cid not in q.competencies]
    assert all(q.title not in text for q in others)
    assert "<script" not in view.evidence.toHtml()


def test_enter_on_a_cell_opens_it_and_a_column_header_shows_the_summary(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.STRONG)
    d = view.shown
    assert d is not None
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Down)
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    index = view.grid.currentIndex()
    assert (index.row(), index.column()) == (1, 1)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert d.columns[1].interviewer in view.evidence.toPlainText()
    assert d.competencies[1][1] in view.evidence.toPlainText()

    click_section(qtbot, view.grid.horizontalHeader(), 2)
    text = view.evidence.toPlainText()
    assert f"Recommendation: {d.columns[2].recommendation}" in text
    assert d.columns[2].summary.split(".")[0] in text


def test_an_interviewer_who_has_not_submitted_sees_why_and_no_scorecard(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    amara = demo.INTERVIEWERS[0].name  # has the mid-loop candidate's stage today, not yet interviewed
    view = open_view(seeded.as_person(amara))
    show(view, seeded, demo.MID_LOOP)
    assert view.banner.isVisible()
    assert "2 submitted scorecards are hidden from you." in view.banner_text.text()
    assert "until you submit your own" in view.banner_text.text()
    assert not view.override_button.isVisible()  # only the lead may override
    assert view.grid_model.columnCount() == 0 and view.grid_model.card_count() == 0
    assert view.grid_stack.currentWidget() is view.grid_empty
    assert view.override() is None


def test_the_leads_override_needs_a_reason_shows_the_scorecards_and_is_audited(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.MID_LOOP)
    candidate_id = seeded.candidates[demo.MID_LOOP]
    assert view.banner.isVisible() and view.override_button.isVisible()
    assert view.grid_model.card_count() == 0
    qtbot.mouseClick(view.override_button, LEFT)
    qtbot.waitUntil(lambda: view.override_dialog is not None and view.override_dialog.isVisible())
    dialog = view.override_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.ok_button, LEFT)  # no reason yet
    assert dialog.isVisible()
    assert dialog.form.problem_for("Reason").startswith("Say why the panel needs the scorecards")
    assert audit.audit_trail(seeded.db, "candidate", candidate_id, by=LOCAL_ADMIN) == []

    qtbot.keyClicks(dialog.reason, "Stage 3 interviewer is ill; the panel meets today")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.grid_model.card_count() == 2)
    assert view.override_dialog is None or not view.override_dialog.isVisible()
    assert view.banner.isHidden()
    assert "override" in view.subheader.text()
    (entry,) = [
        e for e in audit.audit_trail(seeded.db, "candidate", candidate_id, by=LOCAL_ADMIN) if e.action == "override"
    ]
    assert entry.reason == "Stage 3 interviewer is ill; the panel meets today"
    assert entry.actor == demo.HIRING_MANAGER.name


# --- the decision ------------------------------------------------------------------------------------


def record_through_the_form(qtbot: QtBot, view: DebriefView, outcome: str, rationale: str) -> tuple[int, DecisionInfo]:
    panel = view.decision
    qtbot.mouseClick(panel.outcome_buttons[outcome], LEFT)
    panel.rationale.setFocus()
    qtbot.keyClicks(panel.rationale, rationale)
    with qtbot.waitSignal(view.sig_decision_recorded) as blocker:
        qtbot.mouseClick(panel.record_button, LEFT)
    candidate_id, info = blocker.args
    assert isinstance(info, DecisionInfo)
    return candidate_id, info


def test_the_lead_records_a_decision_through_the_form(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    d = view.shown
    assert d is not None
    assert panel.form_page.isVisible() and panel.record_button.text() == "Record decision"
    assert [b.text() for b in panel.outcome_buttons.values()] == ["Hire", "No hire", "Hold", "More information needed"]
    # the panel whose scorecards are shown, and the person using the app, are ticked already
    assert panel.checked_participants() == {c.interviewer_id for c in d.columns} | {seeded.lead_id}

    qtbot.mouseClick(panel.record_button, LEFT)  # nothing chosen, nothing written
    assert any(p.startswith("Outcome:") for p in panel.problems_shown())
    assert any(p.startswith("Rationale:") for p in panel.problems_shown())
    assert decisions(seeded.db, d.candidate_id, by=LOCAL_ADMIN) == []

    candidate_id, info = record_through_the_form(
        qtbot, view, "more_information", "Split on people leadership: a follow-up conversation first."
    )
    assert candidate_id == d.candidate_id
    (stored,) = decisions(seeded.db, d.candidate_id, by=LOCAL_ADMIN)
    assert stored.id == info.id and stored.outcome == "more_information"
    assert stored.rationale == "Split on people leadership: a follow-up conversation first."
    assert demo.HIRING_MANAGER.name in stored.participants and len(stored.participants) == 6
    assert not panel.form_page.isVisible() and panel.reopen_button.isVisible()
    assert "Decision: More information needed" in panel.status.text()
    assert view.tabs.tabText(3) == "Decision: More information needed"
    row = view.candidate_model.index(view.candidate_model.row_of(d.candidate_id))
    assert row.data(TrailingRole) == "More information needed"
    assert view.decision.history_model.rowCount() == 1


def test_reopening_needs_a_reason_and_supersedes_the_decision(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    record_through_the_form(qtbot, view, "hold", "Waiting for the second opening to be approved.")
    candidate_id = seeded.candidates[demo.SPLIT]

    qtbot.mouseClick(panel.reopen_button, LEFT)
    assert panel.form_page.isVisible() and panel.reopen_reason.isVisible()
    assert panel.outcome() == "hold" and "second opening" in panel.rationale.toPlainText()
    qtbot.mouseClick(panel.outcome_buttons["no_hire"], LEFT)
    panel.rationale.selectAll()
    panel.rationale.setFocus()
    qtbot.keyClicks(panel.rationale, "The people-leadership gap is too wide for this role.")
    qtbot.mouseClick(panel.record_button, LEFT)  # no reason
    assert panel.form.problem_for("Reopening reason").startswith("This candidate already has a decision")
    assert panel.form_page.isVisible() and panel.reopen_reason.hasFocus()
    assert panel.outcome() == "no_hire"  # what was typed is kept
    assert panel.rationale.toPlainText() == "The people-leadership gap is too wide for this role."
    assert len(decisions(seeded.db, candidate_id, by=LOCAL_ADMIN)) == 1

    qtbot.keyClicks(panel.reopen_reason, "The second opening was not approved")
    with qtbot.waitSignal(view.sig_decision_recorded):
        qtbot.mouseClick(panel.record_button, LEFT)
    first, second = decisions(seeded.db, candidate_id, by=LOCAL_ADMIN)
    assert first.superseded and first.outcome == "hold"
    assert not second.superseded and second.outcome == "no_hire"
    assert second.reopen_reason == "The second opening was not approved"
    history = panel.history_model
    assert history.rowCount() == 2
    assert history.index(0, 1).data() == "Hold (superseded)"
    assert history.index(1, 1).data() == "No hire (in force)"
    assert history.index(1, 2).data() == demo.HIRING_MANAGER.name
    assert history.index(1, 4).data() == "The second opening was not approved"
    assert panel.history_pane.isVisible()
    assert [e.action for e in audit.audit_trail(seeded.db, "candidate", candidate_id, by=LOCAL_ADMIN)] == [
        "decided",
        "decision reopened",
    ]


def test_an_interviewer_reads_the_decision_but_cannot_record_one(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.STRONG)
    view.tabs.setCurrentWidget(view.decision)
    record_through_the_form(qtbot, view, "hire", "Strong evidence across the loop.")
    view.close()

    shown = view.shown
    assert shown is not None
    interviewer = next(c.interviewer for c in shown.columns if c.interviewer != demo.HIRING_MANAGER.name)
    other = open_view(seeded.as_person(interviewer))
    show(other, seeded, demo.STRONG)
    other.tabs.setCurrentWidget(other.decision)
    panel = other.decision
    assert other.grid_model.card_count() == 6  # their own is in: they see the panel's
    assert not panel.form_page.isVisible() and not panel.reopen_button.isVisible()
    assert LEAD_ONLY in panel.note.text()
    assert "Decision: Hire" in panel.status.text() and demo.HIRING_MANAGER.name in panel.status.text()
    assert panel.history_model.rowCount() == 1


def test_a_refresh_keeps_what_the_lead_is_typing(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    panel = view.decision
    view.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.outcome_buttons["hold"], LEFT)
    panel.rationale.setFocus()
    qtbot.keyClicks(panel.rationale, "Half written")
    view.refresh()  # e.g. the theme changed, or the bank was synced
    assert panel.outcome() == "hold" and panel.rationale.toPlainText() == "Half written"
    assert view.current_candidate_id() == seeded.candidates[demo.SPLIT]


# --- hooks for the rest of the app -------------------------------------------------------------------


def test_adjusted_scores_add_a_column_and_an_explanation_until_another_candidate(
    qtbot: QtBot, seeded: Demo, open_view: OpenView
) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.SPLIT)
    d = view.shown
    assert d is not None
    cid = d.competencies[0][0]
    columns = view.grid_model.columnCount()
    view.set_adjusted_scores({cid: 2.84}, "Adjusted for each interviewer's leniency, from 14 shared candidates")
    col = view.grid_model.column_of_extra(EXTRA_ADJUSTED)
    assert view.grid_model.columnCount() == columns + 1 and col == columns
    assert view.grid_model.index(view.grid_model.row_of(cid), col).data() == "2.8"
    assert view.adjusted_note.isVisible() and "14 shared candidates" in view.adjusted_note.text()
    with qtbot.waitSignal(view.sig_candidate_shown) as blocker:
        show(view, seeded, demo.STRONG)
    assert blocker.args == [seeded.candidates[demo.STRONG]]
    assert view.grid_model.column_of_extra(EXTRA_ADJUSTED) == -1 and not view.adjusted_note.isVisible()


def _packet_previewed(qtbot: QtBot) -> None:
    """The preview just opened renders the packet; then it is closed (not left building after the test)."""
    from PySide6.QtWidgets import QApplication

    from interviewkit.ui.widgets.pdf_preview import PdfPreviewDialog

    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    with qtbot.waitSignal(dialog.sig_rendered, timeout=20000) as pages:
        pass
    assert pages.args[0] >= 2
    dialog.reject()


def test_export_asks_for_the_packet_of_the_candidate_shown(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    view = open_view(seeded.ctx)
    show(view, seeded, demo.NO_HIRE)
    assert "Ctrl+P" in view.export_button.toolTip()
    with qtbot.waitSignal(view.sig_export_requested) as blocker:
        qtbot.mouseClick(view.export_button, LEFT)
    assert blocker.args == [seeded.candidates[demo.NO_HIRE]]
    _packet_previewed(qtbot)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.grid.setFocus()
    with qtbot.waitSignal(view.sig_export_requested):
        qtbot.keyClick(view.grid, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    _packet_previewed(qtbot)


def test_without_a_database_or_a_person_it_says_what_to_do(qtbot: QtBot, seeded: Demo, open_view: OpenView) -> None:
    from dataclasses import replace

    view = open_view(replace(seeded.ctx, user_id=None))
    assert "Switch person" in view.candidate_empty.text()
    view.set_context(None)
    assert view.candidate_empty.text() == "No database open."
    assert view.right_stack.currentWidget() is view.placeholder
