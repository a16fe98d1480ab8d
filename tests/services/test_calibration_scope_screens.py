"""A recruiter's screen does not hide a candidate from the screener's calibration (revision 0012).

Those who see everyone's calibration lose the ratings of candidates whose panel they sit on without having
submitted: their own judgement must stay theirs. A screen stage has answers, never a scorecard, so counting it
as a seat on the panel hid every candidate a hiring manager had screened (in the demo: 3 of 16 were left).
"""

from __future__ import annotations

from sqlalchemy import text

from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import ratings_from_db
from interviewkit.services.demo import create_demo
from interviewkit.storage.db import Database

_STAGES = """SELECT l.candidate_id, s.kind, sc.status FROM stage s JOIN interview_loop l ON l.id = s.loop_id
             LEFT JOIN scorecard sc ON sc.stage_id = s.id AND sc.interviewer_id = :me WHERE s.interviewer_id = :me"""


def test_a_hiring_manager_who_screened_candidates_still_calibrates_on_them(shipped_db: Database) -> None:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    lead = next(p.id for p in people.people(shipped_db) if p.access_role == "hiring_manager")
    with shipped_db.engine.connect() as conn:
        stages = [(str(c), k, st) for c, k, st in conn.execute(text(_STAGES), {"me": lead})]
    interviews = {c for c, kind, _ in stages if kind != "screen"}
    owed = {c for c, kind, status in stages if kind != "screen" and status != "submitted"}
    screened_only = {c for c, kind, _ in stages if kind == "screen"} - interviews
    everyone = {r.candidate for r in ratings_from_db(shipped_db, by=LOCAL_ADMIN)}
    assert screened_only & everyone  # the demo has candidates this lead only screened, with ratings
    seen = {r.candidate for r in ratings_from_db(shipped_db, by=lead)}
    assert seen == everyone - owed  # everything but the candidates whose interview this lead still owes
