"""The cockpit keeps typing safe when the database does not answer: "Saved locally, will sync", then "Saved";
what a crashed window journalled comes back when the interview is resumed; what cannot be applied is kept
and the interviewer is told where."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import recovery
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import open_database
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.my_interviews.view import MyInterviewsView
from tests.ui.cockpit.conftest import Planned, plan_stage


def _cockpit(qtbot: QtBot, ctx: AppContext, stage_id: int, *, take_over: bool = False) -> CockpitView:
    view = CockpitView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    assert ctx.user_id is not None
    view.load(ctx, svc.open_scorecard(ctx.db, stage_id, ctx.user_id, ctx.instance_id, take_over=take_over))
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def _notes(planned: Planned, card: int) -> list[str]:
    return [q.notes for q in svc.scorecard_state(planned.ctx.db, card, by=LOCAL_ADMIN).questions]


def _journals(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def _locked() -> OperationalError:
    return OperationalError("UPDATE scorecard SET ...", {}, sqlite3.OperationalError("database is locked"))


def test_a_database_held_by_another_program_shows_saved_locally_then_saved(
    qtbot: QtBot, planned: Planned, _journal_dir: Path
) -> None:
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    card = view.state.id  # type: ignore[union-attr]
    assert planned.ctx.db.path is not None
    holder = sqlite3.connect(planned.ctx.db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        qtbot.keyClicks(view.notes, "- detected via the weekly report")
        qtbot.waitUntil(lambda: view.saved_label.text() == "Saved locally, will sync", timeout=5000)
        assert "kept on this computer" in view.saved_label.toolTip()
        (journal,) = _journals(_journal_dir)
        assert b"- detected via the weekly report" in journal.read_bytes()  # on disk, not in the database
        stored = holder.execute("SELECT notes FROM asked_question WHERE scorecard_id = ? ORDER BY position", (card,))
        assert stored.fetchone()[0] == ""
        qtbot.keyClicks(view.notes, ", 3 weeks late")  # typing on changes nothing on screen
        assert view.saved_label.text() == "Saved locally, will sync"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.waitUntil(lambda: view.saved_label.text() == "Saved", timeout=20000)
    assert _notes(planned, card)[0] == "- detected via the weekly report, 3 weeks late"
    view.close_scorecard()
    assert _journals(_journal_dir) == []  # everything reached the database: nothing left to replay


def test_a_locked_write_is_kept_locally_and_retried(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, failing = svc.save_draft, [True]

    def save_draft(*args, **kwargs):  # type: ignore[no-untyped-def]
        if failing[0]:
            raise _locked()
        return real(*args, **kwargs)

    monkeypatch.setattr(svc, "save_draft", save_draft)
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    statuses: list[str] = []
    view.sig_save_status.connect(statuses.append)
    qtbot.keyClicks(view.notes, "PSI alerts")
    qtbot.waitUntil(lambda: view.saved_label.text() == "Saved locally, will sync", timeout=5000)
    assert "Saved locally, will sync" in statuses
    failing[0] = False  # the database is back
    qtbot.waitUntil(lambda: view.saved_label.text() == "Saved", timeout=10000)
    assert _notes(planned, view.state.id)[0] == "PSI alerts"  # type: ignore[union-attr]


def test_resume_after_the_database_went_away_adds_what_was_typed(
    qtbot: QtBot, planned: Planned, monkeypatch: pytest.MonkeyPatch, _journal_dir: Path
) -> None:
    real = svc.save_draft
    monkeypatch.setattr(svc, "save_draft", lambda *a, **k: (_ for _ in ()).throw(_locked()))
    first = _cockpit(qtbot, planned.ctx, planned.stage_id)
    card = first.state.id  # type: ignore[union-attr]
    qtbot.keyClicks(first.notes, "- rollback took 40 minutes")
    qtbot.waitUntil(lambda: first.saved_label.text() == "Saved locally, will sync", timeout=5000)
    statuses: list[str] = []
    first.sig_save_status.connect(statuses.append)
    first.close_scorecard()  # the app goes; the database never answered
    assert any("Saved on this computer only" in s for s in statuses)
    assert len(_journals(_journal_dir)) == 1
    monkeypatch.setattr(svc, "save_draft", real)
    with planned.ctx.db.engine.begin() as conn:  # the window's heartbeat has gone stale, as after a crash
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))

    later = replace(planned.ctx, instance_id="after-restart:1:abc")
    interviews = MyInterviewsView()
    qtbot.addWidget(interviews)
    interviews.set_context(later)
    assert interviews.resume_bar.isVisibleTo(interviews)
    assert "Resume Priya Natarajan, Stage 1 (Production ML)" in interviews.resume_label.text()
    assert (
        "Notes for 1 question typed on this computer will be added to the database." in interviews.resume_label.text()
    )
    with qtbot.waitSignal(interviews.sig_resume_requested) as blocker:
        interviews.resume_button.click()
    assert blocker.args == [planned.stage_id]

    view = _cockpit(qtbot, later, planned.stage_id)
    assert view.notes.toPlainText() == "- rollback took 40 minutes"  # shown at once, from the journal
    assert view.saved_label.text().startswith("Recovered notes for 1 question typed on this computer that had not")
    qtbot.waitUntil(lambda: view.saved_label.text() == "Saved", timeout=5000)
    assert _notes(planned, card)[0] == "- rollback took 40 minutes"
    view.close_scorecard()
    assert _journals(_journal_dir) == []
    interviews.refresh()
    assert not interviews.resume_bar.isVisibleTo(interviews)


def test_a_journal_for_a_scorecard_submitted_meanwhile_is_kept_and_the_interviewer_told(
    qtbot: QtBot, planned: Planned, _journal_dir: Path
) -> None:
    ctx, db = planned.ctx, planned.ctx.db
    assert ctx.user_id is not None
    crashed = "old-laptop:1:dead"
    state = svc.open_scorecard(db, planned.stage_id, ctx.user_id, crashed)
    journal = recovery.Journal.create(_journal_dir, db, state, ctx.user_id, crashed)
    journal.record(DraftChanges(notes={state.questions[0].asked_id: "typed on the train"}))
    journal.close()
    svc.open_scorecard(db, planned.stage_id, ctx.user_id, ctx.instance_id, take_over=True)
    svc.save_draft(
        db,
        state.id,
        ctx.instance_id,
        DraftChanges(ratings={c.id: RatingState(3) for c in state.focus}, recommendation="Yes", summary="Hire."),
        by=ctx.user_id,
    )
    svc.submit(db, state.id, ctx.user_id, ctx.settings)

    view = _cockpit(qtbot, ctx, planned.stage_id)
    assert view.header.recovery_label.isVisibleTo(view)
    words = view.header.recovery_label.text()
    assert "Notes for 1 question typed on this computer for Priya Natarajan" in words
    assert "submitted meanwhile" in words
    (kept_text,) = (_journal_dir / "kept").glob("*.txt")
    assert str(kept_text) in words and "typed on the train" in kept_text.read_text(encoding="utf-8")
    assert _journals(_journal_dir) == []
    assert _notes(planned, state.id)[0] == ""


def test_a_window_taken_over_stops_and_keeps_what_it_could_not_save(
    qtbot: QtBot, planned: Planned, _journal_dir: Path
) -> None:
    view = _cockpit(qtbot, planned.ctx, planned.stage_id)
    card = view.state.id  # type: ignore[union-attr]
    assert planned.ctx.user_id is not None
    svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.ctx.user_id, "elsewhere:1:abc", take_over=True)
    qtbot.keyClicks(view.notes, "typed after the take-over")
    qtbot.waitUntil(lambda: view.saved_label.text().startswith("Not saved:"), timeout=5000)
    assert "taken over" in view.saved_label.text() and view.notes.isReadOnly()
    assert view.header.recovery_label.isVisibleTo(view) and "kept in" in view.header.recovery_label.text()
    (kept_text,) = (_journal_dir / "kept").glob("*.txt")
    assert "typed after the take-over" in kept_text.read_text(encoding="utf-8")
    assert _notes(planned, card)[0] == ""


TYPIST = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services import scorecards as svc
    from interviewkit.services.context import AppContext
    from interviewkit.storage.db import open_database
    from interviewkit.ui.cockpit.cockpit import CockpitView

    db_path, stage_id, person_id, text = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    app = QApplication([])
    db = open_database(db_path)
    ctx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=person_id)
    view = CockpitView()
    view.load(ctx, svc.open_scorecard(db, stage_id, person_id, ctx.instance_id))
    view.show()
    typed = [0]
    def type_one():
        QTest.keyClicks(view.notes, text[typed[0]])
        typed[0] += 1
        print(typed[0], flush=True)
        if typed[0] == len(text):
            timer.stop()
    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(33)  # about 30 characters a second
    app.exec()
    """
)


@pytest.mark.slow
def test_kill_9_while_another_program_holds_the_database_loses_at_most_a_moment(
    qtbot: QtBot, shipped_db_template: Path, tmp_path: Path, _journal_dir: Path
) -> None:
    import shutil

    path = tmp_path / "busy.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    planned = plan_stage(db)
    db.dispose()
    typed_text = "".join(f"word{i} " for i in range(200))
    proc = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(path), str(planned.stage_id), str(planned.interviewer_id), typed_text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    count = 0
    try:
        assert proc.stdout is not None
        while count < 30:  # a second of typing reaches the database as usual
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            count = int(line)
        holder.execute("BEGIN IMMEDIATE")  # then another program holds the write lock
        while count < 90:  # two more seconds of typing
            count = int(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        count = max([count, *(int(x) for x in proc.stdout.read().split())])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == -signal.SIGKILL

    db = open_database(path)
    try:
        ctx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=planned.interviewer_id)
        view = _cockpit(qtbot, ctx, planned.stage_id)  # the killed window's lock is free: its process is gone
        qtbot.waitUntil(lambda: view.saved_label.text() == "Saved", timeout=10000)
        card = view.state.id  # type: ignore[union-attr]
        view.close_scorecard()
        notes = svc.scorecard_state(db, card, by=LOCAL_ADMIN).questions[0].notes
    finally:
        db.dispose()
    assert typed_text.startswith(notes)
    assert count - len(notes) <= 30, f"typed {count}, recovered {len(notes)}"  # at most a second (target: 0.5 s)
    assert len(notes) > 30  # more than what reached the database before the lock
