"""Several processes writing scorecards into one database at once: nothing lost, nothing doubled.

Each worker is a separate process (multiprocessing, spawn), as separate copies of the app are. Each
interviews its own stages (open, a burst of autosaves of notes, timings and ratings, then submit) and
all of them race to start the same unassigned stages, which only one may win. On PostgreSQL and on
SQLite no deadlock, serialization failure or lock timeout reaches the caller, every write is there
exactly once, and each shared stage has exactly one scorecard.
"""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from interviewkit.services import loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage.db import Database

WORKERS = 4
OWN_STAGES = 3  # per worker
SHARED_STAGES = 4  # unassigned: every worker tries to start them
SAVES = 12  # autosaves per scorecard
QUESTIONS = ["drift-incident-retraining", "ml-cicd-pipeline-you-built", "model-rollback-decision"]
FOCUS = ["monitoring-drift", "mlops-cicd"]


@dataclass(frozen=True)
class Job:
    url: str
    worker: int
    person_id: int
    own: tuple[int, ...]
    shared: tuple[int, ...]


def _note(worker: int, stage: int, asked: int, i: int) -> str:
    return f"worker {worker}, stage {stage}, question {asked}: note {i} " + "x" * (i * 7)


def _interview(db: Any, job: Job, stage_id: int, settings: Any, instance: str) -> dict[str, Any]:
    from interviewkit.services import scorecards as sc

    state = sc.open_scorecard(db, stage_id, job.person_id, instance)
    notes: dict[int, str] = {}
    for i in range(SAVES):
        changes = sc.DraftChanges()
        for q in state.questions:
            changes.notes[q.asked_id] = notes[q.asked_id] = _note(job.worker, stage_id, q.asked_id, i)
            changes.seconds[q.asked_id] = float(i)
        changes.current_position = i % len(state.questions)
        changes.elapsed_seconds = float(i * 10)
        if i == SAVES - 1:
            changes.ratings = {c.id: sc.RatingState(score=3, evidence=f"evidence {job.worker}") for c in state.focus}
            changes.recommendation = settings.recommendations[0]
            changes.summary = f"summary by worker {job.worker}"
        sc.save_draft(db, state.id, instance, changes, by=job.person_id)
    sc.submit(db, state.id, job.person_id, settings)
    return {"scorecard": state.id, "stage": stage_id, "notes": notes}


def work(job: Job, start: Any) -> dict[str, Any]:
    """One copy of the app. Returns what it wrote, and any unexpected error as text."""
    from interviewkit.bank.loader import load_settings
    from interviewkit.paths import shipped_bank_dir
    from interviewkit.services.errors import PermissionDenied, ScorecardLocked
    from interviewkit.storage.db import open_database

    out: dict[str, Any] = {"worker": job.worker, "cards": [], "claimed": [], "lost": [], "errors": []}
    try:
        settings = load_settings(shipped_bank_dir())
        db = open_database(job.url)
        instance = f"worker-{job.worker}:{mp.current_process().pid}:x"
        start.wait(60)
        # Interleave: race for a shared stage, then interview one of our own, and so on.
        order: list[tuple[str, int]] = []
        for i in range(max(len(job.own), len(job.shared))):
            order += [("shared", s) for s in job.shared[i:i + 1]] + [("own", s) for s in job.own[i:i + 1]]
        for kind, stage in order:
            try:
                out["cards"].append(_interview(db, job, stage, settings, instance))
                if kind == "shared":
                    out["claimed"].append(stage)
            except (PermissionDenied, ScorecardLocked) as exc:
                if kind != "shared":
                    raise
                out["lost"].append((stage, type(exc).__name__))
        db.dispose()
    except Exception:  # noqa: BLE001 - any failure in the child process is handed to the test to show
        out["errors"].append(traceback.format_exc())
    return out


def _plan(db: Database) -> list[Job]:
    opening = people.create_opening(
        db, title="ML Engineering Manager", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN
    )
    when = datetime.now(UTC)
    jobs = []
    shared = []
    cand = people.create_candidate(db, name="Shared Candidate", opening_id=opening.id, by=LOCAL_ADMIN)
    loop_id = loops.create_loop(db, cand.id, name="Open panel", by=LOCAL_ADMIN).id
    for s in range(SHARED_STAGES):
        stage = loops.add_stage(db, loop_id, name=f"Open stage {s}", minutes=45, focus=FOCUS, interviewer_id=None,
                                scheduled_at=when, by=LOCAL_ADMIN).id
        loops.set_stage_plan(db, stage, QUESTIONS, by=LOCAL_ADMIN)
        shared.append(stage)
    url = db.url.render_as_string(hide_password=False)
    for w in range(WORKERS):
        person = people.create_person(
            db, name=f"Interviewer {w}", email=f"w{w}@example.com", title="Engineer", by=LOCAL_ADMIN
        )
        cand = people.create_candidate(db, name=f"Candidate {w}", opening_id=opening.id, by=LOCAL_ADMIN)
        loop_id = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
        own = []
        for s in range(OWN_STAGES):
            stage = loops.add_stage(db, loop_id, name=f"Stage {s}", minutes=45, focus=FOCUS,
                                    interviewer_id=person.id, scheduled_at=when, by=LOCAL_ADMIN).id
            loops.set_stage_plan(db, stage, QUESTIONS, by=LOCAL_ADMIN)
            own.append(stage)
        jobs.append(Job(url, w, person.id, tuple(own), tuple(shared)))
    return jobs


@pytest.mark.slow
def test_concurrent_copies_lose_and_double_nothing(shipped_db: Database, backend: str) -> None:
    from interviewkit.storage.models import AskedQuestion, AuditEvent, Rating, Scorecard

    jobs = _plan(shipped_db)
    ctx = mp.get_context("spawn")
    started = time.monotonic()
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(WORKERS) as pool:
            pending = [pool.apply_async(work, (job, start)) for job in jobs]
            time.sleep(0.2)
            start.set()
            results = [p.get(timeout=240) for p in pending]  # a deadlock would hang here and fail
    elapsed = time.monotonic() - started
    errors = [e for r in results for e in r["errors"]]
    assert not errors, "\n".join(errors)

    # Each shared stage was won by exactly one worker; the others were told who has it.
    claims = sorted(s for r in results for s in r["claimed"])
    assert claims == sorted(jobs[0].shared)
    for r in results:
        assert sorted(r["claimed"] + [s for s, _ in r["lost"]]) == sorted(jobs[0].shared)

    cards = {c["scorecard"]: c for r in results for c in r["cards"]}
    expected_cards = WORKERS * OWN_STAGES + SHARED_STAGES
    assert len(cards) == expected_cards
    with shipped_db.session() as s:
        rows = {c.id: c for c in s.scalars(select(Scorecard))}
        assert set(rows) == set(cards)
        assert all(c.status == "submitted" and c.lock_owner is None for c in rows.values())
        # Every save is counted once: SAVES drafts, then the submit.
        assert {c.revision for c in rows.values()} == {SAVES + 1}
        assert len({c.stage_id for c in rows.values()}) == expected_cards
        asked = s.scalars(select(AskedQuestion)).all()
        assert len(asked) == expected_cards * len(QUESTIONS)
        for a in asked:
            assert a.notes == cards[a.scorecard_id]["notes"][a.id]  # the last autosave, nothing lost
            assert a.seconds_spent == float(SAVES - 1)
        assert s.scalar(select(func.count()).select_from(Rating)) == expected_cards * len(FOCUS)
        actions = dict(
            s.execute(select(AuditEvent.action, func.count()).where(AuditEvent.entity == "scorecard")
                      .group_by(AuditEvent.action)).all()
        )
        assert actions == {"started": expected_cards, "submitted": expected_cards}
    print(f"\n{backend}: {WORKERS} processes, {expected_cards} scorecards, "
          f"{expected_cards * (SAVES + 2)} write transactions in {elapsed:.1f} s")
