"""Schema 0014, when an interview was held stored on its scorecard (issue 17): ``scorecard.held_at`` is
``COALESCE(stage.scheduled_at, scorecard.submitted_at)``, filled by the migration and kept so by the
database whoever writes, and indexed for calibration's period filter (tests/storage/test_query_plans.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from interviewkit.storage import schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import alembic_config, upgrade

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "interviewkit-schema-0013.sqlite"


def _engine(where: str):  # type: ignore[no-untyped-def]
    return create_engine(where if "://" in where else f"sqlite:///{where}")


def _wrong(conn, pg: bool) -> int:  # type: ignore[no-untyped-def]
    """Scorecards whose held_at is not their stage's time or else their submission's."""
    differs = "IS DISTINCT FROM" if pg else "IS NOT"
    return int(conn.execute(text(
        f"SELECT count(*) FROM scorecard sc JOIN stage st ON st.id = sc.stage_id "
        f"WHERE sc.held_at {differs} COALESCE(st.scheduled_at, sc.submitted_at)")).scalar())


@pytest.mark.sqlite_only
def test_a_0013_database_gets_held_at_for_every_scorecard(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    try:  # two interviews never scheduled (the demo schedules all): their scorecards count from submission
        con.execute("UPDATE stage SET scheduled_at = NULL WHERE id IN "
                    "(SELECT stage_id FROM scorecard WHERE status = 'submitted' ORDER BY id LIMIT 2)")
        con.commit()
        cards = con.execute("SELECT * FROM scorecard ORDER BY id").fetchall()
        unscheduled = con.execute("SELECT count(*) FROM scorecard sc JOIN stage st ON st.id = sc.stage_id "
                                  "WHERE st.scheduled_at IS NULL AND sc.submitted_at IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert len(cards) >= 10 and unscheduled == 2, "the fixture has scheduled and unscheduled interviews"
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            assert _wrong(conn, pg=False) == 0
            assert conn.execute(text("SELECT count(*) FROM scorecard WHERE held_at IS NULL AND status = 'submitted'"))\
                .scalar() == 0
            kept = conn.execute(text(f"SELECT {', '.join(c['name'] for c in inspect(conn).get_columns('scorecard') if c['name'] != 'held_at')} FROM scorecard ORDER BY id")).all()  # noqa: E501
            assert [tuple(r) for r in kept] == cards
            assert "held_at" in {c["name"] for c in inspect(conn).get_columns("calibration_rating")}
    finally:
        db.dispose()


_WORLD = [
    ("INSERT INTO person (id, name, email, title, access_role, active, created_at) "
     "VALUES (1, 'Rui', 'rui@example.com', '', 'admin', true, CURRENT_TIMESTAMP)"),
    ("INSERT INTO opening (id, title, status, hiring_manager_id, created_at) "
     "VALUES (1, 'ML EM', 'open', 1, CURRENT_TIMESTAMP)"),
    ("INSERT INTO candidate (id, name, email, phone, opening_id, created_at) "
     "VALUES (1, 'Priya', 'priya@example.org', '', 1, CURRENT_TIMESTAMP)"),
    "INSERT INTO interview_loop (id, candidate_id, name, created_at) VALUES (1, 1, 'Loop', CURRENT_TIMESTAMP)",
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus, kind, checklist, scheduled_at) "
     "VALUES (1, 1, 1, 'Design', 1, 60, '[]', 'interview', '[]', '2027-01-10 09:00:00')"),
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus, kind, checklist) "
     "VALUES (2, 1, 2, 'Coding', 1, 60, '[]', 'interview', '[]')"),
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus, kind, checklist, scheduled_at) "
     "VALUES (3, 1, 3, 'Values', 1, 60, '[]', 'interview', '[]', '2027-01-20 09:00:00')"),
]
_CARD = ("INSERT INTO scorecard (id, stage_id, interviewer_id, status, current_position, elapsed_seconds, summary, "
         "started_at, updated_at, submitted_at, revision) VALUES ({id}, {stage}, 1, '{status}', 0, 0, '', "
         "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, {submitted}, 0)")


def _held(engine) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {int(i): str(h)[:16] for i, h in conn.execute(text("SELECT id, held_at FROM scorecard ORDER BY id"))}


def test_held_at_follows_every_write_and_the_revision_goes_down_and_up(make_db) -> None:  # type: ignore[no-untyped-def]
    where = make_db("held", None)
    pg = "://" in where
    engine = _engine(where)
    try:
        upgrade(engine, "0013")
        with engine.begin() as conn:
            for sql in _WORLD:
                conn.execute(text(sql))
            conn.execute(text(_CARD.format(id=1, stage=1, status="submitted", submitted="'2027-01-12 10:00:00'")))
            conn.execute(text(_CARD.format(id=2, stage=2, status="submitted", submitted="'2027-01-15 11:00:00'")))
        upgrade(engine, "0014")
        assert _held(engine) == {1: "2027-01-10 09:00", 2: "2027-01-15 11:00"}
        with engine.begin() as conn:  # a scorecard written now gets its stage's time; a draft one too
            conn.execute(text(_CARD.format(id=3, stage=3, status="draft", submitted="NULL")))
        assert _held(engine)[3] == "2027-01-20 09:00"
        with engine.begin() as conn:  # rescheduling an interview whose scorecard is submitted moves it
            conn.execute(text("UPDATE stage SET scheduled_at = '2027-02-01 09:00:00' WHERE id = 1"))
            conn.execute(text("UPDATE scorecard SET status = 'submitted', submitted_at = '2027-01-21 09:00:00' "
                              "WHERE id = 3"))
        assert _held(engine) == {1: "2027-02-01 09:00", 2: "2027-01-15 11:00", 3: "2027-01-20 09:00"}
        with engine.begin() as conn:  # a value written by hand is replaced by the right one
            if pg:
                conn.execute(text("SET LOCAL interviewkit.change_reason = 'test'"))
            conn.execute(text("UPDATE scorecard SET held_at = '1999-01-01 00:00:00' WHERE id = 2"))
        assert _held(engine)[2] == "2027-01-15 11:00"
        with engine.connect() as conn:
            assert _wrong(conn, pg) == 0
            if pg:  # the guard of revision 0008 let the reschedule through with its reason, and audited it
                reasons = conn.execute(text("SELECT reason FROM audit_event WHERE entity = 'db_change' "
                                            "AND entity_id = '1'")).scalars().all()
                assert "the interview was rescheduled" in reasons
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0013")
        with engine.connect() as conn:
            assert "held_at" not in {c["name"] for c in inspect(conn).get_columns("scorecard")}
            assert "held_at" not in {c["name"] for c in inspect(conn).get_columns("calibration_rating")}
        upgrade(engine, "0014")
        assert _held(engine) == {1: "2027-02-01 09:00", 2: "2027-01-15 11:00", 3: "2027-01-20 09:00"}
    finally:
        engine.dispose()
