"""The same database behaviour on SQLite and PostgreSQL: the audit trigger, search, and refusing
databases that are not ours (on a server too)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from interviewkit.storage import schema
from interviewkit.storage.db import NewerSchemaError, NotInterviewKitDatabase, open_database


def _insert_event(db) -> int:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_event (at, entity, entity_id, action, reason, detail) "
            "VALUES (CURRENT_TIMESTAMP, 'scorecard', '1', 'amended', 'typo', '{}')"
        ))
        return int(conn.execute(text("SELECT MAX(id) FROM audit_event")).scalar() or 0)


def test_the_audit_trail_refuses_deletes_and_rewrites_but_allows_one_redaction(db) -> None:  # type: ignore[no-untyped-def]
    event = _insert_event(db)
    for sql in (
        "DELETE FROM audit_event WHERE id = :id",
        "UPDATE audit_event SET action = 'submitted' WHERE id = :id",
        "UPDATE audit_event SET reason = 'other' WHERE id = :id",  # a rewrite without redacting
    ):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql), {"id": event})
    with db.engine.begin() as conn:  # redaction: blank the content once, keep who/what/when
        conn.execute(text("UPDATE audit_event SET reason = '', detail = '{}', redacted_at = CURRENT_TIMESTAMP "
                          "WHERE id = :id"), {"id": event})
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'back' WHERE id = :id"), {"id": event})
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_event")).scalar() == 1


def test_search_finds_words_without_their_accents_on_every_backend(bank_db) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.services.bank_queries import search_question_ids, search_version_ids

    assert search_question_ids(bank_db, "DRÏFT") == ["drift-incident"]
    assert search_question_ids(bank_db, "gpu serv", ranked=True)[0] == "gpu-cost-cut"
    ids = search_version_ids(bank_db, "slow")
    assert ids is not None and len(ids) == 1


# --- PostgreSQL: a server database is checked as a file is -------------------------------------------


@pytest.fixture
def pg(pg_server):  # type: ignore[no-untyped-def]
    return pg_server


def test_an_empty_postgresql_database_is_initialised(pg) -> None:  # type: ignore[no-untyped-def]
    name = pg.new_database()
    try:
        db = open_database(pg.url(name))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            assert conn.execute(text("SELECT value FROM ik_meta WHERE key='application'")).scalar() == "interviewkit"
        db.dispose()
    finally:
        pg.drop_database(name)


def _snapshot(pg, name: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return pg.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY 1, 2", name,
    )


def test_a_postgresql_database_with_foreign_tables_is_refused_and_untouched(pg) -> None:  # type: ignore[no-untyped-def]
    name = pg.new_database()
    try:
        pg.execute("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)", name)
        pg.execute("INSERT INTO invoices (total) VALUES (9.5)", name)
        before = _snapshot(pg, name)
        with pytest.raises(NotInterviewKitDatabase, match="invoices") as info:
            open_database(pg.url(name))
        assert "postgresql" in str(info.value) and name in str(info.value)
        assert _snapshot(pg, name) == before
        assert pg.execute("SELECT total FROM invoices", name) == [(9.5,)] or pg.execute(
            "SELECT COUNT(*) FROM invoices", name
        ) == [(1,)]
    finally:
        pg.drop_database(name)


def test_a_newer_postgresql_schema_is_refused_and_untouched(pg) -> None:  # type: ignore[no-untyped-def]
    name = pg.new_database()
    try:
        open_database(pg.url(name)).dispose()
        pg.execute("UPDATE alembic_version SET version_num = '9999'", name)
        before = _snapshot(pg, name)
        with pytest.raises(NewerSchemaError, match="9999"):
            open_database(pg.url(name))
        assert _snapshot(pg, name) == before
        assert pg.execute("SELECT version_num FROM alembic_version", name) == [("9999",)]
    finally:
        pg.drop_database(name)


def test_a_server_that_cannot_be_reached_is_one_clear_error(pg) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.storage.db import DatabaseError

    with pytest.raises(DatabaseError, match="cannot connect") as info:
        open_database(pg.url("no_such_database"))
    assert "no_such_database" in str(info.value)


def test_an_older_schema_is_migrated_and_its_questions_indexed(make_db) -> None:  # type: ignore[no-untyped-def]
    """A database left at schema 0002 (before the search index was rebuilt) reaches the newest schema."""
    from sqlalchemy import create_engine

    from interviewkit.services.bank_queries import search_question_ids
    from interviewkit.storage.migrate import upgrade

    where = make_db("old", None)
    engine = create_engine(where if "://" in where else f"sqlite:///{where}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO question (id, current_version, created_at) "
                          "VALUES ('kafka-lag', 1, CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO question_version (question_id, version, content_hash, title, kind, level, minutes, prompt, "
            "follow_ups, rubric, red_flags, source_path, created_at) VALUES ('kafka-lag', 1, 'h', "
            "'Consumer lag on a Kafka topic', 'technical', 'manager', 10, 'How would you find the cause?', "
            "'[\"Which metrics?\"]', '{\"1\": \"Guesses\", \"4\": \"Measures partitions\"}', '[]', 'q.md', "
            "CURRENT_TIMESTAMP)"
        ))
    engine.dispose()
    db = open_database(where)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
        assert search_question_ids(db, "kafk") == ["kafka-lag"]
        assert search_question_ids(db, "partitions") == ["kafka-lag"]  # the rubric is indexed too
    finally:
        db.dispose()


def test_search_matches_the_same_questions_on_both_backends(pg, shipped_db_template) -> None:  # type: ignore[no-untyped-def]
    """Over the shipped bank: identical matches for words, prefixes, pairs and odd input; similar ranking."""
    import random
    import re

    from interviewkit.services.bank_queries import search_question_ids
    from tests.conftest import _pg_shipped

    name = pg.new_database(pg.template("ik_shipped", _pg_shipped))
    lite, server = open_database(shipped_db_template), open_database(pg.url(name))
    try:
        with lite.engine.connect() as conn:
            words = sorted({w for (p,) in conn.execute(text("SELECT prompt FROM question_version"))
                            for w in re.findall(r"\w+", p.lower()) if len(w) > 3})
        rnd = random.Random(7)
        queries = [w[:n] for w in rnd.sample(words, 40) for n in (2, 4)]
        queries += [" ".join(rnd.sample(words, 2)) for _ in range(20)]
        queries += ["Café naïve", "CI/CD", "p99", "A/B", "on-call", "e_mail", "Ünïcödé", "ml 2"]
        for q in queries:
            assert sorted(search_question_ids(lite, q)) == sorted(search_question_ids(server, q)), q
        whole = rnd.sample(words, 40) + [" ".join(rnd.sample(words, 2)) for _ in range(20)]
        top = [(search_question_ids(lite, q, ranked=True)[:1], search_question_ids(server, q, ranked=True)[:1])
               for q in whole]
        agree = sum(a == b for a, b in top if a)
        print(f"best match agrees for {agree} of {sum(1 for a, _ in top if a)} queries")
        assert agree >= 0.6 * sum(1 for a, _ in top if a)  # bm25 and IDF-weighted ts_rank mostly agree
    finally:
        lite.dispose()
        server.dispose()
        pg.drop_database(name)


def test_copies_that_start_at_once_on_a_new_database_all_open_it(make_db) -> None:  # type: ignore[no-untyped-def]
    """The team's first morning: several copies find the same empty database and migrate it once."""
    import threading

    where = make_db("fresh", None)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            open_database(where).dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    db = open_database(where)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ik_meta WHERE key = 'application'")).scalar() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
    db.dispose()
