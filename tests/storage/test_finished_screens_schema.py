"""Schema 0013, finished screens stored on their stage (issue 14).

A database of schema 0012 (the fixture written by that version's demo) keeps every screen answer and gains
``stage.finished_at`` / ``finished_by``, filled from the finishes its audit trail holds (before 0013 a finish
was only an audit entry); on both backends the revision goes down to 0012 and up again, each time copying
the audit trail's finishes into the columns."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from interviewkit.services import screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.storage import schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import alembic_config, upgrade

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "interviewkit-schema-0012.sqlite"
_FINISH = ("INSERT INTO audit_event (at, actor_id, entity, entity_id, action, reason, detail) "
           "VALUES ('{at}', {actor}, 'stage', '{stage}', 'finished', '', '{{}}')")


@pytest.mark.sqlite_only
def test_a_0012_database_keeps_its_screen_answers_and_its_audited_finishes_become_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    try:
        answers = con.execute("SELECT * FROM screen_answer ORDER BY stage_id, requirement_id").fetchall()
        screens = [r[0] for r in con.execute("SELECT id FROM stage WHERE kind = 'screen' ORDER BY id")]
        first, second = screens[0], screens[1]
        hm = con.execute("SELECT interviewer_id FROM stage WHERE id = ?", (first,)).fetchone()[0]
        # the app of 0012 finished two screens: the first twice over (a retried click), the first entry counts
        con.execute(_FINISH.format(at="2027-01-20 10:00:00.000000", actor=hm, stage=first))
        con.execute(_FINISH.format(at="2027-01-20 11:00:00.000000", actor=1, stage=first))
        con.execute(_FINISH.format(at="2027-01-21 09:30:00.000000", actor="NULL", stage=second))
        con.commit()
    finally:
        con.close()
    assert len(answers) > 100
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            kept = conn.execute(text("SELECT * FROM screen_answer ORDER BY stage_id, requirement_id")).all()
            assert [tuple(r) for r in kept] == answers
            rows = conn.execute(text("SELECT id, finished_by FROM stage WHERE finished_at IS NOT NULL")).all()
        assert sorted(map(tuple, rows)) == [(first, hm), (second, None)]
        seen = screening.screen_checklist(db, first, by=LOCAL_ADMIN)
        name = db.engine.connect().execute(text(f"SELECT name FROM person WHERE id = {hm}")).scalar()
        assert (seen.finished_at, seen.finished_by) == (datetime(2027, 1, 20, 10, tzinfo=UTC), name)
        assert seen.done and not seen.may_answer and seen.may_amend
        assert not screening.screen_checklist(db, screens[2], by=LOCAL_ADMIN).finished
    finally:
        db.dispose()


def _engine(where: str):  # type: ignore[no-untyped-def]
    return create_engine(where if "://" in where else f"sqlite:///{where}")


_WORLD = [
    ("INSERT INTO person (id, name, email, title, access_role, active, created_at) "
     "VALUES (1, 'Rui', 'rui@example.com', '', 'coordinator', true, CURRENT_TIMESTAMP)"),
    ("INSERT INTO opening (id, title, status, hiring_manager_id, created_at) "
     "VALUES (1, 'ML EM', 'open', 1, CURRENT_TIMESTAMP)"),
    ("INSERT INTO candidate (id, name, email, phone, opening_id, created_at) "
     "VALUES (1, 'Priya', 'priya@example.org', '', 1, CURRENT_TIMESTAMP)"),
    "INSERT INTO interview_loop (id, candidate_id, name, created_at) VALUES (1, 1, 'Loop', CURRENT_TIMESTAMP)",
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus, kind, checklist) "
     "VALUES (1, 1, 1, 'Recruiter screen', 1, 30, '[]', 'screen', '[]')"),
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus, kind, checklist) "
     "VALUES (2, 1, 2, 'Design', 1, 60, '[]', 'interview', '[]')"),
]


def _finished(engine) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, finished_by FROM stage WHERE finished_at IS NOT NULL ORDER BY id"))]


def test_revision_0013_goes_down_to_0012_and_up_again_keeping_the_finish(make_db) -> None:  # type: ignore[no-untyped-def]
    where = make_db("finish", None)
    engine = _engine(where)
    try:
        upgrade(engine, "0012")
        with engine.begin() as conn:
            for sql in _WORLD:
                conn.execute(text(sql))
            conn.execute(text(_FINISH.format(at="2027-01-20 10:00:00", actor=1, stage=1)))
            conn.execute(text(_FINISH.format(at="2027-01-20 10:00:00", actor=1, stage=2)))  # not a screen: ignored
        upgrade(engine, "0013")
        assert _finished(engine) == [(1, 1)]
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0012")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("stage")}
            assert not {"finished_at", "finished_by"} & columns
            if "://" in where:
                assert conn.execute(text(
                    "SELECT count(*) FROM pg_proc WHERE proname IN ('ik_screen_finisher', 'ik_guard_screen_finish', "
                    "'ik_guard_finished_screen')")).scalar() == 0
                assert "ik_on_panel" in conn.execute(text(
                    "SELECT prosrc FROM pg_proc WHERE proname = 'ik_may_read_screen'")).scalar()
        upgrade(engine, "0013")  # the finish was kept in the audit trail: up again, it is back
        assert _finished(engine) == [(1, 1)]
    finally:
        engine.dispose()
