"""Schema 0009, the bank's second edition (issue 14), on SQLite and PostgreSQL: a database of 0008 keeps what
was recorded (its requirement links stay primary, its scorecards point at the versions asked) and gains the
new columns and tables; on PostgreSQL every table is under row-level security, the new ones too."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from interviewkit.services import loops, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import coverage, question_detail
from interviewkit.storage import schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import upgrade

_OLD_ROWS = [
    ("INSERT INTO job_description (id, title, source_name, text, content_hash, origin, imported_at) "
     "VALUES ('jd', 'A role', 'jd.md', '- Serve models fast\n- Lead a team', 'h', 'bank', CURRENT_TIMESTAMP)"),
    ("INSERT INTO requirement (id, jd_id, section, position, text) VALUES ('jd.role.01', 'jd', 'Role', 1, "
     "'Serve models fast'), ('jd.role.02', 'jd', 'Role', 2, 'Lead a team')"),
    ("INSERT INTO competency (id, name, description, strong_evidence, position) "
     "VALUES ('model-serving', 'Model serving', 'd', 's', 0)"),
    "INSERT INTO question (id, current_version, created_at) VALUES ('q1', 1, CURRENT_TIMESTAMP)",
    ("INSERT INTO question_version (id, question_id, version, content_hash, title, kind, level, minutes, prompt, "
     "follow_ups, rubric, red_flags, source_path, created_at) VALUES (1, 'q1', 1, 'h1', 'Latency', 'technical', "
     "'manager', 10, 'How?', '[]', '{\"1\": \"a\", \"2\": \"b\"}', '[]', 'q1.md', CURRENT_TIMESTAMP)"),
    "INSERT INTO question_competency (question_version_id, competency_id, position) VALUES (1, 'model-serving', 0)",
    ("INSERT INTO question_requirement (question_version_id, requirement_id) VALUES (1, 'jd.role.01'), "
     "(1, 'jd.role.02')"),
    ("INSERT INTO person (id, name, email, title, access_role, active, created_at) "
     "VALUES (1, 'Ana', 'ana@example.com', '', 'interviewer', true, CURRENT_TIMESTAMP)"),
    "INSERT INTO opening (id, title, status, created_at) VALUES (1, 'ML EM', 'open', CURRENT_TIMESTAMP)",
    "INSERT INTO opening_jd (opening_id, jd_id) VALUES (1, 'jd')",
    ("INSERT INTO candidate (id, name, email, phone, opening_id, created_at) "
     "VALUES (1, 'Priya', '', '', 1, CURRENT_TIMESTAMP)"),
    "INSERT INTO interview_loop (id, candidate_id, name, created_at) VALUES (1, 1, 'Onsite', CURRENT_TIMESTAMP)",
    ("INSERT INTO stage (id, loop_id, position, name, interviewer_id, minutes, focus) "
     "VALUES (1, 1, 1, 'Serving', 1, 45, '[\"model-serving\"]')"),
    "INSERT INTO stage_question (stage_id, position, question_version_id) VALUES (1, 1, 1)",
    ("INSERT INTO scorecard (id, stage_id, interviewer_id, status, current_position, elapsed_seconds, summary, "
     "started_at, updated_at, revision) VALUES (1, 1, 1, 'draft', 0, 0, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"),
    ("INSERT INTO asked_question (scorecard_id, position, question_version_id, planned, notes, seconds_spent) "
     "VALUES (1, 0, 1, true, 'Clear on p99.', 60)"),
]


def test_a_0008_database_keeps_what_was_recorded_and_gains_the_second_edition(make_db) -> None:  # type: ignore[no-untyped-def]
    where = make_db("old", None)
    engine = create_engine(where if "://" in where else f"sqlite:///{where}")
    upgrade(engine, "0008")
    with engine.begin() as conn:
        for sql in _OLD_ROWS:
            conn.execute(text(sql))
        if "://" in where:  # ids given by hand: move the sequences past them
            for table in ("question_version", "person", "opening", "candidate", "interview_loop", "stage",
                          "scorecard"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)"))
    engine.dispose()
    db = open_database(where)  # migrates to the newest schema
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            links = conn.execute(text("SELECT requirement_id, is_primary FROM question_requirement "
                                      "ORDER BY requirement_id")).all()
            assert [(r, bool(p)) for r, p in links] == [("jd.role.01", True), ("jd.role.02", True)]
            assert conn.execute(text("SELECT kind FROM stage")).scalar() == "interview"
        detail = question_detail(db, "q1")
        assert detail is not None and [r.id for r in detail.requirements] == ["jd.role.01", "jd.role.02"]
        assert (detail.evidence, detail.thresholds, detail.examples, detail.scope, detail.variant_of) == (
            (), (), (), "", None)
        assert {r.requirement.id: r.count for r in coverage(db, "jd")} == {"jd.role.01": 1, "jd.role.02": 1}
        card = scorecards.scorecard_state(db, 1, by=LOCAL_ADMIN)
        (asked,) = card.questions
        assert (asked.question_id, asked.version, asked.notes) == ("q1", 1, "Clear on p99.")
        assert asked.evidence_ticks == () and asked.suggested_level is None  # a first-edition question
        stage = loops.loop_detail(db, 1, by=LOCAL_ADMIN).stages[0]
        assert (stage.kind, stage.checklist, stage.scorecard_status) == ("interview", (), "draft")
    finally:
        db.dispose()


def test_the_schema_lists_name_the_new_tables_and_view(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        inspector = inspect(conn)
        assert {"screening_item", "screen_answer"} <= set(inspector.get_table_names())
        assert "screen_progress" in inspector.get_view_names()
    assert {"screening_item", "screen_answer"} <= set(schema.TABLES) and "screen_progress" in schema.VIEWS


def test_a_screen_answer_is_yes_no_or_unclear_whatever_writes_it(db) -> None:  # type: ignore[no-untyped-def]
    """The database itself refuses another answer (a CHECK constraint), on both backends."""
    with db.engine.begin() as conn:
        for sql in _OLD_ROWS[:2] + _OLD_ROWS[7:13]:
            conn.execute(text(sql))
        conn.execute(text("UPDATE stage SET kind = 'screen', checklist = '[\"jd.role.01\"]'"))
    with pytest.raises(Exception, match=r"ck_screen_answer_answer|CHECK constraint"), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO screen_answer (stage_id, requirement_id, answer, note, answered_at) "
                          "VALUES (1, 'jd.role.01', 'maybe', '', CURRENT_TIMESTAMP)"))


# --- PostgreSQL: row-level security on every table ----------------------------------------------------------


@pytest.fixture
def pg_db(backend: str, db):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    return db


def test_every_table_is_under_row_level_security_with_policies(pg_db) -> None:  # type: ignore[no-untyped-def]
    """Revision 0008 put every table under row-level security; 0009's new tables are too (a table without
    a policy would be either closed to everyone or, with RLS off, open to every login)."""
    with pg_db.engine.connect() as conn:
        secured = dict(conn.execute(text(
            "SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'")).all())
        policies = {t for (t,) in conn.execute(text("SELECT DISTINCT tablename FROM pg_policies "
                                                     "WHERE schemaname = 'public'"))}
        views = dict(conn.execute(text(
            "SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'v'")).all())
    for table in (*schema.TABLES, "ik_meta"):
        assert secured.get(table) is True, f"{table} is not under row-level security"
        assert table in policies, f"{table} has no policy"
    for view in schema.VIEWS:
        assert "security_barrier=true" in views[view], f"{view} is not a security barrier"
