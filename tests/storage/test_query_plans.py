"""Queries checked, not hoped (issue 17, point 4): every statement the screens' service calls send about
one candidate, one scorecard, one person or one filtered calibration is read back with the database's own
planner (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (FORMAT JSON) with sequential scans discouraged,
so that one shows only where no index can serve), on a populated database (the large demo at a tiny
scale), and none may read the whole of the scorecard, rating or asked_question (notes) tables.

Reading all ratings is by design where the screen asks for all of them (the calibration dashboard with no
filter, the debrief list of every candidate for an admin); those calls are not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlmodel import col

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import audit, debrief, exercises, listing, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration_report import CalibrationFilters, calibration_report
from interviewkit.services.demo_large import create_large_demo
from interviewkit.storage.db import Database
from interviewkit.storage.models import CalibrationExercise, Candidate, InterviewLoop, Person, Scorecard, Stage

WATCHED = ("scorecard", "rating", "asked_question")
VIEWS = ("scorecard_status", "calibration_rating", "calibration_scorecard", "calibration_asked", "screen_progress")
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)")


@contextmanager
def captured(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements sent while the block runs, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def full_scans(db: Database, statement: str, parameters: Any, *, strict: bool = False) -> list[str]:
    """The watched tables the planner would read whole for this statement. On PostgreSQL a sequential scan;
    ``strict`` also counts an index read end to end (no index condition), which with sequential scans off
    the planner picks on these tiny tables for a long IN list of ids, where on a large table it would not."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            views = " ".join(
                str(v) for v in conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'view'").scalars()
            )
            pairs = re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?\s+(?:AS\s+)?"?(\w+)"?', statement + " " + views)
            names = {alias: table for table, alias in pairs if table in WATCHED}
            found = []
            for row in plan:
                m = _SQLITE_SCAN.match(str(row[-1]))
                if m and names.get(m.group(1), m.group(1)) in WATCHED:
                    found.append(str(row[-1]))
            return found
        conn.exec_driver_sql("SET enable_seqscan = off")
        (doc,) = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).one()
        found = []

        def walk(node: dict[str, Any]) -> None:
            kind, table = node.get("Node Type"), node.get("Relation Name")
            whole = kind == "Seq Scan" or (
                strict and kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
            )
            if whole and table in WATCHED:  # an index read end to end is a full scan too
                found.append(f"{kind} on {table} (no condition)")
            for child in node.get("Plans", []):
                walk(child)

        walk((doc if isinstance(doc, list) else [doc])[0]["Plan"])
        return found


@pytest.fixture
def populated(shipped_db: Database) -> Database:
    create_large_demo(shipped_db, load_settings(shipped_bank_dir()), scale=0.004)
    with shipped_db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return shipped_db


def screen_calls(db: Database) -> dict[str, Callable[[], Any]]:
    """What the screens ask about one thing: a candidate's debrief and lists, a scorecard, a person's
    interrupted interviews and exercises, a filtered calibration."""
    settings = load_settings(shipped_bank_dir())
    with db.session() as s:
        card = s.scalars(select(Scorecard).order_by(col(Scorecard.id).desc()).limit(1)).one()
        candidate = s.scalars(select(Candidate).order_by(col(Candidate.id).desc()).limit(1)).one()
        exercise_id = s.scalars(select(col(CalibrationExercise.id)).limit(1)).one()
    card_id, person, cid = int(card.id or 0), card.interviewer_id, int(candidate.id or 0)
    by_opening = CalibrationFilters(opening_id=candidate.opening_id)
    return {
        "debrief": lambda: debrief.debrief(db, cid, LOCAL_ADMIN, settings),
        "decisions": lambda: debrief.decisions(db, cid, by=LOCAL_ADMIN),
        "list_scorecards": lambda: listing.list_scorecards(db, by=LOCAL_ADMIN, candidate_id=cid),
        "list_stages": lambda: listing.list_stages(db, by=LOCAL_ADMIN, candidate_id=cid),
        "scorecard_state": lambda: scorecards.scorecard_state(db, card_id, by=LOCAL_ADMIN),
        "audit_trail": lambda: audit.audit_trail(db, "scorecard", card_id, by=LOCAL_ADMIN),
        "interrupted": lambda: scorecards.interrupted_scorecards(db, person),
        "exercise_results": lambda: exercises.exercise_results(db, exercise_id, 1, settings=settings),
        "calibration_by_opening": lambda: calibration_report(db, settings, by_opening, viewer=LOCAL_ADMIN),
    }


def scans_of(
    db: Database, calls: dict[str, Callable[[], Any]], *, strict: bool = False
) -> tuple[int, dict[str, list[str]]]:
    """How many statements about the watched tables the calls sent, and the full scans among them."""
    problems: dict[str, list[str]] = {}
    checked = 0
    for name, call in calls.items():
        with captured(db) as statements:
            call()
        for statement, parameters in statements:
            if not any(re.search(rf"\b{t}\b", statement) for t in (*WATCHED, *VIEWS)):
                continue
            checked += 1
            for scan in full_scans(db, statement, parameters, strict=strict):
                problems.setdefault(name, []).append(f"{scan}: {' '.join(statement.split())[:300]}")
    return checked, problems


def test_no_screen_query_reads_a_whole_scorecard_rating_or_notes_table(populated: Database) -> None:
    assert full_scans(populated, "SELECT score FROM rating WHERE reason = 'x'", {} if not populated.is_sqlite else ())
    checked, problems = scans_of(populated, screen_calls(populated))
    assert checked >= 15
    assert problems == {}


def test_the_calibration_period_filter_reads_no_whole_table(populated: Database) -> None:
    """The period is on scorecard.held_at (revision 0014), which ix_scorecard_held_at serves; it was
    COALESCE(stage.scheduled_at, scorecard.submitted_at), over two joined tables, which no index serves."""
    settings = load_settings(shipped_bank_dir())
    by_period = CalibrationFilters(since=date(2024, 1, 1), until=date(2024, 3, 31))
    _, problems = scans_of(
        populated,
        {"period": lambda: calibration_report(populated, settings, by_period, viewer=LOCAL_ADMIN)},
        strict=True,
    )
    assert problems == {}


def sorted_whole(db: Database, statement: str, parameters: Any, table: str) -> list[str]:
    """How the planner would read ``table`` whole and sort it for this statement (a page of a list should read
    the next entries of an index in the list's order): SQLite's SCAN without an index or its temporary B-tree
    for ORDER BY, PostgreSQL's sequential scan or a Sort over the table."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            plan = [str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            return [
                step
                for step in plan
                if re.match(rf"^SCAN {table}$", step) or step.startswith("USE TEMP B-TREE FOR ORDER BY")
            ]
        conn.exec_driver_sql("SET enable_seqscan = off")
        (doc,) = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).one()
        found = []

        def walk(node: dict[str, Any], under_sort: bool) -> None:
            kind = node.get("Node Type")
            if node.get("Relation Name") == table and (kind == "Seq Scan" or under_sort):
                found.append(f"{kind} on {table}" + (" under a Sort" if under_sort else ""))
            for child in node.get("Plans", []):
                walk(child, under_sort or kind in ("Sort", "Incremental Sort"))

        walk((doc if isinstance(doc, list) else [doc])[0]["Plan"], False)
        return found


def test_the_candidates_pages_read_the_index_in_order(populated: Database) -> None:
    """People's candidates a page at a time, newest first (services.paging.candidate_page): along
    ix_candidate_created (revision 0015), not the whole candidate table sorted (60,000 rows on the large demo)."""
    from interviewkit.services import paging

    for offset in (0, 100):
        with captured(populated) as statements:
            paging.candidate_page(populated, by=LOCAL_ADMIN, offset=offset, limit=50, count=False)
        (page,) = [(st, p) for st, p in statements if "ORDER BY" in st and "candidate" in st]
        assert sorted_whole(populated, *page, "candidate") == [], page[0]
    unindexed = "SELECT id FROM candidate ORDER BY phone LIMIT 5"
    assert sorted_whole(populated, unindexed, () if populated.is_sqlite else {}, "candidate")


def list_page_calls(db: Database) -> dict[str, Callable[[], Any]]:
    """The Loops and Debriefs lists a page at a time (services.loop_pages, services.debrief_pages), as the
    admin and as the interviewer with the most stages (her access rule is a semi-join on her own stages and
    scorecards), with a search, a later page, counts and a position."""
    from interviewkit.services import debrief_pages, loop_pages

    with db.session() as s:
        admin = s.scalars(select(col(Person.id)).where(col(Person.access_role) == "admin")).first()
        busiest = s.execute(
            select(col(Stage.interviewer_id), func.count())
            .join(Person, col(Person.id) == col(Stage.interviewer_id))
            .where(col(Person.access_role) == "interviewer")
            .group_by(col(Stage.interviewer_id))
            .order_by(func.count().desc())
        ).first()
        loop_id = s.scalars(select(col(InterviewLoop.id)).order_by(col(InterviewLoop.id))).first()
    assert admin is not None and busiest is not None and loop_id is not None
    calls: dict[str, Callable[[], Any]] = {}
    for role, who in (("admin", admin), ("interviewer", int(busiest[0]))):
        calls |= {
            f"loops {role}": lambda who=who: loop_pages.loop_page(db, by=who, count=True),
            f"loops {role} page 2": lambda who=who: loop_pages.loop_page(db, by=who, offset=20, limit=20),
            f"loops {role} search": lambda who=who: loop_pages.loop_page(db, by=who, search="ana", count=True),
            f"loop position {role}": lambda who=who: loop_pages.loop_position(db, loop_id, by=who),
            f"debriefs {role}": lambda who=who: debrief_pages.debrief_page(db, who, count=True),
            f"debriefs {role} page 2": lambda who=who: debrief_pages.debrief_page(db, who, offset=20, limit=20),
            f"debriefs {role} search": lambda who=who: debrief_pages.debrief_page(db, who, search="hire ana"),
        }
    return calls


def test_the_loops_and_debriefs_pages_read_no_whole_scorecard_table(populated: Database) -> None:
    """A page of the Loops or Debriefs list counts the scorecards of its rows only; the access rule and the
    "has a submitted scorecard" test go through the indexes (a person's own, a candidate's)."""
    checked, problems = scans_of(populated, list_page_calls(populated))
    assert checked >= 14
    assert problems == {}
