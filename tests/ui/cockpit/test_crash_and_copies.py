"""A process killed mid-interview loses nothing older than a second; two copies never corrupt each other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ScorecardLocked
from interviewkit.storage.db import open_database
from tests.ui.cockpit.conftest import plan_stage

DRIVER = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services import scorecards as svc
    from interviewkit.services.context import AppContext
    from interviewkit.storage.db import open_database
    from interviewkit.ui.cockpit.cockpit import CockpitView

    db_path, stage_id, person_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = QApplication([])
    db = open_database(db_path)
    ctx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=person_id)
    view = CockpitView()
    view.load(ctx, svc.open_scorecard(db, stage_id, person_id, ctx.instance_id))
    view.show()
    view.next_question()
    QTest.keyClicks(view.notes, "- retrained weekly; rollback took 40 minutes")
    def ready():
        print("READY", flush=True)
        QTest.keyClicks(view.notes, " and this last bit may be lost")
    QTimer.singleShot(1200, ready)  # more than a second after the typing
    app.exec()
    """
)


@pytest.mark.slow
def test_kill_9_mid_interview_then_resume(qtbot: QtBot, shipped_db_template: Path, tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "crash.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    planned = plan_stage(db)
    db.dispose()
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), str(planned.stage_id), str(planned.interviewer_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.strip() == "READY", proc.stderr.read() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    db = open_database(path)
    try:
        (interrupted,) = svc.interrupted_scorecards(db, planned.interviewer_id)
        assert (interrupted.candidate, interrupted.question_position) == ("Priya Natarajan", 1)
        ctx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=planned.interviewer_id)
        state = svc.open_scorecard(db, planned.stage_id, planned.interviewer_id, ctx.instance_id)  # no take-over needed
        assert state.current_position == 1
        assert state.questions[1].notes.startswith("- retrained weekly; rollback took 40 minutes")
        assert state.elapsed_seconds > 0

        svc.release(db, state.id, ctx.instance_id)
        db.engine.dispose()
        # The lock of the dead process is gone only once someone resumes; before that the banner shows.
    finally:
        db.dispose()


def test_the_resume_banner_after_a_crash(qtbot: QtBot, planned) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from interviewkit.ui.my_interviews.view import MyInterviewsView

    crashed = replace(planned.ctx, instance_id="vm-that-crashed:999999:dead")
    card = svc.open_scorecard(planned.ctx.db, planned.stage_id, planned.interviewer_id, crashed.instance_id)
    svc.save_draft(
        planned.ctx.db, card.id, crashed.instance_id, svc.DraftChanges(current_position=2), by=planned.interviewer_id
    )
    # A holder on another machine counts as crashed once its heartbeat is stale.
    from sqlalchemy import text

    with planned.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE scorecard SET lock_heartbeat = '2020-01-01 00:00:00'"))
    view = MyInterviewsView()
    qtbot.addWidget(view)
    view.set_context(planned.ctx)
    assert view.resume_bar.isVisibleTo(view)
    assert "Resume Priya Natarajan, Stage 1 (Production ML), question 3 of 3?" in view.resume_label.text()
    with qtbot.waitSignal(view.sig_resume_requested) as blocker:
        view.resume_button.click()
    assert blocker.args == [planned.stage_id]


HOLDER = textwrap.dedent(
    """
    import sys, time
    from interviewkit.services import scorecards as svc
    from interviewkit.storage.db import open_database
    db = open_database(sys.argv[1])
    stage_id, person_id = int(sys.argv[2]), int(sys.argv[3])
    inst = svc.new_instance_id()
    card = svc.open_scorecard(db, stage_id, person_id, inst)
    print("HOLDING", flush=True)
    asked = card.questions[0].asked_id
    for i in range(200):
        svc.save_draft(db, card.id, inst, svc.DraftChanges(notes={asked: f"holder {i}"}), by=person_id)
    print("DONE", flush=True)
    sys.stdin.readline()
    """
)


@pytest.mark.slow
def test_two_copies_on_one_database(shipped_db_template: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    path = tmp_path / "shared.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    first = plan_stage(db)
    second = plan_stage(db, email="bo@example.com")
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(first.stage_id), str(first.interviewer_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "HOLDING"
        with pytest.raises(ScorecardLocked, match="open in another InterviewKit window"):
            svc.open_scorecard(db, first.stage_id, first.interviewer_id, first.ctx.instance_id)
        mine = svc.open_scorecard(db, second.stage_id, second.interviewer_id, second.ctx.instance_id)
        for i in range(200):  # write while the other process writes
            svc.save_draft(
                db,
                mine.id,
                second.ctx.instance_id,
                svc.DraftChanges(notes={mine.questions[0].asked_id: f"mine {i}"}),
                by=second.interviewer_id,
            )
        assert proc.stdout.readline().strip() == "DONE"
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert svc.scorecard_state(db, mine.id, by=LOCAL_ADMIN).questions[0].notes == "mine 199"
    db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    notes = dict(con.execute("SELECT scorecard_id, notes FROM asked_question WHERE position = 0").fetchall())
    con.close()
    assert sorted(notes.values()) == ["holder 199", "mine 199"]
