"""Bulk writes: rows inserted straight through the driver, and statements run in the background."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from interviewkit.storage.bulk import Background, insert_rows
from interviewkit.storage.db import Database
from interviewkit.storage.models import Question, QuestionVersion

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _version(qid: str, n: int) -> dict[str, object]:
    return {
        "question_id": qid,
        "version": n,
        "content_hash": f"{qid}-{n}",
        "title": f"Title {qid} é",
        "kind": "behavioural",
        "level": "manager",
        "minutes": 10,
        "prompt": "Tell me — in detail.",
        "follow_ups": ["Why?", "Then?"],
        "rubric": {"1": "none", "2": "some", "3": "clear", "4": "strong"},
        "red_flags": [],
        "source_path": f"q/{qid}.md",
        "created_at": NOW,
    }


@pytest.mark.parametrize("one_statement", [False, True])
def test_inserted_rows_read_back_as_the_orm_wrote_them(db: Database, one_statement: bool) -> None:
    with db.transaction() as session:
        insert_rows(session, Question.__table__, [
            {"id": q, "current_version": 1, "created_at": NOW, "retired_at": None} for q in ("a", "b")
        ])
        insert_rows(
            session, QuestionVersion.__table__, [_version("a", 1), _version("b", 1)], one_statement=one_statement
        )
        session.add(QuestionVersion(**{**_version("a", 2), "content_hash": "orm"}))  # type: ignore[arg-type]
        session.add(Question(id="c", current_version=1, created_at=NOW))
    with db.session() as session:
        rows = {(v.question_id, v.version): v for v in session.scalars(select(QuestionVersion))}
        assert set(rows) == {("a", 1), ("b", 1), ("a", 2)}
        bulk, orm = rows[("a", 1)], rows[("a", 2)]
        for field in ("title", "prompt", "follow_ups", "rubric", "red_flags", "minutes"):
            assert getattr(bulk, field) == getattr(orm, field)
        assert bulk.created_at.replace(tzinfo=UTC) == NOW == orm.created_at.replace(tzinfo=UTC)


def test_nothing_to_insert_sends_nothing(db: Database) -> None:
    with db.transaction() as session:
        insert_rows(session, Question.__table__, [])
        assert session.execute(text("SELECT COUNT(*) FROM question")).scalar() == 0


@pytest.mark.sqlite_only
def test_background_jobs_run_in_order_on_another_thread_and_hand_the_session_back(db: Database) -> None:
    threads: list[int] = []
    seen: list[int] = []

    def job(n: int):  # type: ignore[no-untyped-def]
        def run(session: Session) -> None:
            threads.append(threading.get_ident())
            insert_rows(session, Question.__table__, [{"id": f"q{n}", "current_version": 1, "created_at": NOW,
                                                       "retired_at": None}], one_statement=True)
            seen.append(n)
        return run

    with db.transaction() as session, Background(session) as background:
        for n in range(5):
            background.start(job(n))
        count = background.session().execute(text("SELECT COUNT(*) FROM question")).scalar()
    assert count == 5 and seen == [0, 1, 2, 3, 4]
    assert threading.get_ident() not in threads


@pytest.mark.sqlite_only
def test_a_failing_background_job_fails_the_caller_and_writes_nothing(db: Database) -> None:
    def fails(session: Session) -> None:
        insert_rows(
            session, Question.__table__, [{"id": "x", "current_version": 1, "created_at": NOW, "retired_at": None}]
        )
        raise RuntimeError("disk on fire")

    with (
        pytest.raises(RuntimeError, match="disk on fire"),
        db.transaction() as session,
        Background(session) as background,
    ):
        background.start(fails)
        background.session()  # the job's error comes back here
        pytest.fail("the job's error was not raised")
    with db.session() as session:
        assert session.execute(text("SELECT COUNT(*) FROM question")).scalar() == 0


@pytest.mark.sqlite_only
def test_the_callers_error_wins_and_waits_for_the_running_job(db: Database) -> None:
    finished: list[bool] = []
    release = threading.Event()

    def slow(session: Session) -> None:
        release.wait(5)
        finished.append(True)

    timer = threading.Timer(0.2, release.set)  # the job holds the session for a while after the error
    with pytest.raises(KeyError), db.transaction() as session, Background(session) as background:
        background.start(slow)
        timer.start()
        raise KeyError("reading failed")
    assert finished == [True]  # the transaction was rolled back only after the job let go of the session
