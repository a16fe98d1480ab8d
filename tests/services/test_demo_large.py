"""``demo --size large`` (issue 17, point 1), generated at a tiny scale on both backends: the structure, the
checks the app runs on opening the database, what the statistics find, and the refusal of a database that
holds data. The full size is measured by benchmarks/demo_large.py, not here."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select, text
from sqlmodel import col

from interviewkit.bank.loader import load_settings
from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import ratings_from_db
from interviewkit.services.demo_large import create_large_demo
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.db import open_database
from interviewkit.storage.integrity import check_integrity
from interviewkit.storage.models import (
    AskedQuestion,
    AuditEvent,
    Candidate,
    Decision,
    InterviewLoop,
    Person,
    Rating,
    Scorecard,
    Stage,
)

SCALE = 0.004  # 240 candidates, 24 people


def count(s, model, *where) -> int:  # type: ignore[no-untyped-def]
    return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_tiny_large_demo_has_the_structure_and_passes_the_checks(shipped_db) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(shipped_bank_dir())
    lines: list[str] = []
    report = create_large_demo(shipped_db, settings, scale=SCALE, progress=lines.append)
    assert any(line.startswith("candidates 240 of 240") for line in lines), lines

    assert check_integrity(shipped_db.engine, "the demo") is None
    with shipped_db.session() as s:
        assert count(s, Candidate) == report.candidates == 240 and count(s, InterviewLoop) == 240
        assert count(s, Person) == report.people == 24
        assert count(s, Scorecard, col(Scorecard.status) == "submitted") == report.scorecards
        assert 4 * 240 <= report.scorecards <= 6 * 240  # six interviews, about 65% reach the end
        assert count(s, Rating) == report.ratings and report.ratings >= 3 * report.scorecards
        assert count(s, AskedQuestion) == report.notes
        notes = s.scalars(select(col(AskedQuestion.notes))).all()
        assert min(len(n.split()) for n in notes) >= 20 and max(len(n.split()) for n in notes) <= 160
        assert count(s, Decision) == report.decisions > 0
        amended = count(s, AuditEvent, col(AuditEvent.action) == "amended")
        assert amended == report.amendments
        assert count(s, AuditEvent, col(AuditEvent.action) == "submitted") == report.scorecards
        # every scorecard is its stage's interviewer's, on an interview stage of the candidate's loop
        wrong = s.scalar(
            select(func.count())
            .select_from(Scorecard)
            .join(Stage, col(Stage.id) == col(Scorecard.stage_id))
            .where((col(Stage.interviewer_id) != col(Scorecard.interviewer_id)) | (col(Stage.kind) != "interview"))
        )
        assert wrong == 0
        scores = Counter(s.scalars(select(col(Rating.score)).where(col(Rating.score).is_not(None))).all())
        assert set(scores) <= {1, 2, 3, 4} and len(scores) == 4
        na = s.scalars(select(col(Rating.reason)).where(col(Rating.not_assessed))).all()
        assert all(na)  # a reason for every "not assessed"

    ratings = ratings_from_db(shipped_db, by=LOCAL_ADMIN)
    assert sum(1 for r in ratings if r.score is not None) == count_scored(shipped_db)
    with pytest.raises(ValidationFailed, match=r"already holds data .* demo --size large writes only into"):
        create_large_demo(shipped_db, settings, scale=SCALE)


def count_scored(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return count(s, Rating, col(Rating.score).is_not(None))


def test_ids_go_on_after_the_demo(shipped_db) -> None:  # type: ignore[no-untyped-def]
    """Rows were written with explicit ids: the next one the app adds must not collide (PostgreSQL sequences)."""
    create_large_demo(shipped_db, load_settings(shipped_bank_dir()), scale=SCALE)
    with shipped_db.transaction() as s:
        top = s.scalar(select(func.max(col(Person.id))))
        s.add(Person(name="New Person", email="new.person@example.com"))
        s.flush()
        assert s.scalar(select(func.max(col(Person.id)))) == (top or 0) + 1
        s.execute(text("SELECT 1"))


def test_the_command_refuses_a_database_that_holds_data(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    database = open_database(db_url)
    with database.transaction() as s:
        s.add(Person(name="Someone", email="someone@example.com"))
    database.dispose()
    assert main(["demo", "--size", "large", "--db", db_url]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("interviewkit: error: ") and "already holds data (1 people)" in captured.err
