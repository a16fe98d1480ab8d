"""Schema 0010, outcomes of hires (issue 18), on SQLite and PostgreSQL: a database of 0009 keeps what was
recorded and gains the ``outcome`` table, whose constraints hold whatever writes to it (a rating inside its
scale, a scale whose ends are in order, one review per candidate and date); the revision goes back down to
0009 and up again."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from interviewkit.services import outcomes
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage import schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import alembic_config, upgrade

_OLD_ROWS = [
    ("INSERT INTO person (id, name, email, title, access_role, active, created_at) "
     "VALUES (1, 'Maria', 'maria@example.com', '', 'hiring_manager', true, CURRENT_TIMESTAMP)"),
    ("INSERT INTO opening (id, title, status, hiring_manager_id, created_at) "
     "VALUES (1, 'ML EM', 'open', 1, CURRENT_TIMESTAMP)"),
    ("INSERT INTO candidate (id, name, email, phone, opening_id, created_at) "
     "VALUES (1, 'Priya', 'priya@example.org', '', 1, CURRENT_TIMESTAMP)"),
]
_REVIEW = ("INSERT INTO outcome (candidate_id, reviewed_on, performance, scale_low, scale_high, note, recorded_at) "
           "VALUES (1, '{day}', {performance}, {low}, {high}, '', CURRENT_TIMESTAMP)")


def _engine(where: str):  # type: ignore[no-untyped-def]
    return create_engine(where if "://" in where else f"sqlite:///{where}")


def test_a_0009_database_keeps_what_was_recorded_and_gains_outcomes(make_db) -> None:  # type: ignore[no-untyped-def]
    where = make_db("old", None)
    engine = _engine(where)
    upgrade(engine, "0009")
    with engine.begin() as conn:
        for sql in _OLD_ROWS:
            conn.execute(text(sql))
        if "://" in where:  # ids given by hand: move the sequences past them
            for table in ("person", "opening", "candidate"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)"))
    engine.dispose()
    db = open_database(where)  # migrates to the newest schema
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            assert conn.execute(text("SELECT name FROM candidate")).scalar() == "Priya"
            assert "outcome" in inspect(conn).get_table_names()
        outcomes.record_outcome(db, 1, date(2027, 6, 30), 4.0, by=1, note="Ramped in three months")
        (row,) = outcomes.list_outcomes(db, by=LOCAL_ADMIN)
        assert (row.candidate, row.recorded_by, row.scale, row.note) == (
            "Priya", "Maria", (1.0, 5.0), "Ramped in three months")
    finally:
        db.dispose()
    assert "outcome" in schema.TABLES


@pytest.mark.parametrize(
    ("day", "performance", "low", "high", "refused"),
    [
        ("2027-12-31", 6, 1, 5, r"ck_outcome_performance|CHECK constraint"),
        ("2027-12-31", "NULL", 5, 1, r"ck_outcome_scale|CHECK constraint"),
        ("2027-06-30", 3, 1, 5, r"uq_outcome_candidate_date|UNIQUE constraint"),
    ],
)
def test_the_database_itself_keeps_outcomes_inside_their_rules(  # type: ignore[no-untyped-def]
    db, day: str, performance: float | str, low: float, high: float, refused: str
) -> None:
    with db.engine.begin() as conn:
        for sql in _OLD_ROWS:
            conn.execute(text(sql))
        conn.execute(text(_REVIEW.format(day="2027-06-30", performance=4, low=1, high=5)))
        conn.execute(text(_REVIEW.format(day="2028-06-30", performance="NULL", low=0, high=100)))  # not rated
    with pytest.raises(Exception, match=refused), db.engine.begin() as conn:
        conn.execute(text(_REVIEW.format(day=day, performance=performance, low=low, high=high)))


def test_revision_0010_goes_down_to_0009_and_up_again(make_db) -> None:  # type: ignore[no-untyped-def]
    where = make_db("down", None)
    engine = _engine(where)
    try:
        upgrade(engine, "0010")
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0009")
        with engine.connect() as conn:
            assert "outcome" not in inspect(conn).get_table_names()
            if "://" in where:
                assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'ik_may_%_outcome'")
                                    ).scalar() == 0
        upgrade(engine, "0010")
        with engine.connect() as conn:
            assert "outcome" in inspect(conn).get_table_names()
    finally:
        engine.dispose()
