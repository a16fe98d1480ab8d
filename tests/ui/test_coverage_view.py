"""The coverage view: counts, gaps that stand out, and a way to the questions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services.context import AppContext
from interviewkit.ui.coverage.model import CoverageRole
from interviewkit.ui.coverage.view import CoverageView


def test_coverage_lists_requirements_and_marks_gaps(qtbot: QtBot, ctx: AppContext) -> None:
    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(ctx)
    view.document.setCurrentIndex(view.document.findData("ml-lead-lisbon-ad"))
    assert view.proxy.rowCount() == 29
    assert "1 of 29 requirements covered" in view.summary.text()
    assert view.summary.property("state") == "warning"
    gap = view.proxy.index(0, 0)
    assert gap.data() == "Not covered"  # words, not only colour
    assert gap.data(Qt.ItemDataRole.DecorationRole) is not None
    covered = next(view.proxy.index(r, 0) for r in range(29) if view.proxy.index(r, 0).data(CoverageRole).count)
    assert covered.data() == "3"
    view.only_gaps.setChecked(True)
    assert view.proxy.rowCount() == 28


def test_selecting_a_requirement_lists_its_questions_and_opens_one(qtbot: QtBot, ctx: AppContext) -> None:
    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(ctx)
    view.document.setCurrentIndex(view.document.findData("ml-lead-lisbon-ad"))
    row = next(r for r in range(29) if view.proxy.index(r, 0).data(CoverageRole).count)
    view.table.selectRow(row)
    assert view.questions.count() == 3
    item = view.questions.item(0)
    assert "A model that drifted" in item.text()
    with qtbot.waitSignal(view.sig_question_requested) as blocker:
        view.questions.itemActivated.emit(item)
    assert blocker.args == ["drift-incident"]


def test_the_whole_shipped_bank_is_covered(qtbot: QtBot, shipped_db) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services.bank_queries import coverage
    from interviewkit.services.bank_views import coverage_figures

    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(AppContext(shipped_db, shipped_bank_dir(), load_settings(shipped_bank_dir())))
    view.document.setCurrentIndex(view.document.findData(""))
    assert view.proxy.rowCount() == 112
    figures = coverage_figures(coverage(shipped_db))  # the counts move as the bank is edited: read them
    assert figures.screened > 0 and figures.covered + figures.screened >= 112
    summary = view.summary.text()
    assert f"{figures.covered} of 112 requirements covered by questions · {figures.screened} checked by the screen" in (
        summary
    )
    assert "every one by at least 2 questions or the screen" in summary
    assert view.summary.property("state") == "ok"


def test_a_bank_sync_elsewhere_refreshes_the_counts_keeping_the_choice(
    qtbot: QtBot,
    db,
    mini_bank,  # type: ignore[no-untyped-def]
) -> None:
    from interviewkit.bank.loader import load_settings
    from interviewkit.services.access import LOCAL_ADMIN
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.services.changes import Changes
    from tests.conftest import write_question

    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(AppContext(db, mini_bank, load_settings(mini_bank)))
    view.document.setCurrentIndex(view.document.findData("ml-lead-lisbon-ad"))
    covered = next(r for r in range(29) if view.proxy.index(r, 0).data(CoverageRole).count)
    view.table.selectRow(covered)
    requirement = view.table.currentIndex().data(CoverageRole).requirement.id
    write_question(mini_bank, "cold-start", title="A cold start after a deploy")  # the same requirements
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    view.apply_changes(Changes(bank=True))
    assert view.document.currentData() == "ml-lead-lisbon-ad"
    row = view.table.currentIndex().data(CoverageRole)
    assert row.requirement.id == requirement and row.count == 4
    assert view.questions.count() == 4


def test_the_selected_requirement_lists_related_questions_apart_and_the_screen(  # issue 14
    qtbot: QtBot,
    shipped_db,  # type: ignore[no-untyped-def]
) -> None:
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services.bank_queries import coverage

    view = CoverageView()
    qtbot.addWidget(view)
    view.set_context(AppContext(shipped_db, shipped_bank_dir(), load_settings(shipped_bank_dir())))
    view.document.setCurrentIndex(view.document.findData(""))
    rows = coverage(shipped_db)
    both = next(i for i, r in enumerate(rows) if r.questions and r.related_questions and not r.screen)
    view.table.selectRow(both)
    row = rows[both]
    assert view.questions_title.text() == f"Assessed by (counted): {row.count}"
    assert [view.questions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.questions.count())] == list(
        row.questions
    )
    related = [view.related.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.related.count())]
    assert related == list(row.related_questions) and not set(related) & set(row.questions)
    assert view.related_title.text() == f"Related, not counted: {len(related)}"
    assert "(not counted)" in view.coverage_label.text() and view.screen_label.isHidden()
    with qtbot.waitSignal(view.sig_question_requested) as blocker:  # a related question opens like the others
        view.related.itemActivated.emit(view.related.item(0))
    assert blocker.args == [related[0]]

    screened = next(i for i, r in enumerate(rows) if r.screen and not r.questions)
    view.table.selectRow(screened)
    assert view.proxy.index(screened, 0).data() == "Screen"  # not "Not covered": the screen checks it
    assert not view.screen_label.isHidden()
    assert view.screen_label.text() == f"✓ The recruiter's screen asks: “{rows[screened].screen_ask}”"
    assert view.questions_title.text() == "Assessed by (counted): 0"
    assert view.coverage_label.text().startswith("Checked by the screen")
