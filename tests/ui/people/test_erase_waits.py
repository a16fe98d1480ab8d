"""Erasing while another copy of the app reads the database: the dialogs show the wait, in seconds, and
say what is left and until when (issue 13)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.services import loops, people, privacy, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.storage.db import open_database
from interviewkit.ui.people.erase import EraseCandidateDialog
from interviewkit.ui.people.view import PeopleView
from tests.ui.people.conftest import Keyboard

NOTE = "Priya said her visa sponsorship ends in March at Kestrel-5150"


@pytest.fixture
def erasable(ctx: AppContext) -> int:
    db = ctx.db
    ana = people.create_person(db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN).id
    opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN)
    cand = people.create_candidate(
        db, name="Priya Natarajan", opening_id=opening.id, email="priya@example.com", by=LOCAL_ADMIN
    )
    stage = loops.add_stage(
        db,
        loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id,
        name="Serving",
        minutes=45,
        focus=["model-serving"],
        interviewer_id=ana,
        by=LOCAL_ADMIN,
    ).id
    loops.set_stage_plan(db, stage, ["latency-regression"], by=LOCAL_ADMIN)
    card = scorecards.open_scorecard(db, stage, ana, ctx.instance_id)
    scorecards.save_draft(
        db, card.id, ctx.instance_id, scorecards.DraftChanges(notes={card.questions[0].asked_id: NOTE}), by=ana
    )
    scorecards.release(db, card.id, ctx.instance_id)
    return cand.id


@pytest.fixture
def reader(ctx: AppContext) -> Iterator[sqlite3.Connection]:
    """Another copy of the app in the middle of a read."""
    assert ctx.db.path is not None
    con = sqlite3.connect(ctx.db.path, isolation_level=None)
    con.execute("BEGIN")
    con.execute("SELECT COUNT(*) FROM asked_question").fetchone()
    yield con
    con.close()


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _erase_dialog(qtbot: QtBot, kb: Keyboard, ctx: AppContext, candidate: int) -> EraseCandidateDialog:
    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]
    view = PeopleView()
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.set_context(ctx)
    kb.show_active(view)
    view.show_candidates_of(None)
    assert view.candidates_tab.select_record(candidate)
    dialog = view.erase_current_candidate()
    assert isinstance(dialog, EraseCandidateDialog)
    qtbot.waitExposed(dialog)
    kb.type(dialog, "Requested by the candidate")
    return dialog


def test_the_dialog_counts_the_wait_and_closes_once_the_reader_lets_go(
    qtbot: QtBot, kb: Keyboard, ctx: AppContext, erasable: int, reader: sqlite3.Connection
) -> None:
    dialog = _erase_dialog(qtbot, kb, ctx, erasable)
    dialog.erase_button.click()
    assert dialog.cleanup.waiting and dialog.cleanup.bar.isVisible() and dialog.cleanup.stop_button.isVisible()
    qtbot.waitUntil(lambda: "let go of the database: 1 s" in dialog.cleanup.message.text(), timeout=10000)
    assert not dialog.erase_button.isEnabled()  # the window works; only closing waits
    with qtbot.waitSignal(dialog.finished, timeout=10000):  # it closes itself: nothing left to say
        reader.execute("COMMIT")
    assert privacy.pending_compaction(ctx.db) is None
    assert ctx.db.path is not None and NOTE.encode() not in _raw(ctx.db.path)


def test_stop_waiting_says_what_is_left_and_the_next_start_finishes(
    qtbot: QtBot, kb: Keyboard, ctx: AppContext, erasable: int, reader: sqlite3.Connection
) -> None:
    dialog = _erase_dialog(qtbot, kb, ctx, erasable)
    dialog.erase_button.click()
    assert dialog.cleanup.waiting
    with qtbot.waitSignal(dialog.cleanup.sig_finished) as finished:
        dialog.cleanup.stop_button.click()
    assert finished.args == [False]
    text = dialog.cleanup.message.text()
    assert "Another copy of InterviewKit is still reading the database" in text
    assert "is still in" in text and "until every other copy of InterviewKit lets go of the database" in text
    assert dialog.erase_button.text() == "&Close" and dialog.erase_button.isEnabled()
    assert privacy.pending_compaction(ctx.db) is not None
    assert ctx.db.path is not None and NOTE.encode() in _raw(ctx.db.path), "the reader still holds it"
    with qtbot.waitSignal(dialog.finished):
        dialog.erase_button.click()
    reader.execute("COMMIT")
    again = open_database(ctx.db.path)  # the next start
    again.dispose()
    assert any("removed the text erased on" in n for n in again.notices), again.notices
    assert NOTE.encode() not in _raw(ctx.db.path)


def test_the_status_bar_says_once_that_the_files_were_made_private(
    qtbot: QtBot, tmp_path: Path, mini_bank: Path
) -> None:
    import os

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from interviewkit.ui.people.who import WhoIsUsingDialog
    from interviewkit.ui.shell.window import MainWindow

    path = tmp_path / "copied.sqlite"
    open_database(path).dispose()
    os.chmod(path, 0o644)  # e.g. copied with cp under umask 022

    def answer() -> None:  # the modal "who is using InterviewKit?" dialog: add yourself
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, WhoIsUsingDialog) and w.isVisible()), None
        )
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        qtbot.keyClicks(dialog.name, "Ana Ortiz")
        qtbot.keyClicks(dialog.email, "ana@example.com")
        dialog.add_button.click()

    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    QTimer.singleShot(50, answer)
    window.start(str(path), mini_bank)
    qtbot.waitUntil(lambda: window.ctx is not None and window.ctx.user_id is not None, timeout=15000)
    message = window.statusBar().currentMessage()
    assert "Made copied.sqlite" in message and "readable and writable by you only (mode 0600; it was 0644)" in message
    assert (path.stat().st_mode & 0o777) == 0o600
    window.ctx.db.dispose()  # type: ignore[union-attr]


def test_the_retention_dialog_shows_the_same_wait(
    qtbot: QtBot, ctx: AppContext, erasable: int, reader: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from interviewkit.services.debrief import record_decision
    from interviewkit.storage.models import utcnow
    from interviewkit.ui.people.retention import RetentionDialog

    lee = people.create_person(
        ctx.db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    record_decision(
        ctx.db,
        erasable,
        lee,
        outcome="no_hire",
        rationale="Priya Natarajan: not yet.",
        participants=[lee],
        now=utcnow() - timedelta(days=400),
    )
    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]
    view = PeopleView()
    qtbot.addWidget(view)
    view.set_context(ctx)
    dialog = view.open_retention()
    assert isinstance(dialog, RetentionDialog)
    assert dialog.model.rowCount() == 1
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, rows: True)
    dialog.erase_button.click()
    assert dialog.cleanup.isVisible() and dialog.cleanup.waiting and not dialog.erase_button.isEnabled()
    qtbot.waitUntil(lambda: "let go of the database: 1 s" in dialog.cleanup.message.text(), timeout=10000)
    with qtbot.waitSignal(dialog.cleanup.sig_finished):
        dialog.reject()  # the first Esc stops waiting and says what is left
    assert dialog.isVisible() and "is still in" in dialog.cleanup.message.text()
    reader.execute("COMMIT")
    assert privacy.finish_pending_compaction(ctx.db)
    assert ctx.db.path is not None and NOTE.encode() not in _raw(ctx.db.path)
