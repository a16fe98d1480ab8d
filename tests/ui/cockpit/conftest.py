"""A planned stage ready to interview: an interviewer, a candidate, a loop with one stage of 3 questions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import loops, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database


@dataclass(frozen=True)
class Planned:
    ctx: AppContext
    interviewer_id: int
    candidate_id: int
    loop_id: int
    stage_id: int


def plan_stage(db: Database, *, email: str = "ana@example.com") -> Planned:
    ana = people.create_person(db, name="Ana Ortiz", email=email, title="Staff ML Engineer", by=LOCAL_ADMIN)
    opening = people.create_opening(
        db, title="ML Engineering Manager", jd_ids=["ml-eng-manager-profile", "ml-lead-lisbon-ad"], by=LOCAL_ADMIN
    )
    cand = people.create_candidate(db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    loop_id = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage_id = loops.add_stage(
        db,
        loop_id,
        name="Production ML",
        minutes=45,
        focus=["monitoring-drift", "mlops-cicd"],
        interviewer_id=ana.id,
        scheduled_at=datetime.now(UTC),
        by=LOCAL_ADMIN,
    ).id
    loops.set_stage_plan(
        db,
        stage_id,
        ["drift-incident-retraining", "ml-cicd-pipeline-you-built", "model-rollback-decision"],
        by=LOCAL_ADMIN,
    )
    ctx = AppContext(db, shipped_bank_dir(), load_settings(shipped_bank_dir()), user_id=ana.id)
    return Planned(ctx, ana.id, cand.id, loop_id, stage_id)


@pytest.fixture
def planned(shipped_db: Database) -> Planned:
    return plan_stage(shipped_db)


@pytest.fixture
def other_instance(planned: Planned) -> AppContext:
    """The same user in a second copy of the app."""
    return replace(planned.ctx, instance_id="elsewhere:1:abc")
