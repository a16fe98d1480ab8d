"""The Validity tab of the calibration section (issue 18): an honest empty state, the chart and figures of the
interview's validity once outcomes are recorded, and one outcome recorded through the host."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from interviewkit.services import outcomes, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.context import AppContext
from interviewkit.ui.calibration.validity_page import NO_OUTCOMES, NOT_YOURS
from interviewkit.ui.calibration.view import CalibrationView
from tests.ui.calibration.test_calibration_writes import DeferredHost

PANEL = ("Ann Archer", "Bob Brown", "Cy Cole", "Dana Diaz")


def _history(ctx: AppContext, tmp_path: Path, *, applicants: int = 90, hires: int = 30) -> dict[int, float]:
    """Applicants rated 1-4 by 3 of 4 interviewers on two competencies; the top ``hires`` get a later
    performance rating that follows their ability. Returns candidate id -> performance."""
    rng = np.random.default_rng(5)
    ability = rng.normal(0, 1, applicants)
    rows, overall = ["candidate,interviewer,competency,score"], np.zeros(applicants)
    for c in range(applicants):
        scores = []
        for who in rng.choice(PANEL, 3, replace=False):
            for comp in ("model-serving", "ml-system-design"):
                score = int(np.clip(np.rint(2.5 + 0.7 * ability[c] + rng.normal(0, 0.5)), 1, 4))
                scores.append(score)
                rows.append(f"v{c},{who},{comp},{score}")
        overall[c] = np.mean(scores)
    path = tmp_path / "ratings.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_ratings_csv(ctx.db, path, ctx.settings, by=LOCAL_ADMIN)
    ids = {c.name: c.id for c in people.candidates(ctx.db, by=LOCAL_ADMIN)}
    later = np.clip(3 + 0.7 * ability + rng.normal(0, 0.5, applicants), 1, 5)
    return {ids[f"v{c}"]: round(float(later[c]), 2) for c in np.argsort(-overall, kind="stable")[:hires]}


@pytest.fixture
def admin_ctx(ctx: AppContext, tmp_path: Path) -> AppContext:
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    return ctx


def _view(qtbot: QtBot, ctx: AppContext) -> CalibrationView:
    view = CalibrationView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_context(ctx)
    return view


def test_without_outcomes_the_tab_says_how_to_record_them_and_who_sees_them(
    qtbot: QtBot, admin_ctx: AppContext, tmp_path: Path
) -> None:
    _history(admin_ctx, tmp_path)
    view = _view(qtbot, admin_ctx)
    page = view.validity
    assert page.currentWidget() is page.empty_page and page.empty.text() == NO_OUTCOMES
    assert "interviewkit outcomes import FILE.csv" in page.empty.text()
    assert not page.empty_record.isHidden()
    admin_ctx.user_id = people.create_person(
        admin_ctx.db, name="Ian Terviewer", email="ian@example.com", access_role="interviewer", by=LOCAL_ADMIN
    ).id
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.refresh()
    assert page.empty.text() == NOT_YOURS and page.empty_record.isHidden()


def test_recorded_outcomes_show_the_chart_and_every_number_in_words(
    qtbot: QtBot, admin_ctx: AppContext, tmp_path: Path
) -> None:
    performance = _history(admin_ctx, tmp_path)
    for cid, value in performance.items():
        outcomes.record_outcome(admin_ctx.db, cid, date(2027, 6, 30), value, by=LOCAL_ADMIN)
    view = _view(qtbot, admin_ctx)
    page = view.validity
    assert page.currentWidget() is page.content
    assert sorted(y for _, y in page.chart.plotted["hires"]) == sorted(performance.values())
    assert len(page.chart.plotted["pool"]) == 90 and page.chart.plotted["line"] is not None
    words = page.words.text()
    composite = page.report.composite if page.report is not None else None
    assert composite is not None and composite.validity.n == 30
    v = composite.validity
    assert v.r is not None and v.corrected is not None and v.corrected > v.r  # hiring high scorers attenuates r
    assert f"r = {v.r:.2f}" in words and f"r = {v.corrected:.2f}" in words
    assert "Thorndike 1949, case II" in words and "Spearman's correction" in words and "90 candidates" in words
    kinds = [page.model.data(page.model.index(i, 0)) for i in range(page.model.rowCount())]
    assert kinds[0] == "composite: overall score" and "interviewer: Ann Archer" in kinds


def test_one_outcome_is_recorded_through_the_host_and_a_refusal_is_said(
    qtbot: QtBot, admin_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    performance = _history(admin_ctx, tmp_path)
    view = _view(qtbot, admin_ctx)
    host = DeferredHost()
    view.set_host(host)
    hire = next(iter(performance))
    dialog = view.record_outcome()
    assert dialog is not None
    dialog.candidate.setCurrentIndex(dialog.candidate.findData(hire))
    dialog.reviewed.setDate(QDate(2027, 6, 30))
    dialog.performance.setValue(4.5)
    dialog.promoted.setCurrentIndex(dialog.promoted.findText("Yes"))
    dialog.accept()
    assert [p[0] for p in host.pending] == ["Recording the outcome"]
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        host.finish()
    (row,) = outcomes.list_outcomes(admin_ctx.db, by=LOCAL_ADMIN)
    assert (row.candidate_id, row.reviewed_on, row.performance, row.promoted) == (hire, date(2027, 6, 30), 4.5, True)
    assert view.validity.currentWidget() is view.validity.content  # one hire: the figures say too few
    assert "at least 3 are needed" in view.validity.words.text()
    warned: list[str] = []
    monkeypatch.setattr(view, "warn", lambda title, text: warned.append(text))
    dialog = view.record_outcome()
    assert dialog is not None
    dialog.candidate.setCurrentIndex(dialog.candidate.findData(hire))
    dialog.reviewed.setDate(QDate(2027, 12, 31))
    dialog.performance.setValue(7)  # outside 1-5
    dialog.accept()
    host.finish()
    assert warned == ["Performance 7 is outside the scale 1-5"]
