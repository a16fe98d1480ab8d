"""Erasing a candidate while a window still has one of their scorecards open: nothing is written back."""

from __future__ import annotations

import pytest

from interviewkit.paths import shipped_bank_dir
from interviewkit.services import loops, people, privacy, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.demo import create_demo
from interviewkit.storage.db import Database


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    return shipped_db


def _draft_of(db: Database, candidate_id: int) -> int:
    """The demo's draft scorecard of a candidate's loop (Tomasz's: the mid-loop candidate has one)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT sc.id FROM scorecard sc JOIN stage st ON st.id = sc.stage_id JOIN interview_loop l "
            "ON l.id = st.loop_id WHERE l.candidate_id = :c AND sc.status = 'draft'"), {"c": candidate_id},
        ).scalar_one())


def test_a_window_still_open_on_an_erased_candidates_scorecard_writes_nothing_back(demo: Database) -> None:
    """Erasing while an interview is open: the cockpit's next autosave (or an amendment) must not put the
    notes back."""
    from interviewkit.services.errors import ScorecardLocked

    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Tomasz Nowak")
    stage = next(st for lp in loops.loops(demo, candidate_id=cid, by=LOCAL_ADMIN)
                 for st in loops.loop_detail(demo, lp.id, by=LOCAL_ADMIN).stages
                 if st.scorecard_status is None and not st.is_screen)
    card = scorecards.open_scorecard(demo, stage.id, stage.interviewer_id, "open-window")
    admin = next(p.id for p in people.people(demo) if p.access_role == "admin")
    privacy.erase_candidate(demo, cid, by=admin, reason="asked by the candidate")
    changes = scorecards.DraftChanges(notes={card.questions[0].asked_id: "Tomasz said his manager at Acme ..."})
    with pytest.raises(ScorecardLocked, match="personal data was erased"):
        scorecards.save_draft(demo, card.id, "open-window", changes, by=stage.interviewer_id)
    assert scorecards.scorecard_state(demo, card.id, by=LOCAL_ADMIN).questions[0].notes == ""


def test_erasing_deletes_this_computers_journals_about_the_candidate_and_old_set_aside_ones_expire(
    demo: Database, _journal_dir
) -> None:  # type: ignore[no-untyped-def]
    import os
    import time

    from interviewkit.services import recovery

    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Tomasz Nowak")
    key = recovery.database_key(demo)
    card_of_tomasz = _draft_of(demo, cid)
    (_journal_dir / "kept").mkdir(parents=True, exist_ok=True)
    mine = [_journal_dir / f"{key}-scorecard-{card_of_tomasz}-abc.jsonl",
            _journal_dir / "kept" / f"{key}-scorecard-{card_of_tomasz}-abc-20261207.jsonl"]
    theirs = _journal_dir / f"{key}-scorecard-99999-abc.jsonl"
    for path in (*mine, theirs):
        path.write_text('{"k": "header"}\n')
    admin = next(p.id for p in people.people(demo) if p.access_role == "admin")
    privacy.erase_candidate(demo, cid, by=admin, reason="asked by the candidate")
    assert not any(p.exists() for p in mine) and theirs.exists()
    old = _journal_dir / "kept" / "x-scorecard-1-old.txt"
    old.write_text("notes about someone")
    os.utime(old, (time.time() - 31 * 86400,) * 2)
    assert recovery.purge_kept(_journal_dir) == 1 and not old.exists()
