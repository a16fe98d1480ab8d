"""The calibration section: empty state, filters that change what the charts draw, exercises by keyboard,
and the PDF preview."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.context import AppContext
from interviewkit.services.exercises import exercises
from interviewkit.ui.calibration.charts import band_colour
from interviewkit.ui.calibration.view import CalibrationView

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
PEOPLE = ("Ann Archer", "Bob Brown", "Cy Cole", "Dana Diaz")


def _history(tmp_path: Path) -> Path:
    rng = random.Random(11)
    rows = ["candidate,interviewer,competency,score,date"]
    for c in range(16):
        ability = rng.choice([1, 2, 2, 3, 3])
        day = date(2026, 2, 2) + timedelta(days=4 * c)
        for i, who in enumerate(PEOPLE):
            if (c + i) % 4 == 0:
                continue
            for comp in ("model-serving", "ml-system-design"):
                score = ability + (1 if who == "Dana Diaz" else 0) + rng.choice([0, 0, -1, 1])
                rows.append(f"c{c},{who},{comp},{max(1, min(4, score))},{day.isoformat()}")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def rated_ctx(ctx: AppContext, tmp_path: Path) -> AppContext:
    import_ratings_csv(ctx.db, _history(tmp_path), ctx.settings, by=LOCAL_ADMIN)
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    return ctx


def _view(qtbot: QtBot, ctx: AppContext | None) -> CalibrationView:
    view = CalibrationView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    if ctx is not None:
        with qtbot.waitSignal(view.sig_updated, timeout=20000):
            view.set_context(ctx)
    return view


def test_not_enough_data_is_explained_not_drawn(qtbot: QtBot, ctx: AppContext) -> None:
    view = _view(qtbot, None)
    assert view.dashboard.currentWidget() is view.dashboard.empty and "No database open" in view.dashboard.empty.text()
    view.set_context(ctx)
    assert "Choose who you are first" in view.dashboard.empty.text()
    ctx.user_id = people.create_person(
        ctx.db, name="Ada Admin", email="ada@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.refresh()
    assert view.dashboard.currentWidget() is view.dashboard.empty
    assert (
        "Not enough data" in view.dashboard.empty.text() and "at least two interviewers" in view.dashboard.empty.text()
    )
    assert not view.export_button.isEnabled()


def test_filters_change_what_the_charts_draw(qtbot: QtBot, rated_ctx: AppContext) -> None:
    view = _view(qtbot, rated_ctx)
    assert view.dashboard.currentWidget() is view.dashboard.charts
    assert {name for name, *_ in view.dashboard.forest.plotted} == set(PEOPLE)
    top = max(view.dashboard.forest.plotted, key=lambda p: p[1])
    assert top[0] == "Dana Diaz" and top[2] > 0  # the whole interval above zero
    assert view.dashboard.agreement_chart.plotted[0][0] == "Overall score"
    assert len(view.dashboard.agreement_chart.plotted) == 3  # overall and two competencies
    assert len(view.dashboard.distribution_charts) == 4
    assert view.dashboard.agreement_model.rowCount() == 3
    assert "16 candidates" in view.dashboard.summary.text() or "16" in view.status.text()
    first_drift = list(view.dashboard.drift.plotted)

    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_filters(competency="model-serving")
    assert [row[0] for row in view.dashboard.agreement_chart.plotted] == ["Model deployment and serving"]
    assert view.data is not None and view.data.filters.competency == "model-serving"

    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_filters(interviewer="Ann Archer")
    assert (
        len(view.dashboard.distribution_charts) == 1
        and view.dashboard.distribution_charts[0].plotted[0][0] == "Ann Archer"
    )
    assert "Ann Archer" in view.dashboard.drift_title.text() and view.dashboard.drift.plotted != first_drift

    # The user picks a custom period that holds nothing: the charts give way to an explanation.
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_filters(period="Custom dates")
    assert view.filter_bar.since.isVisible() or not view.isVisible()
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.filter_bar.until.setDate(view.filter_bar.since.date().addDays(-1000).addYears(-5))
    assert (
        view.dashboard.currentWidget() is view.dashboard.empty
        and "No submitted rating matches" in view.dashboard.empty.text()
    )


def test_the_band_has_words_and_a_colour(qtbot: QtBot, rated_ctx: AppContext) -> None:
    view = _view(qtbot, rated_ctx)
    model = view.dashboard.agreement_model
    band = model.index(0, 4).data()
    assert band and band != "unknown"
    brush = model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == band_colour(band)
    assert view.questions.stack.currentWidget() is view.questions.empty  # imported ratings carry no questions


def test_an_exercise_created_and_scored_by_keyboard(qtbot: QtBot, rated_ctx: AppContext) -> None:
    ctx = rated_ctx
    view = _view(qtbot, ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.tabs.setCurrentWidget(view.exercises)
    panel = view.exercises
    assert "No calibration exercises yet" in panel.placeholder.text()
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_N, CTRL)
    assert panel.pages.currentWidget() is panel.create_page
    panel.choose_question("latency-regression")
    qtbot.keyClicks(panel.create_page.transcript_edit, "We saw p99 go from 80 ms to 140 ms; we bisected the release.")
    qtbot.keyClick(panel.create_page.transcript_edit, Qt.Key.Key_3, ALT)
    assert panel.create_page.agreed_picker.value() == 3
    qtbot.keyClicks(panel.create_page.rationale_edit, "Numbers and cause, but no change to the process.")
    with qtbot.waitSignal(panel.sig_created):
        qtbot.keyClick(panel.create_page.rationale_edit, Qt.Key.Key_Return, CTRL)
    # The creator sees the results page (with the agreed rating), not a score page.
    assert (
        panel.pages.currentWidget() is panel.results_page
        and "Agreed rating: 3" in panel.results_page.agreed_label.text()
    )

    # Another interviewer: the agreed rating is nowhere on their page until they have scored.
    ctx.user_id = people.create_person(ctx.db, name="Ann Archer", email="ann@example.com", by=LOCAL_ADMIN).id
    panel.refresh()
    [summary] = exercises(ctx.db, ctx.user_id)
    panel.select(summary.id)
    assert panel.pages.currentWidget() is panel.score_page
    assert "agreed" not in panel.score_page.transcript_view.toPlainText().lower()
    shown = " ".join(w.text() for w in panel.score_page.findChildren(type(panel.score_page.info)))
    assert "Numbers and cause" not in shown and "Agreed rating" not in shown
    assert not panel.score_page.submit_button.isEnabled()
    panel.score_page.transcript_view.setFocus()
    qtbot.keyClick(panel.score_page.transcript_view, Qt.Key.Key_4)
    assert panel.score_page.picker.value() == 4 and panel.score_page.submit_button.isEnabled()
    qtbot.keyClick(panel.score_page.transcript_view, Qt.Key.Key_2)
    assert panel.score_page.picker.value() == 2
    panel.score_page.notes_edit.setFocus()
    qtbot.keyClicks(panel.score_page.notes_edit, "missed 1")  # digits typed in the notes stay in the notes
    assert panel.score_page.notes_edit.text() == "missed 1" and panel.score_page.picker.value() == 2
    with qtbot.waitSignal(panel.sig_scored):
        qtbot.keyClick(panel.score_page.notes_edit, Qt.Key.Key_Return, CTRL)
    assert panel.pages.currentWidget() is panel.results_page
    assert "1 point below the agreed rating" in panel.results_page.my_result.text()
    assert panel.results is not None and panel.results.n == 1
    assert panel.results_page.scores_model.index(0, 2).data().startswith("−1")
    assert panel.results_page.spread_label.text().startswith("1 score so far (2)")  # one score: no spread yet
    assert "range" not in panel.results_page.spread_label.text() and "SD" not in panel.results_page.spread_label.text()


def test_export_opens_the_preview(qtbot: QtBot, rated_ctx: AppContext) -> None:
    view = _view(qtbot, rated_ctx)
    assert view.export_button.isEnabled()
    view.export_button.click()
    dialog = view.preview
    assert dialog is not None
    with qtbot.waitSignal(dialog.sig_rendered, timeout=30000) as rendered:
        pass
    assert rendered.args[0] >= 3
    dialog.close()


def test_an_interviewer_sees_only_their_own_rows(qtbot: QtBot, rated_ctx: AppContext) -> None:
    ann = next(p for p in people.people(rated_ctx.db, include_inactive=True) if p.name == "Ann Archer")
    # Imported interviewers are inactive (and an inactive person may see nothing): Ann joined since.
    people.update_person(rated_ctx.db, ann.id, name=ann.name, email=ann.email, active=True, by=LOCAL_ADMIN)
    rated_ctx.user_id = ann.id
    view = _view(qtbot, rated_ctx)
    assert [name for name, *_ in view.dashboard.forest.plotted] == ["Ann Archer"]
    assert [c.plotted[0][0] for c in view.dashboard.distribution_charts] == ["Ann Archer"]
    assert "You see your own leniency" in view.dashboard.summary.text()
    assert [view.filter_bar.interviewer.itemText(i) for i in range(view.filter_bar.interviewer.count())] == [
        "All interviewers",
        "Ann Archer",
    ]
    assert len(view.dashboard.agreement_chart.plotted) == 3  # agreement names nobody: unchanged
