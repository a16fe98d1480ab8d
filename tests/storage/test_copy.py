"""``db copy``: every row to the other backend and back, ids kept, verified by counts and hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import question_summaries, search_question_ids
from interviewkit.storage.copy import CopyError, copy_database
from interviewkit.storage.db import Database, NotInterviewKitDatabase, open_database
from tests.pdf.conftest import build_panel


def _other_backend(backend: str, make_db, pg_server, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        name = pg_server.new_database()  # empty: no tables at all
        return pg_server.url(name)
    return str(tmp_path / "copy.sqlite")  # not there yet


def test_a_copy_to_the_other_backend_keeps_every_row_and_id(shipped_db: Database, backend: str, pg_server,  # type: ignore[no-untyped-def]
                                                            make_db, tmp_path: Path) -> None:
    panel = build_panel(shipped_db, with_decision=True)  # scorecards, audit trail, a superseded decision
    target = _other_backend(backend, make_db, pg_server, tmp_path)
    seen: list[str] = []
    report = copy_database(shipped_db.url, target, progress=seen.append)
    assert report.ok, [t for t in report.tables if not t.ok]
    by_name = {t.name: t for t in report.tables}
    questions = len(question_summaries(shipped_db))  # the shipped bank's (it is edited: read, not written down)
    assert by_name["question"].target_rows == questions and by_name["decision"].target_rows == 2
    assert by_name["audit_event"].target_rows > 0 and by_name["scorecard"].target_rows == 3
    assert "question_fts" not in by_name and "alembic_version" not in by_name
    assert report.indexed_questions == questions and "copied decision" in seen

    copied = open_database(target)
    try:
        with copied.engine.connect() as a, shipped_db.engine.connect() as b:
            q = "SELECT id, outcome, superseded_by FROM decision ORDER BY id"
            assert [tuple(r) for r in a.execute(text(q))] == [tuple(r) for r in b.execute(text(q))]
            q = "SELECT id, stage_id, interviewer_id, status FROM scorecard ORDER BY id"
            assert [tuple(r) for r in a.execute(text(q))] == [tuple(r) for r in b.execute(text(q))]
        # The search index was rebuilt, and new rows get new ids after the copied ones.
        for words in ("drift", "gpu cost", "stakehold"):  # the same matches on both backends
            assert sorted(search_question_ids(copied, words)) == sorted(search_question_ids(shipped_db, words))
        newcomer = people.create_person(copied, name="New Person", email="new@example.com", by=LOCAL_ADMIN)
        assert newcomer.id == max((*panel.interviewer_ids, panel.hiring_manager_id)) + 1
    finally:
        copied.dispose()


def test_a_target_with_data_is_refused_and_left_alone(shipped_db: Database, make_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source.sqlite"
    open_database(source).dispose()
    target = shipped_db.url
    with shipped_db.engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM question")).scalar()
    with pytest.raises(CopyError, match=r"already holds data .* in question") as info:
        copy_database(source, target)
    assert "choose another target" in str(info.value)
    with shipped_db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM question")).scalar() == before


def test_a_foreign_target_and_an_empty_source_are_refused(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    source = tmp_path / "source.sqlite"
    open_database(source).dispose()
    with pytest.raises(NotInterviewKitDatabase, match="invoices"):
        copy_database(source, foreign)
    with pytest.raises(CopyError, match="no database to copy"):
        copy_database(tmp_path / "missing.sqlite", tmp_path / "t.sqlite")
    with pytest.raises(CopyError, match="same database"):
        copy_database(source, source)


def test_a_database_of_an_older_release_is_copied_at_its_own_schema(backend: str, make_db, tmp_path: Path) -> None:
    """The source is never migrated: the target gets the source's schema, and is upgraded when opened."""
    import shutil

    from sqlalchemy import create_engine

    source = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parent.parent / "data" / "interviewkit-0.1.0.sqlite", source)
    before = source.read_bytes()
    target = make_db("target", None)
    report = copy_database(source, target)
    assert report.ok and report.revision == "0001" and source.read_bytes() == before
    assert {t.name: t.target_rows for t in report.tables}["requirement"] == 112
    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()
    db = open_database(target)  # now brought up to date, with its search index
    try:
        assert search_question_ids(db, "latency") == ["latency-regression"]
    finally:
        db.dispose()
