"""The Loops and Debriefs lists a page at a time (issue 17): the same rows as the full lists, for every person.

``loop_pages.loop_page`` and ``debrief_pages.debrief_page`` filter, search and order in the database; the
full lists (``loops.loops``, ``debrief.debrief_candidates``: the latter asks ``policy.visibility`` candidate
by candidate) are the reference. For everyone in the demo, the local operator and nobody: the pages put
together are the full list (same rows, same order, each once), a search gives the full list filtered as the
screens filtered it in memory (every word, case and accents ignored), counts and positions agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from interviewkit.paths import shipped_bank_dir
from interviewkit.services import debrief_pages, demo, loop_pages, policy
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.debrief import OUTCOME_LABELS, debrief_candidates
from interviewkit.services.folded_search import folded
from interviewkit.services.loops import LoopSummary, loops
from interviewkit.storage.db import Database
from interviewkit.storage.models import Candidate, InterviewLoop, Opening, Person

SEARCHES = ("", "ana", "TOMAS nunez", "ñúñ", "engineer", "no hire", "hire", "50%", "a_b", "zzz")


@pytest.fixture
def populated(shipped_db: Database) -> Database:
    """The demo, with a candidate whose name has accents and two loops created at the same moment (the
    order then goes by id)."""
    demo.create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN, today=datetime(2026, 12, 7).date())
    with shipped_db.transaction() as s:
        opening = s.scalars(select(Opening)).first()
        assert opening is not None and opening.id is not None
        same = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
        for name in ("Tomás Ñúñez", "Zoë 50% a_b"):
            cand = Candidate(name=name, opening_id=opening.id, created_at=same)
            s.add(cand)
            s.flush()
            assert cand.id is not None
            s.add(InterviewLoop(candidate_id=cand.id, name="Loop", created_at=same))
            s.add(InterviewLoop(candidate_id=cand.id, name="Second loop", created_at=same - timedelta(days=1)))
    return shipped_db


def actors(db: Database) -> list[Actor]:
    with db.session() as s:
        people = [int(p.id or 0) for p in s.scalars(select(Person).order_by(Person.id))]
    return [LOCAL_ADMIN, None, *people]


def all_pages(fetch, limit: int) -> list:  # type: ignore[no-untyped-def]
    rows: list = []
    offset = 0
    while True:
        page = fetch(offset, limit)
        assert page.offset == offset
        rows.extend(page.rows)
        if not page.more:
            return rows
        assert len(page.rows) == limit
        offset += limit


def matching(text: str, search: str) -> bool:
    return all(w in folded(text) for w in folded(search).split())


def test_loop_pages_are_the_full_list_for_everyone(populated: Database) -> None:
    for by in actors(populated):
        full = loops(populated, by=by)
        for search in SEARCHES:
            wanted = [x for x in full if matching(f"{x.candidate} {x.opening} {x.name}", search)]
            paged = all_pages(
                lambda o, n, by=by, search=search: loop_pages.loop_page(
                    populated, by=by, search=search, offset=o, limit=n
                ),
                4,
            )
            assert paged == wanted, (by, search)
            assert len({x.id for x in paged}) == len(paged)
            assert loop_pages.loop_count(populated, by=by, search=search) == len(wanted)
            first = loop_pages.loop_page(populated, by=by, search=search, limit=3, count=True)
            assert first.total == len(wanted) and list(first.rows) == wanted[:3]
            if search in ("", "ana"):
                for position, summary in enumerate(wanted):
                    assert loop_pages.loop_position(populated, summary.id, by=by, search=search) == position


def test_an_interviewer_sees_exactly_the_loops_of_the_candidates_she_may_see(populated: Database) -> None:
    seen_some = False
    for by in actors(populated):
        with populated.session() as s:
            visible = policy.readable_candidate_ids(s, by)
            loop_candidates = dict(s.execute(select(InterviewLoop.id, InterviewLoop.candidate_id)).all())
        paged = all_pages(lambda o, n, by=by: loop_pages.loop_page(populated, by=by, offset=o, limit=n), 50)
        if visible is None:
            assert len(paged) == len(loop_candidates)
            continue
        assert {loop_candidates[x.id] for x in paged} <= visible
        assert {x.id for x in paged} == {i for i, c in loop_candidates.items() if c in visible}
        seen_some |= 0 < len(paged) < len(loop_candidates)
        hidden = next((i for i, c in loop_candidates.items() if c not in visible), None)
        assert hidden is None or loop_pages.loop_position(populated, hidden, by=by) is None
    assert seen_some  # an interviewer of the demo sees some loops, not all


def test_a_loop_page_counts_its_loops_as_the_full_list(populated: Database) -> None:
    full = {x.id: x for x in loops(populated, by=LOCAL_ADMIN)}
    page = loop_pages.loop_page(populated, by=LOCAL_ADMIN, limit=200)
    assert any(x.submitted for x in page.rows) and any(x.stages for x in page.rows)
    assert all(isinstance(x, LoopSummary) and full[x.id] == x for x in page.rows)
    with populated.session() as s:
        cid = s.scalars(select(Candidate.id).where(Candidate.name == "Tomás Ñúñez")).one()
    only = loop_pages.loop_page(populated, by=LOCAL_ADMIN, candidate_id=cid)
    assert [x.name for x in only.rows] == ["Loop", "Second loop"]
    assert list(only.rows) == loops(populated, candidate_id=cid, by=LOCAL_ADMIN)


def test_debrief_pages_are_the_full_list_for_everyone(populated: Database) -> None:
    saw_decision = saw_hidden_decision = False
    for by in actors(populated):
        full = debrief_candidates(populated, by)
        saw_decision |= any(row[5] for row in full)
        for search in SEARCHES:
            wanted = [
                r for r in full if matching(f"{r[1]} {r[2]} {OUTCOME_LABELS.get(r[5], r[5]) if r[5] else ''}", search)
            ]
            paged = all_pages(
                lambda o, n, by=by, search=search: debrief_pages.debrief_page(
                    populated, by, search=search, offset=o, limit=n
                ),
                3,
            )
            assert [tuple(r) for r in paged] == wanted, (by, search)
            assert debrief_pages.debrief_count(populated, by, search=search) == len(wanted)
            if search in ("", "hire"):
                for position, row in enumerate(wanted):
                    assert debrief_pages.debrief_position(populated, by, row[0], search=search) == position
        if by is not None and by is not LOCAL_ADMIN:
            with populated.session() as s:
                shown = {r[0]: r[5] for r in full}
                for cid, outcome in shown.items():
                    vis = policy.visibility(s, by, cid)
                    assert vis.may_view_debrief
                    saw_hidden_decision |= outcome is None and not vis.decision_visible
    assert saw_decision and saw_hidden_decision


def test_nobody_and_a_deactivated_person_list_nothing(populated: Database) -> None:
    with populated.transaction() as s:
        person = s.scalars(select(Person).where(Person.access_role == "interviewer")).first()
        assert person is not None
        person.active = False
        pid = int(person.id or 0)
    for by in (None, pid, 10_000):
        assert loop_pages.loop_page(populated, by=by).rows == ()
        assert debrief_pages.debrief_page(populated, by).rows == ()
