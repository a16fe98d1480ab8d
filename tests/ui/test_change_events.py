"""Each section of the window, built and shown, refreshes itself when a write made elsewhere (another screen,
File → Sync bank) reaches it as a change event: the write runs through the window (off the GUI thread), the
window broadcasts what the write returned, and the section shows what changed without being told by hand.

What a section shows is read from its widgets (the rows of its item views and its labels), as a person sees it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import loops, people
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes
from interviewkit.services.context import AppContext, resync
from interviewkit.services.exercises import create_exercise
from interviewkit.storage.db import Database
from interviewkit.ui.shell.window import MainWindow
from tests.ui.cockpit.conftest import Planned, plan_stage
from tests.ui.conftest import settle, show_main_window

QUESTION_FILE = Path("questions/mlops-and-quality/drift-incident-retraining.md")
NEW_TITLE = "A drift incident, told by whoever carried the pager"


def _texts(model: QAbstractItemModel, parent: QModelIndex) -> Iterator[str]:
    flat = isinstance(model, QAbstractListModel)  # (its columnCount is not callable from Python)
    for row in range(model.rowCount(parent)):
        for column in range(1 if flat else model.columnCount(parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value:
                    yield str(value)
        first = model.index(row, 0, parent)
        if model.rowCount(first):
            yield from _texts(model, first)


def shown(section: QWidget) -> str:
    """Everything the section's item views, labels and text boxes say."""
    parts: list[str] = []
    for view in section.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None:
            parts.extend(_texts(model, QModelIndex()))
    parts.extend(label.text() for label in section.findChildren(QLabel))
    parts.extend(box.toPlainText() for box in section.findChildren(QTextEdit))
    parts.extend(box.toPlainText() for box in section.findChildren(QPlainTextEdit))
    parts.extend(line.text() for line in section.findChildren(QLineEdit))
    return "\n".join(parts)


@dataclass
class House:
    """A planned stage (Ana interviews Priya), an admin, and the bank in a folder of its own to edit."""

    planned: Planned
    admin_id: int
    bank_dir: Path
    broadcasts: list[Changes]

    @property
    def db(self) -> Database:
        return self.planned.ctx.db

    def ctx(self, user_id: int) -> AppContext:
        return replace(self.planned.ctx, user_id=user_id, bank_dir=self.bank_dir, settings=load_settings(self.bank_dir))


@pytest.fixture
def house(shipped_db: Database, tmp_path: Path) -> House:
    planned = plan_stage(shipped_db)
    admin = people.create_person(
        shipped_db, name="Sofia Marques", email="sofia@example.com", access_role="admin", by=LOCAL_ADMIN
    )
    bank_dir = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), bank_dir)
    return House(planned, admin.id, bank_dir, [])


@pytest.fixture
def open_section(qtbot: QtBot, settings: QSettings, house: House) -> Callable[[str, int], tuple[MainWindow, QWidget]]:
    """The window signed in as ``user_id``, showing the section ``key`` (built, filled in)."""

    def make(key: str, user_id: int) -> tuple[MainWindow, QWidget]:
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.set_context(house.ctx(user_id))
        show_main_window(qtbot, window)
        window.sig_changed.connect(house.broadcasts.append)
        window.navigate(key)
        section = window.section(key)
        assert window.stack.currentWidget() is section
        settle(qtbot, window)  # screens read off the GUI thread
        return window, section

    return make


def write_elsewhere(qtbot: QtBot, window: MainWindow, house: House, work: Callable[[], object]) -> None:
    """Run a service write through the window, as another screen does, and wait for its broadcast."""
    before = len(house.broadcasts)
    window.run(work, busy="Writing elsewhere")
    qtbot.waitUntil(lambda: len(house.broadcasts) > before, timeout=20000)


def submit_anas_scorecard(house: House) -> object:
    p = house.planned
    card = svc.open_scorecard(house.db, p.stage_id, p.interviewer_id, "another-window:1:abc")
    svc.save_draft(
        house.db,
        card.id,
        "another-window:1:abc",
        svc.DraftChanges(
            ratings={"monitoring-drift": svc.RatingState(3), "mlops-cicd": svc.RatingState(3)},
            recommendation="Yes",
            summary="Ran the rollback herself; clear on alert thresholds.",
        ),
        by=p.interviewer_id,
    )
    return svc.submit(house.db, card.id, p.interviewer_id, p.ctx.settings)


def test_my_interviews_shows_a_stage_planned_elsewhere(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("my_interviews", house.planned.interviewer_id)
    assert "Pairing on a model rollout" not in shown(section)
    write_elsewhere(
        qtbot,
        window,
        house,
        lambda: loops.add_stage(
            house.db,
            house.planned.loop_id,
            name="Pairing on a model rollout",
            minutes=45,
            interviewer_id=house.planned.interviewer_id,
            scheduled_at=datetime.now(UTC) + timedelta(days=1),
            by=LOCAL_ADMIN,
        ),
    )
    qtbot.waitUntil(lambda: "Pairing on a model rollout" in shown(section))


def test_loops_shows_a_loop_planned_elsewhere(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("loops", house.admin_id)
    opening = people.candidates(house.db, by=LOCAL_ADMIN)[0].opening_id
    zhou = people.create_candidate(house.db, name="Zhou Wei", opening_id=opening, by=LOCAL_ADMIN)  # told no one
    assert "Zhou Wei" not in shown(section)
    write_elsewhere(qtbot, window, house, lambda: loops.create_loop(house.db, zhou.id, name="Onsite", by=LOCAL_ADMIN))
    qtbot.waitUntil(lambda: "Zhou Wei" in shown(section))


def test_people_shows_a_candidate_added_elsewhere(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("people", house.admin_id)
    opening = people.candidates(house.db, by=LOCAL_ADMIN)[0].opening_id
    assert "Zhou Wei" not in shown(section)
    write_elsewhere(
        qtbot,
        window,
        house,
        lambda: people.create_candidate(house.db, name="Zhou Wei", opening_id=opening, by=LOCAL_ADMIN),
    )
    qtbot.waitUntil(lambda: "Zhou Wei" in shown(section))


def test_debriefs_show_a_candidate_once_a_scorecard_is_submitted_elsewhere(  # type: ignore[no-untyped-def]
    qtbot: QtBot, house: House, open_section
) -> None:
    window, section = open_section("debriefs", house.planned.interviewer_id)
    assert "Priya Natarajan" not in shown(section)  # nothing submitted yet: no debrief to see
    write_elsewhere(qtbot, window, house, lambda: submit_anas_scorecard(house))
    qtbot.waitUntil(lambda: "Priya Natarajan" in shown(section))


def test_the_cockpit_shows_an_amendment_made_elsewhere(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    card = submit_anas_scorecard(house)
    window, _ = open_section("my_interviews", house.planned.interviewer_id)
    window.open_stage(house.planned.stage_id)
    cockpit = window.section("cockpit")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is cockpit and "Ran the rollback" in shown(cockpit))
    assert "Second thoughts on the rollback" not in shown(cockpit)
    p = house.planned
    write_elsewhere(
        qtbot,
        window,
        house,
        lambda: svc.amend(
            house.db,
            card.id,
            p.interviewer_id,
            reason="Second thoughts on the rollback",
            recommendation="No",
            settings=p.ctx.settings,
        ),
    )
    qtbot.waitUntil(lambda: "Second thoughts on the rollback" in shown(cockpit))


def test_calibration_shows_an_exercise_created_elsewhere(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("calibration", house.admin_id)
    title = "A model that degraded in production"  # the exercise's question
    assert title not in shown(section)
    settings = house.ctx(house.admin_id).settings
    write_elsewhere(
        qtbot,
        window,
        house,
        lambda: create_exercise(
            house.db,
            question_id="drift-incident-retraining",
            transcript="We saw the PSI on income climb for a week before anyone looked. I set an alert...",
            agreed_score=3,
            rationale="Owned the fix and the alert; no prevention beyond it.",
            created_by=house.admin_id,
            settings=settings,
        ),
    )
    qtbot.waitUntil(lambda: title in shown(section))


def sync_elsewhere(qtbot: QtBot, window: MainWindow, house: House) -> None:
    ctx = window.ctx
    assert ctx is not None
    write_elsewhere(qtbot, window, house, lambda: resync(ctx))  # File → Sync bank
    assert house.broadcasts[-1].bank


def test_the_bank_shows_a_question_retitled_by_a_sync(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("bank", house.admin_id)
    assert NEW_TITLE not in shown(section)
    path = house.bank_dir / QUESTION_FILE
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(old, f"title: {NEW_TITLE}", 1), encoding="utf-8")
    sync_elsewhere(qtbot, window, house)
    qtbot.waitUntil(lambda: NEW_TITLE in shown(section))


def test_coverage_shows_a_requirement_reworded_by_a_sync(qtbot: QtBot, house: House, open_section) -> None:  # type: ignore[no-untyped-def]
    window, section = open_section("coverage", house.admin_id)
    old, new = "model monitoring, drift detection,", "model monitoring, drift and data-quality detection,"
    assert old in shown(section) and new not in shown(section)
    path = house.bank_dir / "job_descriptions" / "ml-eng-manager-profile.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    sync_elsewhere(qtbot, window, house)
    qtbot.waitUntil(lambda: new in shown(section))
