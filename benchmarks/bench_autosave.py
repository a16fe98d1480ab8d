"""Autosave in the live cockpit: keystroke to durable note, and the longest stall of the UI thread.

A real CockpitView (offscreen) on a fresh database with the shipped bank. Keystrokes go through QTest;
"durable" means another SQLite connection reads the new text from the database file, and "in the journal"
that the cockpit's recovery journal has fsynced it (its journal lives in the run's temporary folder). While
typing at a brisk 30 characters a second for ten seconds, a 5 ms timer on the UI thread records the longest
gap between its ticks: the stall an interviewer would feel.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from datetime import UTC, datetime

from harness import Context, Report, benchmark, format_seconds, percentile, timing_row

LATENCY_TARGET = 1.0  # every change durable within a second
JOURNAL_TARGET = 0.5  # every change on this computer's disk within half a second
STALL_TARGET = 0.016  # one frame at 60 Hz


def _setup(ctx: Context):  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services import loops, people
    from interviewkit.services import scorecards as svc
    from interviewkit.services.access import LOCAL_ADMIN
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.services.context import AppContext
    from interviewkit.storage.db import open_database
    from interviewkit.ui.cockpit.cockpit import CockpitView

    app = QApplication.instance() or QApplication([])
    os.environ["INTERVIEWKIT_JOURNAL_DIR"] = str(ctx.fresh_path("journal"))  # never the user's data folder
    path = ctx.fresh_path("autosave", ".sqlite")
    db = open_database(path)
    sync_bank(db, shipped_bank_dir(), by=LOCAL_ADMIN)
    ana = people.create_person(db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
    opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN)
    cand = people.create_candidate(db, name="Priya N.", opening_id=opening.id, by=LOCAL_ADMIN)
    loop = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage = loops.add_stage(db, loop, name="Production ML", minutes=45, focus=["monitoring-drift"],
                            interviewer_id=ana.id, scheduled_at=datetime.now(UTC), by=LOCAL_ADMIN).id
    loops.set_stage_plan(db, stage, ["drift-incident-retraining", "model-rollback-decision"], by=LOCAL_ADMIN)
    actx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=ana.id)
    view = CockpitView()
    view.resize(1200, 800)
    view.load(actx, svc.open_scorecard(db, stage, ana.id, actx.instance_id))
    view.show()
    app.processEvents()
    return app, db, path, view


@benchmark("autosave", "live cockpit: keystroke to durable note, and the longest UI stall while typing")
def autosave(ctx: Context) -> Report:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    app, db, path, view = _setup(ctx)
    asked = view.current().asked_id  # type: ignore[union-attr]
    reader = sqlite3.connect(path, check_same_thread=False)

    def stored() -> str:
        row = reader.execute("SELECT notes FROM asked_question WHERE id = ?", (asked,)).fetchone()
        return row[0] if row else ""

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)

    rng = random.Random(7)
    latencies: list[float] = []
    journalled: list[float] = []
    samples = max(25, 10 * ctx.options.repeat)
    journal = view.journal
    if journal is None:
        raise RuntimeError("the cockpit opened no recovery journal")
    try:
        view.notes.setFocus()
        for _ in range(samples):
            expected = view.notes.toPlainText() + "x"
            t0 = time.perf_counter()
            QTest.keyClick(view.notes, Qt.Key.Key_X)
            seq = journal.last_seq
            on_disk = None
            while stored() != expected:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
                if on_disk is None and journal.durable_seq >= seq:
                    on_disk = time.perf_counter() - t0
                if time.perf_counter() - t0 > 5:
                    raise RuntimeError("a keystroke was not saved within 5 s")
            latencies.append(time.perf_counter() - t0)
            while on_disk is None:
                if journal.durable_seq >= seq:
                    on_disk = time.perf_counter() - t0
                elif time.perf_counter() - t0 > 5:
                    raise RuntimeError("a keystroke was not in the journal within 5 s")
                else:
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
            journalled.append(on_disk)
            pump(rng.uniform(0.0, 0.3))  # type again at a random moment of the autosave cycle

        # Typing burst: 30 characters a second for 10 s, while a 5 ms timer measures the UI's gaps.
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e9)
            last[0] = now

        ticker = QTimer()
        ticker.setInterval(5)
        ticker.setTimerType(Qt.TimerType.PreciseTimer)
        ticker.timeout.connect(tick)
        typist = QTimer()
        typist.setInterval(33)
        typed = [0]

        def type_one() -> None:
            QTest.keyClick(view.notes, Qt.Key.Key_A if typed[0] % 7 else Qt.Key.Key_Space)
            typed[0] += 1

        typist.timeout.connect(type_one)
        ticker.start()
        typist.start()
        pump(10.0)
        typist.stop()
        ticker.stop()
        view.flush()
        stalls = [max(0.0, g - 0.005) for g in gaps[5:]]
        durable = stored() == view.notes.toPlainText()
    finally:
        reader.close()
        view.close_scorecard()
        db.dispose()
    os.environ.pop("INTERVIEWKIT_JOURNAL_DIR", None)
    worst = max(stalls)
    details = [
        (
            f"autosave: {samples} keystrokes timed to durable; burst of {typed[0]} keystrokes in 10 s, "
            f"{len(gaps)} ticks of a 5 ms timer; last text durable after the burst: {'yes' if durable else 'NO'}"
        ),
        (
            f"  keystroke -> durable: median {format_seconds(sorted(latencies)[len(latencies) // 2])}, "
            f"p99 {format_seconds(percentile(latencies, 99))}, max {format_seconds(max(latencies))}"
        ),
        (
            f"  keystroke -> fsynced in the journal: median "
            f"{format_seconds(sorted(journalled)[len(journalled) // 2])}, "
            f"p99 {format_seconds(percentile(journalled, 99))}, max {format_seconds(max(journalled))}"
        ),
        (
            f"  UI stalls beyond the timer's 5 ms: p99 {format_seconds(percentile(stalls, 99))}, "
            f"longest {format_seconds(worst)}"
        ),
    ]
    rows = [
        timing_row("autosave: keystroke to durable", latencies, target=LATENCY_TARGET, spread="p99"),
        timing_row("autosave: keystroke to journal fsync", journalled, target=JOURNAL_TARGET, spread="p99",
                   note=f"n={len(journalled)}, max {format_seconds(max(journalled))}"),
        timing_row(
            "autosave: longest UI stall", [worst], target=STALL_TARGET, spread="p99",
            note=f"p99 {format_seconds(percentile(stalls, 99))} over {len(stalls)} ticks",
        ),
    ]
    return Report(rows, details)
