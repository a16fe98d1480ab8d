"""Candidates a page at a time: the rows the full list gives, each once, in order, seen as the full list lets each
person see them, searched and sorted in the database (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from interviewkit.domain.access import ROLES
from interviewkit.services import loops, paging, people, privacy
from interviewkit.services.access import LOCAL_ADMIN, Actor
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.services.people import CandidateInfo
from interviewkit.storage.db import Database

JDS = ["ml-eng-manager-profile", "ml-lead-lisbon-ad"]
NAMES = ["Ana Óliveira", "Bruno Costa", "Carla Dias", "Duarte Nunes", "Eva Ramos", "Filipa Sousa", "Gil Teixeira"]


@dataclass
class World:
    db: Database
    ids: dict[str, int]  # role -> a person with that role
    lead: int  # the first opening's hiring manager
    openings: tuple[int, int]


@pytest.fixture
def world(shipped_db: Database) -> World:
    db = shipped_db
    ids = {
        role: people.create_person(
            db, name=f"{role.title()} Person", email=f"{role}@example.com", access_role=role, by=LOCAL_ADMIN
        ).id
        for role in ROLES
    }
    lead = ids["hiring_manager"]
    first = people.create_opening(db, title="ML EM", jd_ids=JDS, hiring_manager_id=lead, by=LOCAL_ADMIN).id
    second = people.create_opening(db, title="Data lead", jd_ids=JDS, by=LOCAL_ADMIN).id
    made = []
    for n in range(21):  # 3 rounds of the names, alternating openings
        name = f"{NAMES[n % len(NAMES)]} {n:02d}"
        opening = first if n % 2 else second
        made.append(
            people.create_candidate(
                db, name=name, email=f"c{n:02d}@example.com", phone=f"+351 {n:03d}", opening_id=opening, by=LOCAL_ADMIN
            ).id
        )
    for cand in made[3:9]:  # the interviewer sits on six panels (of both openings)
        loop = loops.create_loop(db, cand, name="Onsite", by=LOCAL_ADMIN).id
        loops.add_stage(
            db,
            loop,
            name="Design",
            minutes=45,
            focus=["monitoring-drift"],
            interviewer_id=ids["interviewer"],
            by=LOCAL_ADMIN,
        )
    loops.create_loop(db, made[3], name="Second", by=LOCAL_ADMIN)
    privacy.erase_candidate(db, made[10], by=LOCAL_ADMIN, reason="asked to be forgotten")
    return World(db, ids, lead, (first, second))


def _all_pages(db: Database, by: Actor, size: int, **kw: object) -> list[CandidateInfo]:
    rows: list[CandidateInfo] = []
    offset = 0
    while True:
        page = paging.candidate_page(db, by=by, offset=offset, limit=size, **kw)  # type: ignore[arg-type]
        assert page.offset == offset
        rows.extend(page.rows)
        if not page.more:
            return rows
        assert len(page.rows) == size
        offset += size


def _actors(world: World) -> dict[str, Actor]:
    return {"local admin": LOCAL_ADMIN, "nobody": None, **world.ids}


def test_every_person_pages_through_exactly_the_full_list(world: World) -> None:
    for who, by in _actors(world).items():
        full = people.candidates(world.db, by=by)
        for size in (1, 4, 200):
            assert _all_pages(world.db, by, size) == full, (who, size)
        first = paging.candidate_page(world.db, by=by, limit=4)
        assert first.total == len(full), who


def test_an_interviewer_sees_her_panels_and_a_hiring_manager_his_opening(world: World) -> None:
    mine = _all_pages(world.db, world.ids["interviewer"], 5)
    assert len(mine) == 6
    led = _all_pages(world.db, world.lead, 5)
    assert {c.opening_id for c in led} >= {world.openings[0]}
    assert {c.id for c in people.candidates(world.db, world.openings[0], by=LOCAL_ADMIN)} <= {c.id for c in led}
    assert paging.candidate_page(world.db, by=None).rows == ()


def test_one_openings_candidates(world: World) -> None:
    for by in (LOCAL_ADMIN, world.ids["interviewer"]):
        for opening in world.openings:
            full = people.candidates(world.db, opening, by=by)
            assert _all_pages(world.db, by, 3, opening_id=opening) == full


def _matching(rows: list[CandidateInfo], search: str) -> list[CandidateInfo]:
    """The search as the People section did it in memory: every word in the row's shown text."""
    from interviewkit.services.folded_search import folded

    def text(c: CandidateInfo) -> str:
        return folded(" ".join(("Erased candidate" if c.erased else c.name, c.email, c.phone, c.opening_title)))

    return [c for c in rows if all(w in text(c) for w in folded(search).split())]


@pytest.mark.parametrize("search", ["oliveira", "EVA", "c1", "ml em", "+351 00", "erased", "data 1", "zz", "50%", "_"])
def test_search_agrees_with_the_full_list(world: World, search: str) -> None:
    for by in (LOCAL_ADMIN, world.ids["interviewer"]):
        expected = _matching(people.candidates(world.db, by=by), search)
        assert _all_pages(world.db, by, 4, search=search) == expected, search
        assert paging.candidate_page(world.db, by=by, search=search).total == len(expected)


@pytest.mark.parametrize("sort", ["added", "name", "email", "phone", "opening", "loops"])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_agrees_with_the_full_list(world: World, sort: str, descending: bool) -> None:
    full = people.candidates(world.db, by=LOCAL_ADMIN)
    keys = {
        "added": lambda c: c.created_at,
        "name": lambda c: ("Erased candidate" if c.erased else c.name).lower(),
        "email": lambda c: c.email.lower(),
        "phone": lambda c: c.phone,
        "opening": lambda c: c.opening_title.lower(),
        "loops": lambda c: c.loop_count,
    }
    expected = sorted(full, key=lambda c: (keys[sort](c), c.id), reverse=descending)
    assert _all_pages(world.db, LOCAL_ADMIN, 4, sort=sort, descending=descending) == expected


def test_the_loops_are_counted_as_the_full_list_counts_them(world: World) -> None:
    page = paging.candidate_page(world.db, by=LOCAL_ADMIN, sort="loops", limit=1)
    assert page.rows[0].loop_count == 2


def test_bad_paging_is_refused(world: World) -> None:
    for kw in ({"sort": "salary"}, {"offset": -1}, {"limit": 0}, {"limit": paging.MAX_PAGE + 1}):
        with pytest.raises(ValidationFailed):
            paging.candidate_page(world.db, by=LOCAL_ADMIN, **kw)


def test_one_candidate_as_the_list_shows_them(world: World) -> None:
    for by in (LOCAL_ADMIN, world.ids["interviewer"]):
        for c in people.candidates(world.db, by=by):
            assert paging.candidate_info(world.db, c.id, by=by) == people.candidate(world.db, c.id, by=by)
    hidden = next(c for c in people.candidates(world.db, by=LOCAL_ADMIN) if c.loop_count == 0)
    with pytest.raises(PermissionDenied):
        paging.candidate_info(world.db, hidden.id, by=world.ids["interviewer"])
    with pytest.raises(NotFound):
        paging.candidate_info(world.db, 10_000, by=LOCAL_ADMIN)


def test_a_narrowed_first_page_also_counts_the_whole_list(world: World) -> None:
    for by in (LOCAL_ADMIN, world.ids["interviewer"]):
        everyone = len(people.candidates(world.db, by=by))
        plain = paging.candidate_page(world.db, by=by, limit=2)
        assert plain.unfiltered == plain.total == everyone
        narrowed = paging.candidate_page(world.db, by=by, limit=2, search="eva", opening_id=world.openings[0])
        assert narrowed.unfiltered == everyone and narrowed.total is not None and narrowed.total < everyone
        assert paging.candidate_page(world.db, by=by, offset=2, limit=2).unfiltered is None


def test_the_separate_count_agrees_with_the_first_pages_count(world: World) -> None:
    for by in _actors(world).values():
        for search, opening in (("", None), ("eva", None), ("", world.openings[0]), ("ana nunes", world.openings[1])):
            page = paging.candidate_page(world.db, by=by, limit=2, search=search, opening_id=opening)
            uncounted = paging.candidate_page(world.db, by=by, limit=2, search=search, opening_id=opening, count=False)
            assert uncounted.rows == page.rows and uncounted.total is None
            assert paging.candidate_count(world.db, by=by, search=search, opening_id=opening) == (
                page.total,
                page.unfiltered,
            )
