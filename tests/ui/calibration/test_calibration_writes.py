"""The calibration section's writes go through the host (busy first, the result when done, a refusal under
the form), and a write elsewhere reaches it as a change event."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.changes import Changes
from interviewkit.services.context import AppContext
from interviewkit.services.exercises import create_exercise
from interviewkit.ui.calibration.view import CalibrationView


@dataclass
class DeferredHost:
    """A window that runs nothing until told: the screen is seen while its write is under way."""

    settings: QSettings = field(default_factory=QSettings)
    pending: list[tuple[str, Callable[[], Any], Any, Any]] = field(default_factory=list)
    broadcasts: list[Changes] = field(default_factory=list)

    def run(
        self,
        work: Callable[[], Any],
        done: Any = None,
        *,
        busy: str,
        failed: Any = None,
        changes: Changes | None = None,
    ) -> None:
        self.pending.append((busy, work, done, failed))

    def finish(self) -> None:
        _busy, work, done, failed = self.pending.pop(0)
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - handed to the screen, as the window does
            failed(exc)
            return
        done(result)

    def notify(self, text: str, msecs: int = 8000) -> None:
        pass

    def navigate(self, key: str, target: object = None) -> None:
        pass

    def broadcast(self, changes: Changes) -> None:
        self.broadcasts.append(changes)


def _history(tmp_path: Path, people_: tuple[str, ...], name: str = "history.csv") -> Path:
    rng = random.Random(3)
    rows = ["candidate,interviewer,competency,score,date"]
    for c in range(12):
        for who in people_:
            for comp in ("model-serving", "ml-system-design"):
                rows.append(f"{name}-c{c},{who},{comp},{rng.choice([2, 3, 3, 4])},2026-02-{c + 1:02d}")
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def rated_ctx(ctx: AppContext, tmp_path: Path) -> AppContext:
    import_ratings_csv(ctx.db, _history(tmp_path, ("Ann Archer", "Bob Brown", "Cy Cole")), ctx.settings, by=LOCAL_ADMIN)
    ctx.user_id = people.create_person(
        ctx.db, name="Lena Lead", email="lena@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    return ctx


def _view(qtbot: QtBot, ctx: AppContext) -> CalibrationView:
    view = CalibrationView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_context(ctx)
    return view


def test_a_score_is_recorded_through_the_host(qtbot: QtBot, rated_ctx: AppContext) -> None:
    lead = rated_ctx.user_id
    assert isinstance(lead, int)
    made = create_exercise(
        rated_ctx.db,
        question_id="latency-regression",
        transcript="p99 went from 80 to 140 ms.",
        agreed_score=3,
        rationale="Numbers, no process change.",
        created_by=lead,
        settings=rated_ctx.settings,
    )
    rated_ctx.user_id = people.create_person(
        rated_ctx.db, name="Ann Again", email="ann2@example.com", by=LOCAL_ADMIN
    ).id
    view = _view(qtbot, rated_ctx)
    host = DeferredHost()
    view.set_host(host)
    panel = view.exercises
    panel.refresh()
    panel.select(made.id)
    assert panel.pages.currentWidget() is panel.score_page
    panel.score_page.picker.choose(2)
    panel.submit()
    # Under way: the host shows what is being done; the page waits and cannot be submitted twice.
    assert [p[0] for p in host.pending] == ["Recording your score"]
    assert panel.pages.currentWidget() is panel.score_page and not panel.score_page.submit_button.isEnabled()
    with qtbot.waitSignal(panel.sig_scored) as scored:
        host.finish()
    assert scored.args == [made.id]
    assert panel.pages.currentWidget() is panel.results_page
    assert "1 point below the agreed rating" in panel.results_page.my_result.text()
    assert panel.model.row_at(panel.model.row_of(made.id)).my_score == 2


def test_a_refused_exercise_is_explained_under_the_form(qtbot: QtBot, rated_ctx: AppContext) -> None:
    view = _view(qtbot, rated_ctx)
    host = DeferredHost()
    view.set_host(host)
    panel = view.exercises
    panel.new_exercise()
    panel.choose_question("latency-regression")
    panel.create_page.agreed_picker.choose(3)
    panel.create_new()  # no transcript, no rationale: the service refuses
    assert [p[0] for p in host.pending] == ["Creating the exercise"]
    assert not panel.create_page.create_button.isEnabled()
    host.finish()
    assert "Transcript" in panel.create_page.problems.text() and panel.create_page.create_button.isEnabled()
    assert panel.pages.currentWidget() is panel.create_page and panel.model.rowCount() == 0


def test_ratings_imported_elsewhere_reach_the_charts_through_a_change(
    qtbot: QtBot, rated_ctx: AppContext, tmp_path: Path
) -> None:
    view = _view(qtbot, rated_ctx)
    assert {row[0] for row in view.dashboard.forest.plotted} == {"Ann Archer", "Bob Brown", "Cy Cole"}
    import_ratings_csv(
        rated_ctx.db, _history(tmp_path, ("Ann Archer", "Dora Dunn"), "more.csv"), rated_ctx.settings, by=LOCAL_ADMIN
    )
    view.apply_changes(Changes.of(loops=[1]))  # not something calibration shows: nothing is computed
    assert not view.busy
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.apply_changes(Changes.of(scorecards=[1]))
    assert "Dora Dunn" in {row[0] for row in view.dashboard.forest.plotted}
