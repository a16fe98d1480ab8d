"""Recovery benchmark: kill -9 while another program holds the database, then start again; how much typing is lost?

Each run, on a fresh copy of a temporary SQLite database with one planned interview:

1. a child process (this file, ``type`` mode) runs the real cockpit offscreen and types a known text into the
   notes at about 30 characters a second, printing each keystroke's count and time;
2. after 1.5 s of typing, this process takes the database's write lock (``BEGIN IMMEDIATE``) for 5 s, as a
   busy colleague's copy, a backup tool or a slow network share would;
3. during the lock (at a seeded random moment 1 to 4 s into it, so runs sample every phase of the autosave
   and journal cycles) the child is killed with SIGKILL;
4. the lock is let go and a fresh child (``recover`` mode) opens the scorecard in the cockpit, as Resume
   does, which replays the journal, and closes it once it says "Saved".

Lost typing is the span from the first keystroke missing from the database after recovery to the kill, in
seconds (0 when nothing typed is missing). The same runs also give what the database alone held at the kill
(no journal: the behaviour before the journal existed). Target: at most 0.5 s lost in every run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

if __name__ != "__main__":
    from harness import Context, Report, Row, benchmark, format_seconds

LOST_TARGET = 0.5  # seconds of typing, in every run
RUNS = 20
LOCK_SECONDS = 5.0
TYPE_BEFORE_LOCK = 1.5
RATE = 30  # characters a second
THIS = Path(__file__).resolve()
TEXT = "".join(f"w{i:04d} " for i in range(2000))  # distinct words: any prefix says where it stops


# -- the children ------------------------------------------------------------------------------------------------


def _child_context(db_path: str, person_id: int):  # type: ignore[no-untyped-def]
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services.context import AppContext
    from interviewkit.storage.db import open_database

    app = QApplication(sys.argv[:1])
    db = open_database(db_path)
    return app, AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=person_id)


def child_type(db_path: str, stage_id: int, person_id: int) -> int:
    """Open the interview and type TEXT at RATE characters a second until killed."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from interviewkit.services import scorecards as svc
    from interviewkit.ui.cockpit.cockpit import CockpitView

    app, ctx = _child_context(db_path, person_id)
    view = CockpitView()
    view.resize(1200, 800)
    view.load(ctx, svc.open_scorecard(ctx.db, stage_id, person_id, ctx.instance_id))
    view.show()
    view.notes.setFocus()
    typed = [0]
    started = time.perf_counter()

    def type_due() -> None:
        # Keystrokes on a fixed schedule: a late tick types what is due, as a person keeps typing.
        due = min(len(TEXT), int((time.perf_counter() - started) * RATE) + 1)
        while typed[0] < due:
            QTest.keyClick(view.notes, TEXT[typed[0]], Qt.KeyboardModifier.NoModifier)
            typed[0] += 1
            print(f"{typed[0]} {time.time():.6f}", flush=True)

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(type_due)
    timer.start(1000 // RATE)
    return app.exec()


def child_recover(db_path: str, stage_id: int, person_id: int) -> int:
    """Start again: open the interview in the cockpit (replaying the journal), wait for "Saved", close."""
    from PySide6.QtCore import QEventLoop

    from interviewkit.services import scorecards as svc
    from interviewkit.ui.cockpit.cockpit import CockpitView

    app, ctx = _child_context(db_path, person_id)
    t0 = time.perf_counter()
    view = CockpitView()
    view.load(ctx, svc.open_scorecard(ctx.db, stage_id, person_id, ctx.instance_id))
    view.show()
    recovered = view.saved_label.text().startswith("Recovered")
    while view.saved_label.text() != "Saved" and recovered:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if time.perf_counter() - t0 > 60:
            print("TIMEOUT", view.saved_label.text(), flush=True)
            return 1
    seconds = time.perf_counter() - t0
    view.close_scorecard()
    ctx.db.dispose()
    print(f"RECOVERED {int(recovered)} {seconds:.6f}", flush=True)
    return 0


# -- the parent ------------------------------------------------------------------------------------------------------


def _template(ctx: Context) -> tuple[Path, int, int]:
    """A database file with the shipped bank and one planned interview: (path, stage id, interviewer id)."""
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services import loops, people
    from interviewkit.services.access import LOCAL_ADMIN
    from interviewkit.services.bank_sync import sync_bank
    from interviewkit.storage.db import open_database

    path = ctx.fresh_path("recovery-template", ".sqlite")
    db = open_database(path)
    try:
        sync_bank(db, shipped_bank_dir(), by=LOCAL_ADMIN)
        ana = people.create_person(db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN)
        opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN)
        cand = people.create_candidate(db, name="Priya N.", opening_id=opening.id, by=LOCAL_ADMIN)
        loop = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
        stage = loops.add_stage(db, loop, name="Production ML", minutes=45, focus=["monitoring-drift"],
                                interviewer_id=ana.id, scheduled_at=datetime.now(UTC), by=LOCAL_ADMIN).id
        loops.set_stage_plan(db, stage, ["drift-incident-retraining", "model-rollback-decision"], by=LOCAL_ADMIN)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return path, stage, int(ana.id)


def _env(ctx: Context, journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["INTERVIEWKIT_JOURNAL_DIR"] = str(journal)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ctx.src_dir), env.get("PYTHONPATH", "")) if p)
    if not env.get("XDG_RUNTIME_DIR"):
        runtime = ctx.work_dir / "xdg-runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


def _notes(path: Path) -> str:
    con = sqlite3.connect(path, timeout=30)
    try:
        row = con.execute("SELECT notes FROM asked_question ORDER BY scorecard_id, position LIMIT 1").fetchone()
        return row[0] if row else ""
    finally:
        con.close()


def _lost_seconds(kept: str, stamps: list[float], killed_at: float) -> float:
    """Seconds of typing from the first keystroke missing in ``kept`` to the kill (0 when none is missing)."""
    if not TEXT.startswith(kept):
        raise RuntimeError(f"the notes are not what was typed: {kept[-40:]!r}")
    if len(kept) >= len(stamps):
        return 0.0
    return max(0.0, killed_at - stamps[len(kept)])


def _one_run(ctx: Context, template: Path, stage: int, person: int, kill_after: float) -> dict[str, float]:
    run_dir = ctx.fresh_path("recovery-run")
    run_dir.mkdir()
    db_path = run_dir / "busy.sqlite"
    shutil.copy(template, db_path)
    journal = run_dir / "journal"
    env = _env(ctx, journal)
    args = [str(db_path), str(stage), str(person)]
    proc = subprocess.Popen([sys.executable, str(THIS), "type", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    stamps: list[float] = []  # time.time() of each keystroke, in order
    out = proc.stdout
    assert out is not None
    reader = threading.Thread(target=lambda: stamps.extend(float(line.split()[1]) for line in out), daemon=True)
    reader.start()
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    try:
        deadline = time.time() + 60
        while len(stamps) < TYPE_BEFORE_LOCK * RATE:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the typing child stopped: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.005)
        holder.execute("BEGIN IMMEDIATE")
        locked_at = time.time()
        time.sleep(max(0.0, locked_at + kill_after - time.time()))
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.time()
        proc.wait(timeout=30)
        reader.join(timeout=30)
        typed = len(stamps)
        time.sleep(max(0.0, locked_at + LOCK_SECONDS - time.time()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    in_database = _notes(db_path)  # what the database alone held at the kill
    done = subprocess.run([sys.executable, str(THIS), "recover", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    line = [x for x in done.stdout.splitlines() if x.startswith("RECOVERED ")]
    if done.returncode != 0 or not line:
        raise RuntimeError(f"the recovery child failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    _, replayed, replay_seconds = line[-1].split()
    after = _notes(db_path)
    shutil.rmtree(run_dir, ignore_errors=True)
    return {
        "typed": typed,
        "lost": _lost_seconds(after, stamps, killed_at),
        "lost_chars": typed - len(after),
        "lost_without": _lost_seconds(in_database, stamps, killed_at),
        "replayed": float(replayed),
        "replay_seconds": float(replay_seconds),
        "kill_after": kill_after,
    }


if __name__ != "__main__":

    @benchmark("recovery", "kill -9 while another process holds the database's write lock: typing lost after a restart")
    def recovery(ctx: Context) -> Report:
        template, stage, person = _template(ctx)
        rng = random.Random(ctx.options.seed)
        runs = []
        for i in range(max(RUNS, ctx.options.repeat)):
            r = _one_run(ctx, template, stage, person, rng.uniform(1.0, LOCK_SECONDS - 1.0))
            runs.append(r)
            ctx.log(
                f"recovery {i + 1}: killed {r['kill_after']:.2f} s into the lock after {r['typed']:.0f} keystrokes; "
                f"lost {format_seconds(r['lost'])} ({r['lost_chars']:.0f} chars) with the journal, "
                f"{format_seconds(r['lost_without'])} in the database alone"
            )
        lost = [r["lost"] for r in runs]
        without = [r["lost_without"] for r in runs]
        replay = [r["replay_seconds"] for r in runs if r["replayed"]]
        worst = max(lost)
        details = [
            (
                f"recovery: {len(runs)} runs; typing at {RATE}/s, the write lock held {LOCK_SECONDS:.0f} s from "
                f"{TYPE_BEFORE_LOCK} s in, SIGKILL 1-4 s into the lock; {len(replay)} restarts replayed the journal"
            ),
            (
                f"  typing lost after the restart: median {format_seconds(statistics.median(lost))}, max "
                f"{format_seconds(worst)} (most characters lost in a run: {max(r['lost_chars'] for r in runs):.0f})"
            ),
            (
                f"  what the database alone held at the kill (no journal): median "
                f"{format_seconds(statistics.median(without))}, max {format_seconds(max(without))} lost"
            ),
        ]
        rows = [
            Row("recovery: typing lost, journal replayed", format_seconds(statistics.median(lost)),
                f"max {format_seconds(worst)}", f"<= {format_seconds(LOST_TARGET)} every run",
                "OK" if worst <= LOST_TARGET else "MISS", f"n={len(runs)}"),
            Row("recovery: typing lost, database alone", format_seconds(statistics.median(without)),
                f"max {format_seconds(max(without))}", "", "", "what the kill costs without the journal"),
        ]
        if replay:
            rows.append(Row("recovery: restart to replayed and saved", format_seconds(statistics.median(replay)),
                            f"max {format_seconds(max(replay))}", "", "", f"n={len(replay)}, in the cockpit"))
        return Report(rows, details)


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    db_arg, stage_arg, person_arg = rest[0], int(rest[1]), int(rest[2])
    sys.exit({"type": child_type, "recover": child_recover}[mode](db_arg, stage_arg, person_arg))
